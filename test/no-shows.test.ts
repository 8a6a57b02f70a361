import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Center } from '../src/centers/center.entity';
import { Service } from '../src/centers/service.entity';
import { NoShowSweepService } from '../src/no-shows/no-show-sweep.service';
import { Slot } from '../src/slots/slot.entity';
import { createCenter, createSlot } from './support/factories';
import { signIn, SignedInResident } from './support/residents';
import { assertProblem, auditCount, bookFor, COUNTER_ENV, offerAnotherService, staffLogin, TEN_AM_SHANGHAI } from './support/staff';
import { TestClock } from './support/test-clock';
import { startTestApp, TestApp } from './support/test-app';

const MINUTE = 60_000;
const DAY = 86_400_000;

describe('no-shows: the sweep and the booking restriction', () => {
  const clock = new TestClock(TEN_AM_SHANGHAI);
  let t: TestApp;
  let sweep: () => Promise<number>;

  before(async () => {
    t = await startTestApp({ clock, env: COUNTER_ENV });
    const service = t.app.get(NoShowSweepService);
    sweep = () => service.sweep();
  });
  after(() => t.close());

  const slotIn = (center: Center, hoursFromNow: number): Promise<Slot> => createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow, capacity: 5 });
  const statusOf = async (id: string): Promise<string> => ((await t.dataSource.query('SELECT status FROM appointment WHERE id = $1', [id])) as Array<{ status: string }>)[0]!.status;
  /** Moves the clock to `minutes` after the slot's end. */
  const afterEnd = (slot: Slot, minutes: number): void => clock.set(new Date(slot.endsAt.getTime() + minutes * MINUTE));
  /** Signs the same resident in again (sessions end while the clock moves on). */
  const again = (resident: SignedInResident): Promise<SignedInResident> => signIn(t.api, resident.idNumber, resident.phone);
  const me = async (resident: SignedInResident): Promise<Record<string, any>> => {
    const response = await t.api.get('/api/v1/me', { token: resident.token });
    assert.equal(response.status, 200, response.text);
    return response.body;
  };
  const book = (resident: SignedInResident, slot: Slot, service: Service) =>
    t.api.post('/api/v1/appointments', { slotId: slot.id, serviceId: service.id }, { token: resident.token });

  it('a booked appointment is still booked 29 minutes after its slot ended, a no-show at 31', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slot = await slotIn(center, 1);
    const resident = await signIn(t.api);
    const appointment = await bookFor(t, resident, slot, service);
    const checkedInOwner = await signIn(t.api);
    const checkedIn = await bookFor(t, checkedInOwner, slot, service);
    const clerk = await staffLogin(t, { role: 'clerk', center, clock });
    const checkIn = await t.api.post(`/api/v1/staff/appointments/${checkedIn.id}/check-in`, { method: 'id-document', idNumber: checkedInOwner.idNumber }, { token: clerk.token });
    assert.equal(checkIn.status, 200, checkIn.text);
    const cancelledOwner = await signIn(t.api);
    const cancelled = await bookFor(t, cancelledOwner, slot, service);
    assert.equal((await t.api.post(`/api/v1/appointments/${cancelled.id}/cancel`, undefined, { token: cancelledOwner.token })).status, 200);

    afterEnd(slot, 29);
    await sweep();
    assert.equal(await statusOf(appointment.id), 'booked');

    afterEnd(slot, 31);
    assert.ok((await sweep()) >= 1);
    assert.equal(await statusOf(appointment.id), 'no_show');
    const seen = await t.api.get(`/api/v1/appointments/${appointment.id}`, { token: (await again(resident)).token });
    assert.equal(seen.body.status, 'no_show');
    // Only booked ones: a checked-in or cancelled appointment is left as it is.
    assert.equal(await statusOf(checkedIn.id), 'checked_in');
    assert.equal(await statusOf(cancelled.id), 'cancelled');
    assert.equal(await auditCount(t, 'appointment.no_show', appointment.id), 1);
    const [entry] = (await t.dataSource.query(`SELECT actor_type, center_id FROM audit_entry WHERE action = 'appointment.no_show' AND appointment_id = $1`, [appointment.id])) as Array<Record<string, string>>;
    assert.deepEqual(entry, { actor_type: 'system', center_id: center.id });
  });

  it('sweeping twice, or three times at once, marks each appointment once', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slot = await slotIn(center, 1);
    const first = await bookFor(t, await signIn(t.api), slot, service);
    afterEnd(slot, 31);
    await sweep();
    await sweep();
    assert.equal(await statusOf(first.id), 'no_show');
    assert.equal(await auditCount(t, 'appointment.no_show', first.id), 1);

    const later = await slotIn(center, 1);
    const many = [];
    for (let i = 0; i < 5; i++) many.push(await bookFor(t, await signIn(t.api), later, service));
    afterEnd(later, 31);
    const marked = await Promise.all([sweep(), sweep(), sweep()]);
    assert.equal(marked.reduce((sum, n) => sum + n, 0), 5, `the sweeps marked ${marked.join(' + ')}`);
    for (const appointment of many) {
      assert.equal(await statusOf(appointment.id), 'no_show');
      assert.equal(await auditCount(t, 'appointment.no_show', appointment.id), 1);
    }
    assert.equal(await sweep(), 0);
  });

  it('3 no-shows within 90 days restrict booking for 30 days (GET /me restrictedUntil, 403 booking_restricted); afterwards booking works again', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const second = await offerAnotherService(t, center);
    let resident = await signIn(t.api);

    // Two no-shows: not yet restricted.
    const s1 = await slotIn(center, 1);
    const s2 = await slotIn(center, 2);
    const n1 = await bookFor(t, resident, s1, service);
    const n2 = await bookFor(t, resident, s2, second);
    afterEnd(s2, 31);
    await sweep();
    assert.deepEqual([await statusOf(n1.id), await statusOf(n2.id)], ['no_show', 'no_show']);
    resident = await again(resident);
    assert.equal((await me(resident)).restrictedUntil, null);

    // The third.
    const s3 = await slotIn(center, 1);
    const n3 = await bookFor(t, resident, s3, service);
    afterEnd(s3, 31);
    await sweep();
    assert.equal(await statusOf(n3.id), 'no_show');
    const sweptAt = clock.now();
    resident = await again(resident);
    const restrictedUntil = (await me(resident)).restrictedUntil as string;
    assert.ok(restrictedUntil, 'no restriction after 3 no-shows');
    assert.ok(Math.abs(Date.parse(restrictedUntil) - (sweptAt.getTime() + 30 * DAY)) < MINUTE, `restrictedUntil ${restrictedUntil}`);
    const refused = await book(resident, await slotIn(center, 2), service);
    assertProblem(refused, 403, 'booking_restricted');
    assert.equal(await auditCount(t, 'resident.booking_restricted'), 1);

    // 29 days on: still restricted. 31 days on: free to book.
    clock.set(new Date(sweptAt.getTime() + 29 * DAY));
    resident = await again(resident);
    assertProblem(await book(resident, await slotIn(center, 2), service), 403, 'booking_restricted');
    clock.set(new Date(sweptAt.getTime() + 31 * DAY));
    resident = await again(resident);
    const booked = await book(resident, await slotIn(center, 2), service);
    assert.equal(booked.status, 201, booked.text);
    assert.equal((await t.api.post(`/api/v1/appointments/${booked.body.id}/cancel`, undefined, { token: resident.token })).status, 200);
  });

  it('no-shows older than 90 days do not count', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const second = await offerAnotherService(t, center);
    let resident = await signIn(t.api);
    const s1 = await slotIn(center, 1);
    const s2 = await slotIn(center, 2);
    const n1 = await bookFor(t, resident, s1, service);
    const n2 = await bookFor(t, resident, s2, second);
    afterEnd(s2, 31);
    await sweep();
    assert.deepEqual([await statusOf(n1.id), await statusOf(n2.id)], ['no_show', 'no_show']);

    clock.set(new Date(s1.startsAt.getTime() + 91 * DAY));
    resident = await again(resident);
    const s3 = await slotIn(center, 1);
    const n3 = await bookFor(t, resident, s3, service);
    afterEnd(s3, 31);
    await sweep();
    assert.equal(await statusOf(n3.id), 'no_show');
    resident = await again(resident);
    assert.equal((await me(resident)).restrictedUntil, null);
    const booked = await book(resident, await slotIn(center, 2), service);
    assert.equal(booked.status, 201, booked.text);
    assert.equal((await t.api.post(`/api/v1/appointments/${booked.body.id}/cancel`, undefined, { token: resident.token })).status, 200);
  });

  it('a no-show recorded by hand counts toward the restriction too', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const second = await offerAnotherService(t, center);
    const third = await offerAnotherService(t, center);
    let resident = await signIn(t.api);
    const s1 = await slotIn(center, 1);
    const n1 = await bookFor(t, resident, s1, service);
    const n2 = await bookFor(t, resident, s1, second);
    const byHand = await bookFor(t, resident, s1, third);
    afterEnd(s1, 31);
    // The clerk marks one before the sweep does the other two.
    const clerk = await staffLogin(t, { role: 'clerk', center, clock });
    assert.equal((await t.api.post(`/api/v1/staff/appointments/${byHand.id}/no-show`, undefined, { token: clerk.token })).status, 200);
    await sweep();
    assert.deepEqual([await statusOf(n1.id), await statusOf(n2.id), await statusOf(byHand.id)], ['no_show', 'no_show', 'no_show']);
    assert.equal(await auditCount(t, 'appointment.no_show', byHand.id), 1);
    resident = await again(resident);
    assert.ok((await me(resident)).restrictedUntil);
    assertProblem(await book(resident, await slotIn(center, 2), service), 403, 'booking_restricted');
  });
});
