import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { verifyAuditChain } from '../src/audit/audit-verify';
import { Center } from '../src/centers/center.entity';
import { Slot } from '../src/slots/slot.entity';
import { createCenter, createSlot } from './support/factories';
import { newIdNumber, newPhone } from './support/identities';
import { signIn, SignedInResident } from './support/residents';
import {
  assertProblem,
  auditCount,
  bookFor,
  COUNTER_ENV,
  latestCodeFor,
  maskedId,
  maskedPhone,
  outbox,
  staffLogin,
  StaffSession,
  TEN_AM_SHANGHAI,
} from './support/staff';
import { TestClock } from './support/test-clock';
import { startTestApp, TestApp } from './support/test-app';

const MINUTE = 60_000;
const APPOINTMENT_FIELDS = ['centerId', 'createdAt', 'endsAt', 'id', 'preparation', 'reference', 'serviceId', 'slotId', 'startsAt', 'status', 'ticket'];
const MASKED_ID = /^\d{3}\*{11}[\dX]{4}$/;
const TICKET = /^A-\d{3}$/;

/** The local date in Asia/Shanghai (UTC+8, no daylight saving). */
const shanghaiDate = (instant: Date): string => new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

describe('at the counter', () => {
  const clock = new TestClock(TEN_AM_SHANGHAI);
  let t: TestApp;

  before(async () => {
    t = await startTestApp({ clock, env: COUNTER_ENV });
  });
  after(() => t.close());

  const slotAt = (center: Center, hoursFromNow: number, capacity = 5): Promise<Slot> =>
    createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow, capacity });
  const staffPost = (staff: StaffSession, path: string, body?: unknown) => t.api.post(`/api/v1/staff${path}`, body, { token: staff.token });
  const staffGet = (staff: StaffSession, path: string) => t.api.get(`/api/v1/staff${path}`, { token: staff.token });
  const residentView = async (resident: SignedInResident, id: string): Promise<Record<string, any>> => {
    const response = await t.api.get(`/api/v1/appointments/${id}`, { token: resident.token });
    assert.equal(response.status, 200, response.text);
    return response.body;
  };
  const checkInById = (staff: StaffSession, appointmentId: string, idNumber: string) =>
    staffPost(staff, `/appointments/${appointmentId}/check-in`, { method: 'id-document', idNumber });
  const slotBooked = async (slotId: string): Promise<number> => {
    const [row] = (await t.dataSource.query('SELECT booked FROM slot WHERE id = $1', [slotId])) as Array<{ booked: number }>;
    return row!.booked;
  };

  it('the whole flow: queue → ready → counter passcode → check-in → call → hand-over, and the resident sees it all', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const clerk = await staffLogin(t, { role: 'clerk', center, clock });
    const early = await slotAt(center, 1);
    const late = await slotAt(center, 3);
    const tomorrow = await slotAt(center, 24);
    const [r1, r2, r3, r4] = [await signIn(t.api), await signIn(t.api), await signIn(t.api), await signIn(t.api)];
    const a2 = await bookFor(t, r2, late, service); // booked first, but later in the day
    const a1 = await bookFor(t, r1, early, service);
    const a3 = await bookFor(t, r3, tomorrow, service);
    const a4 = await bookFor(t, r4, early, service);
    assert.equal((await t.api.post(`/api/v1/appointments/${a4.id}/cancel`, undefined, { token: r4.token })).status, 200);

    // Today's queue: in time order, without tomorrow's and the cancelled one, with masked IDs only.
    const queue = await staffGet(clerk, '/queue');
    assert.equal(queue.status, 200, queue.text);
    assert.deepEqual(queue.body.map((a: { id: string }) => a.id), [a1.id, a2.id]);
    for (const [entry, resident] of [[queue.body[0], r1], [queue.body[1], r2]] as const) {
      for (const field of [...APPOINTMENT_FIELDS, 'maskedIdNumber']) assert.ok(field in entry, `queue entry lacks ${field}`);
      assert.equal(entry.status, 'booked');
      assert.equal(entry.preparation, 'pending');
      assert.equal(entry.ticket, null);
      assert.equal(entry.centerId, center.id);
      assert.match(entry.maskedIdNumber, MASKED_ID);
      assert.equal(entry.maskedIdNumber, maskedId(resident.idNumber));
    }
    for (const r of [r1, r2, r3, r4]) {
      assert.ok(!queue.text.includes(r.idNumber), 'a plain ID number in the queue');
      assert.ok(!queue.text.includes(r.phone.slice(3)), 'a phone number in the queue');
    }
    const nextDay = await staffGet(clerk, `/queue?date=${shanghaiDate(tomorrow.startsAt)}`);
    assert.equal(nextDay.status, 200, nextDay.text);
    assert.deepEqual(nextDay.body.map((a: { id: string }) => a.id), [a3.id]);

    // Ready ahead of the visit: the resident sees it and gets one SMS.
    const smsBefore = (await outbox(t, r1.phone)).length;
    const ready = await staffPost(clerk, `/appointments/${a1.id}/ready`);
    assert.equal(ready.status, 200, ready.text);
    assert.equal(ready.body.preparation, 'ready');
    assert.equal(ready.body.status, 'booked');
    assert.equal((await residentView(r1, a1.id)).preparation, 'ready');
    assert.equal((await residentView(r2, a2.id)).preparation, 'pending');
    const sms = await outbox(t, r1.phone);
    assert.equal(sms.length, smsBefore + 1);
    assert.ok(sms[0]!.text.includes(a1.reference), sms[0]!.text);
    assert.equal((await staffPost(clerk, `/appointments/${a1.id}/ready`)).status, 200);
    assert.equal((await outbox(t, r1.phone)).length, smsBefore + 1, 'marking ready twice sent a second SMS');

    // Counter passcode to the bound phone, read out by the resident.
    const challenge = await staffPost(clerk, `/appointments/${a1.id}/counter-otp`);
    assert.equal(challenge.status, 202, challenge.text);
    assert.deepEqual(Object.keys(challenge.body).sort(), ['challengeId', 'sentTo']);
    assert.equal(challenge.body.sentTo, maskedPhone(r1.phone));
    const code = await latestCodeFor(t, r1.phone);
    const checkedIn = await staffPost(clerk, `/appointments/${a1.id}/check-in`, { method: 'otp', challengeId: challenge.body.challengeId, code });
    assert.equal(checkedIn.status, 200, checkedIn.text);
    assert.equal(checkedIn.body.id, a1.id);
    assert.equal(checkedIn.body.status, 'checked_in');
    assert.equal(checkedIn.body.ticket, 'A-001');
    const seen = await residentView(r1, a1.id);
    assert.equal(seen.status, 'checked_in');
    assert.equal(seen.ticket, 'A-001');

    // Call next to counter 2.
    const called = await staffPost(clerk, '/call-next', { counter: 2 });
    assert.equal(called.status, 200, called.text);
    assert.deepEqual(called.body, { ticket: 'A-001', appointmentId: a1.id });
    assert.equal((await staffPost(clerk, '/call-next', { counter: 2 })).status, 204);

    // Hand-over.
    const fulfilled = await staffPost(clerk, `/appointments/${a1.id}/fulfil`, { certificateSerial: 'GY-2026-000123' });
    assert.equal(fulfilled.status, 200, fulfilled.text);
    assert.equal(fulfilled.body.status, 'fulfilled');
    assert.equal(fulfilled.body.ticket, 'A-001');
    assert.equal((await residentView(r1, a1.id)).status, 'fulfilled');
    const [stored] = (await t.dataSource.query('SELECT certificate_serial, fulfilled_by, checked_in_by FROM appointment WHERE id = $1', [a1.id])) as Array<Record<string, string>>;
    assert.deepEqual(stored, { certificate_serial: 'GY-2026-000123', fulfilled_by: clerk.staffId, checked_in_by: clerk.staffId });

    // The resident sees who looked: which role, which center, what.
    const log = await t.api.get('/api/v1/me/access-log', { token: r1.token });
    assert.equal(log.status, 200, log.text);
    const actions = new Set(log.body.map((e: { action: string }) => e.action));
    for (const action of ['queue.view', 'appointment.ready', 'appointment.counter_code_sent', 'appointment.check_in', 'appointment.fulfilled']) {
      assert.ok(actions.has(action), `${action} missing from the access log: ${[...actions].join(', ')}`);
    }
    for (const entry of log.body) {
      assert.deepEqual(Object.keys(entry).sort(), ['action', 'at', 'centerId', 'staffRole']);
      assert.equal(entry.staffRole, 'clerk');
      assert.equal(entry.centerId, center.id);
      assert.ok(!Number.isNaN(Date.parse(entry.at)));
    }
    // The other resident's log shows the queue view that listed them, and nothing done to r1.
    const otherLog = await t.api.get('/api/v1/me/access-log', { token: r2.token });
    assert.deepEqual([...new Set(otherLog.body.map((e: { action: string }) => e.action))], ['queue.view']);
    // The cancelled one was not in the queue: nobody looked at r4's data.
    assert.deepEqual((await t.api.get('/api/v1/me/access-log', { token: r4.token })).body, []);

    // The check-in's audit entry: actor, role, center, appointment, resident hash, ticket.
    const [entry] = (await t.dataSource.query(`SELECT * FROM audit_entry WHERE action = 'appointment.check_in' AND appointment_id = $1`, [a1.id])) as Array<Record<string, any>>;
    assert.equal(entry!.actor_type, 'staff');
    assert.equal(entry!.actor_id, clerk.staffId);
    assert.equal(entry!.actor_role, 'clerk');
    assert.equal(entry!.center_id, center.id);
    assert.ok(Buffer.isBuffer(entry!.resident_id_hash) && entry!.resident_id_hash.length >= 32);
    assert.equal(entry!.detail.ticket, 'A-001');
    assert.equal(entry!.detail.method, 'otp');
    assert.ok(!JSON.stringify(entry!.detail).includes(r1.idNumber));

    assert.deepEqual(await verifyAuditChain(t.dataSource, t.config.appSecret), { intact: true, entries: (await t.dataSource.query('SELECT count(*)::int AS n FROM audit_entry'))[0].n });
  });

  it('check-in by ID card: another valid ID number → 401 id_mismatch (audited, nothing changes); the right one → 200 with a ticket', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const clerk = await staffLogin(t, { role: 'clerk', center, clock });
    const resident = await signIn(t.api);
    const appointment = await bookFor(t, resident, await slotAt(center, 1), service);

    assertProblem(await checkInById(clerk, appointment.id, newIdNumber()), 401, 'id_mismatch');
    assert.equal(await auditCount(t, 'appointment.check_in_refused', appointment.id), 1);
    const unchanged = await residentView(resident, appointment.id);
    assert.equal(unchanged.status, 'booked');
    assert.equal(unchanged.ticket, null);
    // A malformed number is a validation error, not a mismatch.
    assert.equal((await checkInById(clerk, appointment.id, '123')).status, 400);

    const checkedIn = await checkInById(clerk, appointment.id, resident.idNumber.toLowerCase());
    assert.equal(checkedIn.status, 200, checkedIn.text);
    assert.equal(checkedIn.body.status, 'checked_in');
    assert.equal(checkedIn.body.ticket, 'A-001');
    assert.equal(checkedIn.body.maskedIdNumber, maskedId(resident.idNumber));
    assert.equal((await residentView(resident, appointment.id)).ticket, 'A-001');
    const [entry] = (await t.dataSource.query(`SELECT detail FROM audit_entry WHERE action = 'appointment.check_in' AND appointment_id = $1`, [appointment.id])) as Array<{ detail: Record<string, unknown> }>;
    assert.equal(entry!.detail.method, 'id-document');
  });

  it('counter passcode: a wrong code → 401 wrong_code and still booked; the right code then works; another resident’s challenge does not', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const clerk = await staffLogin(t, { role: 'clerk', center, clock });
    const slot = await slotAt(center, 1);
    const resident = await signIn(t.api);
    const other = await signIn(t.api);
    const appointment = await bookFor(t, resident, slot, service);
    const otherAppointment = await bookFor(t, other, slot, service);

    const challenge = await staffPost(clerk, `/appointments/${appointment.id}/counter-otp`);
    assert.equal(challenge.status, 202, challenge.text);
    const code = await latestCodeFor(t, resident.phone);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const refused = await staffPost(clerk, `/appointments/${appointment.id}/check-in`, { method: 'otp', challengeId: challenge.body.challengeId, code: wrong });
    assertProblem(refused, 401, 'wrong_code');
    assert.equal(refused.body.attemptsRemaining, 4);
    assert.equal((await residentView(resident, appointment.id)).status, 'booked');

    // The other resident's code cannot check this resident in.
    const otherChallenge = await staffPost(clerk, `/appointments/${otherAppointment.id}/counter-otp`);
    assert.equal(otherChallenge.status, 202);
    const otherCode = await latestCodeFor(t, other.phone);
    const crossed = await staffPost(clerk, `/appointments/${appointment.id}/check-in`, { method: 'otp', challengeId: otherChallenge.body.challengeId, code: otherCode });
    assert.ok(crossed.status === 401 || crossed.status === 410, crossed.text);
    assert.equal((await residentView(resident, appointment.id)).status, 'booked');

    const ok = await staffPost(clerk, `/appointments/${appointment.id}/check-in`, { method: 'otp', challengeId: challenge.body.challengeId, code });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.status, 'checked_in');
    assert.match(ok.body.ticket, TICKET);
    // A used code cannot check in anyone again.
    const replay = await staffPost(clerk, `/appointments/${otherAppointment.id}/check-in`, { method: 'otp', challengeId: challenge.body.challengeId, code });
    assert.ok(replay.status >= 400 && replay.status < 500, replay.text);
    assert.equal((await residentView(other, otherAppointment.id)).status, 'booked');
  });

  it('an appointment of another day → 409 not_today', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const clerk = await staffLogin(t, { role: 'clerk', center, clock });
    const resident = await signIn(t.api);
    const appointment = await bookFor(t, resident, await slotAt(center, 24), service);
    assertProblem(await checkInById(clerk, appointment.id, resident.idNumber), 409, 'not_today');
    assert.equal((await residentView(resident, appointment.id)).status, 'booked');
  });

  it('409 invalid_state: checking in twice, fulfilling a booked one, a passcode or no-show for a checked-in one', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const clerk = await staffLogin(t, { role: 'clerk', center, clock });
    const slot = await slotAt(center, 1);
    const resident = await signIn(t.api);
    const booked = await bookFor(t, await signIn(t.api), slot, service);
    const appointment = await bookFor(t, resident, slot, service);

    assertProblem(await staffPost(clerk, `/appointments/${booked.id}/fulfil`, { certificateSerial: 'S-1' }), 409, 'invalid_state');
    assert.equal((await checkInById(clerk, appointment.id, resident.idNumber)).status, 200);
    assertProblem(await checkInById(clerk, appointment.id, resident.idNumber), 409, 'invalid_state');
    assertProblem(await staffPost(clerk, `/appointments/${appointment.id}/counter-otp`), 409, 'invalid_state');
    assertProblem(await staffPost(clerk, `/appointments/${appointment.id}/no-show`), 409, 'invalid_state');
    assert.equal((await staffPost(clerk, `/appointments/${appointment.id}/fulfil`, { certificateSerial: 'S-2' })).status, 200);
    assertProblem(await staffPost(clerk, `/appointments/${appointment.id}/fulfil`, { certificateSerial: 'S-3' }), 409, 'invalid_state');
    assertProblem(await staffPost(clerk, `/appointments/${appointment.id}/ready`), 409, 'invalid_state');
    // A cancelled one cannot be checked in either.
    const cancelledOwner = await signIn(t.api);
    const cancelled = await bookFor(t, cancelledOwner, slot, service);
    assert.equal((await t.api.post(`/api/v1/appointments/${cancelled.id}/cancel`, undefined, { token: cancelledOwner.token })).status, 200);
    assertProblem(await checkInById(clerk, cancelled.id, cancelledOwner.idNumber), 409, 'invalid_state');
    const [row] = (await t.dataSource.query('SELECT certificate_serial FROM appointment WHERE id = $1', [appointment.id])) as Array<{ certificate_serial: string }>;
    assert.equal(row!.certificate_serial, 'S-2');
  });

  it('by reference: 200 at the clerk’s center (audited); 404 for another center’s and for an unknown reference', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const elsewhere = await createCenter(t.dataSource);
    const clerk = await staffLogin(t, { role: 'clerk', center, clock });
    const resident = await signIn(t.api);
    const mine = await bookFor(t, resident, await slotAt(center, 1), service);
    const theirs = await bookFor(t, await signIn(t.api), await slotAt(elsewhere.center, 1), elsewhere.service);

    const found = await staffGet(clerk, `/appointments/by-reference/${mine.reference}`);
    assert.equal(found.status, 200, found.text);
    assert.equal(found.body.id, mine.id);
    assert.equal(found.body.maskedIdNumber, maskedId(resident.idNumber));
    assert.ok(!found.text.includes(resident.idNumber));
    assert.equal((await staffGet(clerk, `/appointments/by-reference/${mine.reference.toLowerCase()}`)).body.id, mine.id);
    assert.equal(await auditCount(t, 'appointment.lookup', mine.id), 2);
    const log = await t.api.get('/api/v1/me/access-log', { token: resident.token });
    assert.ok(log.body.some((e: { action: string }) => e.action === 'appointment.lookup'));

    assertProblem(await staffGet(clerk, `/appointments/by-reference/${theirs.reference}`), 404, 'not_found');
    assertProblem(await staffGet(clerk, '/appointments/by-reference/ZZZZZZZZZZ'), 404, 'not_found');
    assert.equal(await auditCount(t, 'appointment.lookup', theirs.id), 0);
  });

  it('call-next: 204 when nobody waits; otherwise the longest-waiting ticket first', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const clerk = await staffLogin(t, { role: 'clerk', center, clock });
    const nobody = await staffPost(clerk, '/call-next', { counter: 1 });
    assert.equal(nobody.status, 204);
    assert.equal(nobody.text, '');

    const first = await signIn(t.api);
    const second = await signIn(t.api);
    const later = await bookFor(t, first, await slotAt(center, 3), service);
    const earlier = await bookFor(t, second, await slotAt(center, 1), service);
    // Booked for booked-only: still nobody waiting.
    assert.equal((await staffPost(clerk, '/call-next', { counter: 1 })).status, 204);

    assert.equal((await checkInById(clerk, later.id, first.idNumber)).body.ticket, 'A-001');
    clock.advance(MINUTE);
    assert.equal((await checkInById(clerk, earlier.id, second.idNumber)).body.ticket, 'A-002');
    assert.deepEqual((await staffPost(clerk, '/call-next', { counter: 3 })).body, { ticket: 'A-001', appointmentId: later.id });
    assert.deepEqual((await staffPost(clerk, '/call-next', { counter: 1 })).body, { ticket: 'A-002', appointmentId: earlier.id });
    assert.equal((await staffPost(clerk, '/call-next', { counter: 1 })).status, 204);
    assert.equal((await staffPost(clerk, '/call-next', { counter: 0 })).status, 400);
    assert.equal((await staffPost(clerk, '/call-next', {})).status, 400);
  });

  it('call-next the next day: a ticket checked in yesterday and never called is not called (nor counted as waiting) today', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const clerk = await staffLogin(t, { role: 'clerk', center, clock });
    const yesterdays = await signIn(t.api);
    const stale = await bookFor(t, yesterdays, await slotAt(center, 1), service);
    assert.equal((await checkInById(clerk, stale.id, yesterdays.idNumber)).body.ticket, 'A-001');
    const dayOne = clock.now();
    try {
      clock.set(new Date(dayOne.getTime() + 24 * 3600_000));
      const todays = await signIn(t.api);
      const fresh = await bookFor(t, todays, await slotAt(center, 1), service);
      const clerkToday = await staffLogin(t, { role: 'clerk', center, clock });
      assert.equal((await checkInById(clerkToday, fresh.id, todays.idNumber)).body.ticket, 'A-001'); // numbering starts again each day
      assert.equal((await t.api.get(`/api/v1/display/${center.id}`)).body.waiting, 1);
      const called = await staffPost(clerkToday, '/call-next', { counter: 1 });
      assert.deepEqual(called.body, { ticket: 'A-001', appointmentId: fresh.id });
      assert.equal((await staffPost(clerkToday, '/call-next', { counter: 1 })).status, 204);
    } finally {
      clock.set(dayOne);
    }
  });

  it('no-show by hand: 409 before the slot begins; 200 no_show once it has', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const clerk = await staffLogin(t, { role: 'clerk', center, clock });
    const resident = await signIn(t.api);
    const appointment = await bookFor(t, resident, await slotAt(center, 0.1), service); // 6 minutes from now
    assertProblem(await staffPost(clerk, `/appointments/${appointment.id}/no-show`), 409, 'invalid_state');
    clock.advance(7 * MINUTE);
    const marked = await staffPost(clerk, `/appointments/${appointment.id}/no-show`);
    assert.equal(marked.status, 200, marked.text);
    assert.equal(marked.body.status, 'no_show');
    assert.equal((await residentView(resident, appointment.id)).status, 'no_show');
    assertProblem(await staffPost(clerk, `/appointments/${appointment.id}/no-show`), 409, 'invalid_state');
    assert.equal(await auditCount(t, 'appointment.no_show', appointment.id), 1);
  });

  it('walk-in: 201 checked in, with a ticket, in today’s next free slot; 409 no_capacity_today when today is full', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const clerk = await staffLogin(t, { role: 'clerk', center, clock });
    const ended = await slotAt(center, -2, 5);
    const next = await slotAt(center, 1, 1);
    const after = await slotAt(center, 3, 1);
    const tomorrow = await slotAt(center, 24, 5);

    const idNumber = newIdNumber();
    const phone = newPhone();
    const first = await staffPost(clerk, '/walk-ins', { idNumber, phone, serviceId: service.id });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.body.status, 'checked_in');
    assert.equal(first.body.ticket, 'A-001');
    assert.equal(first.body.slotId, next.id);
    assert.equal(first.body.centerId, center.id);
    assert.equal(first.body.serviceId, service.id);
    assert.equal(first.body.maskedIdNumber, maskedId(idNumber));
    assert.ok(!first.text.includes(idNumber) && !first.text.includes(phone.slice(3)));

    const second = await staffPost(clerk, '/walk-ins', { idNumber: newIdNumber(), serviceId: service.id });
    assert.equal(second.status, 201, second.text);
    assert.equal(second.body.ticket, 'A-002');
    assert.equal(second.body.slotId, after.id);

    assertProblem(await staffPost(clerk, '/walk-ins', { idNumber: newIdNumber(), serviceId: service.id }), 409, 'no_capacity_today');
    assert.equal(await slotBooked(ended.id), 0);
    assert.equal(await slotBooked(next.id), 1);
    assert.equal(await slotBooked(after.id), 1);
    assert.equal(await slotBooked(tomorrow.id), 0);
    assert.equal(await auditCount(t, 'appointment.walk_in', first.body.id), 1);

    // The walk-in is called like any other ticket, and the resident finds it when signing in with the phone given.
    assert.deepEqual((await staffPost(clerk, '/call-next', { counter: 1 })).body, { ticket: 'A-001', appointmentId: first.body.id });
    const walker = await signIn(t.api, idNumber, phone);
    const mine = await t.api.get('/api/v1/me/appointments', { token: walker.token });
    assert.deepEqual(mine.body.map((a: { id: string }) => a.id), [first.body.id]);
  });

  it('walk-in for an ID with an active booking of the same service → 409 already_booked, and nothing is taken', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const clerk = await staffLogin(t, { role: 'clerk', center, clock });
    const slot = await slotAt(center, 1, 5);
    const resident = await signIn(t.api);
    await bookFor(t, resident, slot, service);
    assert.equal(await slotBooked(slot.id), 1);
    assertProblem(await staffPost(clerk, '/walk-ins', { idNumber: resident.idNumber, serviceId: service.id }), 409, 'already_booked');
    assert.equal(await slotBooked(slot.id), 1);
    // No ticket number was spent on the refused walk-in.
    const next = await staffPost(clerk, '/walk-ins', { idNumber: newIdNumber(), serviceId: service.id });
    assert.equal(next.status, 201, next.text);
    assert.equal(next.body.ticket, 'A-001');
    // A service the center does not offer.
    const other = await createCenter(t.dataSource);
    assertProblem(await staffPost(clerk, '/walk-ins', { idNumber: newIdNumber(), serviceId: other.service.id }), 422, 'service_not_offered');
  });

  it('a walk-in with another phone does not re-bind a resident’s phone (only the audited re-bind does)', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const clerk = await staffLogin(t, { role: 'clerk', center, clock });
    await slotAt(center, 1, 5);
    const resident = await signIn(t.api);
    const walkIn = await staffPost(clerk, '/walk-ins', { idNumber: resident.idNumber, phone: newPhone(), serviceId: service.id });
    assert.equal(walkIn.status, 201, walkIn.text);
    const me = await t.api.get('/api/v1/me', { token: resident.token });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.maskedPhone, maskedPhone(resident.phone));
    const mine = await t.api.get('/api/v1/me/appointments', { token: resident.token });
    assert.deepEqual(mine.body.map((a: { id: string }) => a.id), [walkIn.body.id]);
  });

  it('re-binding a phone: 200 masked; the resident’s sessions end; the next sign-in code goes to the new phone', async () => {
    const clerk = await staffLogin(t, { role: 'clerk', center: (await createCenter(t.dataSource)).center, clock });
    const resident = await signIn(t.api);
    const newNumber = newPhone();

    assert.equal((await staffPost(clerk, '/residents/phone', { idNumber: resident.idNumber, phone: newNumber, idCardChecked: false })).status, 400);
    assert.equal((await staffPost(clerk, '/residents/phone', { idNumber: resident.idNumber, phone: newNumber })).status, 400);
    assert.equal((await t.api.get('/api/v1/me', { token: resident.token })).status, 200);

    const rebound = await staffPost(clerk, '/residents/phone', { idNumber: resident.idNumber, phone: newNumber, idCardChecked: true });
    assert.equal(rebound.status, 200, rebound.text);
    assert.deepEqual(rebound.body, { maskedIdNumber: maskedId(resident.idNumber), maskedPhone: maskedPhone(newNumber) });
    assertProblem(await t.api.get('/api/v1/me', { token: resident.token }), 401, 'unauthenticated');

    // Asking with the old phone: the code goes to the newly bound one.
    const oldBefore = (await outbox(t, resident.phone)).length;
    const asked = await t.api.post('/api/v1/auth/otp', { idNumber: resident.idNumber, phone: resident.phone });
    assert.equal(asked.status, 202, asked.text);
    assert.equal((await outbox(t, resident.phone)).length, oldBefore, 'a code went to the old phone');
    const code = await latestCodeFor(t, newNumber);
    const verified = await t.api.post('/api/v1/auth/otp/verify', { challengeId: asked.body.challengeId, code });
    assert.equal(verified.status, 200, verified.text);
    const me = await t.api.get('/api/v1/me', { token: verified.body.token });
    assert.equal(me.body.maskedPhone, maskedPhone(newNumber));
    const log = await t.api.get('/api/v1/me/access-log', { token: verified.body.token });
    assert.ok(log.body.some((e: { action: string; staffRole: string }) => e.action === 'resident.phone_rebound' && e.staffRole === 'clerk'), log.text);
  });

  it('audit trail and reports: 200 for supervisors (their center only) and admins, 403 for clerks', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const other = await createCenter(t.dataSource);
    const clerk = await staffLogin(t, { role: 'clerk', center, clock });
    const otherClerk = await staffLogin(t, { role: 'clerk', center: other.center, clock });
    const resident = await signIn(t.api);
    await bookFor(t, resident, await slotAt(center, 1), service);
    await bookFor(t, await signIn(t.api), await slotAt(other.center, 1), other.service);
    assert.equal((await staffGet(clerk, '/queue')).status, 200);
    assert.equal((await staffGet(otherClerk, '/queue')).status, 200);

    assertProblem(await staffGet(clerk, '/audit'), 403, 'forbidden');
    assertProblem(await staffGet(clerk, '/reports'), 403, 'forbidden');

    const supervisor = await staffLogin(t, { role: 'supervisor', center, clock });
    const trail = await staffGet(supervisor, '/audit');
    assert.equal(trail.status, 200, trail.text);
    assert.ok(trail.body.length > 0);
    assert.ok(trail.body.every((e: { centerId: string }) => e.centerId === center.id), 'another center’s entries in the trail');
    assert.ok(trail.body.some((e: { action: string; actorId: string }) => e.action === 'queue.view' && e.actorId === clerk.staffId));
    assert.ok(!trail.text.includes(resident.idNumber));
    assertProblem(await staffGet(supervisor, `/audit?centerId=${other.center.id}`), 404, 'not_found');
    const report = await staffGet(supervisor, '/reports');
    assert.equal(report.status, 200, report.text);
    assert.deepEqual(Object.keys(report.body).sort(), ['booked', 'busiestHours', 'cancelled', 'days', 'fulfilled', 'medianServiceSeconds', 'medianWaitSeconds', 'noShowRate', 'noShows', 'serviceP90Seconds', 'utilisation', 'waitP90Seconds']);
    assertProblem(await staffGet(supervisor, '/reports?from=2026-12-05&to=2026-12-01'), 400, 'invalid_range');

    const admin = await staffLogin(t, { role: 'admin', clock });
    const all = await staffGet(admin, '/audit');
    assert.equal(all.status, 200, all.text);
    const centers = new Set(all.body.map((e: { centerId: string }) => e.centerId));
    assert.ok(centers.has(center.id) && centers.has(other.center.id));
    const one = await staffGet(admin, `/audit?centerId=${other.center.id}`);
    assert.ok(one.body.length > 0 && one.body.every((e: { centerId: string }) => e.centerId === other.center.id));
    const ofOne = await staffGet(admin, `/reports?centerId=${center.id}`);
    assert.equal(ofOne.status, 200, ofOne.text);
    const ofAll = await staffGet(admin, '/reports');
    assert.equal(ofAll.status, 200, 'an admin who names no center gets all of them');
    assert.ok(ofAll.body.booked >= ofOne.body.booked + 1, 'the other center’s booking counts too');
    const csv = await staffGet(admin, '/reports.csv');
    const codes = csv.text.split('\r\n').slice(1, -1).map((line) => line.split(',')[1]);
    assert.ok(codes.includes(center.code) && codes.includes(other.center.code), csv.text);
  });

  it('reports count a known day right: booked, fulfilled, no-shows, cancelled, no-show rate, median wait, utilisation', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const clerk = await staffLogin(t, { role: 'clerk', center, clock });
    const slot = await slotAt(center, 0.1, 5); // starts in 6 minutes
    const [served, absent, waiting, cancelling] = [await signIn(t.api), await signIn(t.api), await signIn(t.api), await signIn(t.api)];
    const a = await bookFor(t, served, slot, service);
    const b = await bookFor(t, absent, slot, service);
    await bookFor(t, waiting, slot, service);
    const d = await bookFor(t, cancelling, slot, service);
    assert.equal((await t.api.post(`/api/v1/appointments/${d.id}/cancel`, undefined, { token: cancelling.token })).status, 200);

    assert.equal((await checkInById(clerk, a.id, served.idNumber)).status, 200);
    clock.advance(2 * MINUTE);
    assert.deepEqual((await staffPost(clerk, '/call-next', { counter: 1 })).body, { ticket: 'A-001', appointmentId: a.id });
    assert.equal((await staffPost(clerk, `/appointments/${a.id}/fulfil`, { certificateSerial: 'R-1' })).status, 200);
    clock.advance(5 * MINUTE);
    assert.equal((await staffPost(clerk, `/appointments/${b.id}/no-show`)).status, 200);

    const supervisor = await staffLogin(t, { role: 'supervisor', center, clock });
    const report = await staffGet(supervisor, '/reports');
    assert.equal(report.status, 200, report.text);
    const day = shanghaiDate(clock.now());
    assert.deepEqual(report.body, {
      booked: 4,
      fulfilled: 1,
      noShows: 1,
      cancelled: 1,
      noShowRate: 0.3333,
      medianWaitSeconds: 120,
      waitP90Seconds: 120,
      medianServiceSeconds: 0,
      serviceP90Seconds: 0,
      utilisation: 0.6,
      busiestHours: [{ hour: (slot.startsAt.getUTCHours() + 8) % 24, appointments: 3 }],
      days: [{ date: day, booked: 4, fulfilled: 1, cancelled: 1, noShows: 1 }],
    });
    // The CSV opens in Excel as it is: a UTF-8 BOM, headers in the reader's language (Chinese by default), a center column.
    const csv = await fetch(`${t.url}/api/v1/staff/reports.csv`, { headers: { authorization: `Bearer ${supervisor.token}` } });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 BOM');
    assert.equal(bytes.subarray(3).toString('utf8'), `日期,服务中心,预约数,已领取,已取消,未到\r\n${day},${center.code},4,1,1,1\r\n`);
    const english = await t.api.get('/api/v1/staff/reports.csv', { token: supervisor.token, headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    assert.equal(english.text.split('\r\n')[0], 'Date,Center,Appointments,Handed over,Cancelled,No-shows');
    assert.deepEqual((await staffGet(supervisor, `/reports?from=${day}&to=${day}`)).body, report.body);
    // The default period is the last 30 days up to today: a day 29 days back is in it, 30 days back is not.
    const back = (days: number) => shanghaiDate(new Date(clock.now().getTime() - days * 24 * 3600_000));
    assert.deepEqual((await staffGet(supervisor, `/reports?from=${back(29)}&to=${day}`)).body, report.body);
    const older = await slotAt(center, -30 * 24, 5);
    const [{ count }] = (await t.dataSource.query(
      `INSERT INTO appointment (reference, center_id, service_id, slot_id, status, created_at, updated_at) VALUES ('OLDREPORT1', $1, $2, $3, 'cancelled', $4, $4) RETURNING 1 AS count`,
      [center.id, service.id, older.id, older.startsAt],
    )) as Array<{ count: number }>;
    assert.equal(count, 1);
    assert.equal((await staffGet(supervisor, '/reports')).body.booked, 4, 'an appointment 30 days back is outside the default period');
    assert.equal((await staffGet(supervisor, `/reports?from=${back(30)}&to=${day}`)).body.booked, 5);
    const nextDay = shanghaiDate(new Date(clock.now().getTime() + 24 * 3600_000));
    assert.deepEqual((await staffGet(supervisor, `/reports?from=${nextDay}`)).body, {
      booked: 0,
      fulfilled: 0,
      noShows: 0,
      cancelled: 0,
      noShowRate: 0,
      medianWaitSeconds: null,
      waitP90Seconds: null,
      medianServiceSeconds: null,
      serviceP90Seconds: null,
      utilisation: 0,
      busiestHours: [],
      days: [],
    });
  });

  it('unknown and malformed appointment ids: 404 and 400, never 500', async () => {
    const clerk = await staffLogin(t, { role: 'clerk', center: (await createCenter(t.dataSource)).center, clock });
    for (const action of ['ready', 'counter-otp', 'no-show']) {
      assertProblem(await staffPost(clerk, `/appointments/${randomUUID()}/${action}`), 404, 'not_found');
      assertProblem(await staffPost(clerk, `/appointments/nope/${action}`), 400, 'validation_failed');
    }
    assertProblem(await staffPost(clerk, `/appointments/${randomUUID()}/fulfil`, { certificateSerial: 'X-1' }), 404, 'not_found');
    assertProblem(await checkInById(clerk, randomUUID(), newIdNumber()), 404, 'not_found');
    assert.equal((await staffPost(clerk, `/appointments/${randomUUID()}/check-in`, { method: 'face' })).status, 400);
  });
});
