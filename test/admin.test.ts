import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CryptoService } from '../src/common/crypto/crypto.service';
import { createCenter, createService } from './support/factories';
import { ApiResponse } from './support/http';
import { newIdNumber, newPhone } from './support/identities';
import { latestCode, requestCode, signIn, SignedInResident } from './support/residents';
import { assertProblem, auditCount, bookFor, newUsername, outbox, postStaffLogin, staffLogin, StaffSession, totpCode } from './support/staff';
import { startTestApp, TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

/** Monday 2026-12-07, 10:00 in Guiyang (UTC+8). Tomorrow is Tuesday the 8th. */
const NOW = new Date('2026-12-07T02:00:00Z');
const TOMORROW = '2026-12-08';
const DAY_AFTER = '2026-12-09';
const at = (date: string, time: string): string => new Date(`${date}T${time}:00+08:00`).toISOString();
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
const hoursOf = (opens: string, closes: string, counters: number) => EVERY_DAY.map((weekday) => ({ weekday, opens, closes, counters }));

/** A request with a body sent exactly as given (CSV, oversized bodies). */
async function sendRaw(baseUrl: string, method: string, path: string, options: { headers: Record<string, string>; body: string }): Promise<{ status: number; text: string }> {
  const response = await fetch(`${baseUrl}${path}`, { method, headers: options.headers, body: options.body });
  return { status: response.status, text: await response.text() };
}

let codes = 0;
const newCode = (prefix: string): string => `${prefix}-${process.pid}-${++codes}`;

interface SlotRow {
  id: string;
  starts_at: Date;
  capacity: number;
  booked: number;
}

describe('administration API', () => {
  const clock = new TestClock(NOW);
  let t: TestApp;
  let admin: StaffSession;

  before(async () => {
    // Places freed by residents here are public again at once: the cool-down has its own tests (waitlist.test.ts).
    t = await startTestApp({ clock, env: { RELEASE_COOLDOWN_MINUTES: '0' } });
    admin = await staffLogin(t, { role: 'admin', clock });
  });
  after(() => t.close());

  /** An admin API call, as the admin unless another session (or none: null) is given. */
  const call = (method: string, path: string, body?: unknown, token: string | null = admin.token): Promise<ApiResponse> =>
    t.api.request(method, `/api/v1/admin${path}`, body, { token: token ?? undefined });

  /** A center made through the API: one service, open every day 09:00–12:00 in 30-minute slots. */
  async function setUpCenter(counters = 3): Promise<{ centerId: string; code: string; serviceId: string }> {
    const code = newCode('ADM');
    const created = await call('POST', '/centers', {
      code,
      name: { zh: '管理测试中心', en: 'Admin Test Center' },
      address: '贵阳市测试路 2 号',
      timezone: 'Asia/Shanghai',
      slotMinutes: 30,
      bookingWindowDays: 3,
      releaseTime: '00:00',
    });
    assert.equal(created.status, 201, created.text);
    const service = await createService(t.dataSource);
    const offered = await call('PUT', `/centers/${created.body.id}/services`, { serviceIds: [service.id] });
    assert.equal(offered.status, 200, offered.text);
    const hours = await call('PUT', `/centers/${created.body.id}/opening-hours`, { hours: hoursOf('09:00', '12:00', counters), onBookings: 'refuse' });
    assert.equal(hours.status, 200, hours.text);
    return { centerId: created.body.id, code, serviceId: service.id };
  }

  const slotsOf = (centerId: string): Promise<SlotRow[]> =>
    t.dataSource.query('SELECT id, starts_at, capacity, booked FROM slot WHERE center_id = $1 ORDER BY starts_at', [centerId]);

  async function slotAt(centerId: string, iso: string): Promise<SlotRow> {
    const [slot] = (await t.dataSource.query('SELECT id, starts_at, capacity, booked FROM slot WHERE center_id = $1 AND starts_at = $2', [centerId, iso])) as SlotRow[];
    assert.ok(slot, `no slot at ${iso}`);
    return slot;
  }

  /** Every slot's counter equals its non-cancelled appointments. */
  async function assertCountersMatch(centerId: string): Promise<void> {
    const drift = (await t.dataSource.query(
      `SELECT s.id, s.booked, count(a.id)::int AS appointments FROM slot s
         LEFT JOIN appointment a ON a.slot_id = s.id AND a.status <> 'cancelled'
        WHERE s.center_id = $1 GROUP BY s.id, s.booked HAVING s.booked <> count(a.id)`,
      [centerId],
    )) as unknown[];
    assert.deepEqual(drift, [], 'slot counters match the appointments');
  }

  const statusOf = async (appointmentId: string): Promise<string> =>
    ((await t.dataSource.query('SELECT status FROM appointment WHERE id = $1', [appointmentId])) as Array<{ status: string }>)[0]!.status;

  /** SMS messages to this phone that tell of a cancellation by the center. */
  const cancellationsFor = async (phone: string): Promise<Array<{ text: string }>> =>
    (await outbox(t, phone)).filter((message) => message.text.includes('/book/'));

  describe('centers', () => {
    it('creates, lists, reads and changes a center; a plain-string address stands for both languages', async () => {
      const code = newCode('NEW');
      const created = await call('POST', '/centers', { code, name: { zh: '新中心', en: 'New Center' }, address: '新路 1 号', timezone: 'Asia/Urumqi', slotMinutes: 20, bookingWindowDays: 7, releaseTime: '08:00' });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(
        { ...created.body, id: undefined },
        {
          id: undefined,
          code,
          name: { zh: '新中心', en: 'New Center' },
          address: { zh: '新路 1 号', en: '新路 1 号' },
          timezone: 'Asia/Urumqi',
          slotMinutes: 20,
          bookingWindowDays: 7,
          releaseTime: '08:00',
          hours: [],
          services: [],
          closures: [],
        },
      );
      const defaults = await call('POST', '/centers', { code: newCode('DEF'), name: { zh: '默认', en: 'Defaults' }, address: { zh: '地址', en: 'Address' } });
      assert.equal(defaults.status, 201, defaults.text);
      assert.deepEqual([defaults.body.timezone, defaults.body.slotMinutes, defaults.body.bookingWindowDays, defaults.body.releaseTime], ['Asia/Shanghai', 15, 14, '00:00']);

      const list = await call('GET', '/centers');
      assert.equal(list.status, 200);
      assert.ok(list.body.some((c: { id: string }) => c.id === created.body.id));
      const one = await call('GET', `/centers/${created.body.id}`);
      assert.equal(one.status, 200);
      assert.equal(one.body.code, code);

      const renamed = await call('PATCH', `/centers/${created.body.id}`, { name: { zh: '改名中心', en: 'Renamed Center' }, address: { zh: '新地址', en: 'New address' } });
      assert.equal(renamed.status, 200, renamed.text);
      assert.deepEqual([renamed.body.name.en, renamed.body.address.zh, renamed.body.timezone], ['Renamed Center', '新地址', 'Asia/Urumqi']);
      const moved = await call('PATCH', `/centers/${created.body.id}`, { address: '搬家路 3 号', releaseTime: '07:30', bookingWindowDays: 10 });
      assert.equal(moved.status, 200, moved.text);
      assert.deepEqual([moved.body.address, moved.body.releaseTime, moved.body.bookingWindowDays], [{ zh: '搬家路 3 号', en: '搬家路 3 号' }, '07:30', 10]);
      assert.ok((await auditCount(t, 'admin.center.create')) >= 2);
      assert.ok((await auditCount(t, 'admin.center.update')) >= 1);
    });

    it('refuses a duplicate code (409 duplicate_code), bad settings (400) and unknown centers (404)', async () => {
      const code = newCode('DUP');
      const first = await call('POST', '/centers', { code, name: { zh: '甲', en: 'A' }, address: 'x' });
      assert.equal(first.status, 201, first.text);
      assertProblem(await call('POST', '/centers', { code, name: { zh: '乙', en: 'B' }, address: 'y' }), 409, 'duplicate_code');
      const other = await call('POST', '/centers', { code: newCode('DUP'), name: { zh: '丙', en: 'C' }, address: 'z' });
      assertProblem(await call('PATCH', `/centers/${other.body.id}`, { code }), 409, 'duplicate_code');

      const valid = { code: newCode('BAD'), name: { zh: '丁', en: 'D' }, address: 'w' };
      assertProblem(await call('POST', '/centers', { ...valid, timezone: 'Mars/Olympus' }), 400, 'validation_failed');
      assertProblem(await call('POST', '/centers', { ...valid, releaseTime: '25:00' }), 400, 'validation_failed');
      assertProblem(await call('POST', '/centers', { ...valid, slotMinutes: 0 }), 400, 'validation_failed');
      assertProblem(await call('POST', '/centers', { ...valid, code: 'has space' }), 400, 'validation_failed');
      assertProblem(await call('POST', '/centers', { ...valid, name: { zh: '丁' } }), 400, 'validation_failed');
      assertProblem(await call('POST', '/centers', { ...valid, extra: true }), 400, 'validation_failed');
      assertProblem(await call('PATCH', `/centers/${randomUUID()}`, { name: { zh: '无', en: 'None' } }), 404, 'not_found');
      assertProblem(await call('GET', `/centers/${randomUUID()}`), 404, 'not_found');
    });

    it('a new slot length that moves a booked slot is refused unless the admin cancels and notifies', async () => {
      const { centerId, serviceId } = await setUpCenter();
      const resident = await signIn(t.api);
      const booked = await bookFor(t, resident, await slotAt(centerId, at(TOMORROW, '09:30')), { id: serviceId });
      const refused = await call('PATCH', `/centers/${centerId}`, { slotMinutes: 60 });
      assertProblem(refused, 409, 'bookings_affected');
      assert.deepEqual(refused.body.slots.map((s: { startsAt: string; booked: number; newCapacity: number }) => [s.startsAt, s.booked, s.newCapacity]), [['2026-12-08T09:30:00.000+08:00', 1, 0]]);
      assert.equal((await call('GET', `/centers/${centerId}`)).body.slotMinutes, 30, 'nothing changed');

      const changed = await call('PATCH', `/centers/${centerId}`, { slotMinutes: 60, onBookings: 'cancel-and-notify' });
      assert.equal(changed.status, 200, changed.text);
      assert.equal(changed.body.slotMinutes, 60);
      assert.equal(await statusOf(booked.id), 'cancelled');
      assert.equal((await cancellationsFor(resident.phone)).length, 1);
      const tomorrow = (await slotsOf(centerId)).filter((s) => s.starts_at.toISOString().startsWith('2026-12-08') || s.starts_at.toISOString().startsWith('2026-12-07T2'));
      const bookable = tomorrow.filter((s) => s.capacity > 0).map((s) => s.starts_at.toISOString());
      assert.deepEqual(bookable, [at(TOMORROW, '09:00'), at(TOMORROW, '10:00'), at(TOMORROW, '11:00')]);
      await assertCountersMatch(centerId);
    });
  });

  describe('services', () => {
    it('creates, lists and changes services; refuses duplicates and nonsense', async () => {
      const code = newCode('AS');
      const body = { code, name: { zh: '居住证明', en: 'Residence certificate' }, requiredDocuments: [{ zh: '身份证', en: 'ID card' }], leadTimeHours: 24, active: true };
      const created = await call('POST', '/services', body);
      assert.equal(created.status, 201, created.text);
      assert.deepEqual({ ...created.body, id: undefined }, { ...body, id: undefined });
      assertProblem(await call('POST', '/services', body), 409, 'duplicate_code');
      assertProblem(await call('POST', '/services', { ...body, code: newCode('AS'), leadTimeHours: -1 }), 400, 'validation_failed');
      assertProblem(await call('POST', '/services', { ...body, code: newCode('AS'), requiredDocuments: [{ zh: '只有中文' }] }), 400, 'validation_failed');
      const plain = await call('POST', '/services', { ...body, code: newCode('AS'), requiredDocuments: ['  户口簿 Household register  ', { zh: '照片', en: 'Photo' }] });
      assert.equal(plain.status, 201, plain.text);
      assert.deepEqual(plain.body.requiredDocuments, [{ zh: '户口簿 Household register', en: '户口簿 Household register' }, { zh: '照片', en: 'Photo' }], 'a plain string means the same text in both languages');
      assertProblem(await call('POST', '/services', { ...body, code: newCode('AS'), requiredDocuments: [''] }), 400, 'validation_failed');
      assertProblem(await call('POST', '/services', { ...body, code: newCode('AS'), requiredDocuments: [42] }), 400, 'validation_failed');

      const changed = await call('PATCH', `/services/${created.body.id}`, { active: false, leadTimeHours: 48 });
      assert.equal(changed.status, 200, changed.text);
      assert.deepEqual([changed.body.active, changed.body.leadTimeHours, changed.body.code], [false, 48, code]);
      const other = await call('POST', '/services', { ...body, code: newCode('AS') });
      assertProblem(await call('PATCH', `/services/${other.body.id}`, { code }), 409, 'duplicate_code');
      assertProblem(await call('PATCH', `/services/${randomUUID()}`, { active: true }), 404, 'not_found');
      const list = await call('GET', '/services');
      assert.equal(list.status, 200);
      assert.ok(list.body.some((s: { id: string; active: boolean }) => s.id === created.body.id && s.active === false));
    });

    it('sets which services a center offers, keeping the lead time of those that stay', async () => {
      const { center, service: kept } = await createCenter(t.dataSource);
      await t.dataSource.query('UPDATE center_service SET lead_time_hours = 48 WHERE center_id = $1 AND service_id = $2', [center.id, kept.id]);
      const added = await createService(t.dataSource);
      const both = await call('PUT', `/centers/${center.id}/services`, { serviceIds: [kept.id, added.id] });
      assert.equal(both.status, 200, both.text);
      const leadTimes = Object.fromEntries(both.body.services.map((s: { serviceId: string; leadTimeHours: number | null }) => [s.serviceId, s.leadTimeHours]));
      assert.deepEqual(leadTimes, { [kept.id]: 48, [added.id]: null });
      const publicList = await t.api.get(`/api/v1/centers/${center.id}/services`);
      assert.deepEqual(publicList.body.map((s: { id: string }) => s.id).sort(), [kept.id, added.id].sort());

      const one = await call('PUT', `/centers/${center.id}/services`, { serviceIds: [added.id] });
      assert.deepEqual(one.body.services.map((s: { serviceId: string }) => s.serviceId), [added.id]);
      assertProblem(await call('PUT', `/centers/${center.id}/services`, { serviceIds: [randomUUID()] }), 404, 'not_found');
      assertProblem(await call('PUT', `/centers/${center.id}/services`, { serviceIds: ['not-a-uuid'] }), 400, 'validation_failed');
      assertProblem(await call('PUT', `/centers/${randomUUID()}/services`, { serviceIds: [] }), 404, 'not_found');
    });
  });

  describe('opening hours', () => {
    it('replaces the hours and generates the window’s slots; refuses overlapping or impossible periods', async () => {
      const { centerId } = await setUpCenter();
      const view = await call('GET', `/centers/${centerId}`);
      assert.deepEqual(view.body.hours.filter((h: { weekday: number }) => h.weekday === 2), [{ weekday: 2, opens: '09:00', closes: '12:00', counters: 3 }]);
      const tomorrow = (await slotsOf(centerId)).filter((s) => s.starts_at >= new Date(at(TOMORROW, '00:00')) && s.starts_at < new Date(at(DAY_AFTER, '00:00')));
      assert.deepEqual(tomorrow.map((s) => [s.starts_at.toISOString(), s.capacity]), ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30'].map((time) => [at(TOMORROW, time), 3]));

      const evening = await call('PUT', `/centers/${centerId}/opening-hours`, { hours: [...hoursOf('09:00', '12:00', 3), { weekday: 2, opens: '23:00', closes: '24:00', counters: 1 }] });
      assert.equal(evening.status, 200, evening.text);
      assert.equal((await slotAt(centerId, at(TOMORROW, '23:30'))).capacity, 1, '24:00 is the end of the day');

      const base = { hours: hoursOf('09:00', '12:00', 3), onBookings: 'refuse' };
      assertProblem(await call('PUT', `/centers/${centerId}/opening-hours`, { ...base, hours: [{ weekday: 1, opens: '09:00', closes: '12:00', counters: 1 }, { weekday: 1, opens: '11:00', closes: '13:00', counters: 1 }] }), 400, 'validation_failed');
      assertProblem(await call('PUT', `/centers/${centerId}/opening-hours`, { ...base, hours: [{ weekday: 8, opens: '09:00', closes: '12:00', counters: 1 }] }), 400, 'validation_failed');
      assertProblem(await call('PUT', `/centers/${centerId}/opening-hours`, { ...base, hours: [{ weekday: 1, opens: '12:00', closes: '09:00', counters: 1 }] }), 400, 'validation_failed');
      assertProblem(await call('PUT', `/centers/${centerId}/opening-hours`, { ...base, hours: [{ weekday: 1, opens: '09:00', closes: '12:00', counters: 0 }] }), 400, 'validation_failed');
      assertProblem(await call('PUT', `/centers/${centerId}/opening-hours`, { ...base, onBookings: 'maybe' }), 400, 'validation_failed');
      assertProblem(await call('PUT', `/centers/${randomUUID()}/opening-hours`, base), 404, 'not_found');
    });

    it('fewer counters than bookings: "refuse" answers 409 with the slots and changes nothing at all', async () => {
      const { centerId, serviceId } = await setUpCenter(3);
      const full = await slotAt(centerId, at(TOMORROW, '09:00'));
      const partly = await slotAt(centerId, at(TOMORROW, '09:30'));
      const residents: SignedInResident[] = [];
      for (let i = 0; i < 3; i++) residents.push(await signIn(t.api));
      for (const resident of residents) await bookFor(t, resident, full, { id: serviceId });
      await bookFor(t, await signIn(t.api), partly, { id: serviceId });
      const before = await slotsOf(centerId);
      const auditsBefore = await auditCount(t, 'admin.center.hours');

      const refused = await call('PUT', `/centers/${centerId}/opening-hours`, { hours: hoursOf('09:00', '12:00', 1), onBookings: 'refuse' });
      assertProblem(refused, 409, 'bookings_affected');
      assert.deepEqual(refused.body.slots, [{ slotId: full.id, startsAt: '2026-12-08T09:00:00.000+08:00', booked: 3, newCapacity: 1 }]);

      const closesEarly = await call('PUT', `/centers/${centerId}/opening-hours`, { hours: hoursOf('10:00', '12:00', 3) });
      assertProblem(closesEarly, 409, 'bookings_affected');
      assert.deepEqual(
        closesEarly.body.slots.map((s: { slotId: string; booked: number; newCapacity: number }) => [s.slotId, s.booked, s.newCapacity]).sort(),
        [[full.id, 3, 0], [partly.id, 1, 0]].sort(),
        'refuse is the default; slots that would disappear are listed with capacity 0',
      );

      assert.deepEqual(await slotsOf(centerId), before, 'no slot changed');
      assert.deepEqual((await call('GET', `/centers/${centerId}`)).body.hours, hoursOf('09:00', '12:00', 3));
      assert.equal(await auditCount(t, 'admin.center.hours'), auditsBefore);
      for (const resident of residents) assert.deepEqual(await cancellationsFor(resident.phone), []);
      const [{ n }] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM appointment WHERE center_id = $1 AND status = 'cancelled'`, [centerId])) as Array<{ n: number }>;
      assert.equal(n, 0);
    });

    it('"cancel-and-notify" cancels the latest-booked excess, frees each place once and tells each resident once', async () => {
      const { centerId, code, serviceId } = await setUpCenter(3);
      const full = await slotAt(centerId, at(TOMORROW, '09:00'));
      const other = await slotAt(centerId, at(TOMORROW, '10:00'));
      const [first, second, third, quitter, elsewhere] = [await signIn(t.api), await signIn(t.api), await signIn(t.api), await signIn(t.api), await signIn(t.api)];
      // The quitter booked and cancelled before the change: their place was freed already.
      const quit = await bookFor(t, quitter!, full, { id: serviceId });
      assert.equal((await t.api.post(`/api/v1/appointments/${quit.id}/cancel`, undefined, { token: quitter!.token })).status, 200);
      // "Latest-booked" is by the app's clock, which the test moves a second between bookings.
      const a1 = await bookFor(t, first!, full, { id: serviceId });
      clock.advance(1000);
      const a2 = await bookFor(t, second!, full, { id: serviceId });
      clock.advance(1000);
      const a3 = await bookFor(t, third!, full, { id: serviceId });
      const kept = await bookFor(t, elsewhere!, other, { id: serviceId });

      const changed = await call('PUT', `/centers/${centerId}/opening-hours`, { hours: hoursOf('09:00', '12:00', 1), onBookings: 'cancel-and-notify' });
      assert.equal(changed.status, 200, changed.text);
      assert.equal(changed.body.cancelledAppointments, 2);
      assert.deepEqual(changed.body.center.hours, hoursOf('09:00', '12:00', 1));

      assert.deepEqual([await statusOf(a1.id), await statusOf(a2.id), await statusOf(a3.id), await statusOf(kept.id)], ['booked', 'cancelled', 'cancelled', 'booked']);
      assert.deepEqual([(await slotAt(centerId, full.starts_at.toISOString())).capacity, (await slotAt(centerId, full.starts_at.toISOString())).booked], [1, 1]);
      assert.ok((await slotsOf(centerId)).filter((s) => s.starts_at > NOW).every((s) => s.capacity === 1 && s.booked <= 1));
      await assertCountersMatch(centerId);

      for (const [resident, appointment] of [[second!, a2], [third!, a3]] as const) {
        const messages = await cancellationsFor(resident.phone);
        assert.equal(messages.length, 1, 'one SMS per cancelled resident');
        assert.ok(messages[0]!.text.includes(appointment.reference as string));
        assert.ok(messages[0]!.text.includes(`/book/${code}`));
        assert.ok(messages[0]!.text.includes('2026-12-08 09:00'));
        assert.ok(messages[0]!.text.includes('Admin Test Center') && messages[0]!.text.includes('管理测试中心'));
      }
      for (const resident of [first!, quitter!, elsewhere!]) assert.deepEqual(await cancellationsFor(resident.phone), []);
      assert.equal(await auditCount(t, 'appointment.cancelled_by_center', a2.id), 1);
      const mine = (await t.api.get('/api/v1/me/appointments', { token: third!.token })).body as Array<{ id: string; status: string }>;
      assert.equal(mine.find((a) => a.id === a3.id)?.status, 'cancelled', 'the resident sees it cancelled');

      // The same change again finds nothing to cancel: nothing is freed twice, nobody is told twice.
      const again = await call('PUT', `/centers/${centerId}/opening-hours`, { hours: hoursOf('09:00', '12:00', 1), onBookings: 'cancel-and-notify' });
      assert.equal(again.status, 200, again.text);
      assert.equal(again.body.cancelledAppointments, 0);
      assert.equal((await slotAt(centerId, full.starts_at.toISOString())).booked, 1);
      assert.equal((await cancellationsFor(second!.phone)).length, 1);
      await assertCountersMatch(centerId);
    });

    it('residents cancelling while the admin cancels: every place is freed exactly once', async () => {
      const { centerId, serviceId } = await setUpCenter(3);
      const slots = [await slotAt(centerId, at(TOMORROW, '09:00')), await slotAt(centerId, at(TOMORROW, '09:30'))];
      const bookings: Array<{ resident: SignedInResident; id: string }> = [];
      for (const slot of slots) {
        for (let i = 0; i < 3; i++) {
          const resident = await signIn(t.api);
          bookings.push({ resident, id: (await bookFor(t, resident, slot, { id: serviceId })).id as string });
        }
      }
      const [change, ...own] = await Promise.all([
        call('PUT', `/centers/${centerId}/opening-hours`, { hours: hoursOf('09:00', '12:00', 1), onBookings: 'cancel-and-notify' }),
        ...bookings.map((b) => t.api.post(`/api/v1/appointments/${b.id}/cancel`, undefined, { token: b.resident.token })),
      ]);
      assert.equal(change!.status, 200, change!.text);
      const byResident = own.filter((response) => response.status === 200).length;
      assert.ok(own.every((response) => response.status === 200 || response.status === 409), own.map((r) => r.status).join());
      assert.equal(byResident + change!.body.cancelledAppointments, (await Promise.all(bookings.map((b) => statusOf(b.id)))).filter((s) => s === 'cancelled').length);
      await assertCountersMatch(centerId);
      for (const slot of slots) assert.ok((await slotAt(centerId, slot.starts_at.toISOString())).booked <= 1);
      let told = 0;
      for (const b of bookings) told += (await cancellationsFor(b.resident.phone)).length;
      assert.equal(told, change!.body.cancelledAppointments, 'an SMS for each appointment the center cancelled, none for the others');
    });

    it('slots the new hours no longer give disappear when free and their bookings are cancelled on request', async () => {
      const { centerId, serviceId } = await setUpCenter(3);
      const early = await slotAt(centerId, at(TOMORROW, '09:00'));
      const resident = await signIn(t.api);
      const appointment = await bookFor(t, resident, early, { id: serviceId });
      const changed = await call('PUT', `/centers/${centerId}/opening-hours`, { hours: hoursOf('10:00', '12:00', 3), onBookings: 'cancel-and-notify' });
      assert.equal(changed.status, 200, changed.text);
      assert.equal(changed.body.cancelledAppointments, 1);
      assert.equal(await statusOf(appointment.id), 'cancelled');
      const remaining = (await slotsOf(centerId)).filter((s) => s.starts_at >= new Date(at(TOMORROW, '00:00')) && s.starts_at < new Date(at(DAY_AFTER, '00:00')));
      // The booked 09:00 slot stays (an appointment points to it) without places; the free 09:30 slot is gone.
      assert.deepEqual(remaining.map((s) => [s.starts_at.toISOString(), s.capacity, s.booked]), [
        [at(TOMORROW, '09:00'), 0, 0],
        ...['10:00', '10:30', '11:00', '11:30'].map((time) => [at(TOMORROW, time), 3, 0]),
      ]);
      const available = await t.api.get(`/api/v1/centers/${centerId}/availability?serviceId=${serviceId}&from=${TOMORROW}&to=${TOMORROW}`);
      assert.equal(available.status, 200, available.text);
      assert.deepEqual(available.body.map((s: { startsAt: string }) => s.startsAt.slice(11, 16)), ['10:00', '10:30', '11:00', '11:30']);
      await assertCountersMatch(centerId);
    });
  });

  describe('closures', () => {
    it('a closed day with bookings: "refuse" answers 409 and changes nothing; "cancel-and-notify" cancels, tells and removes the free slots', async () => {
      const { centerId, serviceId } = await setUpCenter(2);
      const slot = await slotAt(centerId, at(DAY_AFTER, '10:30'));
      const [one, two] = [await signIn(t.api), await signIn(t.api)];
      const a1 = await bookFor(t, one!, slot, { id: serviceId });
      const a2 = await bookFor(t, two!, slot, { id: serviceId });
      const before = await slotsOf(centerId);

      const refused = await call('POST', `/centers/${centerId}/closures`, { from: DAY_AFTER, to: DAY_AFTER, reason: 'Staff training', onBookings: 'refuse' });
      assertProblem(refused, 409, 'bookings_affected');
      assert.deepEqual(refused.body.slots, [{ slotId: slot.id, startsAt: '2026-12-09T10:30:00.000+08:00', booked: 2, newCapacity: 0 }]);
      assert.deepEqual(await slotsOf(centerId), before);
      assert.deepEqual((await call('GET', `/centers/${centerId}`)).body.closures, []);
      assert.deepEqual([await statusOf(a1.id), await statusOf(a2.id)], ['booked', 'booked']);

      const closed = await call('POST', `/centers/${centerId}/closures`, { from: DAY_AFTER, reason: 'Staff training', onBookings: 'cancel-and-notify' });
      assert.equal(closed.status, 201, closed.text);
      assert.equal(closed.body.cancelledAppointments, 2);
      assert.deepEqual(closed.body.center.closures.map((c: { day: string; reason: string }) => [c.day, c.reason]), [[DAY_AFTER, 'Staff training']]);
      assert.deepEqual([await statusOf(a1.id), await statusOf(a2.id)], ['cancelled', 'cancelled']);
      for (const resident of [one!, two!]) assert.equal((await cancellationsFor(resident.phone)).length, 1);
      const thatDay = (await slotsOf(centerId)).filter((s) => s.starts_at >= new Date(at(DAY_AFTER, '00:00')) && s.starts_at < new Date(at(DAY_AFTER, '23:59')));
      assert.deepEqual(thatDay.map((s) => [s.id, s.capacity, s.booked]), [[slot.id, 0, 0]], 'free slots gone; the one with (cancelled) appointments kept without places');
      assert.equal((await slotsOf(centerId)).filter((s) => s.starts_at.toISOString().startsWith('2026-12-08T0')).length, 6, 'other days untouched');
      await assertCountersMatch(centerId);

      // Opening the day again brings its slots back.
      const reopened = await call('DELETE', `/centers/${centerId}/closures/${closed.body.center.closures[0].id}`);
      assert.equal(reopened.status, 200, reopened.text);
      assert.equal(reopened.body.slotsCreated, 5);
      assert.ok(reopened.body.center.closures.length === 0);
      assert.equal((await slotAt(centerId, at(DAY_AFTER, '10:30'))).capacity, 2);
      assertProblem(await call('DELETE', `/centers/${centerId}/closures/${randomUUID()}`), 404, 'not_found');
    });

    it('closes a range without bookings at once, and refuses impossible ranges', async () => {
      const { centerId } = await setUpCenter(2);
      const closed = await call('POST', `/centers/${centerId}/closures`, { from: TOMORROW, to: DAY_AFTER, reason: 'Holiday' });
      assert.equal(closed.status, 201, closed.text);
      assert.equal(closed.body.slotsRemoved, 12);
      assert.deepEqual(closed.body.center.closures.map((c: { day: string }) => c.day), [TOMORROW, DAY_AFTER]);
      assertProblem(await call('POST', `/centers/${centerId}/closures`, { from: '2026-12-01', reason: 'Past' }), 400, 'invalid_range');
      assertProblem(await call('POST', `/centers/${centerId}/closures`, { from: DAY_AFTER, to: TOMORROW, reason: 'Backwards' }), 400, 'invalid_range');
      assertProblem(await call('POST', `/centers/${centerId}/closures`, { from: '2026-02-30', reason: 'No such day' }), 400, 'invalid_range');
      assertProblem(await call('POST', `/centers/${centerId}/closures`, { from: TOMORROW, reason: '' }), 400, 'validation_failed');
      assertProblem(await call('POST', `/centers/${randomUUID()}/closures`, { from: TOMORROW, reason: 'x' }), 404, 'not_found');
    });
  });

  describe('staff', () => {
    const noSecrets = (response: ApiResponse): void => {
      assert.doesNotMatch(response.text, /argon2|passwordHash|password_hash|totpSecret|STAFF_PASSWORD/i, 'no hash or secret in the answer');
    };

    it('creates, lists and changes accounts without ever answering a hash', async () => {
      const { center } = await createCenter(t.dataSource);
      const password = 'a long enough password 1';
      const clerk = await call('POST', '/staff', { username: newUsername('clerk'), password, role: 'clerk', centerId: center.id });
      assert.equal(clerk.status, 201, clerk.text);
      noSecrets(clerk);
      assert.deepEqual([clerk.body.role, clerk.body.centerId, clerk.body.disabled, clerk.body.totpEnrolled, clerk.body.totpUri], ['clerk', center.id, false, false, undefined]);
      assert.equal(clerk.body.password, undefined);

      const supervisor = await call('POST', '/staff', { username: newUsername('sup'), password, role: 'supervisor', centerId: center.id });
      assert.equal(supervisor.status, 201, supervisor.text);
      assert.match(supervisor.body.totpUri, /^otpauth:\/\/totp\//, 'a supervisor gets a TOTP secret, once');
      const secret = new URL(supervisor.body.totpUri as string).searchParams.get('secret')!;
      const login = await postStaffLogin(t, { username: supervisor.body.username, password, totp: totpCode(secret, clock) });
      assert.equal(login.status, 200, login.text);

      const list = await call('GET', '/staff');
      assert.equal(list.status, 200);
      noSecrets(list);
      assert.ok(list.body.every((s: Record<string, unknown>) => s.totpUri === undefined && !('passwordHash' in s)));
      assert.ok(list.body.some((s: { id: string }) => s.id === clerk.body.id));

      assertProblem(await call('POST', '/staff', { username: clerk.body.username, password, role: 'clerk', centerId: center.id }), 409, 'duplicate_username');
      assertProblem(await call('POST', '/staff', { username: newUsername('clerk'), password, role: 'clerk' }), 400, 'validation_failed');
      assertProblem(await call('POST', '/staff', { username: newUsername('clerk'), password: 'short', role: 'clerk', centerId: center.id }), 400, 'validation_failed');
      assertProblem(await call('POST', '/staff', { username: newUsername('clerk'), password, role: 'boss', centerId: center.id }), 400, 'validation_failed');
      assertProblem(await call('POST', '/staff', { username: newUsername('clerk'), password, role: 'clerk', centerId: randomUUID() }), 404, 'not_found');
      assertProblem(await call('PATCH', `/staff/${randomUUID()}`, { disabled: true }), 404, 'not_found');
      assertProblem(await call('PATCH', `/staff/${clerk.body.id}`, { username: supervisor.body.username }), 409, 'duplicate_username');
    });

    it('disabling ends the sessions; a new password replaces the old one; role and center change', async () => {
      const { center } = await createCenter(t.dataSource);
      const { center: other } = await createCenter(t.dataSource);
      const clerk = await staffLogin(t, { role: 'clerk', center, clock });
      assert.equal((await t.api.get('/api/v1/staff/queue', { token: clerk.token })).status, 200);

      const disabled = await call('PATCH', `/staff/${clerk.staffId}`, { disabled: true });
      assert.equal(disabled.status, 200, disabled.text);
      noSecrets(disabled);
      assert.equal(disabled.body.disabled, true);
      assertProblem(await t.api.get('/api/v1/staff/queue', { token: clerk.token }), 401, 'unauthenticated');
      assertProblem(await postStaffLogin(t, { username: clerk.username, password: clerk.password }), 401, 'invalid_credentials');

      const newPassword = 'another long password 2';
      const reset = await call('PATCH', `/staff/${clerk.staffId}`, { disabled: false, password: newPassword, centerId: other.id });
      assert.equal(reset.status, 200, reset.text);
      noSecrets(reset);
      assert.deepEqual([reset.body.disabled, reset.body.centerId], [false, other.id]);
      assertProblem(await postStaffLogin(t, { username: clerk.username, password: clerk.password }), 401, 'invalid_credentials');
      assert.equal((await postStaffLogin(t, { username: clerk.username, password: newPassword })).status, 200);

      const promoted = await call('PATCH', `/staff/${clerk.staffId}`, { role: 'supervisor' });
      assert.equal(promoted.status, 200, promoted.text);
      assert.equal(promoted.body.role, 'supervisor');
      assert.match(promoted.body.totpUri, /^otpauth:/, 'a new supervisor gets a TOTP secret');
      const again = await call('PATCH', `/staff/${clerk.staffId}`, { role: 'supervisor' });
      assert.equal(again.body.totpUri, undefined, 'shown once only');
      assert.match((await call('PATCH', `/staff/${clerk.staffId}`, { resetTotp: true })).body.totpUri, /^otpauth:/);

      assertProblem(await call('PATCH', `/staff/${admin.staffId}`, { disabled: true }), 400, 'validation_failed');
      assertProblem(await call('PATCH', `/staff/${admin.staffId}`, { role: 'clerk' }), 400, 'validation_failed');
      assert.ok((await auditCount(t, 'admin.staff.update')) >= 5);
    });
  });

  describe('registry import', () => {
    const importCsv = (csv: string, query = '', contentType = 'text/csv; charset=utf-8') =>
      sendRaw(t.url, 'POST', `/api/v1/admin/registry${query}`, { headers: { authorization: `Bearer ${admin.token}`, 'content-type': contentType }, body: csv });

    it('imports the valid lines of a mixed file, names each rejected line, and all-or-nothing imports nothing', async () => {
      const [idA, idB, idC, idD] = [newIdNumber(), newIdNumber(), newIdNumber(), newIdNumber()];
      const [phoneA, phoneB, phoneC] = [newPhone(), newPhone(), newPhone()];
      const badCheck = `${idD.slice(0, 17)}${idD.endsWith('0') ? '1' : '0'}`;
      const lines = [
        'idNumber,phone', //          1 header
        `${idA},${phoneA}`, //        2 ok
        `${badCheck},${newPhone()}`, // 3 invalid_id_number
        `${idD},12345`, //            4 invalid_phone
        `${idA},${newPhone()}`, //    5 duplicate
        '', //                        6 empty: skipped
        `${idB.toLowerCase()},+86 ${phoneB}`, // 7 ok (x and +86 normalised)
        `"${idC}","${phoneC}"`, //    8 ok (quoted)
        `${idD},${newPhone()},extra`, // 9 invalid_line
      ];
      const csv = `${lines.join('\r\n')}\r\n`;
      const crypto = t.app.get(CryptoService);
      const entries = async (): Promise<number> =>
        ((await t.dataSource.query('SELECT count(*)::int AS n FROM registry_entry WHERE id_hash = ANY($1::bytea[])', [[idA, idB, idC, idD].map((id) => crypto.hash('id-number', id))])) as Array<{ n: number }>)[0]!.n;
      const expectedRejections = [
        { line: 3, code: 'invalid_id_number' },
        { line: 4, code: 'invalid_phone' },
        { line: 5, code: 'duplicate' },
        { line: 9, code: 'invalid_line' },
      ];

      const strict = await importCsv(csv, '?mode=all-or-nothing');
      assert.equal(strict.status, 200, strict.text);
      assert.deepEqual(JSON.parse(strict.text), { imported: 0, rejected: expectedRejections, rejectedTotal: 4 });
      assert.equal(await entries(), 0, 'all-or-nothing imported nothing');

      const lenient = await importCsv(csv);
      assert.equal(lenient.status, 200, lenient.text);
      assert.deepEqual(JSON.parse(lenient.text), { imported: 3, rejected: expectedRejections, rejectedTotal: 4 });
      assert.equal(await entries(), 3);
      const audits = (await t.dataSource.query(`SELECT detail FROM audit_entry WHERE action = 'admin.registry.import' ORDER BY seq`)) as Array<{ detail: Record<string, unknown> }>;
      assert.deepEqual(audits.map((a) => [a.detail.imported, a.detail.rejected]).slice(-2), [[0, 4], [3, 4]]);
      for (const secret of [idA, idB, phoneA, phoneB]) assert.ok(!JSON.stringify(audits).includes(secret), 'the audit holds counts only');

      // The registry's phone wins: a sign-in code for A goes there, whatever phone is typed.
      const typed = newPhone();
      await requestCode(t.api, idA, typed);
      assert.match(await latestCode(t.api, phoneA), /^\d{6}$/);
      assert.deepEqual(await outbox(t, typed), []);
      // A later import replaces the binding.
      const newPhoneA = newPhone();
      assert.deepEqual(JSON.parse((await importCsv(`${idA},${newPhoneA}\n`)).text), { imported: 1, rejected: [], rejectedTotal: 0 });
      await requestCode(t.api, idA, typed);
      assert.match(await latestCode(t.api, newPhoneA), /^\d{6}$/);
    });

    it('takes a file without header, with a BOM and \\n line ends; refuses other media types and oversized bodies', async () => {
      const [id1, id2] = [newIdNumber(), newIdNumber()];
      const withBom = await importCsv(`\ufeff${id1},${newPhone()}\n${id2},${newPhone()}`);
      assert.deepEqual(JSON.parse(withBom.text), { imported: 2, rejected: [], rejectedTotal: 0 });
      const badFirst = await importCsv(`12345,${newPhone()}\n`);
      assert.deepEqual(JSON.parse(badFirst.text).rejected, [{ line: 1, code: 'invalid_id_number' }], 'a first line with digits is data, not a header');

      const json = await call('POST', '/registry', { idNumber: id1, phone: newPhone() });
      assertProblem(json, 415, 'unsupported_media_type');
      const plain = await importCsv(`${id1},${newPhone()}`, '', 'text/plain');
      assert.equal(plain.status, 415, plain.text);
      assertProblem(await call('POST', '/registry?mode=sometimes', undefined), 400, 'validation_failed');

      const csvElsewhere = await sendRaw(t.url, 'POST', '/api/v1/auth/otp', { headers: { 'content-type': 'text/csv' }, body: `${id1},${newPhone()}` });
      assert.equal(csvElsewhere.status, 415, 'CSV is read by the registry import only');

      const line = `${'9'.repeat(4000)}\n`;
      const tooBig = await importCsv(line.repeat(Math.ceil((16 * 1024 * 1024 + 1) / line.length)));
      assert.equal(tooBig.status, 413, tooBig.text.slice(0, 300));
      assert.equal(JSON.parse(tooBig.text).code, 'payload_too_large');
    });
  });

  describe('access', () => {
    it('every admin route answers 401 without a session and 403 to clerks and supervisors', async () => {
      const { center } = await createCenter(t.dataSource);
      const clerk = await staffLogin(t, { role: 'clerk', center, clock });
      const supervisor = await staffLogin(t, { role: 'supervisor', center, clock });
      const id = randomUUID();
      const routes: Array<[string, string, unknown?]> = [
        ['GET', '/centers'],
        ['POST', '/centers', { code: newCode('X'), name: { zh: 'x', en: 'x' }, address: 'x' }],
        ['GET', `/centers/${id}`],
        ['PATCH', `/centers/${id}`, { slotMinutes: 30 }],
        ['PUT', `/centers/${id}/services`, { serviceIds: [] }],
        ['PUT', `/centers/${id}/opening-hours`, { hours: [] }],
        ['POST', `/centers/${id}/closures`, { from: TOMORROW, reason: 'x' }],
        ['DELETE', `/centers/${id}/closures/${randomUUID()}`],
        ['GET', '/services'],
        ['POST', '/services', { code: newCode('X'), name: { zh: 'x', en: 'x' } }],
        ['PATCH', `/services/${id}`, { active: false }],
        ['GET', '/staff'],
        ['POST', '/staff', { username: newUsername('x'), password: 'a long enough password', role: 'admin' }],
        ['PATCH', `/staff/${clerk.staffId}`, { disabled: true }],
        ['POST', '/registry', { idNumber: '1' }],
      ];
      for (const [method, path, body] of routes) {
        assertProblem(await call(method, path, body, null), 401, 'unauthenticated');
        assertProblem(await call(method, path, body, clerk.token), 403, 'forbidden');
        assertProblem(await call(method, path, body, supervisor.token), 403, 'forbidden');
      }
      const csv = await sendRaw(t.url, 'POST', '/api/v1/admin/registry', { headers: { authorization: `Bearer ${supervisor.token}`, 'content-type': 'text/csv' }, body: `${newIdNumber()},${newPhone()}\n` });
      assert.equal(csv.status, 403);
      assert.equal((await t.api.get('/api/v1/staff/queue', { token: clerk.token })).status, 200, 'the clerk was not disabled');
    });
  });
});
