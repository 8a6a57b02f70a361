/**
 * Caps against hoarding: a resident may make BOOKING_DAILY_CAP bookings within a rolling day
 * and BOOKING_WEEKLY_CAP within a rolling week, cancelled ones included (so cancel-and-rebook
 * cannot churn places); walk-ins made by clerks do not count.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCenter, createSlot, CenterFixture } from './support/factories';
import { signIn, SignedInResident } from './support/residents';
import { assertProblem, TEN_AM_SHANGHAI } from './support/staff';
import { startTestApp, TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

const DAY = 86_400_000;

describe('daily and weekly booking caps', () => {
  const clock = new TestClock(TEN_AM_SHANGHAI);
  let t: TestApp;
  let fixture: CenterFixture;

  before(async () => {
    t = await startTestApp({
      clock,
      env: { BOOKING_DAILY_CAP: '2', BOOKING_WEEKLY_CAP: '3', RELEASE_COOLDOWN_MINUTES: '0', RESIDENT_SESSION_IDLE_SECONDS: '864000', RESIDENT_SESSION_ABSOLUTE_SECONDS: '864000' },
    });
    fixture = await createCenter(t.dataSource, { bookingWindowDays: 14 });
  });
  after(() => t.close());

  async function bookAndCancel(resident: SignedInResident, hoursFromNow: number): Promise<number> {
    const slot = await createSlot(t.dataSource, fixture.center.id, { now: clock.now(), hoursFromNow });
    const booked = await t.api.post('/api/v1/appointments', { slotId: slot.id, serviceId: fixture.service.id }, { token: resident.token });
    if (booked.status === 201) {
      const cancelled = await t.api.post(`/api/v1/appointments/${booked.body.id}/cancel`, undefined, { token: resident.token });
      assert.equal(cancelled.status, 200, cancelled.text);
    }
    return booked.status;
  }

  it('the third booking within a day is refused (409 booking_cap_reached, with the caps), even when the first two were cancelled; the next day it works', async () => {
    const resident = await signIn(t.api);
    assert.equal(await bookAndCancel(resident, 30), 201);
    assert.equal(await bookAndCancel(resident, 31), 201);
    const slot = await createSlot(t.dataSource, fixture.center.id, { now: clock.now(), hoursFromNow: 32 });
    const third = await t.api.post('/api/v1/appointments', { slotId: slot.id, serviceId: fixture.service.id }, { token: resident.token });
    assertProblem(third, 409, 'booking_cap_reached');
    assert.deepEqual([third.body.dailyCap, third.body.weeklyCap], [2, 3]);
    const [{ booked }] = (await t.dataSource.query('SELECT booked FROM slot WHERE id = $1', [slot.id])) as Array<{ booked: number }>;
    assert.equal(booked, 0, 'nothing was taken');
    assert.equal((await signIn(t.api).then((other) => bookAndCancel(other, 33))), 201, 'another resident is not affected');

    clock.advance(DAY + 60_000);
    assert.equal(await bookAndCancel(resident, 30), 201, 'a day later: the third of the week');
    clock.advance(DAY + 60_000);
    assert.equal(await bookAndCancel(resident, 30), 409, 'the fourth within the week is refused');
    clock.advance(6 * DAY);
    assert.equal(await bookAndCancel(resident, 30), 201, 'a week after the first ones');
  });
});
