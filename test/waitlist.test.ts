/**
 * The waitlist and the fair release of freed places, on a clock the test moves: a full day's
 * line, the SMS offer and its 15-minute hold, expiry and pass-on, leaving, the cool-down of
 * places nobody waits for, several sweeps at once, and shrinking capacity under holds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Service } from '../src/centers/service.entity';
import { Slot } from '../src/slots/slot.entity';
import { RetentionService } from '../src/lifecycle/retention.service';
import { WaitlistOffersService } from '../src/waitlist/waitlist-offers.service';
import { createCenter, createSlot, CenterFixture } from './support/factories';
import { signIn, SignedInResident } from './support/residents';
import { assertProblem, bookFor, outbox, staffLogin, TEN_AM_SHANGHAI } from './support/staff';
import { startTestApp, TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

const MINUTE = 60_000;

describe('waitlist, held places and the cool-down', () => {
  const clock = new TestClock(TEN_AM_SHANGHAI);
  let t: TestApp;
  let offers: WaitlistOffersService;

  before(async () => {
    t = await startTestApp({
      clock,
      // The sweep runs when the test says; sessions outlive the clock's jumps.
      env: { WAITLIST_SWEEP_SECONDS: '86400', RESIDENT_SESSION_IDLE_SECONDS: '86400', RESIDENT_SESSION_ABSOLUTE_SECONDS: '86400', NO_SHOW_SWEEP_SECONDS: '86400' },
    });
    offers = t.app.get(WaitlistOffersService);
  });
  after(() => t.close());

  /** A center whose only slot on the day after tomorrow has `capacity` places, all taken. */
  async function fullDay(capacity = 1): Promise<{ fixture: CenterFixture; slot: Slot; date: string; holders: Array<{ resident: SignedInResident; id: string }> }> {
    const fixture = await createCenter(t.dataSource);
    // 10:00 on 4 December, on the 15-minute grid of the center's hours whatever the clock says.
    const slot = await createSlot(t.dataSource, fixture.center.id, { now: TEN_AM_SHANGHAI, hoursFromNow: 48, capacity });
    const holders = [];
    for (let i = 0; i < capacity; i++) {
      const resident = await signIn(t.api);
      holders.push({ resident, id: (await bookFor(t, resident, slot, fixture.service)).id as string });
    }
    return { fixture, slot, date: '2026-12-04', holders };
  }

  const join = (resident: SignedInResident, fixture: CenterFixture, date: string, service: Service = fixture.service) =>
    t.api.post('/api/v1/waitlist', { centerId: fixture.center.id, serviceId: service.id, date }, { token: resident.token });

  const cancel = async (resident: SignedInResident, appointmentId: string): Promise<void> => {
    const response = await t.api.post(`/api/v1/appointments/${appointmentId}/cancel`, undefined, { token: resident.token });
    assert.equal(response.status, 200, response.text);
  };

  const entries = async (resident: SignedInResident): Promise<Array<Record<string, any>>> => {
    const response = await t.api.get('/api/v1/me/waitlist', { token: resident.token });
    assert.equal(response.status, 200, response.text);
    return response.body;
  };

  const remaining = async (fixture: CenterFixture, date: string): Promise<number> => {
    const response = await t.api.get(`/api/v1/centers/${fixture.center.id}/availability?serviceId=${fixture.service.id}&from=${date}&to=${date}`);
    assert.equal(response.status, 200, response.text);
    return (response.body as Array<{ remaining: number }>).reduce((sum, slot) => sum + slot.remaining, 0);
  };

  const offersTo = async (resident: SignedInResident): Promise<string[]> =>
    (await outbox(t, resident.phone)).map((message) => message.text).filter((text) => text.includes('/me/waitlist'));

  /** Every slot's counters equal what they count: appointments and holds. */
  async function assertCountersMatch(): Promise<void> {
    const broken = (await t.dataSource.query(
      `SELECT s.id, s.booked, s.held,
              (SELECT count(*)::int FROM appointment a WHERE a.slot_id = s.id AND a.status <> 'cancelled') AS appointments,
              (SELECT count(*)::int FROM slot_hold h WHERE h.slot_id = s.id) AS holds
         FROM slot s
        WHERE s.booked <> (SELECT count(*) FROM appointment a WHERE a.slot_id = s.id AND a.status <> 'cancelled')
           OR s.held <> (SELECT count(*) FROM slot_hold h WHERE h.slot_id = s.id)`,
    )) as unknown[];
    assert.deepEqual(broken, []);
  }

  it('refuses to wait where booking would do: a day with places (409), a day without slots (422), outside the window (422); unsigned 401', async () => {
    const fixture = await createCenter(t.dataSource);
    await createSlot(t.dataSource, fixture.center.id, { now: clock.now(), hoursFromNow: 48, capacity: 2 });
    const resident = await signIn(t.api);
    const open = await join(resident, fixture, '2026-12-04');
    assertProblem(open, 409, 'places_available');
    assert.equal(open.body.remaining, 2);
    assertProblem(await join(resident, fixture, '2026-12-05'), 422, 'day_closed');
    assertProblem(await join(resident, fixture, '2027-03-01'), 422, 'outside_booking_window');
    assertProblem(await join(resident, fixture, '2026-12-01'), 422, 'outside_booking_window');
    assertProblem(await join(resident, fixture, '2026-02-30'), 400, 'validation_failed');
    const anonymous = await t.api.post('/api/v1/waitlist', { centerId: fixture.center.id, serviceId: fixture.service.id, date: '2026-12-04' });
    assert.equal(anonymous.status, 401);
    assert.deepEqual(await entries(resident), []);
  });

  it('a freed place goes to the first in line with an SMS and a 15-minute hold; only they can claim it, and it becomes their appointment', async () => {
    const { fixture, slot, date, holders } = await fullDay();
    const [first, second] = [await signIn(t.api), await signIn(t.api)];
    const joined = await join(first!, fixture, date);
    assert.equal(joined.status, 201, joined.text);
    assert.deepEqual({ status: joined.body.status, position: joined.body.position, date: joined.body.date, offer: joined.body.offer }, { status: 'waiting', position: 1, date, offer: null });
    assert.equal((await join(second!, fixture, date)).body.position, 2);
    assertProblem(await join(first!, fixture, date), 409, 'already_waiting');

    await cancel(holders[0]!.resident, holders[0]!.id);
    assert.equal(await remaining(fixture, date), 0, 'the freed place is held, not public');
    const [mine] = await entries(first!);
    assert.equal(mine!.status, 'offered');
    assert.equal(mine!.offer.slotId, slot.id);
    assert.equal(Date.parse(mine!.offer.expiresAt) - clock.now().getTime(), 15 * MINUTE);
    const [sms] = await offersTo(first!);
    assert.ok(sms?.includes('15') && sms.includes('2026-12-04 10:00'), sms);
    assert.deepEqual(await offersTo(second!), [], 'the second in line is not offered anything');
    assert.equal((await entries(second!))[0]!.position, 2, 'the first, holding an offer, is still ahead');

    // Nobody else can take the held place: not by booking, not by claiming someone else's entry.
    const outsider = await signIn(t.api);
    assertProblem(await t.api.post('/api/v1/appointments', { slotId: slot.id, serviceId: fixture.service.id }, { token: outsider.token }), 409, 'slot_full');
    assertProblem(await t.api.post(`/api/v1/waitlist/${mine!.id}/claim`, undefined, { token: second!.token }), 404, 'not_found');
    assertProblem(await t.api.post(`/api/v1/waitlist/${(await entries(second!))[0]!.id}/claim`, undefined, { token: second!.token }), 409, 'no_offer_yet');

    clock.advance(14 * MINUTE);
    const claimed = await t.api.post(`/api/v1/waitlist/${mine!.id}/claim`, undefined, { token: first!.token });
    assert.equal(claimed.status, 201, claimed.text);
    assert.deepEqual({ slotId: claimed.body.slotId, status: claimed.body.status }, { slotId: slot.id, status: 'booked' });
    const [after] = await entries(first!);
    assert.deepEqual({ status: after!.status, appointmentId: after!.appointmentId }, { status: 'booked', appointmentId: claimed.body.id });
    assertProblem(await t.api.post(`/api/v1/waitlist/${mine!.id}/claim`, undefined, { token: first!.token }), 410, 'offer_expired');
    const [row] = (await t.dataSource.query('SELECT booked, held FROM slot WHERE id = $1', [slot.id])) as Array<{ booked: number; held: number }>;
    assert.deepEqual(row, { booked: 1, held: 0 });
    await assertCountersMatch();
  });

  it('an offer not claimed in 15 minutes passes to the next; with nobody left, the place returns to the public after its cool-down', async () => {
    const { fixture, date, holders } = await fullDay();
    const [first, second] = [await signIn(t.api), await signIn(t.api)];
    const firstEntry = (await join(first!, fixture, date)).body;
    await join(second!, fixture, date);
    await cancel(holders[0]!.resident, holders[0]!.id);
    assert.equal((await entries(first!))[0]!.status, 'offered');

    clock.advance(15 * MINUTE + 1000);
    assert.equal((await entries(first!))[0]!.status, 'expired', 'an offer past its time is shown ended even before the sweep');
    assertProblem(await t.api.post(`/api/v1/waitlist/${firstEntry.id}/claim`, undefined, { token: first!.token }), 410, 'offer_expired');
    assert.deepEqual(await offers.sweep(), { expired: 1, offered: 1, released: 0 });
    assert.equal((await entries(second!))[0]!.status, 'offered');
    assert.equal((await offersTo(second!)).length, 1);
    assert.equal(await remaining(fixture, date), 0);

    clock.advance(15 * MINUTE + 1000);
    assert.deepEqual(await offers.sweep(), { expired: 1, offered: 0, released: 1 }, 'the cool-down (10 min) is long over');
    assert.equal(await remaining(fixture, date), 1, 'back to the public');
    assert.deepEqual((await entries(second!)).map((e) => e.status), ['expired']);
    await assertCountersMatch();
  });

  it('leaving with an offer passes the place to the next in line at once', async () => {
    const { fixture, date, holders } = await fullDay();
    const [first, second] = [await signIn(t.api), await signIn(t.api)];
    const mine = (await join(first!, fixture, date)).body;
    await join(second!, fixture, date);
    await cancel(holders[0]!.resident, holders[0]!.id);
    assert.equal((await entries(first!))[0]!.status, 'offered');

    const left = await t.api.delete(`/api/v1/waitlist/${mine.id}`, { token: first!.token });
    assert.equal(left.status, 204, left.text);
    assert.equal((await entries(second!))[0]!.status, 'offered');
    assert.deepEqual((await entries(first!)).map((e) => e.status), ['left']);
    assertProblem(await t.api.delete(`/api/v1/waitlist/${mine.id}`, { token: first!.token }), 409, 'not_waiting');
    assertProblem(await t.api.delete(`/api/v1/waitlist/${mine.id}`, { token: second!.token }), 404, 'not_found');
    await assertCountersMatch();
  });

  it('a place freed with nobody waiting cools down for 10 minutes: not even its canceller can take it back meanwhile', async () => {
    const { fixture, slot, date, holders } = await fullDay();
    const [{ resident, id }] = holders as [{ resident: SignedInResident; id: string }];
    await cancel(resident, id);
    assert.equal(await remaining(fixture, date), 0);
    const again = { slotId: slot.id, serviceId: fixture.service.id };
    assertProblem(await t.api.post('/api/v1/appointments', again, { token: resident.token }), 409, 'slot_full');

    clock.advance(9 * MINUTE);
    assert.equal((await offers.sweep()).released, 0);
    assert.equal(await remaining(fixture, date), 0);

    // Someone joining during the cool-down is offered the cooling place at once.
    const waiter = await signIn(t.api);
    const joined = await join(waiter, fixture, date);
    assert.equal(joined.status, 201, joined.text);
    assert.equal(joined.body.status, 'offered');
    const left = await t.api.delete(`/api/v1/waitlist/${joined.body.id}`, { token: waiter.token });
    assert.equal(left.status, 204);

    clock.advance(2 * MINUTE);
    assert.equal((await offers.sweep()).released, 1);
    assert.equal(await remaining(fixture, date), 1);
    assert.equal((await t.api.post('/api/v1/appointments', again, { token: resident.token })).status, 201);
    await assertCountersMatch();
  });

  it('rescheduling away frees the old place the same way: the first in line is offered it', async () => {
    const { fixture, date, holders } = await fullDay();
    const elsewhere = await createSlot(t.dataSource, fixture.center.id, { now: clock.now(), hoursFromNow: 72, capacity: 1 });
    const waiter = await signIn(t.api);
    await join(waiter, fixture, date);
    const moved = await t.api.post(`/api/v1/appointments/${holders[0]!.id}/reschedule`, { slotId: elsewhere.id }, { token: holders[0]!.resident.token });
    assert.equal(moved.status, 200, moved.text);
    assert.equal((await entries(waiter))[0]!.status, 'offered');
    await assertCountersMatch();
  });

  it('several sweeps at once offer each place once, and each offer is sent once', async () => {
    const { fixture, date, holders } = await fullDay(3);
    const waiters = [await signIn(t.api), await signIn(t.api), await signIn(t.api), await signIn(t.api)];
    for (const waiter of waiters) assert.equal((await join(waiter, fixture, date)).status, 201);
    // Free the three places behind the app's back (as a crash between cancel and offer would leave them).
    await t.dataSource.query(`UPDATE appointment SET status = 'cancelled' WHERE id = ANY($1::uuid[])`, [holders.map((h) => h.id)]);
    await t.dataSource.query(
      `WITH s AS (SELECT slot_id FROM appointment WHERE id = $1)
       INSERT INTO slot_hold (slot_id, expires_at, cool_until, created_at) SELECT s.slot_id, $2, $2, $3 FROM s, generate_series(1, 3)`,
      [holders[0]!.id, new Date(clock.now().getTime() + 10 * MINUTE), clock.now()],
    );
    await t.dataSource.query('UPDATE slot SET booked = 0, held = 3 WHERE id = (SELECT slot_id FROM appointment WHERE id = $1)', [holders[0]!.id]);

    const sweeps = await Promise.all([offers.sweep(), offers.sweep(), offers.sweep()]);
    const offered = sweeps.reduce((sum, sweep) => sum + sweep.offered, await offers.offerHeldPlaces());
    assert.equal(offered, 3);
    const statuses = await Promise.all(waiters.map(async (w) => (await entries(w))[0]!.status));
    assert.deepEqual(statuses, ['offered', 'offered', 'offered', 'waiting'], 'first come, first offered');
    for (const waiter of waiters.slice(0, 3)) assert.equal((await offersTo(waiter)).length, 1);
    await assertCountersMatch();
  });

  it('new opening hours with fewer counters drop holds before bookings, and the offered resident is back in line', async () => {
    const { fixture, slot, date, holders } = await fullDay(2);
    const waiter = await signIn(t.api);
    await join(waiter, fixture, date);
    await cancel(holders[0]!.resident, holders[0]!.id);
    assert.equal((await entries(waiter))[0]!.status, 'offered');
    const admin = await staffLogin(t, { role: 'admin', clock });
    const hours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '24:00', counters: 1 }));
    const changed = await t.api.request('PUT', `/api/v1/admin/centers/${fixture.center.id}/opening-hours`, { hours, onBookings: 'refuse' }, { token: admin.token });
    assert.equal(changed.status, 200, changed.text);
    const [row] = (await t.dataSource.query('SELECT capacity, booked, held FROM slot WHERE id = $1', [slot.id])) as Array<{ capacity: number; booked: number; held: number }>;
    assert.deepEqual(row, { capacity: 1, booked: 1, held: 0 });
    assert.equal((await entries(waiter))[0]!.status, 'waiting');
    await assertCountersMatch();
  });

  it('a resident who books the service another way is skipped by offers; their entry never blocks the line', async () => {
    const { fixture, date, holders } = await fullDay();
    const [first, second] = [await signIn(t.api), await signIn(t.api)];
    await join(first!, fixture, date);
    await join(second!, fixture, date);
    const other = await createSlot(t.dataSource, fixture.center.id, { now: clock.now(), hoursFromNow: 96, capacity: 1 });
    await bookFor(t, first!, other, fixture.service);
    await cancel(holders[0]!.resident, holders[0]!.id);
    assert.equal((await entries(second!))[0]!.status, 'offered');
    assert.equal((await entries(first!))[0]!.status, 'waiting');
  });

  it('export lists the waitlist entries; erasing passes a held place to the next; retention removes entries once their day is over', async () => {
    const { fixture, date, holders } = await fullDay();
    const [first, second] = [await signIn(t.api), await signIn(t.api)];
    const mine = (await join(first!, fixture, date)).body;
    await join(second!, fixture, date);
    const exported = await t.api.get('/api/v1/me/export', { token: first!.token });
    assert.deepEqual(
      exported.body.waitlist.map((e: Record<string, unknown>) => [e.id, e.centerId, e.date, e.status]),
      [[mine.id, fixture.center.id, date, 'waiting']],
    );
    await cancel(holders[0]!.resident, holders[0]!.id);
    assert.equal((await entries(first!))[0]!.status, 'offered');

    assert.equal((await t.api.delete('/api/v1/me', { token: first!.token })).status, 204);
    const [{ n }] = (await t.dataSource.query('SELECT count(*)::int AS n FROM waitlist_entry WHERE id = $1', [mine.id])) as Array<{ n: number }>;
    assert.equal(n, 0, 'the entry is gone with the resident');
    await offers.sweep();
    assert.equal((await entries(second!))[0]!.status, 'offered', 'the place passed on');

    clock.advance(4 * 86_400_000);
    const report = await t.app.get(RetentionService).run();
    assert.ok(report!.waitlistEntries >= 1);
    const [{ left }] = (await t.dataSource.query('SELECT count(*)::int AS left FROM waitlist_entry WHERE day_ends_at < $1', [new Date(clock.now().getTime() - 86_400_000)])) as Array<{ left: number }>;
    assert.equal(left, 0);
    await assertCountersMatch();
  });
});
