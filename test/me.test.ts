import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AuditService } from '../src/audit/audit.service';
import { createCenter, createSlot } from './support/factories';
import { ApiResponse } from './support/http';
import { newPhone } from './support/identities';
import { signIn, SignedInResident } from './support/residents';
import { startTestApp, TestApp } from './support/test-app';

const tokenHash = (token: string): Buffer => createHash('sha256').update(token).digest();
const maskedId = (id: string): string => `${id.slice(0, 3)}${'*'.repeat(11)}${id.slice(-4)}`;
const maskedPhone = (national: string): string => `${national.slice(0, 3)}****${national.slice(-4)}`;

function assertProblem(response: ApiResponse, status: number, code: string): void {
  assert.equal(response.status, status, response.text);
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  for (const key of ['type', 'title', 'detail', 'code']) assert.equal(typeof response.body[key], 'string', `${key} in ${response.text}`);
  assert.equal(response.body.status, status);
  assert.equal(response.body.code, code);
}

interface ResidentRow {
  id: string;
  id_hash: Buffer;
}

describe('resident data: /api/v1/me', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  async function residentRow(token: string): Promise<ResidentRow> {
    const [row] = (await t.dataSource.query(
      'SELECT r.id, r.id_hash FROM resident r JOIN session s ON s.resident_id = r.id WHERE s.token_hash = $1',
      [tokenHash(token)],
    )) as ResidentRow[];
    assert.ok(row, 'no resident for this token');
    return row;
  }

  async function book(resident: SignedInResident, fixture?: Awaited<ReturnType<typeof createCenter>>, hoursFromNow = 48) {
    const { center, service } = fixture ?? (await createCenter(t.dataSource));
    const slot = await createSlot(t.dataSource, center.id, { hoursFromNow });
    const response = await t.api.post('/api/v1/appointments', { slotId: slot.id, serviceId: service.id }, { token: resident.token });
    assert.equal(response.status, 201, response.text);
    return { center, service, slot, appointment: response.body as { id: string; reference: string; status: string } };
  }

  async function bookedCount(slotId: string): Promise<number> {
    const [row] = (await t.dataSource.query('SELECT booked FROM slot WHERE id = $1', [slotId])) as Array<{ booked: number }>;
    return row!.booked;
  }

  it('GET /me answers the masked ID and phone and no restriction', async () => {
    const resident = await signIn(t.api);
    const me = await t.api.get('/api/v1/me', { token: resident.token });
    assert.equal(me.status, 200, me.text);
    assert.deepEqual(me.body, { maskedIdNumber: maskedId(resident.idNumber), maskedPhone: maskedPhone(resident.phone), restrictedUntil: null });
    assert.match(me.body.maskedIdNumber, /^\d{3}\*{11}\d{3}[\dX]$/);
    assert.match(me.body.maskedPhone, /^1\d{2}\*{4}\d{4}$/);
    assert.ok(!me.text.includes(resident.idNumber) && !me.text.includes(resident.phone));
  });

  it('GET /me shows a no-show restriction', async () => {
    const resident = await signIn(t.api);
    const until = new Date(Date.now() + 30 * 86_400_000);
    await t.dataSource.query('UPDATE resident SET restricted_until = $2 WHERE id = $1', [(await residentRow(resident.token)).id, until]);
    const me = await t.api.get('/api/v1/me', { token: resident.token });
    assert.equal(me.body.restrictedUntil, until.toISOString());
  });

  it('every /me route answers 401 unauthenticated without a live session', async () => {
    const routes: Array<['get' | 'delete', string]> = [
      ['get', '/api/v1/me'],
      ['get', '/api/v1/me/access-log'],
      ['get', '/api/v1/me/export'],
      ['delete', '/api/v1/me'],
    ];
    for (const [method, path] of routes) {
      assertProblem(await t.api[method](path), 401, 'unauthenticated');
      assertProblem(await t.api[method](path, { token: 'A'.repeat(43) }), 401, 'unauthenticated');
      assertProblem(await t.api[method](path, { headers: { cookie: 'civic_session=nope' } }), 401, 'unauthenticated');
    }
  });

  it('GET /me/access-log is empty at first, then lists staff accesses to this resident only', async () => {
    const alice = await signIn(t.api);
    const bob = await signIn(t.api);
    const empty = await t.api.get('/api/v1/me/access-log', { token: alice.token });
    assert.equal(empty.status, 200, empty.text);
    assert.deepEqual(empty.body, []);

    const aliceRow = await residentRow(alice.token);
    const bobRow = await residentRow(bob.token);
    const { center } = await createCenter(t.dataSource);
    const audit = t.app.get(AuditService);
    const manager = t.dataSource.manager;
    const before = Date.now();
    await audit.append(manager, { actorType: 'staff', actorRole: 'clerk', action: 'appointment.lookup', residentIdHash: aliceRow.id_hash, centerId: center.id });
    await audit.append(manager, { actorType: 'staff', actorRole: 'supervisor', action: 'appointment.check_in', residentIdHash: bobRow.id_hash });
    await audit.append(manager, { actorType: 'resident', action: 'resident.exported', residentIdHash: aliceRow.id_hash }); // not a staff access
    await audit.append(manager, { actorType: 'staff', actorRole: 'clerk', action: 'queue.viewed', centerId: center.id }); // no resident

    const aliceLog = await t.api.get('/api/v1/me/access-log', { token: alice.token });
    assert.equal(aliceLog.status, 200);
    assert.equal(aliceLog.body.length, 1, aliceLog.text);
    const [entry] = aliceLog.body;
    assert.deepEqual(Object.keys(entry).sort(), ['action', 'at', 'centerId', 'staffRole']);
    assert.deepEqual({ ...entry, at: undefined }, { at: undefined, action: 'appointment.lookup', staffRole: 'clerk', centerId: center.id });
    assert.ok(Math.abs(Date.parse(entry.at) - before) < 60_000, entry.at);

    const bobLog = await t.api.get('/api/v1/me/access-log', { token: bob.token });
    assert.deepEqual(
      bobLog.body.map((e: Record<string, unknown>) => ({ ...e, at: undefined })),
      [{ at: undefined, action: 'appointment.check_in', staffRole: 'supervisor', centerId: null }],
    );
  });

  it('GET /me/access-log lists a staff queue view that showed one of the resident’s appointments, and only to them', async () => {
    const listed = await signIn(t.api);
    const notListed = await signIn(t.api);
    const fixture = await createCenter(t.dataSource);
    const { appointment } = await book(listed, fixture);
    await book(notListed, fixture, 50);
    await t.app.get(AuditService).append(t.dataSource.manager, {
      actorType: 'staff',
      actorRole: 'clerk',
      action: 'queue.view',
      centerId: fixture.center.id,
      detail: { appointmentIds: [appointment.id] },
    });
    const log = await t.api.get('/api/v1/me/access-log', { token: listed.token });
    assert.deepEqual(
      log.body.map((e: Record<string, unknown>) => ({ ...e, at: undefined })),
      [{ at: undefined, action: 'queue.view', staffRole: 'clerk', centerId: fixture.center.id }],
    );
    assert.deepEqual((await t.api.get('/api/v1/me/access-log', { token: notListed.token })).body, []);
  });

  it('GET /me/export holds the plain ID and phone (E.164), the appointments, and nothing of other residents', async () => {
    const resident = await signIn(t.api);
    const other = await signIn(t.api);
    const { appointment, center, service } = await book(resident);
    const theirs = await book(other);

    const exported = await t.api.get('/api/v1/me/export', { token: resident.token });
    assert.equal(exported.status, 200, exported.text);
    assert.equal(exported.body.resident.idNumber, resident.idNumber);
    assert.equal(exported.body.resident.phone, `+86${resident.phone}`);
    assert.equal(exported.body.appointments.length, 1);
    assert.equal(exported.body.appointments[0].id, appointment.id);
    assert.equal(exported.body.appointments[0].reference, appointment.reference);
    assert.equal(exported.body.appointments[0].status, 'booked');
    assert.equal(exported.body.appointments[0].centerId, center.id);
    assert.equal(exported.body.appointments[0].serviceId, service.id);
    assert.ok(Array.isArray(exported.body.sessions) && exported.body.sessions.length >= 1);
    assert.ok(Array.isArray(exported.body.accessLog));
    for (const secret of [other.idNumber, other.phone, theirs.appointment.id, theirs.appointment.reference]) {
      assert.ok(!exported.text.includes(secret), 'the export shows another resident');
    }
  });

  it('DELETE /me is refused with 409 active_appointments while one is active, then erases the resident', async () => {
    const resident = await signIn(t.api);
    const row = await residentRow(resident.token);
    const fixture = await createCenter(t.dataSource);
    const past = await book(resident, fixture, 48);

    assertProblem(await t.api.delete('/api/v1/me', { token: resident.token }), 409, 'active_appointments');
    await t.dataSource.query(`UPDATE appointment SET status = 'checked_in' WHERE id = $1`, [past.appointment.id]);
    assertProblem(await t.api.delete('/api/v1/me', { token: resident.token }), 409, 'active_appointments');
    // Served: no longer active, but its place in the slot stays taken.
    await t.dataSource.query(`UPDATE appointment SET status = 'fulfilled' WHERE id = $1`, [past.appointment.id]);

    const current = await book(resident, fixture, 72);
    assertProblem(await t.api.delete('/api/v1/me', { token: resident.token }), 409, 'active_appointments');
    assert.equal((await t.api.get('/api/v1/me', { token: resident.token })).status, 200, 'a refused erasure leaves the session');

    const cancelled = await t.api.post(`/api/v1/appointments/${current.appointment.id}/cancel`, undefined, { token: resident.token });
    assert.equal(cancelled.status, 200, cancelled.text);
    const bookedBefore = { past: await bookedCount(past.slot.id), current: await bookedCount(current.slot.id) };
    assert.deepEqual(bookedBefore, { past: 1, current: 0 });

    const erased = await t.api.delete('/api/v1/me', { token: resident.token });
    assert.equal(erased.status, 204, erased.text);
    assert.equal(erased.text, '');

    const [{ residents }] = (await t.dataSource.query('SELECT count(*)::int AS residents FROM resident WHERE id = $1 OR id_hash = $2', [row.id, row.id_hash])) as Array<{
      residents: number;
    }>;
    assert.equal(residents, 0, 'the resident row is gone');
    const [{ sessions }] = (await t.dataSource.query('SELECT count(*)::int AS sessions FROM session WHERE resident_id = $1', [row.id])) as Array<{ sessions: number }>;
    assert.equal(sessions, 0);
    const [{ challenges }] = (await t.dataSource.query('SELECT count(*)::int AS challenges FROM otp_challenge WHERE id_hash = $1', [row.id_hash])) as Array<{
      challenges: number;
    }>;
    assert.equal(challenges, 0, 'the passcode history is gone');
    assertProblem(await t.api.get('/api/v1/me', { token: resident.token }), 401, 'unauthenticated');

    const appointments = (await t.dataSource.query('SELECT id, resident_id, status FROM appointment WHERE id = ANY($1::uuid[]) ORDER BY status', [
      [past.appointment.id, current.appointment.id],
    ])) as Array<{ id: string; resident_id: string | null; status: string }>;
    assert.deepEqual(appointments, [
      { id: current.appointment.id, resident_id: null, status: 'cancelled' },
      { id: past.appointment.id, resident_id: null, status: 'fulfilled' },
    ]);
    assert.deepEqual({ past: await bookedCount(past.slot.id), current: await bookedCount(current.slot.id) }, bookedBefore, 'erasure leaves the slot counters alone');

    // Nothing binds the ID any more: it can start afresh with another phone.
    const phone = newPhone();
    const again = await signIn(t.api, resident.idNumber, phone);
    const me = await t.api.get('/api/v1/me', { token: again.token });
    assert.equal(me.body.maskedPhone, maskedPhone(phone));
    assert.equal((await t.api.get('/api/v1/me/appointments', { token: again.token })).body.length, 0, 'the erased appointments are not linked back');
  });

  it('DELETE /me of one resident leaves other residents alone', async () => {
    const leaving = await signIn(t.api);
    const staying = await signIn(t.api);
    const { appointment } = await book(staying);
    assert.equal((await t.api.delete('/api/v1/me', { token: leaving.token })).status, 204);
    assert.equal((await t.api.get('/api/v1/me', { token: staying.token })).status, 200);
    const mine = await t.api.get('/api/v1/me/appointments', { token: staying.token });
    assert.deepEqual(
      mine.body.map((a: { id: string }) => a.id),
      [appointment.id],
    );
  });
});
