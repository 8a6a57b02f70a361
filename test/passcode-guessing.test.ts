import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newIdNumber, newPhone } from './support/identities';
import { signIn } from './support/residents';
import { startTestApp, TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

describe('an attacker guessing passcodes for one ID', () => {
  const clock = new TestClock();
  let t: TestApp;
  before(async () => {
    // Production defaults for every passcode limit (the test app raises IP/phone limits and the resend wait).
    t = await startTestApp({ clock, env: { OTP_RESEND_SECONDS: '60', OTP_PHONE_HOURLY_LIMIT: '5', OTP_PHONE_DAILY_LIMIT: '10' } });
  });
  after(() => t.close());

  it('gets at most 5 guesses per code and 10 per ID per day: a success chance ≤ 10⁻⁵', async (context) => {
    const idNumber = newIdNumber();
    let guesses = 0;
    let codes = 0;
    // A day of trying, one round a minute: a new code (any phone), then 6 guesses at it.
    for (let minute = 0; minute < 24 * 60; minute += 1) {
      const requested = await t.api.post('/api/v1/auth/otp', { idNumber, phone: newPhone() });
      if (requested.status === 202) {
        codes += 1;
        for (let i = 0; i < 6; i++) {
          const guess = String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0');
          const answer = await t.api.post('/api/v1/auth/otp/verify', { challengeId: requested.body.challengeId, code: guess });
          if (answer.status === 401 || answer.status === 200) guesses += 1;
          assert.notEqual(answer.status, 500);
        }
      } else {
        assert.ok(requested.status === 429 || requested.status === 423, `got ${requested.status}`);
      }
      clock.advance(60_000);
    }
    const chance = guesses / 1_000_000;
    context.diagnostic(`${codes} codes issued, ${guesses} guesses evaluated in a day: success chance ${chance.toExponential(1)}`);
    assert.ok(guesses <= 10, `${guesses} guesses`);
    assert.ok(chance <= 1e-5);
  });

  it('every sign-in gets a fresh token, and no token the client brings is ever adopted', async () => {
    const first = await signIn(t.api);
    clock.advance(120_000);
    const second = await signIn(t.api, first.idNumber, first.phone);
    assert.notEqual(first.token, second.token);
    assert.equal((await t.api.get('/api/v1/me', { token: 'attacker-chosen-session-token' })).status, 401);
    assert.equal((await t.api.get('/api/v1/me', { headers: { cookie: 'civic_session=attacker-chosen-session-token' } })).status, 401);
    assert.equal((await t.api.get('/api/v1/me', { token: second.token })).status, 200);
  });
});
