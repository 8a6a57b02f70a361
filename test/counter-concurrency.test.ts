import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyAuditChain } from '../src/audit/audit-verify';
import { Center } from '../src/centers/center.entity';
import { Service } from '../src/centers/service.entity';
import { Slot } from '../src/slots/slot.entity';
import { createCenter, createSlot } from './support/factories';
import { newIdNumber } from './support/identities';
import { signIn, SignedInResident } from './support/residents';
import { bookFor, COUNTER_ENV, staffLogin, StaffSession, TEN_AM_SHANGHAI } from './support/staff';
import { TestClock } from './support/test-clock';
import { startTestApp, TestApp } from './support/test-app';

const N = 20;
const expectedTickets = (n: number): string[] => Array.from({ length: n }, (_, i) => `A-${String(i + 1).padStart(3, '0')}`);

interface Booked {
  resident: SignedInResident;
  appointment: Record<string, any>;
}

describe('the counter under concurrency', () => {
  const clock = new TestClock(TEN_AM_SHANGHAI);
  let t: TestApp;

  before(async () => {
    t = await startTestApp({ clock, env: COUNTER_ENV });
  });
  after(() => t.close());

  /** n residents, each booked on one of today's slots at this center. */
  async function bookToday(center: Center, service: Service, n: number): Promise<Booked[]> {
    const slots: Slot[] = [];
    for (let i = 0; i < Math.ceil(n / 5); i++) slots.push(await createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow: 1 + i * 0.5, capacity: 5 }));
    const residents: SignedInResident[] = [];
    for (let i = 0; i < n; i++) residents.push(await signIn(t.api));
    return Promise.all(residents.map(async (resident, i) => ({ resident, appointment: await bookFor(t, resident, slots[Math.floor(i / 5)]!, service) })));
  }

  const checkIn = (clerk: StaffSession, booked: Booked) =>
    t.api.post(`/api/v1/staff/appointments/${booked.appointment.id}/check-in`, { method: 'id-document', idNumber: booked.resident.idNumber }, { token: clerk.token });

  it(`${N} concurrent check-ins get ${N} distinct consecutive tickets; 2 clerks × ${N} concurrent call-next call each ticket exactly once`, async () => {
    const { center, service } = await createCenter(t.dataSource);
    const clerk1 = await staffLogin(t, { role: 'clerk', center, clock });
    const clerk2 = await staffLogin(t, { role: 'clerk', center, clock });
    const booked = await bookToday(center, service, N);

    const checkIns = await Promise.all(booked.map((b, i) => checkIn(i % 2 === 0 ? clerk1 : clerk2, b)));
    for (const response of checkIns) {
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.status, 'checked_in');
    }
    const tickets = checkIns.map((response) => response.body.ticket as string);
    assert.deepEqual([...tickets].sort(), expectedTickets(N));
    const stored = (await t.dataSource.query(`SELECT ticket FROM appointment WHERE center_id = $1 ORDER BY ticket`, [center.id])) as Array<{ ticket: string }>;
    assert.deepEqual(stored.map((row) => row.ticket), expectedTickets(N));

    const calls = await Promise.all(
      Array.from({ length: 2 * N }, (_, i) => {
        const [clerk, counter] = i % 2 === 0 ? [clerk1, 1] : [clerk2, 2];
        return t.api.post('/api/v1/staff/call-next', { counter }, { token: clerk.token });
      }),
    );
    const answered = calls.filter((response) => response.status === 200);
    const empty = calls.filter((response) => response.status === 204);
    assert.equal(answered.length + empty.length, 2 * N, calls.filter((r) => r.status !== 200 && r.status !== 204).map((r) => `${r.status} ${r.text}`).join('\n'));
    assert.equal(answered.length, N);
    assert.equal(empty.length, N);
    assert.deepEqual(answered.map((response) => response.body.ticket).sort(), expectedTickets(N));
    assert.equal(new Set(answered.map((response) => response.body.appointmentId)).size, N);
    for (const response of answered) {
      const match = booked.find((b) => b.appointment.id === response.body.appointmentId);
      assert.ok(match, 'call-next answered an appointment that is not one of ours');
      assert.equal(tickets[booked.indexOf(match)], response.body.ticket, 'ticket and appointment do not belong together');
    }
    const [state] = (await t.dataSource.query(
      `SELECT count(*) FILTER (WHERE called_at IS NOT NULL)::int AS called, count(*) FILTER (WHERE counter IN (1, 2))::int AS at_counter FROM appointment WHERE center_id = $1`,
      [center.id],
    )) as Array<{ called: number; at_counter: number }>;
    assert.deepEqual(state, { called: N, at_counter: N });
    const perAppointment = (await t.dataSource.query(
      `SELECT appointment_id, count(*)::int AS n FROM audit_entry WHERE action = 'appointment.called' AND center_id = $1 GROUP BY appointment_id`,
      [center.id],
    )) as Array<{ n: number }>;
    assert.equal(perAppointment.length, N);
    assert.ok(perAppointment.every((row) => row.n === 1), 'an appointment was called twice');
  });

  it('parallel walk-ins fill today’s places exactly: as many 201 as there are places, then 409 no_capacity_today', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const clerks = [await staffLogin(t, { role: 'clerk', center, clock }), await staffLogin(t, { role: 'clerk', center, clock })];
    const first = await createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow: 1, capacity: 2 });
    const second = await createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow: 2, capacity: 4 });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => t.api.post('/api/v1/staff/walk-ins', { idNumber: newIdNumber(), serviceId: service.id }, { token: clerks[i % 2]!.token })),
    );
    const created = answers.filter((answer) => answer.status === 201);
    const refused = answers.filter((answer) => answer.status === 409 && answer.body.code === 'no_capacity_today');
    assert.equal(created.length, 6, answers.map((answer) => `${answer.status} ${answer.body.code ?? ''}`).join(', '));
    assert.equal(refused.length, 4);
    assert.deepEqual(created.map((answer) => answer.body.ticket).sort(), expectedTickets(6));
    const places = (await t.dataSource.query('SELECT id, booked FROM slot WHERE id = ANY($1::uuid[]) ORDER BY starts_at', [[first.id, second.id]])) as Array<{ booked: number }>;
    assert.deepEqual(places.map((row) => row.booked), [2, 4]);
    assert.equal(created.filter((answer) => answer.body.slotId === first.id).length, 2);
  });

  it('concurrent staff actions (queue views, check-ins, calls, walk-ins, look-ups) leave one unbroken audit chain', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const clerks = [await staffLogin(t, { role: 'clerk', center, clock }), await staffLogin(t, { role: 'clerk', center, clock })];
    const booked = await bookToday(center, service, N);
    const walkInSlot = await createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow: 8, capacity: 10 });
    const before = (await t.dataSource.query('SELECT count(*)::int AS n FROM audit_entry'))[0].n as number;

    const actions: Array<Promise<{ status: number; text: string }>> = [];
    for (let i = 0; i < N; i++) {
      const clerk = clerks[i % 2]!;
      actions.push(t.api.get('/api/v1/staff/queue', { token: clerk.token }));
      actions.push(checkIn(clerk, booked[i]!));
      actions.push(t.api.get(`/api/v1/staff/appointments/by-reference/${booked[i]!.appointment.reference}`, { token: clerk.token }));
      if (i % 4 === 0) actions.push(t.api.post('/api/v1/staff/call-next', { counter: 1 + (i % 3) }, { token: clerk.token }));
      if (i % 5 === 0) actions.push(t.api.post('/api/v1/staff/walk-ins', { idNumber: newIdNumber(), serviceId: service.id }, { token: clerk.token }));
    }
    const answers = await Promise.all(actions);
    const failed = answers.filter((answer) => answer.status >= 300 && answer.status !== 204);
    assert.deepEqual(failed.map((answer) => `${answer.status} ${answer.text}`), []);

    const verdict = await verifyAuditChain(t.dataSource, t.config.appSecret);
    assert.equal(verdict.intact, true, JSON.stringify(verdict));
    const rows = (await t.dataSource.query('SELECT seq, prev_hash, hash FROM audit_entry ORDER BY seq')) as Array<{ seq: string; prev_hash: Buffer; hash: Buffer }>;
    assert.equal(verdict.entries, rows.length);
    assert.deepEqual(rows.map((row) => Number(row.seq)), Array.from({ length: rows.length }, (_, i) => i + 1), 'seq has gaps');
    // One chain, no fork: every entry links to its predecessor and no two share a predecessor.
    assert.equal(new Set(rows.map((row) => row.prev_hash.toString('hex'))).size, rows.length);
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i]!.prev_hash.equals(rows[i - 1]!.hash), `entry ${rows[i]!.seq} does not link to ${rows[i - 1]!.seq}`);
    // Every action that answered wrote exactly one entry (walk-ins and call-nexts that found someone included).
    const calledSomeone = answers.filter((answer) => answer.status === 200 && answer.text.includes('"appointmentId"')).length;
    const walkIns = answers.filter((answer) => answer.status === 201).length;
    assert.equal(rows.length - before, 3 * N + calledSomeone + walkIns);
    const tickets = (await t.dataSource.query('SELECT ticket FROM appointment WHERE center_id = $1 AND ticket IS NOT NULL ORDER BY ticket', [center.id])) as Array<{ ticket: string }>;
    assert.deepEqual(tickets.map((row) => row.ticket), expectedTickets(N + walkIns));
    assert.ok(walkIns > 0);
    const [placed] = (await t.dataSource.query('SELECT booked FROM slot WHERE id = $1', [walkInSlot.id])) as Array<{ booked: number }>;
    assert.equal(placed!.booked, walkIns);
  });
});
