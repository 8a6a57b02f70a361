/**
 * Proxy pickup, on real PostgreSQL: a resident names a relative at booking (or later); at the
 * counter the relative is checked in with their own ID card and the counter passcode sent to
 * the resident's bound phone, and the audit entry records both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyAuditChain } from '../src/audit/audit-verify';
import { Center } from '../src/centers/center.entity';
import { Service } from '../src/centers/service.entity';
import { RetentionService } from '../src/lifecycle/retention.service';
import { NoShowSweepService } from '../src/no-shows/no-show-sweep.service';
import { createCenter, createSlot } from './support/factories';
import { ApiResponse } from './support/http';
import { newIdNumber } from './support/identities';
import { signIn, SignedInResident } from './support/residents';
import { assertProblem, auditCount, COUNTER_ENV, latestCodeFor, maskedId, staffLogin, StaffSession, TEN_AM_SHANGHAI } from './support/staff';
import { startTestApp, TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

describe('proxy pickup', () => {
  const clock = new TestClock(TEN_AM_SHANGHAI);
  let t: TestApp;
  let center: Center;
  let service: Service;
  let clerk: StaffSession;

  before(async () => {
    t = await startTestApp({ clock, env: { ...COUNTER_ENV, MAX_ACTIVE_APPOINTMENTS: '10' } });
    ({ center, service } = await createCenter(t.dataSource));
    clerk = await staffLogin(t, { role: 'clerk', center, clock });
  });
  after(() => t.close());

  let minutes = 0;
  /** Books a new slot starting in about `hoursFromNow` hours, with a proxy if given (asserts 201). */
  async function book(resident: SignedInResident, proxyIdNumber?: string, hoursFromNow = 1): Promise<Record<string, any>> {
    minutes += 1;
    const slot = await createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow: hoursFromNow + minutes / 60, capacity: 5, minutes: 1 });
    const response = await t.api.post('/api/v1/appointments', { slotId: slot.id, serviceId: service.id, ...(proxyIdNumber ? { proxyIdNumber } : {}) }, { token: resident.token });
    assert.equal(response.status, 201, response.text);
    return response.body;
  }
  const staffPost = (path: string, body?: unknown): Promise<ApiResponse> => t.api.post(`/api/v1/staff${path}`, body, { token: clerk.token });
  const putProxy = (resident: SignedInResident, id: string, idNumber: unknown): Promise<ApiResponse> =>
    t.api.request('PUT', `/api/v1/appointments/${id}/proxy`, { idNumber }, { token: resident.token });
  const deleteProxy = (resident: SignedInResident, id: string): Promise<ApiResponse> => t.api.delete(`/api/v1/appointments/${id}/proxy`, { token: resident.token });
  /** A counter passcode to the resident's bound phone, and its code. */
  async function counterCode(appointmentId: string, resident: SignedInResident): Promise<{ challengeId: string; code: string }> {
    const sent = await staffPost(`/appointments/${appointmentId}/counter-otp`);
    assert.equal(sent.status, 202, sent.text);
    return { challengeId: sent.body.challengeId as string, code: await latestCodeFor(t, resident.phone) };
  }
  const proxyRows = async (appointmentId: string): Promise<Array<{ id_hash: Buffer; id_cipher: string }>> =>
    (await t.dataSource.query('SELECT id_hash, id_cipher FROM appointment_proxy WHERE appointment_id = $1', [appointmentId])) as Array<{ id_hash: Buffer; id_cipher: string }>;
  const status = async (resident: SignedInResident, id: string): Promise<string> => (await t.api.get(`/api/v1/appointments/${id}`, { token: resident.token })).body.status as string;

  it('proxy check-in: the proxy’s own ID card + the code sent to the resident → checked_in with a ticket; the audit entry has both hashes', async () => {
    const resident = await signIn(t.api);
    const proxy = newIdNumber();
    const booked = await book(resident, proxy.toLowerCase());
    assert.deepEqual(booked.proxy, { maskedIdNumber: maskedId(proxy) });
    assert.ok(!JSON.stringify(booked).includes(proxy));
    // Stored as a keyed hash and a ciphertext under the current key, never in plain text.
    const [row] = await proxyRows(booked.id as string);
    assert.ok(row && row.id_hash.length === 32 && row.id_cipher.startsWith('k1.') && !row.id_cipher.includes(proxy));

    // The resident and the counter see it masked; the queue too.
    assert.deepEqual((await t.api.get(`/api/v1/appointments/${booked.id}`, { token: resident.token })).body.proxy, { maskedIdNumber: maskedId(proxy) });
    const mine = await t.api.get('/api/v1/me/appointments', { token: resident.token });
    assert.deepEqual(mine.body[0].proxy, { maskedIdNumber: maskedId(proxy) });
    const queue = await t.api.get('/api/v1/staff/queue', { token: clerk.token });
    const entry = queue.body.find((a: { id: string }) => a.id === booked.id);
    assert.deepEqual(entry.proxy, { maskedIdNumber: maskedId(proxy) });
    assert.equal(entry.maskedIdNumber, maskedId(resident.idNumber));
    for (const text of [mine.text, queue.text]) assert.ok(!text.includes(proxy), 'the plain proxy ID in an answer');

    const { challengeId, code } = await counterCode(booked.id as string, resident);
    const checkedIn = await staffPost(`/appointments/${booked.id}/check-in`, { method: 'proxy', proxyIdNumber: proxy, challengeId, code });
    assert.equal(checkedIn.status, 200, checkedIn.text);
    assert.equal(checkedIn.body.status, 'checked_in');
    assert.match(checkedIn.body.ticket, /^A-\d{3}$/);
    assert.deepEqual(checkedIn.body.proxy, { maskedIdNumber: maskedId(proxy) });
    assert.ok(!checkedIn.text.includes(proxy));

    const [audit] = (await t.dataSource.query(`SELECT resident_id_hash, detail FROM audit_entry WHERE action = 'appointment.check_in' AND appointment_id = $1`, [booked.id])) as Array<{
      resident_id_hash: Buffer;
      detail: Record<string, unknown>;
    }>;
    const [residentRow] = (await t.dataSource.query('SELECT r.id_hash FROM resident r JOIN appointment a ON a.resident_id = r.id WHERE a.id = $1', [booked.id])) as Array<{ id_hash: Buffer }>;
    assert.ok(audit!.resident_id_hash.equals(residentRow!.id_hash), 'the resident’s hash in its column');
    assert.equal(audit!.detail.method, 'proxy');
    assert.equal(audit!.detail.proxyIdHash, row.id_hash.toString('hex'), 'the proxy’s hash in the detail');
    assert.equal(audit!.detail.ticket, checkedIn.body.ticket);
    assert.ok(!JSON.stringify(audit!.detail).includes(proxy));
    const chain = await verifyAuditChain(t.dataSource, t.config.appSecret);
    assert.equal(chain.intact, true);
  });

  it('a wrong proxy ID → 401 id_mismatch (audited, nothing changes); the right ID with a wrong code → 401 wrong_code', async () => {
    const resident = await signIn(t.api);
    const proxy = newIdNumber();
    const booked = await book(resident, proxy);
    const { challengeId, code } = await counterCode(booked.id as string, resident);

    // Someone else's card, and the resident's own card: neither is the named proxy.
    for (const card of [newIdNumber(), resident.idNumber]) {
      assertProblem(await staffPost(`/appointments/${booked.id}/check-in`, { method: 'proxy', proxyIdNumber: card, challengeId, code }), 401, 'id_mismatch');
    }
    assert.equal(await auditCount(t, 'appointment.check_in_refused', booked.id as string), 2);
    assert.equal(await status(resident, booked.id as string), 'booked');

    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const refused = await staffPost(`/appointments/${booked.id}/check-in`, { method: 'proxy', proxyIdNumber: proxy, challengeId, code: wrong });
    assertProblem(refused, 401, 'wrong_code');
    assert.equal(refused.body.attemptsRemaining, 4, 'the wrong cards did not use up tries of the code');
    assert.equal(await status(resident, booked.id as string), 'booked');
    // Validation: the proxy method needs the card number and the code.
    assertProblem(await staffPost(`/appointments/${booked.id}/check-in`, { method: 'proxy', challengeId, code }), 400, 'invalid_id_number');
    assert.equal((await staffPost(`/appointments/${booked.id}/check-in`, { method: 'proxy', proxyIdNumber: proxy })).status, 400);

    const ok = await staffPost(`/appointments/${booked.id}/check-in`, { method: 'proxy', proxyIdNumber: proxy, challengeId, code });
    assert.equal(ok.status, 200, ok.text);
  });

  it('an appointment without a proxy refuses the proxy method (409 no_proxy); its resident checks in as before', async () => {
    const resident = await signIn(t.api);
    const booked = await book(resident);
    assert.equal(booked.proxy, null);
    const { challengeId, code } = await counterCode(booked.id as string, resident);
    assertProblem(await staffPost(`/appointments/${booked.id}/check-in`, { method: 'proxy', proxyIdNumber: newIdNumber(), challengeId, code }), 409, 'no_proxy');
    assert.equal(await status(resident, booked.id as string), 'booked');
    const ok = await staffPost(`/appointments/${booked.id}/check-in`, { method: 'otp', challengeId, code });
    assert.equal(ok.status, 200, ok.text);
  });

  it('naming oneself → 422 proxy_is_resident, and the booking is not made', async () => {
    const resident = await signIn(t.api);
    const slot = await createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow: 5, capacity: 1 });
    const refused = await t.api.post('/api/v1/appointments', { slotId: slot.id, serviceId: service.id, proxyIdNumber: resident.idNumber }, { token: resident.token });
    assertProblem(refused, 422, 'proxy_is_resident');
    const [{ booked }] = (await t.dataSource.query('SELECT booked FROM slot WHERE id = $1', [slot.id])) as Array<{ booked: number }>;
    assert.equal(booked, 0, 'the place was given back');
    assert.deepEqual((await t.api.get('/api/v1/me/appointments', { token: resident.token })).body, []);
    assertProblem(await t.api.post('/api/v1/appointments', { slotId: slot.id, serviceId: service.id, proxyIdNumber: '123' }, { token: resident.token }), 400, 'invalid_id_number');
  });

  it('the same Idempotency-Key with the same proxy replays the booking; with another proxy it is 409 idempotency_conflict', async () => {
    const resident = await signIn(t.api);
    const slot = await createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow: 6, capacity: 2 });
    const proxy = newIdNumber();
    const send = (proxyIdNumber: string) =>
      t.api.post('/api/v1/appointments', { slotId: slot.id, serviceId: service.id, proxyIdNumber }, { token: resident.token, headers: { 'idempotency-key': 'proxy-retry' } });
    const first = await send(proxy);
    assert.equal(first.status, 201, first.text);
    const again = await send(proxy);
    assert.deepEqual([again.status, again.body.id], [201, first.body.id]);
    assertProblem(await send(newIdNumber()), 409, 'idempotency_conflict');
    assert.equal((await proxyRows(first.body.id as string)).length, 1);
  });

  it('PUT and DELETE …/proxy set, change and remove it; 404 for another resident’s; 409 once not booked', async () => {
    const resident = await signIn(t.api);
    const other = await signIn(t.api);
    const booked = await book(resident, undefined, 3);
    const id = booked.id as string;
    const [first, second] = [newIdNumber(), newIdNumber()];

    const set = await putProxy(resident, id, first);
    assert.equal(set.status, 200, set.text);
    assert.deepEqual(set.body.proxy, { maskedIdNumber: maskedId(first) });
    assert.ok(!set.text.includes(first));
    const changed = await putProxy(resident, id, second);
    assert.deepEqual(changed.body.proxy, { maskedIdNumber: maskedId(second) });
    assert.equal((await proxyRows(id)).length, 1);
    assertProblem(await putProxy(resident, id, resident.idNumber), 422, 'proxy_is_resident');
    assertProblem(await putProxy(resident, id, 'not a number'), 400, 'invalid_id_number');
    assert.deepEqual((await t.api.get(`/api/v1/appointments/${id}`, { token: resident.token })).body.proxy, { maskedIdNumber: maskedId(second) }, 'refusals change nothing');

    // Another resident's appointment does not exist for them.
    assertProblem(await putProxy(other, id, newIdNumber()), 404, 'not_found');
    assertProblem(await deleteProxy(other, id), 404, 'not_found');
    assert.equal((await proxyRows(id)).length, 1);

    const removed = await deleteProxy(resident, id);
    assert.equal(removed.status, 200, removed.text);
    assert.equal(removed.body.proxy, null);
    assert.equal((await proxyRows(id)).length, 0);
    assert.equal((await deleteProxy(resident, id)).status, 200, 'removing nothing is fine');

    // Cancelled: the proxy can no longer be changed; the cancel answer still shows it.
    assert.equal((await putProxy(resident, id, first)).status, 200);
    const cancelled = await t.api.post(`/api/v1/appointments/${id}/cancel`, undefined, { token: resident.token });
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.deepEqual(cancelled.body.proxy, { maskedIdNumber: maskedId(first) });
    assertProblem(await putProxy(resident, id, second), 409, 'proxy_not_changeable');
    assertProblem(await deleteProxy(resident, id), 409, 'proxy_not_changeable');
  });

  it('the export holds the proxy ID numbers in plain text; erasure leaves no proxy ciphertext', async () => {
    const resident = await signIn(t.api);
    const proxy = newIdNumber();
    const booked = await book(resident, proxy, 30);
    const exported = await t.api.get('/api/v1/me/export', { token: resident.token });
    assert.equal(exported.status, 200, exported.text);
    const appointment = exported.body.appointments.find((a: { id: string }) => a.id === booked.id);
    assert.equal(appointment.proxyIdNumber, proxy);
    assert.deepEqual(appointment.proxy, { maskedIdNumber: maskedId(proxy) });

    assert.equal((await t.api.post(`/api/v1/appointments/${booked.id}/cancel`, undefined, { token: resident.token })).status, 200);
    const erased = await t.api.delete('/api/v1/me', { token: resident.token });
    assert.equal(erased.status, 204, erased.text);
    assert.deepEqual(await proxyRows(booked.id as string), []);
  });

  it('retention removes the proxy of an appointment long past, with the link to its resident', async () => {
    const resident = await signIn(t.api);
    const booked = await book(resident, newIdNumber(), 0.5);
    const kept = await book(await signIn(t.api), newIdNumber(), 10 * 24);
    clock.advance(3 * 3600_000);
    try {
      await t.app.get(NoShowSweepService).sweep();
      clock.advance(181 * 24 * 3600_000);
      const report = await t.app.get(RetentionService).run();
      assert.ok(report);
      assert.ok(report.proxies >= 1, JSON.stringify(report));
      assert.deepEqual(await proxyRows(booked.id as string), []);
      assert.equal((await proxyRows(kept.id as string)).length, 1, 'a booked appointment keeps its proxy');
    } finally {
      clock.set(TEN_AM_SHANGHAI);
    }
  });
});
