/**
 * One clock: the rules that compare timestamps (booking caps, no-shows, retention, the
 * waitlist) hold when the app's clock is a year ahead of the database server's wall clock,
 * and a year behind it. Every compared timestamp is written from the app's clock, so the
 * database's own `now()` never takes part; the schema and the SQL are checked for it too.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RetentionService } from '../src/lifecycle/retention.service';
import { NoShowSweepService } from '../src/no-shows/no-show-sweep.service';
import { WaitlistOffersService } from '../src/waitlist/waitlist-offers.service';
import { createCenter, createSlot, CenterFixture } from './support/factories';
import { signIn, SignedInResident } from './support/residents';
import { assertProblem, bookFor } from './support/staff';
import { startTestApp, TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

/** 10:00 in Shanghai on the day `skew` away from the wall clock: on every center's 15-minute grid. */
function tenAmShanghai(skew: number): Date {
  const day = new Date(Date.now() + skew);
  day.setUTCHours(2, 0, 0, 0);
  return day;
}

const shanghaiDate = (instant: Date): string => new Date(instant.getTime() + 8 * HOUR).toISOString().slice(0, 10);

for (const [label, skew] of [['a year ahead of', YEAR], ['a year behind', -YEAR]] as const) {
  describe(`the app's clock ${label} the database's wall clock`, () => {
    const clock = new TestClock(tenAmShanghai(skew));
    let t: TestApp;
    let fixture: CenterFixture;

    before(async () => {
      t = await startTestApp({
        clock,
        env: {
          BOOKING_DAILY_CAP: '3',
          BOOKING_WEEKLY_CAP: '4',
          RELEASE_COOLDOWN_MINUTES: '0',
          // The jobs run when the test says; sessions outlive the clock's jumps.
          NO_SHOW_SWEEP_SECONDS: '86400',
          WAITLIST_SWEEP_SECONDS: '86400',
          RESIDENT_SESSION_IDLE_SECONDS: '8640000',
          RESIDENT_SESSION_ABSOLUTE_SECONDS: '8640000',
        },
      });
      fixture = await createCenter(t.dataSource);
    });
    after(() => t.close());

    const slotIn = (hoursFromNow: number, capacity = 3) => createSlot(t.dataSource, fixture.center.id, { now: clock.now(), hoursFromNow, capacity });
    const book = async (resident: SignedInResident, hoursFromNow: number) =>
      t.api.post('/api/v1/appointments', { slotId: (await slotIn(hoursFromNow)).id, serviceId: fixture.service.id }, { token: resident.token });
    const cancel = async (resident: SignedInResident, appointmentId: string) =>
      assert.equal((await t.api.post(`/api/v1/appointments/${appointmentId}/cancel`, undefined, { token: resident.token })).status, 200);

    it('booking caps count the bookings of the last day and week by the app’s clock', async () => {
      const resident = await signIn(t.api);
      for (const hours of [30, 31, 32]) {
        const booked = await book(resident, hours);
        assert.equal(booked.status, 201, booked.text);
        await cancel(resident, booked.body.id);
      }
      assertProblem(await book(resident, 33), 409, 'booking_cap_reached');
      clock.advance(DAY + MINUTE);
      const nextDay = await book(resident, 30);
      assert.equal(nextDay.status, 201, `a day later: ${nextDay.text}`);
      await cancel(resident, nextDay.body.id);
      assertProblem(await book(resident, 31), 409, 'booking_cap_reached');
    });

    it('no-shows: a booked slot becomes one 30 minutes after it ended, and three restrict booking', async () => {
      const resident = await signIn(t.api);
      const sweep = t.app.get(NoShowSweepService);
      for (let i = 0; i < 3; i++) {
        const slot = await slotIn(1);
        const appointment = await bookFor(t, resident, slot, fixture.service);
        clock.set(new Date(slot.endsAt.getTime() + 29 * MINUTE));
        await sweep.sweep();
        const [before] = (await t.dataSource.query('SELECT status FROM appointment WHERE id = $1', [appointment.id])) as Array<{ status: string }>;
        assert.equal(before!.status, 'booked', '29 minutes after the end: not yet');
        clock.set(new Date(slot.endsAt.getTime() + 31 * MINUTE));
        await sweep.sweep();
        const [afterGrace] = (await t.dataSource.query('SELECT status FROM appointment WHERE id = $1', [appointment.id])) as Array<{ status: string }>;
        assert.equal(afterGrace!.status, 'no_show');
      }
      assertProblem(await book(resident, 2), 403, 'booking_restricted');
      clock.advance(31 * DAY);
      assert.equal((await book(resident, 2)).status, 201, 'the restriction ends 30 days on');
    });

    it('retention removes passcodes older than a day and keeps the newer ones', async () => {
      await signIn(t.api);
      clock.advance(DAY + HOUR);
      const fresh = await signIn(t.api);
      const report = await t.app.get(RetentionService).run();
      assert.ok(report && report.challenges >= 1, 'the day-old passcode is gone');
      const [{ left }] = (await t.dataSource.query('SELECT count(*)::int AS left FROM otp_challenge')) as Array<{ left: number }>;
      assert.equal(left, 1, 'the passcode made just now stays');
      assert.equal((await t.api.get('/api/v1/me', { token: fresh.token })).status, 200);
    });

    it('the waitlist: a freed place goes to the first in line, and an unclaimed offer passes on after 15 minutes', async () => {
      const offers = t.app.get(WaitlistOffersService);
      const slot = await slotIn(48, 1);
      const holder = await signIn(t.api);
      const held = await bookFor(t, holder, slot, fixture.service);
      const [first, second] = [await signIn(t.api), await signIn(t.api)];
      for (const waiter of [first!, second!]) {
        const joined = await t.api.post('/api/v1/waitlist', { centerId: fixture.center.id, serviceId: fixture.service.id, date: shanghaiDate(slot.startsAt) }, { token: waiter.token });
        assert.equal(joined.status, 201, joined.text);
      }
      await cancel(holder, held.id);
      const statusOf = async (resident: SignedInResident) => ((await t.api.get('/api/v1/me/waitlist', { token: resident.token })).body as Array<{ status: string }>)[0]!.status;
      assert.deepEqual([await statusOf(first!), await statusOf(second!)], ['offered', 'waiting']);
      clock.advance(15 * MINUTE + 1000);
      assert.equal((await offers.sweep()).offered, 1);
      assert.deepEqual([await statusOf(first!), await statusOf(second!)], ['expired', 'offered']);
    });
  });
}

describe('no timestamp comes from the database’s clock', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('no column defaults to now() or another clock function', async () => {
    const rows = (await t.dataSource.query(
      `SELECT table_name, column_name, column_default FROM information_schema.columns
        WHERE table_schema = 'public' AND column_default ~* '(now|current_timestamp|clock_timestamp|statement_timestamp|transaction_timestamp|localtimestamp|current_date)'`,
    )) as unknown[];
    assert.deepEqual(rows, []);
  });

  it('no SQL in src/ (outside the migrations) reads the database’s clock', () => {
    const root = join(__dirname, '..', '..', 'src');
    const sources = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return name === 'migrations' ? [] : sources(path);
        return name.endsWith('.ts') ? [path] : [];
      });
    const offenders = sources(root).filter((file) => /(^|[^.\w])now\(\)|current_timestamp|clock_timestamp|statement_timestamp|transaction_timestamp|localtimestamp/i.test(
      readFileSync(file, 'utf8').replace(/\bnow\(\): Date/g, ''),
    ));
    assert.deepEqual(offenders, []);
  });
});
