import { createHash, createHmac } from 'node:crypto';
import { IncomingHttpHeaders } from 'node:http';

/**
 * Aliyun's V3 request signature (ACS3-HMAC-SHA256), computed from its documentation, not from
 * the SDK, so the stand-in provider refuses what cloudauth would refuse:
 *
 *   CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n hex(sha256(body))
 *   StringToSign     = "ACS3-HMAC-SHA256" \n hex(sha256(CanonicalRequest))
 *   Signature        = hex(hmac-sha256(AccessKeySecret, StringToSign))
 */
export const ALGORITHM = 'ACS3-HMAC-SHA256';

export interface Authorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

/** `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=a;b;c,Signature=<hex>`, or undefined. */
export function parseAuthorization(header: string | undefined): Authorization | undefined {
  const match = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return undefined;
  return { accessKeyId: match[1]!, signedHeaders: match[2]!.split(';'), signature: match[3]! };
}

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** RFC 3986: only A-Z a-z 0-9 - _ . ~ stay as they are. */
const percentEncode = (value: string): string => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function expectedSignature(request: { method: string; url: string; headers: IncomingHttpHeaders }, signedHeaders: string[], body: Buffer, secret: string): string {
  const url = new URL(request.url, 'http://stand-in');
  const canonicalQuery = [...url.searchParams.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
    .join('&');
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${String(request.headers[name] ?? '').trim()}\n`).join('');
  const canonicalRequest = [request.method.toUpperCase(), url.pathname, canonicalQuery, canonicalHeaders, signedHeaders.join(';'), sha256Hex(body)].join('\n');
  return createHmac('sha256', secret).update(`${ALGORITHM}\n${sha256Hex(canonicalRequest)}`).digest('hex');
}
