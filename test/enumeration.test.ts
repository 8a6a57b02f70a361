import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { performance } from 'node:perf_hooks';
import { CryptoService } from '../src/common/crypto/crypto.service';
import { parseMobilePhone } from '../src/identity/phone';
import { newIdNumber, newPhone } from './support/identities';
import { startTestApp, TestApp } from './support/test-app';

const PER_KIND = 200;

interface Sample {
  status: number;
  keys: string;
  sentTo: string;
  ms: number;
}

describe('the passcode request does not reveal whether an ID is known or bound', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { OTP_ID_HOURLY_LIMIT: '1000', OTP_ID_DAILY_LIMIT: '1000' } });
  });
  after(() => t.close());

  /** Residents bound to a phone, written straight into the database. */
  async function boundResidents(count: number): Promise<Array<{ idNumber: string; phone: string }>> {
    const crypto = t.app.get(CryptoService);
    const residents = Array.from({ length: count }, () => ({ idNumber: newIdNumber(), phone: newPhone() }));
    for (const r of residents) {
      const e164 = parseMobilePhone(r.phone)!.e164;
      await t.dataSource.query('INSERT INTO resident (id_hash, id_cipher, phone_hash, phone_cipher, bound_at, created_at) VALUES ($1, $2, $3, $4, $5, $5)', [
        crypto.hash('id-number', r.idNumber),
        crypto.encrypt(r.idNumber),
        crypto.hash('phone', e164),
        crypto.encrypt(e164),
        new Date(),
      ]);
    }
    return residents;
  }

  async function sample(idNumber: string, phone: string): Promise<Sample> {
    const started = performance.now();
    const response = await t.api.post('/api/v1/auth/otp', { idNumber, phone });
    const ms = performance.now() - started;
    return { status: response.status, keys: Object.keys(response.body).sort().join(','), sentTo: String(response.body.sentTo).replace(/\d/g, '9'), ms };
  }

  it(`answers ${PER_KIND} requests each for bound, bound-to-another-phone and unknown IDs alike`, async (context) => {
    const bound = await boundResidents(PER_KIND);
    const otherPhone = await boundResidents(PER_KIND);
    const kinds: Record<string, Sample[]> = { bound: [], otherPhone: [], unknown: [] };
    // Interleaved, so that warm-up and background noise fall on every kind equally.
    for (let i = 0; i < PER_KIND; i++) {
      kinds.bound!.push(await sample(bound[i]!.idNumber, bound[i]!.phone));
      kinds.otherPhone!.push(await sample(otherPhone[i]!.idNumber, newPhone()));
      kinds.unknown!.push(await sample(newIdNumber(), newPhone()));
    }
    const shapes = new Set(Object.values(kinds).flat().map((s) => `${s.status}|${s.keys}|${s.sentTo}`));
    assert.deepEqual([...shapes], ['202|challengeId,expiresAt,resendAfter,sentTo|999****9999']);

    const mean = (samples: Sample[]) => samples.reduce((sum, s) => sum + s.ms, 0) / samples.length;
    const means = Object.fromEntries(Object.entries(kinds).map(([kind, samples]) => [kind, mean(samples)]));
    const spread = Math.max(...Object.values(means)) - Math.min(...Object.values(means));
    context.diagnostic(`mean ms: ${Object.entries(means).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}; largest difference ${spread.toFixed(2)} ms`);
    assert.ok(spread < 10, `mean time differs by ${spread.toFixed(2)} ms`);
  });
});
