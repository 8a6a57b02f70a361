import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { expectedSignature, parseAuthorization, sha256Hex } from './acs3-signature';

/** What the stand-in answers next; each is what cloudauth answers in that case. */
export type StandInAnswer =
  | 'match'
  | 'mismatch'
  | 'no_record'
  | 'unknown_biz_code'
  | 'throttled_user'
  | 'throttled_service'
  | 'daily_limit'
  | 'server_error'
  | 'bad_gateway'
  | 'echoing_error'
  | 'slow';

interface Reply {
  status: number;
  body: Record<string, unknown> | string;
}

const success = (bizCode: string, subCode: string): Reply => ({
  status: 200,
  body: { Code: '200', Message: 'success', ResultObject: { BizCode: bizCode, SubCode: subCode, IspName: 'CMCC' } },
});
const error = (status: number, code: string, message: string): Reply => ({ status, body: { Code: code, Message: message } });

const REPLIES: Record<Exclude<StandInAnswer, 'slow' | 'echoing_error'>, Reply> = {
  match: success('1', '101'),
  mismatch: success('2', '201'),
  no_record: success('3', '301'),
  unknown_biz_code: success('9', '901'),
  throttled_user: error(400, 'Throttling.User', 'Request was denied due to user flow control.'),
  throttled_service: error(503, 'Throttling', 'Request was denied due to request throttling.'),
  daily_limit: error(400, 'BUSINESS_LIMIT_CONTROL', 'The number has exceeded the limit for the day.'),
  server_error: error(500, 'InternalError', 'The request processing has failed due to some unknown error.'),
  bad_gateway: { status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' },
};

/** Every x-acs-* header must be signed, and these at least (Aliyun's V3 rules). */
const REQUIRED_SIGNED = ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'];
const MAX_CLOCK_SKEW_MS = 15 * 60_000;

/**
 * A stand-in for Aliyun cloudauth on loopback: checks each request's V3 signature, timestamp and
 * nonce as cloudauth does and refuses a bad one in its error shape, then answers
 * `Mobile3MetaDetailVerify` as the test chose.
 */
export class CloudauthStandIn {
  answer: StandInAnswer = 'match';
  slowMs = 10_000;
  /** The parameters of every call that passed the signature check. */
  readonly calls: Array<Record<string, string>> = [];
  /** The error codes of every call it refused before answering. */
  readonly refusals: string[] = [];
  /** The last request that passed the checks, as it came: for replaying it. */
  lastSigned?: { url: string; headers: IncomingHttpHeaders; body: Buffer };
  private readonly nonces = new Set<string>();
  private readonly pending = new Set<ServerResponse>();
  private server?: Server;

  constructor(private readonly keys: { accessKeyId: string; accessKeySecret: string }) {}

  /** Listens on a free loopback port; returns the endpoint for VERIFIER_ENDPOINT. */
  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const response of this.pending) response.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const refusal = this.refusal(request, body);
    if (refusal) {
      this.refusals.push(String((refusal.body as { Code: string }).Code));
      return send(response, refusal);
    }
    const params = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    this.calls.push(params);
    this.lastSigned = { url: request.url!, headers: request.headers, body };
    if (this.answer === 'slow') {
      this.pending.add(response);
      setTimeout(() => {
        this.pending.delete(response);
        if (!response.destroyed) send(response, REPLIES.match);
      }, this.slowMs).unref();
      return;
    }
    if (this.answer === 'echoing_error') {
      // Some Aliyun errors quote the parameters they refused: a log must never show this message.
      return send(response, error(400, 'InvalidParameter', `The specified UserName ${params.UserName}, IdentifyNum ${params.IdentifyNum} or Mobile ${params.Mobile} is invalid.`));
    }
    send(response, REPLIES[this.answer]);
  }

  private refusal(request: IncomingMessage, body: Buffer): Reply | undefined {
    const authorization = parseAuthorization(request.headers.authorization);
    if (!authorization) return error(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
    if (authorization.accessKeyId !== this.keys.accessKeyId) return error(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    const signed = authorization.signedHeaders;
    const acsHeaders = Object.keys(request.headers).filter((name) => name.startsWith('x-acs-'));
    const sortedLowercase = signed.every((name, i) => name === name.toLowerCase() && (i === 0 || signed[i - 1]! < name));
    if (!sortedLowercase || ![...REQUIRED_SIGNED, ...acsHeaders].every((name) => signed.includes(name))) {
      return error(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
    }
    const date = Date.parse(String(request.headers['x-acs-date']));
    if (!Number.isFinite(date) || Math.abs(Date.now() - date) > MAX_CLOCK_SKEW_MS) return error(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
    const expected = Buffer.from(expectedSignature({ method: request.method!, url: request.url!, headers: request.headers }, signed, body, this.keys.accessKeySecret));
    const given = Buffer.from(authorization.signature);
    // The body's hash is signed: a body changed on the way no longer matches the header, nor the signature.
    if (request.headers['x-acs-content-sha256'] !== sha256Hex(body) || !timingSafeEqual(expected, given)) {
      return error(400, 'SignatureDoesNotMatch', 'Specified signature does not match our calculation.');
    }
    const nonce = String(request.headers['x-acs-signature-nonce']);
    if (this.nonces.has(nonce)) return error(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    this.nonces.add(nonce);
    if (request.headers['x-acs-action'] !== 'Mobile3MetaDetailVerify' || request.headers['x-acs-version'] !== '2019-03-07') {
      return error(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
    }
    return undefined;
  }
}

function send(response: ServerResponse, reply: Reply): void {
  if (typeof reply.body === 'string') return void response.writeHead(reply.status, { 'content-type': 'text/html' }).end(reply.body);
  const body = { RequestId: randomUUID().toUpperCase(), ...reply.body, ...(reply.status === 200 ? {} : { HostId: 'cloudauth.aliyuncs.com' }) };
  response.writeHead(reply.status, { 'content-type': 'application/json;charset=utf-8' }).end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
