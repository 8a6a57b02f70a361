import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';

describe('configuration', () => {
  it('refuses to start in production without APP_SECRET and DATA_KEY, naming both', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production' }),
      (error: unknown) => error instanceof ConfigError && /APP_SECRET/.test(error.message) && /DATA_KEY/.test(error.message),
    );
  });

  it('refuses weak secrets and nonsense numbers', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production', APP_SECRET: 'c2hvcnQ=', DATA_KEY: 'k1:c2hvcnQ=' }), ConfigError);
    assert.throws(() => loadConfig({ NODE_ENV: 'production', APP_SECRET: randomBytes(32).toString('base64'), DATA_KEY: `k1:${randomBytes(32).toString('base64')}`, OTP_MAX_ATTEMPTS: 'five' }), /OTP_MAX_ATTEMPTS/);
  });

  it('generates development secrets once into DATA_DIR and reuses them', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'civic-config-'));
    const first = loadConfig({ DATA_DIR: dataDir });
    const second = loadConfig({ DATA_DIR: dataDir });
    assert.deepEqual(first.appSecret, second.appSecret);
    assert.equal(first.appSecret.length, 32);
    assert.ok(JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')).appSecret);
  });

  it('reads the passcode limits with the documented defaults', () => {
    const config = loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'civic-config-')), OTP_ID_DAILY_LIMIT: '3' });
    assert.deepEqual(
      { ...config.otp },
      { ttlSeconds: 300, resendSeconds: 60, maxAttempts: 5, idHourlyLimit: 5, idDailyLimit: 3, phoneHourlyLimit: 5, phoneDailyLimit: 10, ipHourlyLimit: 20, lockFailures: 10, lockSeconds: 86400 },
    );
  });
});
