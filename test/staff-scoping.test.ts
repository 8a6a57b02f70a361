import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createCenter, createSlot, CenterFixture } from './support/factories';
import { ApiResponse } from './support/http';
import { loadOpenApi, OpenApiOperation } from './support/openapi';
import { newIdNumber, newPhone } from './support/identities';
import { signIn, SignedInResident } from './support/residents';
import { bookFor, COUNTER_ENV, staffLogin, StaffSession, TEN_AM_SHANGHAI } from './support/staff';
import { TestClock } from './support/test-clock';
import { startTestApp, TestApp } from './support/test-app';

/** A staff operation of the document, with the names of its JSON body's fields. */
interface Operation extends OpenApiOperation {
  bodySchema?: string;
  bodyProperties: string[];
}

/** Staff routes API.md lists; the document must have at least these (it may have more). */
const CONTRACT = [
  'GET /api/v1/staff/queue',
  'GET /api/v1/staff/appointments/by-reference/{reference}',
  'POST /api/v1/staff/appointments/{id}/ready',
  'POST /api/v1/staff/appointments/{id}/counter-otp',
  'POST /api/v1/staff/appointments/{id}/check-in',
  'POST /api/v1/staff/appointments/{id}/fulfil',
  'POST /api/v1/staff/appointments/{id}/no-show',
  'POST /api/v1/staff/walk-ins',
  'POST /api/v1/staff/call-next',
  'GET /api/v1/staff/audit',
  'GET /api/v1/staff/reports',
];

/** What center A has that center B's staff must never reach. */
interface CenterAData {
  fixture: CenterFixture;
  resident: SignedInResident;
  booked: Record<string, any>;
  waiting: Record<string, any>;
}

/**
 * A valid body for each request schema, aimed at center A where the body can name it. A new
 * schema without a sample fails the test: add one here.
 */
const SAMPLE_BODIES: Record<string, (a: CenterAData) => Record<string, unknown>> = {
  CheckInDto: (a) => ({ method: 'id-document', idNumber: a.resident.idNumber }),
  FulfilDto: () => ({ certificateSerial: 'GY-2026-999999' }),
  CallNextDto: () => ({ counter: 1 }),
  WalkInDto: (a) => ({ idNumber: newIdNumber(), phone: newPhone(), serviceId: a.fixture.service.id }),
  RebindPhoneDto: () => ({ idNumber: newIdNumber(), phone: newPhone(), idCardChecked: true }),
};

describe('staff routes are scoped: another center’s data does not exist, and residents are refused', () => {
  const clock = new TestClock(TEN_AM_SHANGHAI);
  let t: TestApp;
  let operations: Operation[];
  let a: CenterAData;
  let b: CenterFixture;
  let clerkB: StaffSession;
  let supervisorB: StaffSession;
  let bOwn: Record<string, any>;

  before(async () => {
    t = await startTestApp({ clock, env: COUNTER_ENV });
    operations = (await loadOpenApi(t.api)).operations
      .filter((op) => op.path.startsWith('/api/v1/staff/') && op.path !== '/api/v1/staff/login')
      .map((op) => ({ ...op, bodySchema: op.body?.schemaName, bodyProperties: Object.keys(op.body?.schema.properties ?? {}) }));

    // Center A: one booked appointment, one checked in and waiting to be called, and some audit entries.
    const fixtureA = await createCenter(t.dataSource);
    b = await createCenter(t.dataSource);
    const slotA = await createSlot(t.dataSource, fixtureA.center.id, { now: clock.now(), hoursFromNow: 1, capacity: 5 });
    const slotB = await createSlot(t.dataSource, b.center.id, { now: clock.now(), hoursFromNow: 1, capacity: 5 });
    const resident = await signIn(t.api);
    const waitingResident = await signIn(t.api);
    const booked = await bookFor(t, resident, slotA, fixtureA.service);
    const waiting = await bookFor(t, waitingResident, slotA, fixtureA.service);
    bOwn = await bookFor(t, await signIn(t.api), slotB, b.service);
    const clerkA = await staffLogin(t, { role: 'clerk', center: fixtureA.center, clock });
    assert.equal((await t.api.get('/api/v1/staff/queue', { token: clerkA.token })).status, 200);
    const checkedIn = await t.api.post(`/api/v1/staff/appointments/${waiting.id}/check-in`, { method: 'id-document', idNumber: waitingResident.idNumber }, { token: clerkA.token });
    assert.equal(checkedIn.status, 200, checkedIn.text);
    a = { fixture: fixtureA, resident, booked, waiting: checkedIn.body };

    clerkB = await staffLogin(t, { role: 'clerk', center: b.center, clock });
    supervisorB = await staffLogin(t, { role: 'supervisor', center: b.center, clock });
  });
  after(() => t.close());

  const route = (op: Operation): string => `${op.method} ${op.path}`;

  /** Center A's identifiers: none may appear in an answer to center B's staff. */
  const secretsOfA = (): string[] => [a.booked.id, a.booked.reference, a.waiting.id, a.waiting.reference, a.fixture.center.id, a.resident.idNumber];

  /** The request for this operation, aimed at center A wherever the operation lets one name it. */
  function requestAtA(op: Operation): { url: string; body?: Record<string, unknown>; namesA: boolean; namesAppointment: boolean } {
    let namesA = false;
    let namesAppointment = false;
    let url = op.path;
    for (const parameter of op.parameters.filter((p) => p.in === 'path')) {
      let value: string;
      if (parameter.name === 'id') value = a.booked.id;
      else if (parameter.name === 'reference') value = a.booked.reference;
      else assert.fail(`${route(op)}: no value for path parameter "${parameter.name}": teach this test what it means`);
      url = url.replace(`{${parameter.name}}`, encodeURIComponent(value));
      namesA = namesAppointment = true;
    }
    const query = new URLSearchParams();
    for (const parameter of op.parameters.filter((p) => p.in === 'query')) {
      if (parameter.name === 'centerId') {
        query.set('centerId', a.fixture.center.id);
        namesA = true;
      } else if (parameter.required) {
        assert.fail(`${route(op)}: no value for required query parameter "${parameter.name}"`);
      }
    }
    if (query.size > 0) url += `?${query}`;
    let body: Record<string, unknown> | undefined;
    if (op.bodySchema) {
      const sample = SAMPLE_BODIES[op.bodySchema];
      assert.ok(sample, `${route(op)}: no sample body for ${op.bodySchema}: add one to SAMPLE_BODIES`);
      body = sample(a);
      if (op.bodyProperties.includes('centerId')) {
        body.centerId = a.fixture.center.id;
        namesA = true;
      }
    } else if (op.method !== 'GET' && op.method !== 'DELETE') {
      body = undefined;
    }
    return { url, body, namesA, namesAppointment };
  }

  const send = (op: Operation, url: string, body: unknown, token: string): Promise<ApiResponse> => t.api.request(op.method, url, body, { token });

  it('finds every staff route of the contract in the OpenAPI document', () => {
    const documented = new Set(operations.map(route));
    for (const expected of CONTRACT) assert.ok(documented.has(expected), `${expected} is not in the OpenAPI document`);
    assert.ok(operations.length >= CONTRACT.length);
  });

  it('a resident token gets 401 or 403 on every staff route', async () => {
    const resident = await signIn(t.api);
    const exercised = new Set<string>();
    const unexpected: string[] = [];
    for (const op of operations) {
      // Aimed at the resident's own kind of data: center A's appointment, a valid body.
      const { url, body } = requestAtA(op);
      const response = await send(op, url, body, resident.token);
      if (response.status !== 401 && response.status !== 403) unexpected.push(`${route(op)} → ${response.status} ${response.text.slice(0, 120)}`);
      exercised.add(route(op));
    }
    assert.deepEqual(unexpected, []);
    assert.deepEqual([...exercised].sort(), operations.map(route).sort(), 'a staff route was not exercised');
    // Nothing happened to center A's appointments.
    const [booked] = (await t.dataSource.query('SELECT status, preparation, ticket FROM appointment WHERE id = $1', [a.booked.id])) as Array<Record<string, unknown>>;
    assert.deepEqual(booked, { status: 'booked', preparation: 'pending', ticket: null });
  });

  it('a clerk and a supervisor of center B get 404 for center A’s appointments and center, and never see its data', async () => {
    const exercised = new Set<string>();
    const unexpected: string[] = [];
    for (const op of operations) {
      const { url, body, namesA, namesAppointment } = requestAtA(op);
      const byClerk = await send(op, url, body, clerkB.token);
      const bySupervisor = await send(op, url, body, supervisorB.token);
      for (const [who, response] of [['clerk', byClerk], ['supervisor', bySupervisor]] as const) {
        const label = `${route(op)} as ${who} of B → ${response.status}`;
        if (response.status >= 500) unexpected.push(`${label}: ${response.text.slice(0, 160)}`);
        const leaked = secretsOfA().filter((secret) => response.text.includes(secret));
        if (leaked.length > 0) unexpected.push(`${label} reveals center A's ${leaked.join(', ')}`);
        if (namesAppointment && response.status !== 404) unexpected.push(`${label}, expected 404`);
        // A route that names center A: 404, or 403 where the role may not use the route at all.
        if (namesA && !namesAppointment && response.status !== 404 && !(who === 'clerk' && response.status === 403)) unexpected.push(`${label}, expected 404`);
        if (!namesA && response.status === 403 && who === 'supervisor') unexpected.push(`${label}: a supervisor is refused a staff route`);
      }
      if (namesA && byClerk.status !== 404 && bySupervisor.status !== 404) unexpected.push(`${route(op)}: neither the clerk nor the supervisor of B got 404`);
      exercised.add(route(op));
    }
    assert.deepEqual(unexpected, []);
    assert.deepEqual([...exercised].sort(), operations.map(route).sort(), 'a staff route was not exercised');

    // Center A's appointments are as they were: nothing readied, checked in, called, fulfilled or marked.
    const rows = (await t.dataSource.query(
      'SELECT id, status, preparation, ticket, called_at, certificate_serial FROM appointment WHERE center_id = $1 ORDER BY ticket NULLS FIRST',
      [a.fixture.center.id],
    )) as Array<Record<string, unknown>>;
    assert.deepEqual(rows, [
      { id: a.booked.id, status: 'booked', preparation: 'pending', ticket: null, called_at: null, certificate_serial: null },
      { id: a.waiting.id, status: 'checked_in', preparation: 'pending', ticket: a.waiting.ticket, called_at: null, certificate_serial: null },
    ]);
    // No entry of B's staff touches center A.
    const [touched] = (await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_entry WHERE actor_id = ANY($1::uuid[]) AND (center_id = $2 OR appointment_id = ANY($3::uuid[]))`,
      [[clerkB.staffId, supervisorB.staffId], a.fixture.center.id, [a.booked.id, a.waiting.id]],
    )) as Array<{ n: number }>;
    assert.equal(touched!.n, 0);
  });

  it('center B’s queue never holds center A’s appointments; call-next at B never calls A’s ticket', async () => {
    for (const staff of [clerkB, supervisorB]) {
      const queue = await t.api.get('/api/v1/staff/queue', { token: staff.token });
      assert.equal(queue.status, 200, queue.text);
      assert.ok(queue.body.length > 0, 'center B’s queue is empty: the check proves nothing');
      assert.ok(queue.body.every((entry: { centerId: string }) => entry.centerId === b.center.id));
      assert.ok(queue.body.some((entry: { id: string }) => entry.id === bOwn.id));
      for (const secret of secretsOfA()) assert.ok(!queue.text.includes(secret), `center B's queue shows ${secret}`);
    }
    // A's ticket waits; B has nobody checked in. call-next (also when naming A's center) never hands it over.
    const called = await t.api.post('/api/v1/staff/call-next', { counter: 1 }, { token: clerkB.token });
    assert.equal(called.status, 204, called.text);
    const namingA = await t.api.post(`/api/v1/staff/call-next?centerId=${a.fixture.center.id}`, { counter: 1 }, { token: clerkB.token });
    assert.equal(namingA.status, 404, namingA.text);
    const [row] = (await t.dataSource.query('SELECT called_at FROM appointment WHERE id = $1', [a.waiting.id])) as Array<{ called_at: Date | null }>;
    assert.equal(row!.called_at, null);
    // The audit trail of B's supervisor holds only center B.
    const trail = await t.api.get('/api/v1/staff/audit', { token: supervisorB.token });
    assert.equal(trail.status, 200);
    assert.ok(trail.body.every((entry: { centerId: string | null }) => entry.centerId === b.center.id));
  });

  it('an admin sees every center: center A’s appointment by reference is 200 for them', async () => {
    const admin = await staffLogin(t, { role: 'admin', clock });
    const found = await t.api.get(`/api/v1/staff/appointments/by-reference/${a.booked.reference}`, { token: admin.token });
    assert.equal(found.status, 200, found.text);
    assert.equal(found.body.id, a.booked.id);
    const queue = await t.api.get(`/api/v1/staff/queue?centerId=${a.fixture.center.id}`, { token: admin.token });
    assert.equal(queue.status, 200, queue.text);
    assert.deepEqual(queue.body.map((entry: { id: string }) => entry.id).sort(), [a.booked.id, a.waiting.id].sort());
    // Unknown ids are 404 for admins too.
    const unknown = await t.api.post(`/api/v1/staff/appointments/${randomUUID()}/ready`, undefined, { token: admin.token });
    assert.equal(unknown.status, 404);
  });
});
