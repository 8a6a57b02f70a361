import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { cnRicCheckCharacter } from '../src/identity/id-number';
import { ApiClient, ApiResponse, RequestOptions } from './support/http';
import { newIdNumber as makeIdNumber, newPhone as makePhone } from './support/identities';
import { latestCode, requestCode, signIn } from './support/residents';
import { startTestApp, TestApp, TestAppOptions } from './support/test-app';
import { TestClock } from './support/test-clock';

const OTP = '/api/v1/auth/otp';
const VERIFY = '/api/v1/auth/otp/verify';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

// Every ID number and phone this file uses, and every answer of the API (not /dev) it got:
// the last test checks that no answer ever contained one of them in plain text.
const usedIds = new Set<string>();
const usedPhones = new Set<string>();
const answers: Array<{ path: string; text: string }> = [];

class RecordingClient extends ApiClient {
  override async request<T = any>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const response = await super.request<T>(method, path, body, options);
    if (!path.startsWith('/dev/')) answers.push({ path: `${method} ${path}`, text: `${response.text}\n${[...response.headers].map((h) => h.join(': ')).join('\n')}` });
    return response;
  }
}

async function start(options: TestAppOptions = {}): Promise<TestApp & { api: RecordingClient }> {
  const t = await startTestApp(options);
  return Object.assign(t, { api: new RecordingClient(t.url) });
}

function newIdNumber(): string {
  const id = makeIdNumber();
  usedIds.add(id);
  return id;
}

function newPhone(): string {
  const phone = makePhone();
  usedPhones.add(phone);
  return phone;
}

/** A valid ID number whose check character is `check` (birth dates from 1980 on, so distinct from newIdNumber's). */
let birthDay = 0;
function idNumberEndingWith(check: string): string {
  for (;;) {
    birthDay += 1;
    const birth = new Date(Date.UTC(1980, 0, 1) + birthDay * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
    const body = `520103${birth}417`;
    if (cnRicCheckCharacter(body) === check) {
      usedIds.add(body + check);
      return body + check;
    }
  }
}

/** 17 digits + their correct check character, whatever the digits mean. */
const withCheck = (first17: string): string => first17 + cnRicCheckCharacter(first17);

const masked = (national: string): string => `${national.slice(0, 3)}****${national.slice(-4)}`;
const otherCode = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const tokenHash = (token: string): Buffer => createHash('sha256').update(token).digest();

function assertProblem(response: ApiResponse, status: number, code: string, label = ''): void {
  assert.equal(response.status, status, `${label} ${response.text}`);
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  for (const key of ['type', 'title', 'detail', 'code']) assert.equal(typeof response.body[key], 'string', `${key} in ${response.text}`);
  assert.equal(response.body.status, status);
  assert.equal(response.body.code, code);
}

function retryAfter(response: ApiResponse): number {
  const header = response.headers.get('retry-after');
  assert.ok(header, `no Retry-After on ${response.status} ${response.text}`);
  assert.match(header, /^\d+$/);
  return Number(header);
}

async function residentOf(t: TestApp, token: string): Promise<string> {
  const [row] = (await t.dataSource.query('SELECT resident_id FROM session WHERE token_hash = $1', [tokenHash(token)])) as Array<{ resident_id: string }>;
  assert.ok(row, 'no session row for the token');
  return row.resident_id;
}

describe('POST /api/v1/auth/otp: what it accepts', () => {
  let t: TestApp & { api: RecordingClient };
  before(async () => {
    t = await start();
  });
  after(() => t.close());

  it('answers 202 { challengeId, expiresAt, resendAfter, sentTo } with the given phone masked', async () => {
    const phone = newPhone();
    const asked = Date.now();
    const response = await t.api.post(OTP, { idNumber: newIdNumber(), phone });
    assert.equal(response.status, 202, response.text);
    assert.deepEqual(Object.keys(response.body).sort(), ['challengeId', 'expiresAt', 'resendAfter', 'sentTo']);
    assert.match(response.body.challengeId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(response.body.sentTo, masked(phone));
    assert.match(response.body.sentTo, /^1\d{2}\*{4}\d{4}$/);
    const expiresAt = Date.parse(response.body.expiresAt);
    const resendAfter = Date.parse(response.body.resendAfter);
    assert.ok(Math.abs(expiresAt - asked - 5 * MINUTE) < 10_000, `expiresAt ${response.body.expiresAt} is not 5 minutes away`);
    assert.ok(resendAfter <= expiresAt);
    // The code really went out, to that phone.
    const outbox = await t.api.get(`/dev/outbox?to=${phone}`);
    assert.equal(outbox.body.length, 1);
    assert.match(outbox.body[0].text, /\b\d{6}\b/);
  });

  it('masks the national number when the phone is given in E.164 form', async () => {
    const phone = newPhone();
    const response = await t.api.post(OTP, { idNumber: newIdNumber(), phone: `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}` });
    assert.equal(response.status, 202, response.text);
    assert.equal(response.body.sentTo, masked(phone));
    assert.match(await latestCode(t.api, phone), /^\d{6}$/);
  });

  it('accepts a lower-case x as check character; it is the same resident as with X', async () => {
    const idNumber = idNumberEndingWith('X');
    const phone = newPhone();
    const lower = await t.api.post(OTP, { idNumber: idNumber.toLowerCase(), phone });
    assert.equal(lower.status, 202, lower.text);
    const first = await t.api.post(VERIFY, { challengeId: lower.body.challengeId, code: await latestCode(t.api, phone) });
    assert.equal(first.status, 200, first.text);
    const me = await t.api.get('/api/v1/me', { token: first.body.token });
    assert.equal(me.status, 200);
    assert.ok(me.body.maskedIdNumber.endsWith(idNumber.slice(-4)), me.body.maskedIdNumber);
    const second = await signIn(t.api, idNumber, phone);
    assert.equal(await residentOf(t, second.token), await residentOf(t, first.body.token));
  });

  it('refuses an invalid ID number with 400 invalid_id_number', async () => {
    const valid = newIdNumber();
    const wrongCheck = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    const cases: Array<[string, Record<string, unknown>]> = [
      ['bad check character', { idNumber: wrongCheck }],
      ['impossible birth date 19990230', { idNumber: withCheck('52010219990230123') }],
      ['future birth date', { idNumber: withCheck(`520102${new Date().getUTCFullYear() + 1}0101123`) }],
      ['month 13', { idNumber: withCheck('52010219991301123') }],
      ['17 characters', { idNumber: valid.slice(0, 17) }],
      ['19 characters', { idNumber: `${valid}1` }],
      ['letters', { idNumber: `52010219900101ABCX` }],
      ['a number, not a string', { idNumber: 5201021990 }],
      ['missing', {}],
    ];
    for (const [label, fields] of cases) {
      if (typeof fields.idNumber === 'string') usedIds.add(fields.idNumber);
      const response = await t.api.post(OTP, { ...fields, phone: newPhone() });
      assertProblem(response, 400, 'invalid_id_number', label);
      if (typeof fields.idNumber === 'string') assert.ok(!response.text.includes(fields.idNumber), `${label}: the answer echoes the ID number`);
    }
  });

  it('refuses a landline or garbage as phone with 400 invalid_phone', async () => {
    for (const phone of ['02112345678', 'not a phone', '1391234', '139-1234-abcd', '', undefined]) {
      const response = await t.api.post(OTP, { idNumber: newIdNumber(), phone });
      assertProblem(response, 400, 'invalid_phone', String(phone));
      if (phone) assert.ok(!response.text.includes(phone), `the answer echoes ${phone}`);
    }
  });

  it('refuses an unknown extra field with 400 validation_failed', async () => {
    const response = await t.api.post(OTP, { idNumber: newIdNumber(), phone: newPhone(), email: 'someone@example.com' });
    assertProblem(response, 400, 'validation_failed');
  });

  it('refuses malformed JSON with 400 malformed_json', async () => {
    const response = await t.api.post(OTP, undefined, { raw: '{"idNumber": "5201', headers: { 'content-type': 'application/json' } });
    assertProblem(response, 400, 'malformed_json');
  });

  it('refuses a JSON body that is not an object with 400', async () => {
    for (const raw of ['[]', '"520102199001011234"', '42', 'null']) {
      const response = await t.api.post(OTP, undefined, { raw, headers: { 'content-type': 'application/json' } });
      assert.equal(response.status, 400, `${raw}: ${response.text}`);
      assertProblem(response, 400, response.body.code);
    }
  });

  it('refuses a text/plain body with 415', async () => {
    const response = await t.api.post(OTP, undefined, {
      raw: JSON.stringify({ idNumber: newIdNumber(), phone: newPhone() }),
      headers: { 'content-type': 'text/plain' },
    });
    assertProblem(response, 415, 'unsupported_media_type');
  });

  it('refuses a body over 64 KiB with 413', async () => {
    const response = await t.api.post(OTP, { idNumber: newIdNumber(), phone: newPhone(), padding: 'a'.repeat(65 * 1024) });
    assertProblem(response, 413, 'payload_too_large');
  });

  it('refuses a verify request with a malformed challenge id or code with 400 validation_failed', async () => {
    assertProblem(await t.api.post(VERIFY, { challengeId: 'not-a-uuid', code: '123456' }), 400, 'validation_failed');
    assertProblem(await t.api.post(VERIFY, { challengeId: randomUUID(), code: 123456 }), 400, 'validation_failed');
    assertProblem(await t.api.post(VERIFY, { challengeId: randomUUID() }), 400, 'validation_failed');
  });
});

describe('POST /api/v1/auth/otp/verify', () => {
  const clock = new TestClock();
  let t: TestApp & { api: RecordingClient };
  before(async () => {
    t = await start({ clock });
  });
  after(() => t.close());

  it('the right code answers 200 { token, expiresAt } and an HttpOnly SameSite=Lax session cookie; bearer and cookie both work', async () => {
    const idNumber = newIdNumber();
    const phone = newPhone();
    const challengeId = await requestCode(t.api, idNumber, phone);
    const code = await latestCode(t.api, phone);
    const verifiedAt = clock.now().getTime();
    const response = await t.api.post(VERIFY, { challengeId, code });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(Object.keys(response.body).sort(), ['expiresAt', 'token']);
    const token = response.body.token as string;
    assert.match(token, /^[A-Za-z0-9_-]{43,}$/, 'a 256-bit random token');
    assert.ok(Math.abs(Date.parse(response.body.expiresAt) - verifiedAt - 2 * HOUR) < 10_000, `expiresAt ${response.body.expiresAt} is not 2 h away`);

    const cookie = response.headers.getSetCookie().find((c) => /^(__Host-)?civic_session=/.test(c));
    assert.ok(cookie, `no session cookie in ${JSON.stringify(response.headers.getSetCookie())}`);
    assert.equal(cookie.split(';')[0], `civic_session=${token}`);
    assert.match(cookie, /;\s*HttpOnly\b/i);
    assert.match(cookie, /;\s*SameSite=Lax\b/i);
    assert.match(cookie, /;\s*Path=\//i);

    const viaBearer = await t.api.get('/api/v1/me', { token });
    assert.equal(viaBearer.status, 200, viaBearer.text);
    assert.equal(viaBearer.body.maskedPhone, masked(phone));
    const viaCookie = await t.api.get('/api/v1/me', { headers: { cookie: cookie.split(';')[0]! } });
    assert.equal(viaCookie.status, 200, viaCookie.text);
    assert.deepEqual(viaCookie.body, viaBearer.body);

    // A new token at every sign-in, and the first one stays valid.
    const again = await signIn(t.api, idNumber, phone);
    assert.notEqual(again.token, token);
    assert.equal((await t.api.get('/api/v1/me', { token: again.token })).status, 200);
    assert.equal((await t.api.get('/api/v1/me', { token })).status, 200);
  });

  it('a wrong code answers 401 wrong_code with attemptsRemaining 4, 3, 2, 1, 0; the 6th try is refused with 410 even with the right code', async () => {
    const phone = newPhone();
    const challengeId = await requestCode(t.api, newIdNumber(), phone);
    const code = await latestCode(t.api, phone);
    for (const remaining of [4, 3, 2, 1, 0]) {
      const response = await t.api.post(VERIFY, { challengeId, code: otherCode(code) });
      assertProblem(response, 401, 'wrong_code');
      assert.equal(response.body.attemptsRemaining, remaining);
      assert.equal(response.headers.getSetCookie().length, 0, 'no cookie for a wrong code');
    }
    assertProblem(await t.api.post(VERIFY, { challengeId, code }), 410, 'challenge_expired');
  });

  it('a code that is not 6 digits is just a wrong try', async () => {
    const phone = newPhone();
    const challengeId = await requestCode(t.api, newIdNumber(), phone);
    const code = await latestCode(t.api, phone);
    const response = await t.api.post(VERIFY, { challengeId, code: `${code} ` });
    assertProblem(response, 401, 'wrong_code');
    assert.equal(response.body.attemptsRemaining, 4);
    assert.equal((await t.api.post(VERIFY, { challengeId, code })).status, 200);
  });

  it('an unknown challenge answers 410 challenge_expired', async () => {
    assertProblem(await t.api.post(VERIFY, { challengeId: randomUUID(), code: '123456' }), 410, 'challenge_expired');
  });

  it('a code is valid for 5 minutes: 410 challenge_expired after that', async () => {
    const phone = newPhone();
    const challengeId = await requestCode(t.api, newIdNumber(), phone);
    const code = await latestCode(t.api, phone);
    clock.advance(5 * MINUTE + 1000);
    assertProblem(await t.api.post(VERIFY, { challengeId, code }), 410, 'challenge_expired');

    const stillFresh = await requestCode(t.api, newIdNumber(), phone);
    const freshCode = await latestCode(t.api, phone);
    clock.advance(4 * MINUTE + 50_000);
    assert.equal((await t.api.post(VERIFY, { challengeId: stillFresh, code: freshCode })).status, 200);
  });

  it('a code expired in the database is refused too', async () => {
    const phone = newPhone();
    const challengeId = await requestCode(t.api, newIdNumber(), phone);
    const code = await latestCode(t.api, phone);
    await t.dataSource.query(`UPDATE otp_challenge SET expires_at = $2 WHERE id = $1`, [challengeId, new Date(clock.now().getTime() - 1000)]);
    assertProblem(await t.api.post(VERIFY, { challengeId, code }), 410, 'challenge_expired');
  });

  it('a code already used answers 410', async () => {
    const phone = newPhone();
    const challengeId = await requestCode(t.api, newIdNumber(), phone);
    const code = await latestCode(t.api, phone);
    assert.equal((await t.api.post(VERIFY, { challengeId, code })).status, 200);
    assertProblem(await t.api.post(VERIFY, { challengeId, code }), 410, 'challenge_expired');
  });

  it('a new code for the same ID kills the previous one', async () => {
    const idNumber = newIdNumber();
    const phone = newPhone();
    const first = await requestCode(t.api, idNumber, phone);
    const firstCode = await latestCode(t.api, phone);
    const second = await requestCode(t.api, idNumber, phone);
    const secondCode = await latestCode(t.api, phone);
    assertProblem(await t.api.post(VERIFY, { challengeId: first, code: firstCode }), 410, 'challenge_expired');
    assert.equal((await t.api.post(VERIFY, { challengeId: second, code: secondCode })).status, 200);
  });

  it('a new code for another ID does not kill this one', async () => {
    const phone = newPhone();
    const mine = await requestCode(t.api, newIdNumber(), phone);
    const code = await latestCode(t.api, phone);
    await requestCode(t.api, newIdNumber(), newPhone());
    assert.equal((await t.api.post(VERIFY, { challengeId: mine, code })).status, 200);
  });

  it('20 parallel verifications of the right code: exactly one 200, 19 × 410, one session', async () => {
    const phone = newPhone();
    const challengeId = await requestCode(t.api, newIdNumber(), phone);
    const code = await latestCode(t.api, phone);
    const responses = await Promise.all(Array.from({ length: 20 }, () => t.api.post(VERIFY, { challengeId, code })));
    const statuses = responses.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 1, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 410).length, 19, statuses.join(','));
    for (const response of responses.filter((r) => r.status === 410)) assertProblem(response, 410, 'challenge_expired');
    const winner = responses.find((r) => r.status === 200)!;
    const residentId = await residentOf(t, winner.body.token);
    const [{ sessions }] = (await t.dataSource.query('SELECT count(*)::int AS sessions FROM session WHERE resident_id = $1', [residentId])) as Array<{ sessions: number }>;
    assert.equal(sessions, 1);
  });
});

describe('passcode request limits', () => {
  const clock = new TestClock();
  let t: TestApp & { api: RecordingClient };
  before(async () => {
    t = await start({ clock, env: { OTP_RESEND_SECONDS: '60' } });
  });
  after(() => t.close());

  it('a resend within 60 s answers 429 too_many_requests with Retry-After; after the cooldown it works', async () => {
    const idNumber = newIdNumber();
    const phone = newPhone();
    const first = await t.api.post(OTP, { idNumber, phone });
    assert.equal(first.status, 202, first.text);
    assert.ok(Math.abs(Date.parse(first.body.resendAfter) - clock.now().getTime() - 60_000) < 5_000, first.body.resendAfter);
    clock.advance(20_000);
    const tooSoon = await t.api.post(OTP, { idNumber, phone });
    assertProblem(tooSoon, 429, 'too_many_requests');
    const wait = retryAfter(tooSoon);
    assert.ok(wait >= 1 && wait <= 41, `Retry-After ${wait}`);
    // The refused request did not kill the code already sent.
    const code = await latestCode(t.api, phone);
    clock.advance((wait + 1) * 1000);
    assert.equal((await t.api.post(OTP, { idNumber, phone })).status, 202);
    assertProblem(await t.api.post(VERIFY, { challengeId: first.body.challengeId, code }), 410, 'challenge_expired');
  });

  it('the same ID with another phone is still within the cooldown', async () => {
    const idNumber = newIdNumber();
    assert.equal((await t.api.post(OTP, { idNumber, phone: newPhone() })).status, 202);
    assertProblem(await t.api.post(OTP, { idNumber, phone: newPhone() }), 429, 'too_many_requests');
    clock.advance(61_000);
  });

  it('at most 5 codes per ID per hour; after the window it works again', async () => {
    const idNumber = newIdNumber();
    for (let i = 0; i < 5; i++) {
      const response = await t.api.post(OTP, { idNumber, phone: newPhone() });
      assert.equal(response.status, 202, `code ${i + 1}: ${response.text}`);
      clock.advance(61_000);
    }
    const sixth = await t.api.post(OTP, { idNumber, phone: newPhone() });
    assertProblem(sixth, 429, 'too_many_requests');
    const wait = retryAfter(sixth);
    assert.ok(wait > 60 && wait <= 3600, `Retry-After ${wait}`);
    // Another ID is not affected.
    assert.equal((await t.api.post(OTP, { idNumber: newIdNumber(), phone: newPhone() })).status, 202);
    clock.advance((wait + 1) * 1000);
    assert.equal((await t.api.post(OTP, { idNumber, phone: newPhone() })).status, 202);
  });
});

describe('passcode daily limit per ID', () => {
  const clock = new TestClock();
  let t: TestApp & { api: RecordingClient };
  before(async () => {
    t = await start({ clock });
  });
  after(() => t.close());

  it('at most 10 codes per ID per day, even spread over hours', async () => {
    const idNumber = newIdNumber();
    for (let i = 0; i < 10; i++) {
      if (i === 5) clock.advance(HOUR + 1000);
      const response = await t.api.post(OTP, { idNumber, phone: newPhone() });
      assert.equal(response.status, 202, `code ${i + 1}: ${response.text}`);
    }
    clock.advance(HOUR + 1000); // no hourly limit is in the way now
    const eleventh = await t.api.post(OTP, { idNumber, phone: newPhone() });
    assertProblem(eleventh, 429, 'too_many_requests');
    const wait = retryAfter(eleventh);
    assert.ok(wait > 20 * 3600 && wait <= 24 * 3600, `Retry-After ${wait}`);
    clock.advance((wait + 1) * 1000);
    assert.equal((await t.api.post(OTP, { idNumber, phone: newPhone() })).status, 202);
  });
});

describe('passcode limit per IP', () => {
  const clock = new TestClock();
  let t: TestApp & { api: RecordingClient };
  before(async () => {
    t = await start({ clock, env: { OTP_IP_HOURLY_LIMIT: '3' } });
  });
  after(() => t.close());

  it('answers 429 once the IP asked for its hourly number of codes, and works again an hour later', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await t.api.post(OTP, { idNumber: newIdNumber(), phone: newPhone() })).status, 202);
    const refused = await t.api.post(OTP, { idNumber: newIdNumber(), phone: newPhone() });
    assertProblem(refused, 429, 'too_many_requests');
    const wait = retryAfter(refused);
    assert.ok(wait >= 1 && wait <= 3600, `Retry-After ${wait}`);
    clock.advance(HOUR + 1000);
    assert.equal((await t.api.post(OTP, { idNumber: newIdNumber(), phone: newPhone() })).status, 202);
  });
});

describe('passcode limit per phone', () => {
  const clock = new TestClock();
  let t: TestApp & { api: RecordingClient };
  before(async () => {
    t = await start({ clock, env: { OTP_PHONE_HOURLY_LIMIT: '2' } });
  });
  after(() => t.close());

  it('answers 429 once a phone received its hourly number of codes, whatever the ID', async () => {
    const phone = newPhone();
    for (let i = 0; i < 2; i++) assert.equal((await t.api.post(OTP, { idNumber: newIdNumber(), phone })).status, 202);
    assertProblem(await t.api.post(OTP, { idNumber: newIdNumber(), phone }), 429, 'too_many_requests');
    assert.equal((await t.api.post(OTP, { idNumber: newIdNumber(), phone: newPhone() })).status, 202);
    clock.advance(HOUR + 1000);
    assert.equal((await t.api.post(OTP, { idNumber: newIdNumber(), phone })).status, 202);
  });
});

describe('sign-in lock after repeated failures', () => {
  const clock = new TestClock();
  let t: TestApp & { api: RecordingClient };
  before(async () => {
    t = await start({ clock });
  });
  after(() => t.close());

  async function failAll(challengeId: string, code: string, tries: number): Promise<void> {
    for (let i = 0; i < tries; i++) assertProblem(await t.api.post(VERIFY, { challengeId, code: otherCode(code) }), 401, 'wrong_code');
  }

  it('10 failures for one ID lock online sign-in for 24 h: verify and otp answer 423 locked with Retry-After', async () => {
    const idNumber = newIdNumber();
    const phone = newPhone();
    const first = await requestCode(t.api, idNumber, phone);
    await failAll(first, await latestCode(t.api, phone), 5);
    const second = await requestCode(t.api, idNumber, phone);
    const secondCode = await latestCode(t.api, phone);
    await failAll(second, secondCode, 5);

    const verify = await t.api.post(VERIFY, { challengeId: second, code: secondCode });
    assertProblem(verify, 423, 'locked');
    const verifyWait = retryAfter(verify);
    assert.ok(verifyWait > 23 * 3600 && verifyWait <= 24 * 3600, `Retry-After ${verifyWait}`);

    for (const given of [phone, newPhone()]) {
      const request = await t.api.post(OTP, { idNumber, phone: given });
      assertProblem(request, 423, 'locked');
      assert.ok(retryAfter(request) > 23 * 3600);
    }
    // Someone else can still sign in.
    await signIn(t.api, newIdNumber(), newPhone());

    clock.advance(12 * HOUR);
    assertProblem(await t.api.post(OTP, { idNumber, phone }), 423, 'locked');

    clock.advance(12 * HOUR + MINUTE);
    const signedIn = await signIn(t.api, idNumber, phone);
    assert.equal((await t.api.get('/api/v1/me', { token: signedIn.token })).status, 200);
  });

  it('while locked even the right code of a live challenge is refused', async () => {
    const idNumber = newIdNumber();
    const phone = newPhone();
    const first = await requestCode(t.api, idNumber, phone);
    await failAll(first, await latestCode(t.api, phone), 5);
    const second = await requestCode(t.api, idNumber, phone);
    await failAll(second, await latestCode(t.api, phone), 4);
    const third = await requestCode(t.api, idNumber, phone);
    const thirdCode = await latestCode(t.api, phone);
    await failAll(third, thirdCode, 1); // the 10th failure
    assertProblem(await t.api.post(VERIFY, { challengeId: third, code: thirdCode }), 423, 'locked');
  });

  it('failures older than 24 h do not count towards the lock', async () => {
    const idNumber = newIdNumber();
    const phone = newPhone();
    const first = await requestCode(t.api, idNumber, phone);
    await failAll(first, await latestCode(t.api, phone), 5);
    clock.advance(24 * HOUR + MINUTE);
    const second = await requestCode(t.api, idNumber, phone);
    await failAll(second, await latestCode(t.api, phone), 5); // 10 failures in all, 5 of them within 24 h
    const third = await requestCode(t.api, idNumber, phone);
    assert.equal((await t.api.post(VERIFY, { challengeId: third, code: await latestCode(t.api, phone) })).status, 200);
  });
});

describe('ID ↔ phone binding', () => {
  let t: TestApp & { api: RecordingClient };
  before(async () => {
    t = await start();
  });
  after(() => t.close());

  it('a bound ID asked with another phone answers exactly like a new ID, but the code goes to the bound phone', async () => {
    const idNumber = newIdNumber();
    const bound = newPhone();
    const other = newPhone();
    await signIn(t.api, idNumber, bound);
    const boundOutbox = (await t.api.get(`/dev/outbox?to=${bound}`)).body.length;

    const freshPhone = newPhone();
    const fresh = await t.api.post(OTP, { idNumber: newIdNumber(), phone: freshPhone });
    const known = await t.api.post(OTP, { idNumber, phone: other });
    assert.equal(fresh.status, 202);
    assert.equal(known.status, 202, known.text);
    assert.deepEqual(Object.keys(known.body).sort(), Object.keys(fresh.body).sort());
    assert.deepEqual(
      Object.entries(known.body).map(([key, value]) => [key, typeof value]),
      Object.entries(fresh.body).map(([key, value]) => [key, typeof value]),
    );
    assert.equal(fresh.body.sentTo, masked(freshPhone));
    assert.equal(known.body.sentTo, masked(other), 'sentTo masks the phone given, not the bound one');
    assert.equal(known.headers.get('content-type'), fresh.headers.get('content-type'));

    const otherOutbox = await t.api.get(`/dev/outbox?to=${other}`);
    assert.deepEqual(otherOutbox.body, [], 'nothing goes to the phone given');
    const boundMessages = (await t.api.get(`/dev/outbox?to=${bound}`)).body;
    assert.equal(boundMessages.length, boundOutbox + 1, 'the code went to the bound phone');
    assert.equal(boundMessages[0].to, `+86${bound}`);

    const verified = await t.api.post(VERIFY, { challengeId: known.body.challengeId, code: await latestCode(t.api, bound) });
    assert.equal(verified.status, 200, verified.text);
    const me = await t.api.get('/api/v1/me', { token: verified.body.token });
    assert.equal(me.body.maskedPhone, masked(bound), 'the binding did not change');
  });

  it('a bound ID asked with the bound phone answers the same way', async () => {
    const idNumber = newIdNumber();
    const phone = newPhone();
    await signIn(t.api, idNumber, phone);
    const again = await t.api.post(OTP, { idNumber, phone });
    assert.equal(again.status, 202);
    assert.deepEqual(Object.keys(again.body).sort(), ['challengeId', 'expiresAt', 'resendAfter', 'sentTo']);
    assert.equal(again.body.sentTo, masked(phone));
  });

  it('the first verified sign-in binds: requesting a code does not', async () => {
    const idNumber = newIdNumber();
    const first = newPhone();
    const second = newPhone();
    await requestCode(t.api, idNumber, first); // never verified
    const signedIn = await signIn(t.api, idNumber, second);
    const me = await t.api.get('/api/v1/me', { token: signedIn.token });
    assert.equal(me.body.maskedPhone, masked(second));
  });
});

describe('POST /api/v1/auth/logout', () => {
  let t: TestApp & { api: RecordingClient };
  before(async () => {
    t = await start();
  });
  after(() => t.close());

  it('answers 204 and the token no longer works', async () => {
    const { token } = await signIn(t.api);
    assert.equal((await t.api.get('/api/v1/me', { token })).status, 200);
    const out = await t.api.post('/api/v1/auth/logout', undefined, { token });
    assert.equal(out.status, 204, out.text);
    assert.equal(out.text, '');
    assertProblem(await t.api.get('/api/v1/me', { token }), 401, 'unauthenticated');
  });

  it('ends a cookie session too and clears the cookie', async () => {
    const { token } = await signIn(t.api);
    const cookie = `civic_session=${token}`;
    const out = await t.api.post('/api/v1/auth/logout', undefined, { headers: { cookie } });
    assert.equal(out.status, 204);
    const cleared = out.headers.getSetCookie().find((c) => c.startsWith('civic_session='));
    assert.ok(cleared, 'the cookie is cleared');
    assert.match(cleared, /^civic_session=;/);
    assertProblem(await t.api.get('/api/v1/me', { headers: { cookie } }), 401, 'unauthenticated');
    assertProblem(await t.api.get('/api/v1/me', { token }), 401, 'unauthenticated');
  });

  it('logging out one session leaves the others', async () => {
    const resident = await signIn(t.api);
    const other = await signIn(t.api, resident.idNumber, resident.phone);
    assert.equal((await t.api.post('/api/v1/auth/logout', undefined, { token: resident.token })).status, 204);
    assert.equal((await t.api.get('/api/v1/me', { token: other.token })).status, 200);
  });

  it('answers 204 without any session, and with an unknown token', async () => {
    assert.equal((await t.api.post('/api/v1/auth/logout')).status, 204);
    assert.equal((await t.api.post('/api/v1/auth/logout', undefined, { token: 'x'.repeat(43) })).status, 204);
  });
});

describe('resident session lifetime', () => {
  const clock = new TestClock();
  let t: TestApp & { api: RecordingClient };
  before(async () => {
    t = await start({ clock });
  });
  after(() => t.close());

  it('ends after 15 minutes idle', async () => {
    const { token } = await signIn(t.api);
    clock.advance(14 * MINUTE);
    assert.equal((await t.api.get('/api/v1/me', { token })).status, 200);
    clock.advance(14 * MINUTE); // 28 min after sign-in, 14 after the last use
    assert.equal((await t.api.get('/api/v1/me', { token })).status, 200);
    clock.advance(16 * MINUTE);
    assertProblem(await t.api.get('/api/v1/me', { token }), 401, 'unauthenticated');
  });

  it('a session unused for 16 minutes is gone', async () => {
    const { token } = await signIn(t.api);
    clock.advance(16 * MINUTE);
    assertProblem(await t.api.get('/api/v1/me', { token }), 401, 'unauthenticated');
  });

  it('ends 2 hours after sign-in even when in use', async () => {
    const { token } = await signIn(t.api);
    for (let minutes = 14; minutes <= 112; minutes += 14) {
      clock.advance(14 * MINUTE);
      assert.equal((await t.api.get('/api/v1/me', { token })).status, 200, `${minutes} min after sign-in`);
    }
    clock.advance(7 * MINUTE); // 119 min
    assert.equal((await t.api.get('/api/v1/me', { token })).status, 200);
    clock.advance(2 * MINUTE); // 121 min
    assertProblem(await t.api.get('/api/v1/me', { token }), 401, 'unauthenticated');
  });
});

describe('privacy of the sign-in answers', () => {
  it('no answer of the API above contained a plain ID number or phone', () => {
    assert.ok(answers.length > 100, `only ${answers.length} answers recorded`);
    assert.ok(usedIds.size > 20 && usedPhones.size > 20);
    for (const { path, text } of answers) {
      for (const id of usedIds) {
        assert.ok(!text.includes(id) && !text.includes(id.toLowerCase()), `${path} answered with an ID number`);
      }
      for (const phone of usedPhones) assert.ok(!text.includes(phone), `${path} answered with a phone number`);
    }
  });
});
