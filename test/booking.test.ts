import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CenterService } from '../src/centers/center-service.entity';
import { Service } from '../src/centers/service.entity';
import { createCenter, createService, createSlot } from './support/factories';
import { ApiResponse } from './support/http';
import { residentIdOf as residentIdOfSession, signIn, SignedInResident } from './support/residents';
import { startTestApp, TestApp } from './support/test-app';

const REFERENCE = /^[2-9A-HJ-NP-Z]{8,}$/;
const APPOINTMENT_FIELDS = ['centerId', 'createdAt', 'endsAt', 'id', 'preparation', 'proxy', 'reference', 'serviceId', 'slotId', 'startsAt', 'status', 'ticket'];

/** Every error is problem+json with a stable `code`. */
function assertProblem(response: ApiResponse, status: number, code: string): void {
  assert.equal(response.status, status, response.text);
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/, response.text);
  assert.equal(response.body.code, code, response.text);
  assert.equal(response.body.status, status);
  assert.equal(typeof response.body.title, 'string');
}

/** iCalendar text with folded lines joined and TEXT escapes undone. */
function unfoldIcs(text: string): string {
  return text
    .replace(/\r?\n[ \t]/g, '')
    .replace(/\\n/gi, '\n')
    .replace(/\\([,;\\])/g, '$1');
}

describe('resident appointments', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp({ env: { MAX_ACTIVE_APPOINTMENTS: '3' } });
  });
  after(() => t.close());

  const book = (resident: SignedInResident | undefined, body: unknown, idempotencyKey?: string): Promise<ApiResponse> =>
    t.api.post('/api/v1/appointments', body, { token: resident?.token, headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {} });

  const booked = async (slotId: string): Promise<number> => {
    const [row] = (await t.dataSource.query('SELECT booked FROM slot WHERE id = $1', [slotId])) as Array<{ booked: number }>;
    assert.ok(row, `no slot ${slotId}`);
    return row.booked;
  };

  const appointmentRows = async (where: string, params: unknown[]): Promise<number> => {
    const [row] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM appointment WHERE ${where}`, params)) as Array<{ n: number }>;
    return row!.n;
  };

  const residentIdOf = (resident: SignedInResident): Promise<string> => residentIdOfSession(t.dataSource, resident);

  const offer = async (centerId: string, service: Service): Promise<void> => {
    await t.dataSource.manager.insert(CenterService, { centerId, serviceId: service.id, leadTimeHours: null });
  };

  it('books a slot: 201 Appointment with a reference, and the slot counts it', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id, { hoursFromNow: 50, capacity: 3 });
    const resident = await signIn(t.api);
    const before = Date.now();
    const response = await book(resident, { slotId: slot.id, serviceId: service.id });
    assert.equal(response.status, 201, response.text);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const appointment = response.body;
    assert.deepEqual(Object.keys(appointment).sort(), APPOINTMENT_FIELDS);
    assert.match(appointment.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.match(appointment.reference, REFERENCE);
    assert.equal(appointment.status, 'booked');
    assert.equal(appointment.preparation, 'pending');
    assert.equal(appointment.centerId, center.id);
    assert.equal(appointment.serviceId, service.id);
    assert.equal(appointment.slotId, slot.id);
    assert.equal(appointment.ticket, null);
    assert.match(appointment.startsAt, /\+08:00$/);
    assert.equal(new Date(appointment.startsAt).getTime(), slot.startsAt.getTime());
    assert.equal(new Date(appointment.endsAt).getTime(), slot.endsAt.getTime());
    const createdAt = new Date(appointment.createdAt).getTime();
    assert.ok(!Number.isNaN(createdAt) && createdAt >= before - 5_000 && createdAt <= Date.now() + 5_000, appointment.createdAt);
    assert.equal(await booked(slot.id), 1);
    assert.equal(await appointmentRows('slot_id = $1', [slot.id]), 1);
  });

  it('references differ between appointments and never use 0, O, 1 or I', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id, { capacity: 10 });
    const references = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const response = await book(await signIn(t.api), { slotId: slot.id, serviceId: service.id });
      assert.equal(response.status, 201, response.text);
      assert.match(response.body.reference, REFERENCE);
      references.add(response.body.reference);
    }
    assert.equal(references.size, 5);
    assert.equal(await booked(slot.id), 5);
  });

  it('refuses booking without a session: 401 unauthenticated, nothing booked', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id);
    assertProblem(await book(undefined, { slotId: slot.id, serviceId: service.id }), 401, 'unauthenticated');
    assertProblem(await book({ idNumber: '', phone: '', token: 'not-a-real-session-token' }, { slotId: slot.id, serviceId: service.id }), 401, 'unauthenticated');
    assertProblem(await t.api.get('/api/v1/me/appointments'), 401, 'unauthenticated');
    assert.equal(await booked(slot.id), 0);
  });

  it('refuses a full slot with 409 slot_full and leaves the counter at capacity', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id, { capacity: 2 });
    for (let i = 0; i < 2; i++) assert.equal((await book(await signIn(t.api), { slotId: slot.id, serviceId: service.id })).status, 201);
    const late = await signIn(t.api);
    assertProblem(await book(late, { slotId: slot.id, serviceId: service.id }), 409, 'slot_full');
    assert.equal(await booked(slot.id), 2);
    assert.equal(await appointmentRows('slot_id = $1', [slot.id]), 2);
    const mine = await t.api.get('/api/v1/me/appointments', { token: late.token });
    assert.deepEqual(mine.body, []);
  });

  it('refuses a second active booking of the same service with 409 already_booked', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const first = await createSlot(t.dataSource, center.id, { hoursFromNow: 30 });
    const second = await createSlot(t.dataSource, center.id, { hoursFromNow: 31 });
    const resident = await signIn(t.api);
    assert.equal((await book(resident, { slotId: first.id, serviceId: service.id })).status, 201);
    assertProblem(await book(resident, { slotId: second.id, serviceId: service.id }), 409, 'already_booked');
    assertProblem(await book(resident, { slotId: first.id, serviceId: service.id }), 409, 'already_booked');
    assert.equal(await booked(first.id), 1);
    assert.equal(await booked(second.id), 0);
  });

  it('may book the same service again once the earlier appointment is cancelled', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const first = await createSlot(t.dataSource, center.id, { hoursFromNow: 30 });
    const second = await createSlot(t.dataSource, center.id, { hoursFromNow: 31 });
    const resident = await signIn(t.api);
    const original = await book(resident, { slotId: first.id, serviceId: service.id });
    assert.equal(original.status, 201);
    assert.equal((await t.api.post(`/api/v1/appointments/${original.body.id}/cancel`, undefined, { token: resident.token })).status, 200);
    const again = await book(resident, { slotId: second.id, serviceId: service.id });
    assert.equal(again.status, 201, again.text);
    assert.notEqual(again.body.id, original.body.id);
    assert.equal(await booked(first.id), 0);
    assert.equal(await booked(second.id), 1);
  });

  it('same Idempotency-Key and same body answers the same appointment; one row, one place', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id);
    const resident = await signIn(t.api);
    const key = `retry-${randomUUID()}`;
    const first = await book(resident, { slotId: slot.id, serviceId: service.id }, key);
    assert.equal(first.status, 201, first.text);
    const retry = await book(resident, { slotId: slot.id, serviceId: service.id }, key);
    assert.equal(retry.status, 201, retry.text);
    assert.deepEqual(retry.body, first.body);
    assert.equal(await appointmentRows('idempotency_key = $1', [key]), 1);
    assert.equal(await appointmentRows('slot_id = $1', [slot.id]), 1);
    assert.equal(await booked(slot.id), 1);
  });

  it('same Idempotency-Key with another body is 409 idempotency_conflict', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id, { hoursFromNow: 30 });
    const other = await createSlot(t.dataSource, center.id, { hoursFromNow: 31 });
    const resident = await signIn(t.api);
    const key = `key-${randomUUID()}`;
    assert.equal((await book(resident, { slotId: slot.id, serviceId: service.id }, key)).status, 201);
    assertProblem(await book(resident, { slotId: other.id, serviceId: service.id }, key), 409, 'idempotency_conflict');
    assert.equal(await booked(other.id), 0);
    assert.equal(await booked(slot.id), 1);
    assert.equal(await appointmentRows('idempotency_key = $1', [key]), 1);
  });

  it('the same Idempotency-Key used by another resident books for them independently', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id);
    const key = `shared-${randomUUID()}`;
    const a = await book(await signIn(t.api), { slotId: slot.id, serviceId: service.id }, key);
    const b = await book(await signIn(t.api), { slotId: slot.id, serviceId: service.id }, key);
    assert.equal(a.status, 201, a.text);
    assert.equal(b.status, 201, b.text);
    assert.notEqual(a.body.id, b.body.id);
    assert.equal(await booked(slot.id), 2);
  });

  it('refuses a slot beyond the booking window with 422 outside_booking_window', async () => {
    const { center, service } = await createCenter(t.dataSource, { bookingWindowDays: 3 });
    const beyond = await createSlot(t.dataSource, center.id, { hoursFromNow: 24 * 6 });
    const inside = await createSlot(t.dataSource, center.id, { hoursFromNow: 24 });
    const resident = await signIn(t.api);
    assertProblem(await book(resident, { slotId: beyond.id, serviceId: service.id }), 422, 'outside_booking_window');
    assert.equal(await booked(beyond.id), 0);
    assert.equal((await book(resident, { slotId: inside.id, serviceId: service.id })).status, 201);
  });

  it('refuses a slot sooner than the service lead time with 422 lead_time', async () => {
    const service = await createService(t.dataSource, { leadTimeHours: 24 });
    const { center } = await createCenter(t.dataSource, {}, service);
    const soon = await createSlot(t.dataSource, center.id, { hoursFromNow: 2 });
    const later = await createSlot(t.dataSource, center.id, { hoursFromNow: 30 });
    const resident = await signIn(t.api);
    assertProblem(await book(resident, { slotId: soon.id, serviceId: service.id }), 422, 'lead_time');
    assert.equal(await booked(soon.id), 0);
    assert.equal((await book(resident, { slotId: later.id, serviceId: service.id })).status, 201);
  });

  it('refuses a service the center does not offer with 422 service_not_offered', async () => {
    const { center } = await createCenter(t.dataSource);
    const elsewhere = await createService(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id);
    assertProblem(await book(await signIn(t.api), { slotId: slot.id, serviceId: elsewhere.id }), 422, 'service_not_offered');
    assertProblem(await book(await signIn(t.api), { slotId: slot.id, serviceId: randomUUID() }), 422, 'service_not_offered');
    assert.equal(await booked(slot.id), 0);
  });

  it('refuses an unknown slot with 404 not_found and a malformed body with 400', async () => {
    const { service } = await createCenter(t.dataSource);
    const resident = await signIn(t.api);
    assertProblem(await book(resident, { slotId: randomUUID(), serviceId: service.id }), 404, 'not_found');
    assertProblem(await book(resident, { slotId: 'nope', serviceId: service.id }), 400, 'validation_failed');
    assertProblem(await book(resident, { serviceId: service.id }), 400, 'validation_failed');
  });

  it('refuses the 4th active appointment over MAX_ACTIVE_APPOINTMENTS=3 with 409 too_many_active_appointments', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const services = [service];
    for (let i = 0; i < 3; i++) {
      const extra = await createService(t.dataSource);
      await offer(center.id, extra);
      services.push(extra);
    }
    const slot = await createSlot(t.dataSource, center.id, { capacity: 10 });
    const resident = await signIn(t.api);
    for (const s of services.slice(0, 3)) assert.equal((await book(resident, { slotId: slot.id, serviceId: s.id })).status, 201);
    const fourth = await book(resident, { slotId: slot.id, serviceId: services[3]!.id });
    assertProblem(fourth, 409, 'too_many_active_appointments');
    assert.equal(await booked(slot.id), 3);
    const mine = await t.api.get('/api/v1/me/appointments', { token: resident.token });
    assert.equal(mine.body.length, 3);
    // A cancelled one no longer counts.
    assert.equal((await t.api.post(`/api/v1/appointments/${mine.body[0].id}/cancel`, undefined, { token: resident.token })).status, 200);
    assert.equal((await book(resident, { slotId: slot.id, serviceId: services[3]!.id })).status, 201);
    assert.equal(await booked(slot.id), 3);
  });

  it('refuses a restricted resident with 403 booking_restricted; an expired restriction no longer counts', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id);
    const resident = await signIn(t.api);
    const residentId = await residentIdOf(resident);
    await t.dataSource.query(`UPDATE resident SET restricted_until = now() + interval '20 days' WHERE id = $1`, [residentId]);
    assertProblem(await book(resident, { slotId: slot.id, serviceId: service.id }), 403, 'booking_restricted');
    assert.equal(await booked(slot.id), 0);
    await t.dataSource.query(`UPDATE resident SET restricted_until = now() - interval '1 minute' WHERE id = $1`, [residentId]);
    assert.equal((await book(resident, { slotId: slot.id, serviceId: service.id })).status, 201);
  });

  it('GET /appointments/{id}: 200 for the owner, 404 (never 403) for anyone else, 400 for a non-UUID', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id);
    const owner = await signIn(t.api);
    const other = await signIn(t.api);
    const created = await book(owner, { slotId: slot.id, serviceId: service.id });
    assert.equal(created.status, 201);
    const mine = await t.api.get(`/api/v1/appointments/${created.body.id}`, { token: owner.token });
    assert.equal(mine.status, 200, mine.text);
    assert.deepEqual(mine.body, created.body);
    assertProblem(await t.api.get(`/api/v1/appointments/${created.body.id}`, { token: other.token }), 404, 'not_found');
    assertProblem(await t.api.get(`/api/v1/appointments/${randomUUID()}`, { token: owner.token }), 404, 'not_found');
    assertProblem(await t.api.get('/api/v1/appointments/not-a-uuid', { token: owner.token }), 400, 'validation_failed');
    assertProblem(await t.api.get(`/api/v1/appointments/${created.body.id}`), 401, 'unauthenticated');
    // Nor may the other resident reach its calendar entry or QR code.
    assertProblem(await t.api.get(`/api/v1/appointments/${created.body.id}/calendar.ics`, { token: other.token }), 404, 'not_found');
    assertProblem(await t.api.get(`/api/v1/appointments/${created.body.id}/qr.svg`, { token: other.token }), 404, 'not_found');
  });

  it('GET /me/appointments lists only your own', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const second = await createService(t.dataSource);
    await offer(center.id, second);
    const slot = await createSlot(t.dataSource, center.id, { capacity: 10 });
    const a = await signIn(t.api);
    const b = await signIn(t.api);
    const a1 = await book(a, { slotId: slot.id, serviceId: service.id });
    const a2 = await book(a, { slotId: slot.id, serviceId: second.id });
    const b1 = await book(b, { slotId: slot.id, serviceId: service.id });
    for (const r of [a1, a2, b1]) assert.equal(r.status, 201, r.text);
    const listA = await t.api.get('/api/v1/me/appointments', { token: a.token });
    assert.equal(listA.status, 200);
    assert.deepEqual(listA.body.map((x: { id: string }) => x.id).sort(), [a1.body.id, a2.body.id].sort());
    assert.deepEqual(listA.body.find((x: { id: string }) => x.id === a1.body.id), a1.body);
    const listB = await t.api.get('/api/v1/me/appointments', { token: b.token });
    assert.deepEqual(listB.body, [b1.body]);
    const fresh = await t.api.get('/api/v1/me/appointments', { token: (await signIn(t.api)).token });
    assert.equal(fresh.status, 200);
    assert.deepEqual(fresh.body, []);
  });

  it('cancel: 200 cancelled and the place freed; again 409 not_cancellable; another resident 404', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id);
    const owner = await signIn(t.api);
    const other = await signIn(t.api);
    const created = await book(owner, { slotId: slot.id, serviceId: service.id });
    assert.equal(await booked(slot.id), 1);

    assertProblem(await t.api.post(`/api/v1/appointments/${created.body.id}/cancel`, undefined, { token: other.token }), 404, 'not_found');
    assert.equal(await booked(slot.id), 1);
    assert.equal((await t.api.get(`/api/v1/appointments/${created.body.id}`, { token: owner.token })).body.status, 'booked');

    const cancelled = await t.api.post(`/api/v1/appointments/${created.body.id}/cancel`, undefined, { token: owner.token });
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal(cancelled.body.id, created.body.id);
    assert.equal(cancelled.body.slotId, slot.id);
    assert.equal(await booked(slot.id), 0);

    assertProblem(await t.api.post(`/api/v1/appointments/${created.body.id}/cancel`, undefined, { token: owner.token }), 409, 'not_cancellable');
    assert.equal(await booked(slot.id), 0);
    assertProblem(await t.api.post(`/api/v1/appointments/${randomUUID()}/cancel`, undefined, { token: owner.token }), 404, 'not_found');
    assertProblem(await t.api.post('/api/v1/appointments/x/cancel', undefined, { token: owner.token }), 400, 'validation_failed');
  });

  it('reschedule: 200 with the new slot; old slot −1, new slot +1', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const from = await createSlot(t.dataSource, center.id, { hoursFromNow: 30 });
    const to = await createSlot(t.dataSource, center.id, { hoursFromNow: 40 });
    const owner = await signIn(t.api);
    const created = await book(owner, { slotId: from.id, serviceId: service.id });
    const moved = await t.api.post(`/api/v1/appointments/${created.body.id}/reschedule`, { slotId: to.id }, { token: owner.token });
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.id, created.body.id);
    assert.equal(moved.body.reference, created.body.reference);
    assert.equal(moved.body.status, 'booked');
    assert.equal(moved.body.slotId, to.id);
    assert.equal(new Date(moved.body.startsAt).getTime(), to.startsAt.getTime());
    assert.equal(await booked(from.id), 0);
    assert.equal(await booked(to.id), 1);
    const reread = await t.api.get(`/api/v1/appointments/${created.body.id}`, { token: owner.token });
    assert.equal(reread.body.slotId, to.id);
    // Another resident cannot move it.
    const other = await signIn(t.api);
    assertProblem(await t.api.post(`/api/v1/appointments/${created.body.id}/reschedule`, { slotId: from.id }, { token: other.token }), 404, 'not_found');
    assert.equal(await booked(to.id), 1);
  });

  it('reschedule to another center: a certificate ready at the first center is pending again; within one center it stays ready', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const { center: other } = await createCenter(t.dataSource, {}, service);
    const [first, sameCenter] = await Promise.all([30, 34].map((h) => createSlot(t.dataSource, center.id, { hoursFromNow: h })));
    const elsewhere = await createSlot(t.dataSource, other.id, { hoursFromNow: 38 });
    const owner = await signIn(t.api);
    const created = await book(owner, { slotId: first!.id, serviceId: service.id });
    await t.dataSource.query(`UPDATE appointment SET preparation = 'ready' WHERE id = $1`, [created.body.id]);
    const within = await t.api.post(`/api/v1/appointments/${created.body.id}/reschedule`, { slotId: sameCenter!.id }, { token: owner.token });
    assert.equal(within.status, 200, within.text);
    assert.equal(within.body.preparation, 'ready');
    const across = await t.api.post(`/api/v1/appointments/${created.body.id}/reschedule`, { slotId: elsewhere.id }, { token: owner.token });
    assert.equal(across.status, 200, across.text);
    assert.equal(across.body.centerId, other.id);
    assert.equal(across.body.preparation, 'pending');
  });

  it('reschedule to a full slot: 409 slot_full and nothing changes', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const from = await createSlot(t.dataSource, center.id, { hoursFromNow: 30 });
    const full = await createSlot(t.dataSource, center.id, { hoursFromNow: 40, capacity: 1 });
    assert.equal((await book(await signIn(t.api), { slotId: full.id, serviceId: service.id })).status, 201);
    const owner = await signIn(t.api);
    const created = await book(owner, { slotId: from.id, serviceId: service.id });
    assertProblem(await t.api.post(`/api/v1/appointments/${created.body.id}/reschedule`, { slotId: full.id }, { token: owner.token }), 409, 'slot_full');
    assert.equal(await booked(from.id), 1);
    assert.equal(await booked(full.id), 1);
    const reread = await t.api.get(`/api/v1/appointments/${created.body.id}`, { token: owner.token });
    assert.deepEqual(reread.body, created.body);
  });

  it('calendar.ics: text/calendar with the event, reference, center address and documents to bring', async () => {
    const service = await createService(t.dataSource, {
      requiredDocuments: [
        { zh: '居民身份证原件', en: 'Resident identity card (original)' },
        { zh: '户口簿', en: 'Household register booklet' },
      ],
    });
    const { center } = await createCenter(t.dataSource, { addressEn: '18 Ruijin Road, Nanming District, Guiyang', addressZh: '贵阳市南明区瑞金路 18 号' }, service);
    const slot = await createSlot(t.dataSource, center.id);
    const owner = await signIn(t.api);
    const created = await book(owner, { slotId: slot.id, serviceId: service.id });
    const response = await t.api.get(`/api/v1/appointments/${created.body.id}/calendar.ics`, { token: owner.token });
    assert.equal(response.status, 200, response.text);
    assert.match(response.headers.get('content-type') ?? '', /^text\/calendar/);
    const ics = unfoldIcs(response.text);
    assert.match(ics, /BEGIN:VCALENDAR/);
    assert.match(ics, /BEGIN:VEVENT/);
    assert.match(ics, /END:VEVENT/);
    assert.ok(ics.includes(created.body.reference), 'reference missing');
    assert.ok(ics.includes('18 Ruijin Road, Nanming District, Guiyang'), 'center address missing');
    assert.ok(ics.includes('贵阳市南明区瑞金路 18 号'), 'center address (zh) missing');
    assert.ok(ics.includes('Resident identity card (original)'), 'document missing');
    assert.ok(ics.includes('Household register booklet'), 'document missing');
    const start = slot.startsAt.toISOString().replace(/[-:]/g, '').slice(0, 13);
    assert.match(ics, new RegExp(`DTSTART[^:]*:${start}`));
    assert.match(ics, /BEGIN:VALARM\r\nACTION:DISPLAY\r\n[^]*TRIGGER:-PT1H\r\n[^]*END:VALARM/, 'a reminder an hour before');
    assert.match(ics, new RegExp(`URL:${t.config.publicUrl.replace(/[.]/g, '\\.')}/me/appointments\r\n`), 'the URL leads to a page, not to a JSON 401');
    const lines = response.text.split('\r\n');
    for (const line of lines) assert.ok(Buffer.byteLength(line) <= 75, `RFC 5545: a line of ${Buffer.byteLength(line)} octets: ${line}`);
    assert.ok(lines.some((line) => line.startsWith(' ')), 'long lines are folded, continued with a space');
  });

  it('qr.svg: 200 image/svg+xml, an <svg> document, different for two appointments', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id);
    const svgs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const owner = await signIn(t.api);
      const created = await book(owner, { slotId: slot.id, serviceId: service.id });
      const response = await t.api.get(`/api/v1/appointments/${created.body.id}/qr.svg`, { token: owner.token });
      assert.equal(response.status, 200, response.text);
      assert.match(response.headers.get('content-type') ?? '', /^image\/svg\+xml/);
      assert.match(response.text.trimStart(), /^(<\?xml[^>]*\?>\s*)?<svg[\s>]/);
      assert.match(response.text, /<\/svg>\s*$/);
      assert.match(response.text, /<svg[^>]* width="264" height="264"/, 'a size of its own');
      // The symbol's first dark module (the finder pattern's corner) sits after 4 light modules.
      assert.match(response.text, /<path stroke="#000000" d="M4 4\.5h7/, 'a 4-module quiet zone (ISO/IEC 18004)');
      svgs.push(response.text);
    }
    assert.notEqual(svgs[0], svgs[1]);
  });
});
