import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCenter, createSlot } from './support/factories';
import { latestCode, signIn } from './support/residents';
import { bookFor, COUNTER_ENV, staffLogin, STAFF_PASSWORD, TEN_AM_SHANGHAI } from './support/staff';
import { startTestApp, TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

/** Everything the app logs at debug level. */
class Capture {
  text = '';
  write(chunk: string | Buffer): boolean {
    this.text += String(chunk);
    return true;
  }
}

describe('secrets never reach the log, even at debug level', () => {
  const clock = new TestClock(TEN_AM_SHANGHAI);
  const log = new Capture();
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ clock, env: COUNTER_ENV, logLevel: 'debug', logDestination: log });
  });
  after(() => t.close());

  it('a booking and the whole counter flow leave no ID, phone, passcode, token or password in the output', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow: 1 });
    const resident = await signIn(t.api);
    const appointment = await bookFor(t, resident, slot, service);
    const clerk = await staffLogin(t, { role: 'clerk', center, clock });
    const staff = { token: clerk.token };
    assert.equal((await t.api.get('/api/v1/staff/queue', staff)).status, 200);
    assert.equal((await t.api.post(`/api/v1/staff/appointments/${appointment.id}/ready`, undefined, staff)).status, 200);
    const challenge = await t.api.post(`/api/v1/staff/appointments/${appointment.id}/counter-otp`, undefined, staff);
    const counterCode = await latestCode(t.api, resident.phone);
    const checkIn = await t.api.post(`/api/v1/staff/appointments/${appointment.id}/check-in`, { method: 'otp', challengeId: challenge.body.challengeId, code: counterCode }, staff);
    assert.equal(checkIn.status, 200, checkIn.text);
    assert.equal((await t.api.post('/api/v1/staff/call-next', { counter: 1 }, staff)).status, 200);
    assert.equal((await t.api.post(`/api/v1/staff/appointments/${appointment.id}/fulfil`, { certificateSerial: 'GY-2026-424242' }, staff)).status, 200);
    const walkInId = resident.idNumber.replace(/.$/, '0');
    await t.api.post('/api/v1/staff/walk-ins', { idNumber: walkInId, serviceId: service.id }, staff);
    await t.api.post('/api/v1/staff/login', { username: clerk.username, password: `${STAFF_PASSWORD}-wrong` });

    assert.ok(log.text.includes('"level":20') || log.text.includes('request completed'), 'debug logging was on');
    const nationalPhone = resident.phone;
    const secrets = [resident.idNumber, nationalPhone, `+86${nationalPhone}`, counterCode, resident.token, clerk.token, STAFF_PASSWORD, 'GY-2026-424242'];
    for (const secret of secrets) assert.ok(!log.text.includes(secret), `found a secret in the log: ${secret.slice(0, 3)}…`);
  });
});
