/**
 * The access matrix: every route of the OpenAPI document × seven actors, each cell with the
 * answer class its rule expects. The rules are a table keyed by "METHOD /path"; a route in the
 * document without an entry fails the test (a new route needs a decision), and so does an
 * entry for a route the document no longer has.
 *
 * Requests are aimed at resident A's appointment and at center 1 wherever a route can name
 * one (the admin's changes to a center's schedule go to a center of their own). Cells that change something (cancel, check-in, logout, erasure …) get data of their
 * own, so that no cell depends on what another did; a refused cell must leave its data as it
 * was, and must not show it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Service } from '../src/centers/service.entity';
import { Slot } from '../src/slots/slot.entity';
import { createCenter, createSlot, CenterFixture } from './support/factories';
import { sendRaw } from './support/http';
import { newIdNumber, newPhone } from './support/identities';
import { loadOpenApi, OpenApiOperation } from './support/openapi';
import { latestCode, residentIdOf, signIn, SignedInResident } from './support/residents';
import { bookFor, COUNTER_ENV, createStaff, offerAnotherService, postStaffLogin, STAFF_PASSWORD, staffLogin, StaffSession, TEN_AM_SHANGHAI } from './support/staff';
import { startTestApp, TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';
import { createWaitlistEntry } from './support/waitlist';

const ACTORS = ['anonymous', 'residentA', 'residentB', 'clerk1', 'clerk2', 'supervisor1', 'admin'] as const;
type ActorName = (typeof ACTORS)[number];

/** An answer class: any 2xx, or exactly this status. */
type Expected = '2xx' | 401 | 403 | 404;

const RULES = {
  /** Anyone, signed in or not. */
  public: { anonymous: '2xx', residentA: '2xx', residentB: '2xx', clerk1: '2xx', clerk2: '2xx', supervisor1: '2xx', admin: '2xx' },
  /** A resident's own account (whoever is signed in is the owner). */
  resident: { anonymous: 401, residentA: '2xx', residentB: '2xx', clerk1: 403, clerk2: 403, supervisor1: 403, admin: 403 },
  /** Resident A's appointment: B is told it does not exist. */
  'resident-own': { anonymous: 401, residentA: '2xx', residentB: 404, clerk1: 403, clerk2: 403, supervisor1: 403, admin: 403 },
  /** Any staff member, whatever their center (nothing here belongs to a center). */
  staff: { anonymous: 401, residentA: 403, residentB: 403, clerk1: '2xx', clerk2: '2xx', supervisor1: '2xx', admin: '2xx' },
  /** Center 1's things: center 2's clerk is told they do not exist. */
  'staff-center': { anonymous: 401, residentA: 403, residentB: 403, clerk1: '2xx', clerk2: 404, supervisor1: '2xx', admin: '2xx' },
  /** Supervisors (of center 1) and admins; clerks are refused the route. */
  'supervisor-center': { anonymous: 401, residentA: 403, residentB: 403, clerk1: 403, clerk2: 403, supervisor1: '2xx', admin: '2xx' },
  /** Admins only. */
  admin: { anonymous: 401, residentA: 403, residentB: 403, clerk1: 403, clerk2: 403, supervisor1: 403, admin: '2xx' },
} as const satisfies Record<string, Record<ActorName, Expected>>;
type Rule = keyof typeof RULES;

/**
 * What a cell acts on, where the shared data would not do:
 * - own-booked: a new booked appointment of resident A at center 1 (tomorrow);
 * - booked / checked-in / begun: a new appointment at center 1 today, of a resident of its own
 *   (begun: its slot started two hours ago);
 * - session: a new session of the actor (it is ended);
 * - new-resident: a resident actor is a new resident with nothing booked (erasure);
 * - closure: a new closure (of center 3); staff-account: a new clerk account;
 * - own-waiting / own-offer: a new waitlist entry of resident A (for a service of its own),
 *   without or with a place held for it.
 */
type Target = 'own-waiting' | 'own-offer' | 'own-booked' | 'booked' | 'checked-in' | 'begun' | 'session' | 'new-resident' | 'closure' | 'staff-account';

interface Entry {
  rule: Rule;
  target?: Target;
}

/** Every route of the document, with its decision. Add a route here when you add it to the app. */
const MATRIX: Record<string, Entry> = {
  'GET /health': { rule: 'public' },
  'GET /dev/outbox': { rule: 'public' },
  'POST /api/v1/auth/otp': { rule: 'public' },
  'POST /api/v1/auth/otp/verify': { rule: 'public' },
  'POST /api/v1/auth/logout': { rule: 'public', target: 'session' },
  'GET /api/v1/centers': { rule: 'public' },
  'GET /api/v1/centers/{centerId}/services': { rule: 'public' },
  'GET /api/v1/centers/{centerId}/availability': { rule: 'public' },
  'GET /api/v1/display/{centerId}': { rule: 'public' },
  'GET /api/v1/display/{centerId}/events': { rule: 'public' },
  'POST /api/v1/staff/login': { rule: 'public' },

  'GET /api/v1/me': { rule: 'resident' },
  'DELETE /api/v1/me': { rule: 'resident', target: 'new-resident' },
  'GET /api/v1/me/access-log': { rule: 'resident' },
  'GET /api/v1/me/export': { rule: 'resident' },
  'GET /api/v1/me/appointments': { rule: 'resident' },
  'GET /api/v1/me/waitlist': { rule: 'resident' },
  'POST /api/v1/waitlist': { rule: 'resident' },
  'POST /api/v1/waitlist/{id}/claim': { rule: 'resident-own', target: 'own-offer' },
  'DELETE /api/v1/waitlist/{id}': { rule: 'resident-own', target: 'own-waiting' },
  'POST /api/v1/appointments': { rule: 'resident' },
  'GET /api/v1/appointments/{id}': { rule: 'resident-own' },
  'POST /api/v1/appointments/{id}/cancel': { rule: 'resident-own', target: 'own-booked' },
  'POST /api/v1/appointments/{id}/reschedule': { rule: 'resident-own', target: 'own-booked' },
  'GET /api/v1/appointments/{id}/calendar.ics': { rule: 'resident-own' },
  'GET /api/v1/appointments/{id}/qr.svg': { rule: 'resident-own' },
  'PUT /api/v1/appointments/{id}/proxy': { rule: 'resident-own', target: 'own-booked' },
  'DELETE /api/v1/appointments/{id}/proxy': { rule: 'resident-own', target: 'own-booked' },

  'POST /api/v1/staff/residents/phone': { rule: 'staff' },
  'GET /api/v1/staff/queue': { rule: 'staff-center' },
  'GET /api/v1/staff/appointments/by-reference/{reference}': { rule: 'staff-center' },
  'POST /api/v1/staff/appointments/{id}/ready': { rule: 'staff-center', target: 'booked' },
  'POST /api/v1/staff/appointments/{id}/counter-otp': { rule: 'staff-center', target: 'booked' },
  'POST /api/v1/staff/appointments/{id}/check-in': { rule: 'staff-center', target: 'booked' },
  'POST /api/v1/staff/appointments/{id}/fulfil': { rule: 'staff-center', target: 'checked-in' },
  'POST /api/v1/staff/appointments/{id}/no-show': { rule: 'staff-center', target: 'begun' },
  'POST /api/v1/staff/walk-ins': { rule: 'staff-center' },
  'POST /api/v1/staff/call-next': { rule: 'staff-center' },
  'GET /api/v1/staff/audit': { rule: 'supervisor-center' },
  'GET /api/v1/staff/audit.csv': { rule: 'supervisor-center' },
  'GET /api/v1/staff/reports': { rule: 'supervisor-center' },
  'GET /api/v1/staff/reports.csv': { rule: 'supervisor-center' },

  'GET /api/v1/admin/outbox': { rule: 'admin' },
  'GET /api/v1/admin/centers': { rule: 'admin' },
  'POST /api/v1/admin/centers': { rule: 'admin' },
  'GET /api/v1/admin/centers/{id}': { rule: 'admin' },
  'PATCH /api/v1/admin/centers/{id}': { rule: 'admin' },
  'PUT /api/v1/admin/centers/{id}/services': { rule: 'admin' },
  'PUT /api/v1/admin/centers/{id}/opening-hours': { rule: 'admin' },
  'POST /api/v1/admin/centers/{id}/closures': { rule: 'admin' },
  'DELETE /api/v1/admin/centers/{id}/closures/{closureId}': { rule: 'admin', target: 'closure' },
  'GET /api/v1/admin/services': { rule: 'admin' },
  'POST /api/v1/admin/services': { rule: 'admin' },
  'PATCH /api/v1/admin/services/{id}': { rule: 'admin' },
  'GET /api/v1/admin/staff': { rule: 'admin' },
  'POST /api/v1/admin/staff': { rule: 'admin' },
  'PATCH /api/v1/admin/staff/{id}': { rule: 'admin', target: 'staff-account' },
  'POST /api/v1/admin/registry': { rule: 'admin' },
};

/** An appointment a cell acts on, with its holder. */
interface Appointment {
  id: string;
  reference: string;
  holder: SignedInResident;
}

/** Everything one cell needs. */
interface Cell {
  route: string;
  actor: ActorName;
  token?: string;
  appointment: Appointment;
  closureId?: string;
  staffId?: string;
  waitlistEntryId?: string;
  /** A number unique to the cell, for codes, usernames and keys. */
  n: number;
}

describe('the access matrix: every route × every actor', () => {
  const clock = new TestClock(TEN_AM_SHANGHAI);
  let t: TestApp;
  let operations: OpenApiOperation[];
  let one: CenterFixture;
  let two: CenterFixture;
  /** The center the admin's schedule changes go to: its slots are the ones the app makes (center 1's are made by hand). */
  let three: CenterFixture;
  let residentA: SignedInResident;
  let residentB: SignedInResident;
  let residentAId: string;
  let four: CenterFixture;
  let fullDate: string;
  let appointmentA: Appointment;
  let appointmentB: Appointment;
  let today: Slot;
  let tomorrow: Slot;
  let later: Slot;
  const sessions = {} as Record<Exclude<ActorName, 'anonymous'>, StaffSession | SignedInResident>;
  /** The test's own hands: a clerk of center 1 and an admin that are not actors. */
  let desk: StaffSession;
  let root: StaffSession;
  let cells = 0;
  const unexpected: string[] = [];
  /** Cells about other people's things (B on A's appointment, center 2's clerk on center 1's): their answers. */
  const othersThings = new Map<number, number>();

  before(async () => {
    t = await startTestApp({ clock, env: { ...COUNTER_ENV, MAX_ACTIVE_APPOINTMENTS: '50', BOOKING_DAILY_CAP: '1000', BOOKING_WEEKLY_CAP: '1000', OTP_ID_HOURLY_LIMIT: '1000', OTP_ID_DAILY_LIMIT: '1000' } });
    operations = (await loadOpenApi(t.api)).operations;
    one = await createCenter(t.dataSource);
    two = await createCenter(t.dataSource);
    three = await createCenter(t.dataSource);
    const now = clock.now();
    today = await createSlot(t.dataSource, one.center.id, { now, hoursFromNow: 1, capacity: 200 });
    tomorrow = await createSlot(t.dataSource, one.center.id, { now, hoursFromNow: 24, capacity: 200 });
    later = await createSlot(t.dataSource, one.center.id, { now, hoursFromNow: 48, capacity: 200 });
    const elsewhere = await createSlot(t.dataSource, two.center.id, { now, hoursFromNow: 1, capacity: 10 });

    residentA = await signIn(t.api);
    residentB = await signIn(t.api);
    residentAId = await residentIdOf(t.dataSource, residentA);
    // Center 4's only slot (the day after tomorrow) is full: residents may wait for that day.
    four = await createCenter(t.dataSource);
    const full = await createSlot(t.dataSource, four.center.id, { now, hoursFromNow: 48, capacity: 1 });
    await book(await signIn(t.api), full, four.service);
    fullDate = new Date(full.startsAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    appointmentA = { ...(await book(residentA, today, one.service)), holder: residentA };
    appointmentB = { ...(await book(residentB, elsewhere, two.service)), holder: residentB };
    sessions.residentA = residentA;
    sessions.residentB = residentB;
    sessions.clerk1 = await staffLogin(t, { role: 'clerk', center: one.center, clock });
    sessions.clerk2 = await staffLogin(t, { role: 'clerk', center: two.center, clock });
    sessions.supervisor1 = await staffLogin(t, { role: 'supervisor', center: one.center, clock });
    sessions.admin = await staffLogin(t, { role: 'admin', clock });
    desk = await staffLogin(t, { role: 'clerk', center: one.center, clock });
    root = await staffLogin(t, { role: 'admin', clock });
  });
  after(() => t?.close());

  async function book(resident: SignedInResident, slot: Slot, service: Service | { id: string }): Promise<{ id: string; reference: string }> {
    const booked = await bookFor(t, resident, slot, service);
    return { id: booked.id as string, reference: booked.reference as string };
  }

  let sequence = 0;
  /** A new appointment at center 1 for a cell that changes it. */
  async function freshAppointment(target: Target): Promise<Appointment> {
    if (target === 'own-booked') {
      // Resident A, a service of its own (one active appointment per service), tomorrow.
      const service = await offerAnotherService(t, one.center);
      return { ...(await book(residentA, tomorrow, service)), holder: residentA };
    }
    // A resident and a slot of its own, today; "begun" moves the slot to two hours ago once booked.
    sequence += 1;
    const holder = await signIn(t.api);
    const slot = await createSlot(t.dataSource, one.center.id, { now: clock.now(), hoursFromNow: 2 + sequence / 60, capacity: 1, minutes: 1 });
    const appointment = { ...(await book(holder, slot, one.service)), holder };
    if (target === 'begun') {
      const startsAt = new Date(clock.now().getTime() - 2 * 3600_000 - sequence * 60_000);
      await t.dataSource.query('UPDATE slot SET starts_at = $2, ends_at = $3 WHERE id = $1', [slot.id, startsAt, new Date(startsAt.getTime() + 60_000)]);
    }
    if (target === 'checked-in') {
      const checkedIn = await t.api.post(`/api/v1/staff/appointments/${appointment.id}/check-in`, { method: 'id-document', idNumber: holder.idNumber }, { token: desk.token });
      assert.equal(checkedIn.status, 200, checkedIn.text);
    }
    return appointment;
  }

  /** A new session of this actor: residents sign in again; staff get a new account of the same role and center. */
  async function freshSession(actor: Exclude<ActorName, 'anonymous'>): Promise<string> {
    if (actor === 'residentA' || actor === 'residentB') {
      const resident = sessions[actor] as SignedInResident;
      return (await signIn(t.api, resident.idNumber, resident.phone)).token;
    }
    const staff = sessions[actor] as StaffSession;
    if (staff.role === 'clerk') {
      const login = await postStaffLogin(t, { username: staff.username, password: staff.password });
      assert.equal(login.status, 200, login.text);
      return login.body.token as string;
    }
    // A TOTP code is accepted once: an account of the same role and center.
    return (await staffLogin(t, { role: staff.role, center: staff.centerId === one.center.id ? (one.center) : undefined, clock })).token;
  }

  /** Resident A waits (for a service of its own) for a place on the day of `later`. */
  async function freshWaitlistEntry(offered: boolean): Promise<string> {
    const service = await offerAnotherService(t, one.center);
    return createWaitlistEntry(t.dataSource, { residentId: residentAId, centerId: one.center.id, serviceId: service.id, slot: later, offered, now: clock.now() });
  }

  let closureDay = 5;
  async function freshClosure(): Promise<string> {
    closureDay += 1;
    const day = new Date(clock.now().getTime() + closureDay * 86_400_000).toISOString().slice(0, 10);
    const closed = await t.api.post(`/api/v1/admin/centers/${three.center.id}/closures`, { from: day, reason: 'access matrix' }, { token: root.token });
    assert.equal(closed.status, 201, closed.text);
    const closure = (closed.body.center.closures as Array<{ id: string; day: string }>).find((c) => c.day === day);
    assert.ok(closure, `no closure on ${day}: ${closed.text}`);
    return closure.id;
  }

  /** A valid body for each request schema, aimed at center 1. A new schema without a sample fails the test: add one. */
  const SAMPLE_BODIES: Record<string, (cell: Cell) => unknown> = {
    RequestOtpDto: () => ({ idNumber: newIdNumber(), phone: newPhone() }),
    VerifyOtpDto: () => undefined, // made in bodyFor: it needs a fresh challenge and its code
    RebindPhoneDto: () => ({ idNumber: newIdNumber(), phone: newPhone(), idCardChecked: true }),
    BookAppointmentDto: () => undefined, // made in bodyFor: a service of its own
    RescheduleAppointmentDto: () => ({ slotId: later.id }),
    JoinWaitlistDto: () => ({ centerId: four.center.id, serviceId: four.service.id, date: fullDate }),
    SetProxyDto: () => ({ idNumber: newIdNumber() }),
    StaffLoginDto: () => undefined, // made in bodyFor: an account of its own
    CheckInDto: (cell) => ({ method: 'id-document', idNumber: cell.appointment.holder.idNumber }),
    FulfilDto: (cell) => ({ certificateSerial: `GY-2026-${String(cell.n).padStart(6, '0')}` }),
    WalkInDto: () => ({ idNumber: newIdNumber(), serviceId: one.service.id, centerId: one.center.id }),
    CallNextDto: () => ({ counter: 1 }),
    CreateCenterDto: (cell) => ({ code: `AM-${cell.n}`, name: { zh: '矩阵中心', en: 'Matrix center' }, address: { zh: '贵阳市测试路 2 号', en: '2 Test Road, Guiyang' } }),
    UpdateCenterDto: () => ({ name: { zh: '测试社区服务中心', en: 'Test Community Service Center' } }),
    CenterServicesDto: () => undefined, // made in bodyFor: what the center offers now
    OpeningHoursDto: () => ({ hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '24:00', counters: 3 })) }),
    ClosureDto: () => ({ from: new Date(clock.now().getTime() + 13 * 86_400_000).toISOString().slice(0, 10), reason: 'access matrix' }),
    CreateServiceDto: (cell) => ({ code: `AM-SVC-${cell.n}`, name: { zh: '矩阵证明', en: 'Matrix certificate' } }),
    UpdateServiceDto: () => ({ name: { zh: '居住证明', en: 'Residence certificate' } }),
    CreateStaffDto: (cell) => ({ username: `matrix.${process.pid}.${cell.n}`, password: STAFF_PASSWORD, role: 'clerk', centerId: one.center.id }),
    UpdateStaffDto: () => ({ disabled: true }),
    'text/csv': () => `idNumber,phone\n${newIdNumber()},${newPhone()}\n`,
  };

  async function bodyFor(op: OpenApiOperation, cell: Cell): Promise<{ text?: string; contentType?: string }> {
    if (!op.body) return {};
    const key = op.body.schemaName ?? op.body.contentType;
    const sample = SAMPLE_BODIES[key];
    assert.ok(sample, `${op.route}: no sample body for ${key}: add one to SAMPLE_BODIES`);
    let body = sample(cell);
    if (key === 'VerifyOtpDto') {
      const phone = newPhone();
      const requested = await t.api.post('/api/v1/auth/otp', { idNumber: newIdNumber(), phone });
      assert.equal(requested.status, 202, requested.text);
      body = { challengeId: requested.body.challengeId, code: await latestCode(t.api, phone) };
    } else if (key === 'BookAppointmentDto') {
      body = { slotId: later.id, serviceId: (await offerAnotherService(t, one.center)).id };
    } else if (key === 'StaffLoginDto') {
      const account = await createStaff(t, { role: 'clerk', center: one.center });
      body = { username: account.username, password: account.password };
    } else if (key === 'CenterServicesDto') {
      const offered = (await t.dataSource.query('SELECT service_id FROM center_service WHERE center_id = $1', [three.center.id])) as Array<{ service_id: string }>;
      body = { serviceIds: offered.map((row) => row.service_id) };
    }
    return op.body.contentType === 'application/json' ? { text: JSON.stringify(body), contentType: 'application/json' } : { text: body as string, contentType: op.body.contentType };
  }

  /** The request of this cell: path, query and headers filled so that it names A's appointment and center 1. */
  function urlFor(op: OpenApiOperation, cell: Cell): { url: string; headers: Record<string, string> } {
    const segmentBefore = (name: string): string | undefined => new RegExp(`/([a-z-]+)/\\{${name}\\}`).exec(op.path)?.[1];
    let url = op.path;
    const query = new URLSearchParams();
    const headers: Record<string, string> = {};
    for (const parameter of op.parameters) {
      let value: string | undefined;
      if (parameter.in === 'path') {
        if (parameter.name === 'id') {
          const segment = segmentBefore('id');
          value = { appointments: cell.appointment.id, centers: three.center.id, services: three.service.id, staff: cell.staffId, waitlist: cell.waitlistEntryId }[segment ?? ''];
        } else if (parameter.name === 'reference') value = cell.appointment.reference;
        else if (parameter.name === 'centerId') value = one.center.id;
        else if (parameter.name === 'closureId') value = cell.closureId;
        assert.ok(value, `${op.route}: no value for path parameter "${parameter.name}": teach the access matrix what it names`);
        url = url.replace(`{${parameter.name}}`, encodeURIComponent(value));
      } else if (parameter.in === 'query') {
        if (parameter.name === 'centerId') value = one.center.id;
        else if (parameter.name === 'serviceId') value = one.service.id;
        else if (parameter.name === 'to' && parameter.required) value = residentA.phone;
        else if (parameter.required) assert.fail(`${op.route}: no value for required query parameter "${parameter.name}"`);
        if (value !== undefined) query.set(parameter.name, value);
      } else if (parameter.in === 'header') {
        if (parameter.name.toLowerCase() === 'idempotency-key') headers['idempotency-key'] = `matrix-${process.pid}-${cell.n}`;
        else if (parameter.required) assert.fail(`${op.route}: no value for required header "${parameter.name}"`);
      }
    }
    return { url: query.size > 0 ? `${url}?${query}` : url, headers };
  }

  /** The row a refused cell must leave alone. */
  async function snapshot(appointmentId: string): Promise<unknown> {
    const [row] = (await t.dataSource.query(
      'SELECT status, preparation, ticket, slot_id, called_at, certificate_serial, no_show_at FROM appointment WHERE id = $1',
      [appointmentId],
    )) as unknown[];
    return row;
  }

  async function runCell(op: OpenApiOperation, entry: Entry, actor: ActorName, n: number): Promise<void> {
    const expected: Expected = RULES[entry.rule][actor];
    const cell: Cell = { route: op.route, actor, appointment: appointmentA, n };
    const target = entry.target;
    if (target === 'own-booked' || target === 'booked' || target === 'checked-in' || target === 'begun') cell.appointment = await freshAppointment(target);
    if (target === 'closure') cell.closureId = await freshClosure();
    if (target === 'own-waiting' || target === 'own-offer') cell.waitlistEntryId = await freshWaitlistEntry(target === 'own-offer');
    if (target === 'staff-account') cell.staffId = (await createStaff(t, { role: 'clerk', center: one.center })).staffId;
    if (actor !== 'anonymous') {
      if (target === 'session') cell.token = await freshSession(actor);
      else if (target === 'new-resident' && actor.startsWith('resident')) cell.token = (await signIn(t.api)).token;
      else cell.token = sessions[actor].token;
    }

    const { url, headers } = urlFor(op, cell);
    const { text, contentType } = await bodyFor(op, cell);
    if (contentType) headers['content-type'] = contentType;
    if (cell.token) headers.authorization = `Bearer ${cell.token}`;
    const refused = expected !== '2xx';
    const before = refused ? await snapshot(cell.appointment.id) : undefined;
    const response = await sendRaw(t.url, op.method, url, { headers, body: text });
    cells += 1;

    const label = `${op.route} × ${actor} → ${response.status} (expected ${expected})`;
    const matches = expected === '2xx' ? response.status >= 200 && response.status < 300 : response.status === expected;
    if (!matches) unexpected.push(`${label}: ${response.text.slice(0, 160)}`);
    if ((entry.rule === 'resident-own' && actor === 'residentB') || (entry.rule === 'staff-center' && actor === 'clerk2')) {
      othersThings.set(response.status, (othersThings.get(response.status) ?? 0) + 1);
    }
    if (refused) {
      // A refusal shows nothing of the appointment and changes nothing.
      const shown = [cell.appointment.reference, cell.appointment.holder.idNumber, cell.appointment.holder.phone].filter((secret) => response.text.includes(secret));
      if (shown.length > 0) unexpected.push(`${label} shows ${shown.join(', ')}`);
      const afterwards = await snapshot(cell.appointment.id);
      if (JSON.stringify(afterwards) !== JSON.stringify(before)) unexpected.push(`${label} changed the appointment: ${JSON.stringify(before)} → ${JSON.stringify(afterwards)}`);
    }
  }

  it('has a decision for every route of the document, and none for a route it does not have', () => {
    const documented = operations.map((op) => op.route);
    assert.deepEqual(
      documented.filter((route) => !MATRIX[route]),
      [],
      'routes without an entry in MATRIX: decide who may use them',
    );
    assert.deepEqual(
      Object.keys(MATRIX).filter((route) => !documented.includes(route)),
      [],
      'entries in MATRIX for routes the document does not have',
    );
  });

  it('answers every route × actor as its rule says: 0 unexpected answers, other people’s things are 404', async (context) => {
    const started = Date.now();
    let n = 0;
    for (const op of operations) {
      const entry = MATRIX[op.route];
      if (!entry) continue; // the test above fails for it
      for (const actor of ACTORS) await runCell(op, entry, actor, ++n);
    }
    const decided = operations.filter((op) => MATRIX[op.route]).length;
    context.diagnostic(`${cells} cells (${decided} routes × ${ACTORS.length} actors) in ${((Date.now() - started) / 1000).toFixed(1)} s; ${unexpected.length} unexpected`);
    context.diagnostic(`other people's things (B on A's appointment, center 2's clerk on center 1's): ${[...othersThings.entries()].map(([status, count]) => `${status}×${count}`).join(' ')}`);
    assert.equal(cells, decided * ACTORS.length);
    assert.deepEqual(unexpected, []);
    assert.ok((othersThings.get(404) ?? 0) > 0 && [...othersThings.keys()].every((status) => status === 404), 'other people’s things answer 404, never 403');

    // The shared data is as it was: A's and B's appointments still booked, untouched.
    assert.deepEqual(await snapshot(appointmentA.id), { status: 'booked', preparation: 'pending', ticket: null, slot_id: today.id, called_at: null, certificate_serial: null, no_show_at: null });
    const [b] = (await t.dataSource.query('SELECT status FROM appointment WHERE id = $1', [appointmentB.id])) as Array<{ status: string }>;
    assert.equal(b!.status, 'booked');
  });
});
