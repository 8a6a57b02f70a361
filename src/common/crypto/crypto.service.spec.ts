import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { loadConfig } from '../../config/load-config';
import { CryptoService } from './crypto.service';

const env = (dataKey: string) => ({ NODE_ENV: 'production', APP_SECRET: randomBytes(32).toString('base64'), DATA_KEY: dataKey });

describe('CryptoService', () => {
  const key1 = `k1:${randomBytes(32).toString('base64')}`;
  const crypto = new CryptoService(loadConfig(env(key1)));

  it('encrypts with a key id and decrypts again; the same text never gives the same ciphertext', () => {
    const a = crypto.encrypt('52010219900101123X');
    const b = crypto.encrypt('52010219900101123X');
    assert.match(a, /^k1\./);
    assert.notEqual(a, b);
    assert.equal(crypto.decrypt(a), '52010219900101123X');
  });

  it('refuses a tampered ciphertext', () => {
    const sealed = crypto.encrypt('+8613812345678');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[raw.length - 1]! ^= 1;
    assert.throws(() => crypto.decrypt(`k1.${raw.toString('base64url')}`));
  });

  it('still reads data sealed with an older key after rotation', () => {
    const sealed = crypto.encrypt('old');
    const rotated = new CryptoService(loadConfig({ ...env(`k2:${randomBytes(32).toString('base64')},${key1}`), APP_SECRET: randomBytes(32).toString('base64') }));
    assert.match(rotated.encrypt('new'), /^k2\./);
    assert.equal(rotated.decrypt(sealed), 'old');
  });

  it('keys hashes by purpose', () => {
    assert.notDeepEqual(crypto.hash('id-number', '13812345678'), crypto.hash('phone', '13812345678'));
    assert.deepEqual(crypto.hash('phone', '13812345678'), crypto.hash('phone', '13812345678'));
  });
});
