import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';

/** Why a keyed hash is taken: the same value hashed for two purposes gives unrelated results. */
export type HashPurpose = 'id-number' | 'phone' | 'email' | 'ip' | 'otp';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Keyed hashes (HMAC-SHA256 with APP_SECRET) for lookups, AES-256-GCM with a key id for the
 * few values that must be shown or exported again.
 */
@Injectable()
export class CryptoService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get currentKeyId(): string {
    return this.config.currentKeyId;
  }

  hash(purpose: HashPurpose, value: string): Buffer {
    return createHmac('sha256', this.config.appSecret).update(purpose).update('\0').update(value).digest();
  }

  /** `kid.base64url(iv ‖ tag ‖ ciphertext)` */
  encrypt(plain: string): string {
    const kid = this.config.currentKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key(kid), iv);
    cipher.setAAD(Buffer.from(kid));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${kid}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  decrypt(sealed: string): string {
    const [kid, payload] = sealed.split('.', 2);
    const raw = Buffer.from(payload ?? '', 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key(kid ?? ''), raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(kid ?? ''));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }

  /** A 256-bit random token for the client and the SHA-256 we keep of it. */
  newToken(): { token: string; hash: Buffer } {
    const token = randomBytes(32).toString('base64url');
    return { token, hash: this.tokenHash(token) };
  }

  tokenHash(token: string): Buffer {
    return createHash('sha256').update(token).digest();
  }

  equal(a: Buffer, b: Buffer): boolean {
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private key(kid: string): Buffer {
    const key = this.config.dataKeys.get(kid);
    if (!key) throw new Error(`No data key "${kid}" is configured`);
    return key;
  }
}
