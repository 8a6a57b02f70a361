/**
 * Fuzzing every operation of the app's own OpenAPI document with fast-check.
 *
 * Requests are generated from the documented parameters and body schemas (valid values drawn
 * from the data this test creates, so that valid requests reach the database and change it),
 * then mutated: wrong types, nulls, missing and extra fields, 1 MB strings, deep nesting, NUL bytes,
 * unicode, injection strings, impossible dates, malformed JSON, wrong content types, path
 * parameters that are not UUIDs, odd headers, from anonymous callers, a resident, a clerk, an
 * admin and forged tokens.
 *
 * Figures: no answer ≥ 500 (nor a hang), every 4xx is problem+json with a string `code`, a
 * body over the limit is 413, and afterwards every slot's `booked` equals its non-cancelled
 * appointments.
 *
 * Reproducible: FUZZ_SEED=<seed> generates the same cases (the seed is printed, and named in
 * every failure); FUZZ_CONCURRENCY=1 also sends them in the same order. FUZZ_CASES raises the
 * number of cases (never below 10,000).
 */
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { cnRicCheckCharacter } from '../src/identity/id-number';
import { createCenter, createSlot } from './support/factories';
import { RawResponse, sendRaw } from './support/http';
import { newIdNumber, newPhone } from './support/identities';
import { loadOpenApi, OpenApiOperation, OpenApiParameter, SchemaObject } from './support/openapi';
import { signIn, SignedInResident } from './support/residents';
import { bookFor, COUNTER_ENV, createStaff, offerAnotherService, postStaffLogin, STAFF_PASSWORD, staffLogin, StaffSession, TEN_AM_SHANGHAI } from './support/staff';
import { startTestApp, TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

const MIN_CASES = 10_000;
const CASES = Math.max(MIN_CASES, Number(process.env.FUZZ_CASES) || 0);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : randomInt(2 ** 31);
const CONCURRENCY = Math.max(1, Number(process.env.FUZZ_CONCURRENCY) || 8);
/** Cases between two checks that the actors' sessions still live (a case may log one out). */
const CHUNK = 500;
const BODY_LIMIT = 64 * 1024;
const ONE_MB = 1024 * 1024;
const TIMEOUT_MS = 15_000;
const REPLAY = `seed ${SEED} (replay: FUZZ_SEED=${SEED} FUZZ_CONCURRENCY=1 node .build/test/run-tests.js fuzz)`;

/** Operations that end the caller's session. */
const ENDS_SESSION = new Set(['POST /api/v1/auth/logout', 'DELETE /api/v1/me']);
/** Binding a phone to an ID ends that resident's sessions: these are fuzzed with other residents' ID numbers. */
const BINDS = new Set(['POST /api/v1/staff/residents/phone', 'POST /api/v1/admin/registry']);

/** It streams for ever: fuzzed with random center ids only, never an existing center's. */
const STREAM = 'GET /api/v1/display/{centerId}/events';

/** High limits: passcode limits and the per-IP throttle must not end the fuzzing early. */
const FUZZ_ENV: Record<string, string> = {
  ...COUNTER_ENV,
  OTP_ID_HOURLY_LIMIT: '1000000',
  OTP_ID_DAILY_LIMIT: '1000000',
  OTP_PHONE_HOURLY_LIMIT: '1000000',
  OTP_PHONE_DAILY_LIMIT: '1000000',
  OTP_IP_HOURLY_LIMIT: '1000000',
  OTP_LOCK_FAILURES: '1000000',
  THROTTLE_LIMIT: '100000000',
  // Room for the resident to book, cancel and book again: the slot counters move.
  MAX_ACTIVE_APPOINTMENTS: '10',
};

type Actor = 'anonymous' | 'resident' | 'clerk' | 'admin' | 'forged';

const KINDS = [
  'valid',
  'wrong-type',
  'nulls',
  'missing',
  'extra',
  'huge',
  'long',
  'deep',
  'nul',
  'unicode',
  'injection',
  'impossible-date',
  'malformed-json',
  'content-type',
  'not-an-object',
  'path-not-uuid',
  'odd-header',
] as const;
type Kind = (typeof KINDS)[number];

/** Values this test created, for valid requests that reach real rows. */
interface Known {
  centers: string[];
  services: string[];
  slots: string[];
  appointments: string[];
  references: string[];
  challenges: string[];
  idNumbers: string[];
  phones: string[];
  usernames: string[];
  staff: string[];
  /** A center and a service only the admin's changes touch. */
  adminCenters: string[];
  adminServices: string[];
  schemas: Record<string, SchemaObject>;
}

/** A body value materialised only when sent: a 1 MB string or deep nesting. */
class Lazy {
  constructor(
    readonly kind: 'huge' | 'huge-text' | 'deep-array' | 'deep-object',
    readonly size: number,
    readonly unit = 'x',
  ) {}

  text(): string {
    return this.unit.repeat(Math.ceil(this.size / this.unit.length));
  }

  /** The JSON text it stands for (built without recursion: JSON.stringify would overflow the stack). */
  json(): string {
    if (this.kind === 'huge' || this.kind === 'huge-text') return JSON.stringify(this.text());
    if (this.kind === 'deep-array') return `${'['.repeat(this.size)}${']'.repeat(this.size)}`;
    return `${'{"a":'.repeat(this.size)}1${'}'.repeat(this.size)}`;
  }
}

const LAZY = '\u0001LAZY\u0001';

interface Draft {
  index: number;
  operation: OpenApiOperation;
  actor: Actor;
  viaCookie: boolean;
  forgedToken: string;
  kind: Kind;
  /** What was changed, for the failure message. */
  note: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body?: { json?: unknown; raw?: string; lazy?: Lazy; contentType?: string; binary?: boolean };
  /** A session of its own (for a case that ends the session it uses). */
  session?: string;
}

// ---------------------------------------------------------------------------------------------
// Nasty values

const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE appointment; --",
  '" OR ""="',
  "1; SELECT pg_sleep(10)--",
  "x' UNION SELECT id_cipher, phone_cipher FROM resident--",
  '$1',
  "%' AND 1=1 --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '<%= it.constructor.constructor("return process")() %>',
  '{{constructor.constructor("return process")()}}',
  '${7*7}',
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/etc/passwd%00.png',
  '....//....//etc/passwd',
  '\r\nSet-Cookie: civic_session=x',
  '__proto__',
  'constructor',
  '{"$gt": ""}',
  '*',
  '%',
  '_',
  '\\',
  '`',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '1e309',
  ' ',
  '',
];

const UNICODE = [
  '\ud800',
  '\udfff',
  'a\ud83dz',
  '\ufeff',
  '\u202egnp.exe',
  'Ｆｕｌｌｗｉｄｔｈ',
  '𝕏𝕐ℤ',
  '👨‍👩‍👧‍👦',
  'e\u0301\u0301\u0301',
  'مرحبا',
  '居民身份证５２０１０２',
  '\u0085\u2028\u2029',
  '\u00ad\u200b\u200d',
  'Z̸̢̛͓̈́a̶͈̅l̷͚̈́g̵͖̀o̸̮̍',
];

const IMPOSSIBLE_DATES = [
  '2026-02-30',
  '2026-02-29',
  '2025-13-01',
  '2026-00-10',
  '2026-12-32',
  '2026-12-00',
  '0000-00-00',
  '9999-99-99',
  '0001-01-01',
  '9999-12-31',
  '1970-01-01',
  '2026-12-1',
  '26-12-01',
  '2026-12-01T25:61:00Z',
  '-001-01-01',
  '+275760-09-13',
  '2026-W49-3',
  '2026/12/01',
  '01.12.2026',
  '２０２６-１２-０１',
  '2026-12-01; DROP TABLE slot',
];

const MALFORMED_JSON = [
  '{',
  '}',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '{"a":undefined}',
  '{"a":NaN}',
  '{a:1}',
  '[1,2',
  '"unterminated',
  '\ufeff{}',
  '{"a":1}{"b":2}',
  '',
  ' ',
  'nul',
  'tru',
  '01',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"a":1e999}',
  '\u0000',
  '{"slotId":"00000000-0000-4000-8000-000000000000"',
  '{"a":"\\u0000"}',
  '{"a":"\\ud800"}',
];

const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'text/xml',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/json-patch+json',
  'application/problem+json',
  'application/vnd.api+json',
  'text/json',
  'application/jsonx',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/json;;;',
  'application/x-www-form-urlencoded',
  'image/png',
  '*/*',
  ';',
  'none',
];

const NOT_OBJECTS = ['[]', '[{"a":1}]', '"text"', '42', '-0', 'null', 'true', 'false', '[[[]]]'];

const ODD_HEADERS: Array<[string, string]> = [
  ['authorization', 'Bearer'],
  ['authorization', 'Bearer '],
  ['authorization', 'Basic YWRtaW46YWRtaW4='],
  ['authorization', `Bearer ${'a'.repeat(8000)}`],
  ['authorization', "Bearer ' OR 1=1--"],
  ['authorization', 'Token abc'],
  ['authorization', 'Bearer null'],
  ['cookie', 'civic_session='],
  ['cookie', 'civic_session=%00'],
  ['cookie', `civic_session=${'x'.repeat(4000)}`],
  ['cookie', '__Host-civic_session=abc'],
  ['cookie', 'civic_session=a; civic_session=b'],
  ['cookie', '=;=;;'],
  ['cookie', 'civic_session="unterminated'],
  ['accept-language', 'zz'],
  ['accept-language', '*;q=abc'],
  ['accept-language', 'en;q=1.5,zh;q=-1'],
  ['accept-language', 'x'.repeat(2000)],
  ['accept', 'text/html'],
  ['accept', 'application/xml'],
  ['accept', 'text/event-stream'],
  ['x-forwarded-for', '999.999.999.999'],
  ['x-forwarded-for', 'garbage, ::1, 127.0.0.1'],
  ['x-request-id', '../../etc/passwd'],
  ['idempotency-key', ' '],
  ['idempotency-key', 'x'.repeat(129)],
  ['idempotency-key', "'; DROP TABLE appointment; --"],
  ['idempotency-key', 'a\tb'],
  ['content-language', 'zh-CN'],
];

const EXTRA_KEYS = ['__proto__', 'constructor', 'prototype', 'isAdmin', 'role', 'residentId', 'status', 'booked', 'capacity', 'centerId', 'id', '', ' ', '\u0000', '$where', 'a.b', 'x'.repeat(300)];

/** Lone surrogates cannot be sent in a URL (they are not UTF-8): the replacement character stands in. */
const wellFormed = (value: string): string => value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

const dateArb = fc.integer({ min: -10, max: 30 }).map((days) => new Date(TEN_AM_SHANGHAI.getTime() + days * 86_400_000).toISOString().slice(0, 10));

const idNumberArb = fc
  .record({
    region: fc.constantFrom('520102', '110105', '310104', '440305'),
    birth: fc.integer({ min: 0, max: 25_000 }),
    sequence: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ region, birth, sequence }) => {
    const body = `${region}${new Date(Date.UTC(1950, 0, 1) + birth * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
    return body + cnRicCheckCharacter(body);
  });

/** Looks like an ID number, is not one: a wrong check character, a future or impossible birth date. */
const almostIdNumberArb = fc.oneof(
  idNumberArb.map((id) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0')),
  fc.constantFrom('520102203001011234', '52010219900230123X', '52010219901301123X', '5201021990010112', '52010219900101123x ', ' 520102199001011234'),
);

const phoneArb = fc.integer({ min: 0, max: 99_999_999 }).map((n) => `13${n % 2 === 0 ? '9' : '8'}${String(n).padStart(8, '0')}`);
const almostPhoneArb = fc.constantFrom('12345678901', '+8613812345678', '+1 202 555 0143', '138-1234-5678', '1381234567', '138123456789', '010-12345678', '+86 138 1234 5678');

const nastyStringArb = fc.oneof(
  { arbitrary: fc.constantFrom(...INJECTIONS), weight: 3 },
  { arbitrary: fc.constantFrom(...UNICODE), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 2 },
  { arbitrary: fc.string({ maxLength: 20 }).map((s) => `${s}\u0000${s}`), weight: 2 },
  { arbitrary: fc.constantFrom(...IMPOSSIBLE_DATES), weight: 1 },
  { arbitrary: almostIdNumberArb, weight: 1 },
  { arbitrary: almostPhoneArb, weight: 1 },
);

/** A JSON value of some type, for a field that wants another (null most often: optional fields let it through). */
const anyJsonArb = fc.oneof(
  { arbitrary: fc.constant(null), weight: 4 },
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(1e308),
  fc.constant(-0),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
  fc.string({ maxLength: 12 }),
  fc.constant({}),
  fc.constant([]),
);

/** Non-UUID path parameters; `raw` ones are put in the URL as they are (bad percent-encoding, traversal). */
const notUuidArb: fc.Arbitrary<{ value: string; raw: boolean }> = fc.oneof(
  { arbitrary: nastyStringArb.map((value) => ({ value, raw: false })), weight: 4 },
  { arbitrary: fc.constantFrom('%ZZ', '%', '%00', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%c0%ae%c0%ae', '%E0%A4%A', '..;', ';jsessionid=1', '%252e', '%ff%fe').map((value) => ({ value, raw: true })), weight: 2 },
  {
    arbitrary: fc
      .constantFrom('00000000-0000-0000-0000-00000000000g', '{00000000-0000-4000-8000-000000000000}', '00000000000040008000000000000000', 'urn:uuid:00000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-0000000000000')
      .map((value) => ({ value, raw: false })),
    weight: 1,
  },
  { arbitrary: fc.uuid().map((value) => ({ value: value.toUpperCase(), raw: false })), weight: 1 },
  { arbitrary: fc.integer({ min: 37, max: 3000 }).map((n) => ({ value: 'a'.repeat(n), raw: false })), weight: 2 },
  { arbitrary: fc.integer().map((n) => ({ value: String(n), raw: false })), weight: 1 },
);

// ---------------------------------------------------------------------------------------------
// Generation from the document

const isDateParameter = (name: string, schema: SchemaObject): boolean =>
  ['date', 'from', 'to'].includes(name) && (name === 'date' || /^\d{4}-\d{2}-\d{2}$/.test(String(schema.example ?? '')));

function knownOr<T>(pool: T[], other: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return pool.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...pool), weight: 5 }, { arbitrary: other, weight: 1 }) : other;
}

/** The schema itself: a $ref looked up, an allOf merged. */
function resolveSchema(schema: SchemaObject, known: Known): SchemaObject {
  if (schema.$ref) return resolveSchema(known.schemas[schema.$ref.split('/').pop()!] ?? assert.fail(`no schema ${schema.$ref}`), known);
  if (schema.allOf) {
    const { allOf, ...rest } = schema;
    return { ...allOf.map((part) => resolveSchema(part, known)).reduce((merged, part) => ({ ...merged, ...part }), {}), ...rest };
  }
  return schema;
}

/**
 * The pool a path parameter "id" draws from: what the path segment before it names. The
 * admin's changes to a center or service go to ones of their own, so that they do not take
 * away what the other operations book.
 */
function idsOf(route: string, known: Known): string[] {
  const segment = /\/([a-z-]+)\/\{id\}/.exec(route)?.[1] ?? '';
  const admin = route.includes(' /api/v1/admin/');
  switch (segment) {
    case 'appointments':
      return known.appointments;
    case 'centers':
      return admin ? known.adminCenters : known.centers;
    case 'services':
      return admin ? known.adminServices : known.services;
    case 'staff':
      return known.staff;
    default:
      return [];
  }
}

/** Values that only this test knows, by the field's name: the rows it created. */
function hinted(name: string, route: string, known: Known): fc.Arbitrary<unknown> | undefined {
  switch (name) {
    case 'id':
      return knownOr(idsOf(route, known), fc.uuid());
    case 'reference':
      return knownOr(known.references, fc.stringMatching(/^[2-9A-HJ-NP-Z]{10}$/));
    case 'centerId':
      return route === STREAM ? fc.uuid() : knownOr(known.centers, fc.uuid());
    case 'serviceId':
      return knownOr(known.services, fc.uuid());
    case 'serviceIds':
      return fc.subarray(known.services);
    case 'slotId':
      return knownOr(known.slots, fc.uuid());
    case 'challengeId':
      return knownOr(known.challenges, fc.uuid());
    case 'idNumber':
      return knownOr(BINDS.has(route) ? known.idNumbers.slice(1) : known.idNumbers, idNumberArb);
    case 'proxyIdNumber':
      return knownOr(known.idNumbers, idNumberArb);
    case 'phone':
    case 'to':
      return knownOr(known.phones, phoneArb);
    case 'username':
      return knownOr(known.usernames, fc.stringMatching(/^[a-z]{1,8}\.[a-z]{1,8}$/));
    case 'password':
      return fc.oneof({ arbitrary: fc.constant(STAFF_PASSWORD), weight: 3 }, { arbitrary: fc.string({ maxLength: 40 }), weight: 1 });
    case 'certificateSerial':
      return fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9\-/.]{0,20}$/);
    case 'counter':
      return fc.integer({ min: 1, max: 99 });
    case 'idCardChecked':
      return fc.constant(true);
    case 'idempotency-key':
      return fc.stringMatching(/^[\x21-\x7e]{1,40}$/);
    default:
      return undefined;
  }
}

/** A valid value for a field or parameter of this name and schema: known rows, the documented example, or one made from the schema. */
function validValue(name: string, schema: SchemaObject, known: Known, route: string): fc.Arbitrary<unknown> {
  const resolved = resolveSchema(schema, known);
  if (resolved.enum && resolved.enum.length > 0) return fc.constantFrom(...resolved.enum);
  if (isDateParameter(name, resolved)) return dateArb;
  const byName = hinted(name, route, known);
  if (byName) return byName;
  const made = fromSchema(name, resolved, known, route);
  return resolved.example === undefined ? made : fc.oneof({ arbitrary: fc.constant(resolved.example), weight: 2 }, { arbitrary: made, weight: 1 });
}

function fromSchema(name: string, schema: SchemaObject, known: Known, route: string): fc.Arbitrary<unknown> {
  if (schema.format === 'uuid') return fc.uuid();
  // One of the alternatives (e.g. a document as { zh, en } or as one plain string).
  if (schema.oneOf) return fc.oneof(...schema.oneOf.map((alternative) => validValue(name, alternative, known, route)));
  if (schema.format === 'date-time') return fc.date({ min: new Date('2026-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
  switch (schema.type ?? (schema.properties ? 'object' : '')) {
    case 'object': {
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [property, propertySchema] of Object.entries(schema.properties ?? {})) record[property] = validValue(property, propertySchema, known, route);
      return fc.record(record, { requiredKeys: schema.required ?? [] });
    }
    case 'array':
      return fc.array(validValue(name, schema.items ?? { type: 'string' }, known, route), { maxLength: 3 });
    case 'boolean':
      return fc.boolean();
    case 'number':
    case 'integer':
      return fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 100 });
    case 'string':
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: (schema.minLength ?? 0) + 20 });
    default:
      return assert.fail(`${route}: cannot generate "${name}" of schema ${JSON.stringify(schema)}: teach the fuzzer`);
  }
}

/** The documented parameters of one place, valid; optional ones present half the time. */
function parametersArb(operation: OpenApiOperation, place: OpenApiParameter['in'], known: Known): fc.Arbitrary<Record<string, string>> {
  const entries = operation.parameters.filter((p) => p.in === place);
  const record: Record<string, fc.Arbitrary<string>> = {};
  for (const parameter of entries) record[parameter.name] = validValue(parameter.name, parameter.schema, known, operation.route).map(String);
  const required = entries.filter((p) => p.required || place === 'path').map((p) => p.name);
  return fc.record(record, { requiredKeys: required }) as fc.Arbitrary<Record<string, string>>;
}

/** A valid body: a JSON object from its schema, or (text/csv) lines of ID numbers and phones. */
function bodyArb(operation: OpenApiOperation, known: Known): fc.Arbitrary<Record<string, unknown> | string | undefined> {
  if (!operation.body) return fc.constant(undefined);
  if (operation.body.contentType !== 'application/json') {
    const line = fc.tuple(knownOr(known.idNumbers.slice(1), idNumberArb), knownOr(known.phones.slice(1), phoneArb)).map(([id, phone]) => `${id},${phone}`);
    return fc.tuple(fc.boolean(), fc.array(line, { minLength: 1, maxLength: 4 })).map(([header, lines]) => `${header ? 'idNumber,phone\n' : ''}${lines.join('\n')}\n`);
  }
  return validValue('body', operation.body.schema, known, operation.route) as fc.Arbitrary<Record<string, unknown>>;
}

/** The mutations that make sense for this operation (GET has no body; path mutations need a path parameter). */
function kindsFor(operation: OpenApiOperation): Kind[] {
  const hasBody = operation.method !== 'GET';
  const hasPath = operation.parameters.some((p) => p.in === 'path');
  return KINDS.filter((kind) => {
    if (['huge', 'deep', 'malformed-json', 'content-type', 'not-an-object'].includes(kind)) return hasBody;
    if (kind === 'nulls') return Object.keys(operation.body?.schema.properties ?? {}).length > 0;
    if (kind === 'path-not-uuid') return hasPath;
    return true;
  });
}

interface Material {
  actor: Actor;
  viaCookie: boolean;
  forgedToken: string;
  kind: Kind;
  path: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: Record<string, unknown> | string | undefined;
  phone: string;
  pick: number;
  nasty: string;
  wrong: unknown;
  extraKey: string;
  extraValue: unknown;
  date: string;
  unicode: string;
  injection: string;
  nul: string;
  long: number;
  depth: number;
  deepShape: 'deep-array' | 'deep-object';
  hugeUnit: string;
  malformed: string;
  contentType: string;
  notObject: string;
  notUuid: { value: string; raw: boolean };
  oddHeader: [string, string];
}

/** Every actor on every operation, weighted towards the one the operation is for, so that valid requests get deep. */
function actorArb(operation: OpenApiOperation): fc.Arbitrary<Actor> {
  const forResidents = /^\/api\/v1\/(appointments|me)\b/.test(operation.path);
  const forStaff = /^\/api\/v1\/(staff|admin)\//.test(operation.path) && operation.path !== '/api/v1/staff/login';
  return fc.oneof(
    { arbitrary: fc.constant<Actor>('anonymous'), weight: 2 },
    { arbitrary: fc.constant<Actor>('resident'), weight: forResidents ? 6 : 2 },
    { arbitrary: fc.constant<Actor>('clerk'), weight: forStaff ? 5 : 2 },
    { arbitrary: fc.constant<Actor>('admin'), weight: forStaff ? 3 : 1 },
    { arbitrary: fc.constant<Actor>('forged'), weight: 1 },
  );
}

function materialArb(operation: OpenApiOperation, known: Known): fc.Arbitrary<Material> {
  return fc.record({
    actor: actorArb(operation),
    viaCookie: fc.boolean().chain((b) => (b ? fc.boolean() : fc.constant(false))),
    forgedToken: fc.stringMatching(/^[A-Za-z0-9_-]{0,64}$/),
    kind: fc.oneof(
      ...kindsFor(operation).map((kind) => ({ arbitrary: fc.constant(kind), weight: kind === 'valid' ? 6 : kind === 'huge' ? 1 : 2 })),
    ),
    path: parametersArb(operation, 'path', known),
    query: parametersArb(operation, 'query', known),
    headers: parametersArb(operation, 'header', known),
    body: bodyArb(operation, known),
    phone: phoneArb,
    pick: fc.nat(10_000),
    nasty: nastyStringArb,
    wrong: anyJsonArb,
    extraKey: fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string({ maxLength: 12 })),
    extraValue: fc.oneof(anyJsonArb, nastyStringArb),
    date: fc.constantFrom(...IMPOSSIBLE_DATES),
    unicode: fc.oneof(fc.constantFrom(...UNICODE), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 40 })),
    injection: fc.constantFrom(...INJECTIONS),
    nul: fc.oneof(fc.constant('\u0000'), fc.string({ maxLength: 16 }).map((s) => `${s}\u0000`), fc.string({ maxLength: 16 }).map((s) => `\u0000${s}\u0000${s}`)),
    long: fc.integer({ min: 1_000, max: 60_000 }),
    depth: fc.integer({ min: 64, max: 9_000 }),
    deepShape: fc.constantFrom<'deep-array' | 'deep-object'>('deep-array', 'deep-object'),
    hugeUnit: fc.constantFrom('x', '\u0000', '居', '😀', '\\"', '<script>'),
    malformed: fc.constantFrom(...MALFORMED_JSON),
    contentType: fc.constantFrom(...WRONG_CONTENT_TYPES),
    notObject: fc.constantFrom(...NOT_OBJECTS),
    notUuid: notUuidArb,
    oddHeader: fc.constantFrom(...ODD_HEADERS),
  });
}

type Place = { in: 'body' | 'query' | 'path'; name: string } | { in: 'text' };

const isJson = (operation: OpenApiOperation): boolean => !operation.body || operation.body.contentType === 'application/json';

/** Where a string value can go in this request: a body field, a line of a text body, a query or a path parameter. */
function stringPlaces(operation: OpenApiOperation, onlyDates = false): Place[] {
  const places: Place[] = [];
  if (!onlyDates && operation.body && !isJson(operation)) places.push({ in: 'text' });
  for (const name of Object.keys(operation.body?.schema.properties ?? {})) if (!onlyDates) places.push({ in: 'body', name });
  for (const p of operation.parameters) {
    if (p.in !== 'query' && p.in !== 'path') continue;
    if (onlyDates && !isDateParameter(p.name, p.schema)) continue;
    places.push({ in: p.in, name: p.name });
  }
  return places;
}

/** Builds the request: the valid one, then the mutation its kind says. */
function draft(index: number, operation: OpenApiOperation, m: Material): Draft {
  const path = { ...m.path };
  const rawPath = new Set<string>();
  const query: Array<[string, string]> = Object.entries(m.query);
  const headers: Record<string, string> = { ...m.headers };
  const textType = operation.body && !isJson(operation) ? operation.body.contentType : undefined;
  let body: Draft['body'] = typeof m.body === 'string' ? { raw: m.body, contentType: textType } : m.body ? { json: { ...m.body } } : undefined;
  let note = '';
  const bodyObject = (): Record<string, unknown> => (body?.json ?? {}) as Record<string, unknown>;
  const pickOf = <T>(items: T[]): T | undefined => (items.length > 0 ? items[m.pick % items.length] : undefined);
  const bodyFields = Object.keys(operation.body?.schema.properties ?? {});

  /** Puts a string at one place of the request (or, where there is none, in an extra query parameter). */
  const putString = (value: string, places = stringPlaces(operation)): void => {
    const place = pickOf(places);
    if (!place) {
      query.push(['q', value]);
      note = `query q=${JSON.stringify(value).slice(0, 80)}`;
      return;
    }
    if (place.in === 'text') {
      body = { raw: `${body?.raw ?? ''}${value},${m.phone}\n`, contentType: textType };
      note = `text line ${JSON.stringify(value).slice(0, 80)}`;
      return;
    }
    if (place.in === 'body') {
      body = { json: { ...bodyObject(), [place.name]: value } };
    } else if (place.in === 'query') {
      const at = query.findIndex(([name]) => name === place.name);
      if (at >= 0) query[at] = [place.name, value];
      else query.push([place.name, value]);
    } else {
      path[place.name] = value;
    }
    note = `${place.in} ${place.name}=${JSON.stringify(value).slice(0, 80)}`;
  };

  switch (m.kind) {
    case 'valid':
      break;
    case 'wrong-type': {
      const place = pickOf(stringPlaces(operation).filter((p) => p.in !== 'path'));
      if (place?.in === 'body') {
        body = { json: { ...bodyObject(), [place.name]: m.wrong } };
        note = `body ${place.name}=${JSON.stringify(m.wrong)?.slice(0, 80)}`;
      } else if (place?.in === 'query') {
        // A query parameter given twice arrives as an array.
        query.push([place.name, JSON.stringify(m.wrong) ?? ''], [place.name, m.nasty]);
        note = `query ${place.name} given twice`;
      } else if (place?.in === 'text') {
        body = { json: { value: m.wrong } };
        note = 'a JSON body instead of text';
      } else {
        putString(m.nasty);
      }
      break;
    }
    case 'nulls': {
      // Every documented field null: optional fields let null through validation.
      const fields = bodyFields.filter((_, i) => i === m.pick % bodyFields.length || m.pick % 2 === 0);
      body = { json: { ...bodyObject(), ...Object.fromEntries(fields.map((name) => [name, null])) } };
      note = `body ${fields.join(', ')} null`;
      break;
    }
    case 'missing': {
      const required: Place[] = [
        ...(operation.body?.schema.required ?? []).map((name) => ({ in: 'body' as const, name })),
        ...operation.parameters.filter((p) => p.required && p.in !== 'header' && p.in !== 'cookie').map((p) => ({ in: p.in as 'query' | 'path', name: p.name })),
      ];
      const place = pickOf(required);
      if (!place && body) {
        body = undefined;
        note = 'no body at all';
      } else if (place?.in === 'body') {
        const rest = { ...bodyObject() };
        delete rest[place.name];
        body = { json: rest };
        note = `body without ${place.name}`;
      } else if (place?.in === 'query') {
        query.splice(0, query.length, ...query.filter(([name]) => name !== place.name));
        note = `query without ${place.name}`;
      } else if (place?.in === 'path') {
        path[place.name] = '';
        note = `path ${place.name} empty`;
      } else {
        note = 'nothing to leave out';
      }
      break;
    }
    case 'extra':
      if (operation.method !== 'GET') {
        const json = { ...bodyObject() };
        Object.defineProperty(json, m.extraKey, { value: m.extraValue, enumerable: true, configurable: true, writable: true });
        body = { json };
        note = `body extra ${JSON.stringify(m.extraKey).slice(0, 40)}`;
      } else {
        query.push([m.extraKey || 'extra', JSON.stringify(m.extraValue) ?? '']);
        note = `query extra ${JSON.stringify(m.extraKey).slice(0, 40)}`;
      }
      break;
    case 'huge':
      if (textType) {
        body = { lazy: new Lazy('huge-text', ONE_MB, m.hugeUnit), contentType: textType };
        note = `text body of 1 MB of ${JSON.stringify(m.hugeUnit)}`;
      } else {
        const name = pickOf(bodyFields) ?? 'x';
        body = { json: { ...bodyObject(), [name]: new Lazy('huge', ONE_MB, m.hugeUnit) } };
        note = `body ${name} = 1 MB of ${JSON.stringify(m.hugeUnit)}`;
      }
      break;
    case 'long': {
      const places = stringPlaces(operation);
      const place = pickOf(places);
      // URLs stay under the 16 KiB header limit of Node's HTTP parser; bodies go up to 60,000 characters.
      const length = place?.in === 'body' || place?.in === 'text' ? m.long : Math.min(m.long, place?.in === 'path' ? 3_000 : 6_000);
      putString('a'.repeat(length), places);
      note = `${note.split('=')[0]} = ${length} characters`;
      break;
    }
    case 'deep': {
      const name = pickOf(bodyFields) ?? 'x';
      const depth = m.deepShape === 'deep-object' ? Math.min(m.depth, 9_000) : m.depth;
      body = { json: { ...bodyObject(), [name]: new Lazy(m.deepShape, depth) } };
      note = `body ${name} nested ${depth} deep (${m.deepShape})`;
      break;
    }
    case 'nul':
      putString(m.nul);
      break;
    case 'unicode':
      putString(m.unicode);
      break;
    case 'injection':
      putString(m.injection);
      break;
    case 'impossible-date': {
      const dates = stringPlaces(operation, true);
      putString(m.date, dates.length > 0 ? dates : undefined);
      break;
    }
    case 'malformed-json':
      body = { raw: m.malformed, contentType: 'application/json' };
      note = `raw body ${JSON.stringify(m.malformed)}`;
      break;
    case 'content-type': {
      const text = typeof m.body === 'string' ? m.body : JSON.stringify(m.body ?? {});
      if (m.contentType === 'none') {
        body = { raw: text, binary: true };
      } else if (m.contentType === 'application/x-www-form-urlencoded' && typeof m.body === 'object') {
        body = { raw: new URLSearchParams(Object.entries(m.body).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? '')])).toString(), contentType: m.contentType };
      } else {
        body = { raw: text, contentType: m.contentType };
      }
      note = `content-type ${m.contentType}`;
      break;
    }
    case 'not-an-object':
      body = { raw: m.notObject, contentType: 'application/json' };
      note = `body ${m.notObject}`;
      break;
    case 'path-not-uuid': {
      const name = pickOf(operation.parameters.filter((p) => p.in === 'path').map((p) => p.name))!;
      path[name] = m.notUuid.value;
      if (m.notUuid.raw) rawPath.add(name);
      note = `path ${name}=${JSON.stringify(m.notUuid.value).slice(0, 80)}${m.notUuid.raw ? ' (raw)' : ''}`;
      break;
    }
    case 'odd-header':
      headers[m.oddHeader[0]] = m.oddHeader[1];
      note = `header ${m.oddHeader[0]}: ${m.oddHeader[1].slice(0, 60)}`;
      break;
    default: {
      const never: never = m.kind;
      assert.fail(`unknown kind ${String(never)}`);
    }
  }

  const url = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = path[name] ?? '';
    return rawPath.has(name) ? value : encodeURIComponent(wellFormed(value));
  });
  const search = query.length > 0 ? `?${new URLSearchParams(query.map(([k, v]): [string, string] => [wellFormed(k), wellFormed(v)])).toString()}` : '';
  // GET cannot carry a body (fetch refuses one).
  if (operation.method === 'GET') body = undefined;
  return { index, operation, actor: m.actor, viaCookie: m.viaCookie, forgedToken: m.forgedToken, kind: m.kind, note, path: url, query: search, headers, body };
}

/** The body as it goes on the wire, and its content type. */
function serialise(body: Draft['body']): { text?: string; bytes?: Uint8Array; contentType?: string } {
  if (!body) return {};
  if (body.lazy) return { text: body.lazy.text(), contentType: body.contentType };
  if (body.raw !== undefined) return body.binary ? { bytes: Buffer.from(body.raw) } : { text: body.raw, contentType: body.contentType };
  let lazy: Lazy | undefined;
  const text = JSON.stringify(body.json, (_key, value: unknown) => {
    if (!(value instanceof Lazy)) return value;
    lazy = value;
    return LAZY;
  });
  return { text: lazy ? text.replace(JSON.stringify(LAZY), lazy.json()) : text, contentType: 'application/json' };
}

// ---------------------------------------------------------------------------------------------

/** Runs `work` over the items, `concurrency` at a time. */
async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** A seeded shuffle (mulberry32), so that operations interleave the same way for the same seed. */
function shuffle<T>(items: T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('fuzzing every operation of the OpenAPI document', { timeout: 600_000 }, () => {
  const clock = new TestClock(TEN_AM_SHANGHAI);
  let t: TestApp;
  let operations: OpenApiOperation[];
  let known: Known;
  let resident: SignedInResident;
  const tokens: Record<'resident' | 'clerk' | 'admin', string> = { resident: '', clerk: '', admin: '' };
  let centerOne: Awaited<ReturnType<typeof createCenter>>;
  let renewed = 0;
  let disposable = 0;
  let clerkAccount: StaffSession;

  before(async () => {
    t = await startTestApp({ clock, env: FUZZ_ENV });
    const document = await loadOpenApi(t.api);
    operations = document.operations;

    // Center one offers four services, center two one; slots today (one already begun), tomorrow and later.
    centerOne = await createCenter(t.dataSource);
    const services = [centerOne.service, ...(await Promise.all([1, 2, 3].map(() => offerAnotherService(t, centerOne.center))))];
    const centerTwo = await createCenter(t.dataSource);
    const centerThree = await createCenter(t.dataSource);
    const now = clock.now();
    const slot = (centerId: string, hoursFromNow: number, capacity: number) => createSlot(t.dataSource, centerId, { now, hoursFromNow, capacity, minutes: 30 });
    const oneToday = [await slot(centerOne.center.id, 1, 40), await slot(centerOne.center.id, 2, 40), await slot(centerOne.center.id, 3, 40)];
    const oneLater = [await slot(centerOne.center.id, 26, 10), await slot(centerOne.center.id, 50, 10), await slot(centerOne.center.id, 74, 10)];
    const onePast = await slot(centerOne.center.id, -2, 10);
    const twoSlots = [await slot(centerTwo.center.id, 1, 10), await slot(centerTwo.center.id, 50, 10)];
    const threeSlots = [await slot(centerThree.center.id, 2, 10), await slot(centerThree.center.id, 30, 10)];

    // The fuzzing resident holds three appointments; others hold theirs.
    resident = await signIn(t.api);
    const others = [await signIn(t.api), await signIn(t.api), await signIn(t.api), await signIn(t.api)];
    const appointments = [
      await bookFor(t, resident, oneToday[0]!, services[0]!),
      await bookFor(t, resident, oneLater[0]!, services[1]!),
      await bookFor(t, resident, twoSlots[1]!, centerTwo.service),
      await bookFor(t, others[0]!, oneToday[1]!, services[0]!),
      await bookFor(t, others[1]!, twoSlots[0]!, centerTwo.service),
      await bookFor(t, others[2]!, oneToday[2]!, services[1]!),
      await bookFor(t, others[3]!, oneLater[1]!, services[0]!),
      await bookFor(t, others[0]!, threeSlots[0]!, centerThree.service),
      await bookFor(t, others[1]!, threeSlots[1]!, centerThree.service),
    ];
    // One of them checked in (so that fulfil and call-next have something to do), one whose slot has begun (no-show).
    const setupClerk = await staffLogin(t, { role: 'clerk', center: centerOne.center, clock });
    const checkedIn = await t.api.post(`/api/v1/staff/appointments/${appointments[5]!.id}/check-in`, { method: 'id-document', idNumber: others[2]!.idNumber }, { token: setupClerk.token });
    assert.equal(checkedIn.status, 200, checkedIn.text);
    await t.dataSource.query(`UPDATE slot SET starts_at = $2, ends_at = $3 WHERE id = $1`, [oneLater[1]!.id, new Date(now.getTime() - 3 * 3600_000), new Date(now.getTime() - 2.5 * 3600_000)]);
    // Passcode challenges: sign-in ones and a counter one.
    const challenges: string[] = [];
    for (let i = 0; i < 2; i++) challenges.push((await t.api.post('/api/v1/auth/otp', { idNumber: newIdNumber(), phone: newPhone() })).body.challengeId as string);
    const counterCode = await t.api.post(`/api/v1/staff/appointments/${appointments[0]!.id}/counter-otp`, undefined, { token: setupClerk.token });
    assert.equal(counterCode.status, 202, counterCode.text);
    challenges.push(counterCode.body.challengeId as string);

    const loginTarget = await createStaff(t, { role: 'clerk', center: centerOne.center });
    tokens.resident = resident.token;
    clerkAccount = await staffLogin(t, { role: 'clerk', center: centerOne.center, clock });
    tokens.clerk = clerkAccount.token;
    tokens.admin = (await staffLogin(t, { role: 'admin', clock })).token;

    known = {
      centers: [centerOne.center.id, centerTwo.center.id],
      services: [...services.map((service) => service.id), centerTwo.service.id],
      slots: [...oneToday, ...oneLater, onePast, ...twoSlots, ...threeSlots].map((s) => s.id),
      appointments: appointments.map((a) => a.id as string),
      references: appointments.map((a) => a.reference as string),
      challenges: challenges.filter(Boolean),
      idNumbers: [resident.idNumber, ...others.map((o) => o.idNumber)],
      phones: [resident.phone, ...others.map((o) => o.phone)],
      usernames: [loginTarget.username],
      staff: [loginTarget.staffId, setupClerk.staffId],
      adminCenters: [centerThree.center.id],
      adminServices: [centerThree.service.id],
      schemas: document.schemas,
    };
  });
  after(() => t?.close());

  type SignedInActor = keyof typeof tokens;
  const isSignedIn = (actor: Actor): actor is SignedInActor => actor in tokens;

  /** A new session for this actor (the resident keeps their identity: their phone is bound again first). */
  async function signInAgain(actor: SignedInActor): Promise<void> {
    renewed++;
    if (actor === 'admin') {
      tokens.admin = (await staffLogin(t, { role: 'admin', clock })).token;
    } else if (actor === 'clerk') {
      tokens.clerk = (await staffLogin(t, { role: 'clerk', center: centerOne.center, clock })).token;
    } else {
      const rebound = await t.api.post('/api/v1/staff/residents/phone', { idNumber: resident.idNumber, phone: resident.phone, idCardChecked: true }, { token: tokens.admin });
      assert.equal(rebound.status, 200, rebound.text);
      tokens.resident = (await signIn(t.api, resident.idNumber, resident.phone)).token;
    }
  }

  const liveness: Record<SignedInActor, () => string> = {
    admin: () => `/api/v1/staff/reports?centerId=${centerOne.center.id}`,
    clerk: () => '/api/v1/staff/queue',
    resident: () => '/api/v1/me',
  };

  /** A safety net between chunks: the actors' sessions should live through the run (see disposableSession). */
  async function keepSessionsAlive(): Promise<void> {
    for (const actor of ['admin', 'clerk', 'resident'] as const) {
      if ((await t.api.get(liveness[actor](), { token: tokens[actor] })).status !== 200) await signInAgain(actor);
    }
  }

  /**
   * Logging out and erasing oneself end the caller's session: those cases get a session of
   * their own, so that the actors' sessions live through the run. An erasure needs someone who
   * may be erased: a new resident.
   */
  async function disposableSession(route: string, actor: SignedInActor): Promise<string | undefined> {
    if (!ENDS_SESSION.has(route)) return undefined;
    if (actor === 'resident') return (route === 'DELETE /api/v1/me' ? await signIn(t.api) : await signIn(t.api, resident.idNumber, resident.phone)).token;
    if (route === 'DELETE /api/v1/me') return undefined; // staff are refused it
    if (actor === 'clerk') return (await postStaffLogin(t, { username: clerkAccount.username, password: clerkAccount.password })).body.token as string;
    return (await staffLogin(t, { role: 'admin', clock })).token;
  }

  /** The request on the wire; a JSON body over the limit must be refused with 413. */
  function send(d: Draft): { response: Promise<RawResponse>; expect?: number } {
    const headers: Record<string, string> = {};
    const token = d.actor === 'forged' ? d.forgedToken : isSignedIn(d.actor) ? (d.session ?? tokens[d.actor]) : undefined;
    if (token !== undefined) {
      if (d.viaCookie) headers.cookie = `civic_session=${token}`;
      else headers.authorization = `Bearer ${token}`;
    }
    const { text, bytes, contentType } = serialise(d.body);
    if (contentType) headers['content-type'] = contentType;
    Object.assign(headers, d.headers);
    // (An operation that takes another type, such as the CSV import, reads its body with its own limit.)
    const oversized = isJson(d.operation) && contentType === 'application/json' && text !== undefined && Buffer.byteLength(text) > BODY_LIMIT;
    return { response: sendRaw(t.url, d.operation.method, d.path + d.query, { headers, body: bytes ?? text, timeoutMs: TIMEOUT_MS }), expect: oversized ? 413 : undefined };
  }

  it(`answers ${MIN_CASES.toLocaleString('en')}+ generated and mutated requests without a 5xx, every 4xx as problem+json, and the slot counters stay true`, async (context) => {
    context.diagnostic(`fuzz ${REPLAY}`);
    assert.ok(Number.isInteger(SEED), `FUZZ_SEED must be an integer, got ${process.env.FUZZ_SEED}`);
    const stream = operations.find((o) => o.route === STREAM);
    assert.ok(stream, `${STREAM} is not in the document any more: update the fuzzer; ${REPLAY}`);

    // Generation: the same number of cases for every operation, each from its own seed, then interleaved.
    const perOperation = Math.ceil(CASES / operations.length);
    const drafts = shuffle(
      operations.flatMap((operation, n) =>
        fc.sample(materialArb(operation, known), { seed: SEED + n, numRuns: perOperation }).map((material) => ({ operation, material })),
      ),
      SEED,
    ).map(({ operation, material }, index) => draft(index, operation, material));
    for (const d of drafts) {
      if (d.operation === stream) assert.ok(!known.centers.some((id) => d.path.includes(id)), `case #${d.index} would open the event stream of an existing center; ${REPLAY}`);
    }
    // The resident's own extra sessions one after the other (a new passcode kills the one before).
    const own = (d: Draft): boolean => d.actor === 'resident' && d.operation.route === 'POST /api/v1/auth/logout';
    for (const [concurrency, which] of [[1, own], [4, (d: Draft) => !own(d)]] as const) {
      await inParallel(drafts.filter(which), concurrency, async (d) => {
        if (!isSignedIn(d.actor)) return;
        d.session = await disposableSession(d.operation.route, d.actor);
        if (d.session) disposable++;
      });
    }

    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const byKind = new Map<Kind, number>();
    const byOperation = new Map<string, Map<number, number>>();
    const time = new Map<string, number>();
    let sent = 0;
    type Row = { id: string; status: string; slot_id: string };
    const appointmentRows = async (): Promise<Row[]> => (await t.dataSource.query('SELECT id, status, slot_id FROM appointment')) as Row[];
    const before = new Map((await appointmentRows()).map((row) => [row.id, row]));
    const started = Date.now();
    const describeCase = (d: Draft): string => {
      const { text, bytes, contentType } = serialise(d.body);
      const size = bytes?.length ?? (text !== undefined ? Buffer.byteLength(text) : 0);
      const preview = size > 300 ? `${size} bytes` : JSON.stringify(text ?? '');
      return `#${d.index} ${d.operation.route} as ${d.actor}${d.viaCookie ? ' (cookie)' : ''} [${d.kind}${d.note ? `: ${d.note}` : ''}] ${d.operation.method} ${d.path.slice(0, 160)}${d.query.slice(0, 160)}${size > 0 ? ` body ${contentType ?? '(no type)'} ${preview}` : ''}`;
    };

    for (let from = 0; from < drafts.length; from += CHUNK) {
      await inParallel(drafts.slice(from, from + CHUNK), CONCURRENCY, async (d) => {
        let response: RawResponse;
        const request = send(d);
        const began = Date.now();
        try {
          response = await request.response;
          time.set(d.operation.route, (time.get(d.operation.route) ?? 0) + Date.now() - began);
        } catch (error) {
          failures.push(`${describeCase(d)} → no answer: ${(error as Error).message} ${String((error as { cause?: unknown }).cause ?? '')}`);
          return;
        } finally {
          sent++;
          byKind.set(d.kind, (byKind.get(d.kind) ?? 0) + 1);
        }
        const { status } = response;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const perOp = byOperation.get(d.operation.route) ?? new Map<number, number>();
        perOp.set(status, (perOp.get(status) ?? 0) + 1);
        byOperation.set(d.operation.route, perOp);
        const got = `${status} ${response.headers.get('content-type') ?? '(no type)'} ${response.text.slice(0, 200)}`;
        if (status >= 500) failures.push(`${describeCase(d)} → ${got}`);
        if (request.expect !== undefined && status !== request.expect) failures.push(`${describeCase(d)} → ${got} (expected ${request.expect})`);
        if (status >= 400 && status < 500) {
          const type = response.headers.get('content-type') ?? '';
          let problem: { code?: unknown; status?: unknown } | undefined;
          try {
            problem = JSON.parse(response.text) as { code?: unknown; status?: unknown };
          } catch {
            problem = undefined;
          }
          if (!type.startsWith('application/problem+json') || typeof problem?.code !== 'string' || problem.status !== status) {
            failures.push(`${describeCase(d)} → ${got} (not problem+json with a string code and this status)`);
          }
        }
      });
      await keepSessionsAlive();
    }
    const seconds = (Date.now() - started) / 1000;

    // The counters after all that: one query over every slot.
    const [slots] = (await t.dataSource.query(
      `SELECT count(*)::int AS slots,
              count(*) FILTER (WHERE s.booked <> coalesce(a.held, 0))::int AS wrong,
              coalesce(sum(coalesce(a.held, 0)), 0)::int AS held,
              string_agg(CASE WHEN s.booked <> coalesce(a.held, 0) THEN s.id || ': booked ' || s.booked || ', held ' || coalesce(a.held, 0) END, '; ') AS detail
         FROM slot s
         LEFT JOIN (SELECT slot_id, count(*) AS held FROM appointment WHERE status <> 'cancelled' GROUP BY slot_id) a ON a.slot_id = s.id`,
    )) as Array<{ slots: number; wrong: number; held: number; detail: string | null }>;
    // What the fuzzing did to the places: appointments made, cancelled, moved to another slot.
    const afterRows = await appointmentRows();
    const places = {
      taken: afterRows.filter((row) => !before.has(row.id)).length,
      freed: afterRows.filter((row) => row.status === 'cancelled' && before.get(row.id)?.status !== 'cancelled').length,
      moved: afterRows.filter((row) => before.has(row.id) && before.get(row.id)!.slot_id !== row.slot_id).length,
    };

    const succeeded = (route: string): number => [...(byOperation.get(route)?.entries() ?? [])].filter(([status]) => status < 300).reduce((sum, [, n]) => sum + n, 0);
    const CHANGES = ['POST /api/v1/appointments', 'POST /api/v1/appointments/{id}/cancel', 'POST /api/v1/appointments/{id}/reschedule', 'POST /api/v1/staff/walk-ins', 'POST /api/v1/staff/appointments/{id}/check-in', 'POST /api/v1/staff/appointments/{id}/fulfil', 'POST /api/v1/staff/appointments/{id}/no-show'];
    const summary = [
      `${sent} cases over ${operations.length} operations in ${seconds.toFixed(1)} s (${(sent / seconds).toFixed(0)}/s, concurrency ${CONCURRENCY}); ${REPLAY}`,
      `statuses: ${[...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`,
      `kinds: ${[...byKind.entries()].map(([k, n]) => `${k}×${n}`).join(' ')}`,
      `appointment changes that succeeded: ${CHANGES.map((route) => `${route.split(' ')[1]!.replace('/api/v1/', '')} ${route.split(' ')[0]}×${succeeded(route)}`).join(', ')}`,
      `disposable sessions: ${disposable}, sessions renewed: ${renewed}; slots checked: ${slots!.slots} holding ${slots!.held} appointments; places taken ${places.taken}, freed ${places.freed}, moved ${places.moved} by the fuzzing`,
      ...operations.map((o) => {
        const counts = [...(byOperation.get(o.route) ?? new Map<number, number>()).entries()].sort(([a], [b]) => a - b);
        const n = counts.reduce((sum, [, c]) => sum + c, 0);
        return `  ${o.route}: ${counts.map(([s, c]) => `${s}×${c}`).join(' ')} (mean ${((time.get(o.route) ?? 0) / Math.max(1, n)).toFixed(0)} ms)`;
      }),
    ];
    for (const line of summary) context.diagnostic(line);

    assert.deepEqual(failures.slice(0, 40), [], `${failures.length} bad answers; ${REPLAY}`);
    assert.ok(sent >= MIN_CASES, `only ${sent} cases; ${REPLAY}`);
    assert.deepEqual(
      operations.map((o) => o.route).filter((route) => !byOperation.has(route)),
      [],
      `operations never fuzzed; ${REPLAY}`,
    );
    assert.deepEqual(
      KINDS.filter((kind) => !byKind.has(kind)),
      [],
      `mutations never made; ${REPLAY}`,
    );
    assert.equal(slots!.wrong, 0, `slots whose booked differs from their non-cancelled appointments: ${slots!.detail}; ${REPLAY}`);
    // The check above means something only if the fuzzing changed bookings: places were taken, freed or moved.
    assert.ok(places.taken + places.freed + places.moved > 0, `the fuzzing took, freed or moved no place: the counter check proves nothing; ${REPLAY}`);
  });
});
