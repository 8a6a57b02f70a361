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

  describe('the carrier verifier', () => {
    const production = { NODE_ENV: 'production', APP_SECRET: randomBytes(32).toString('base64'), DATA_KEY: `k1:${randomBytes(32).toString('base64')}` };
    const secret = 'verifier-secret-that-must-not-show';

    it('is off by default, pointed at the real cloudauth endpoint, with a 3 s timeout', () => {
      const { verifier } = loadConfig(production);
      assert.equal(verifier.provider, 'none');
      assert.equal(verifier.endpoint.href, 'https://cloudauth.aliyuncs.com/');
      assert.equal(verifier.timeoutMs, 3000);
      assert.equal(verifier.dailyLimit, 500);
    });

    it('stops a production start that names a verifier without its keys, saying which, never echoing the secret', () => {
      assert.throws(
        () => loadConfig({ ...production, VERIFIER: 'aliyun', VERIFIER_ACCESS_KEY_SECRET: secret }),
        (error: unknown) => error instanceof ConfigError && /VERIFIER=aliyun needs VERIFIER_ACCESS_KEY_ID and VERIFIER_ACCESS_KEY_SECRET/.test(error.message) && !error.message.includes(secret),
      );
      assert.throws(() => loadConfig({ ...production, VERIFIER: 'tencent' }), /VERIFIER must be one of none, aliyun/);
    });

    it('sends names only over https in production, and takes a loopback http stand-in in tests', () => {
      const keys = { VERIFIER: 'aliyun', VERIFIER_ACCESS_KEY_ID: 'id', VERIFIER_ACCESS_KEY_SECRET: secret };
      assert.throws(() => loadConfig({ ...production, ...keys, VERIFIER_ENDPOINT: 'http://cloudauth.aliyuncs.com' }), /VERIFIER_ENDPOINT must use https in production/);
      assert.throws(() => loadConfig({ ...production, ...keys, VERIFIER_ENDPOINT: 'https://cloudauth.aliyuncs.com/some/path' }), /VERIFIER_ENDPOINT must be a host/);
      assert.equal(loadConfig({ ...production, ...keys, VERIFIER_ENDPOINT: 'cloudauth.cn-shanghai.aliyuncs.com' }).verifier.endpoint.href, 'https://cloudauth.cn-shanghai.aliyuncs.com/');
      const test = loadConfig({ ...production, ...keys, NODE_ENV: 'test', VERIFIER_ENDPOINT: 'http://127.0.0.1:4321', VERIFIER_TIMEOUT_MS: '250', VERIFIER_DAILY_LIMIT: '3' });
      assert.deepEqual({ host: test.verifier.endpoint.host, protocol: test.verifier.endpoint.protocol, timeoutMs: test.verifier.timeoutMs, dailyLimit: test.verifier.dailyLimit }, { host: '127.0.0.1:4321', protocol: 'http:', timeoutMs: 250, dailyLimit: 3 });
    });
  });
});
