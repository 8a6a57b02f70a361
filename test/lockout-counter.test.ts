import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCenter, createSlot } from './support/factories';
import { requestCode, signIn } from './support/residents';
import { bookFor, COUNTER_ENV, staffLogin, TEN_AM_SHANGHAI } from './support/staff';
import { startTestApp, TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

describe('the online lock never keeps a resident from the counter', () => {
  const clock = new TestClock(TEN_AM_SHANGHAI);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ clock, env: COUNTER_ENV });
  });
  after(() => t.close());

  it('checks in by ID card while online sign-in answers 423 locked', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow: 1 });
    const resident = await signIn(t.api);
    const appointment = await bookFor(t, resident, slot, service);

    // 10 wrong codes over two challenges lock online sign-in for this ID.
    for (let round = 0; round < 2; round++) {
      const challengeId = await requestCode(t.api, resident.idNumber, resident.phone);
      for (let i = 0; i < 5; i++) await t.api.post('/api/v1/auth/otp/verify', { challengeId, code: '000000' });
    }
    const locked = await t.api.post('/api/v1/auth/otp', { idNumber: resident.idNumber, phone: resident.phone });
    assert.equal(locked.status, 423);
    assert.equal(locked.body.code, 'locked');

    const clerk = await staffLogin(t, { role: 'clerk', center, clock });
    const checkedIn = await t.api.post(`/api/v1/staff/appointments/${appointment.id}/check-in`, { method: 'id-document', idNumber: resident.idNumber }, { token: clerk.token });
    assert.equal(checkedIn.status, 200, checkedIn.text);
    assert.equal(checkedIn.body.status, 'checked_in');
    assert.match(checkedIn.body.ticket, /^A-\d{3}$/);
  });
});
