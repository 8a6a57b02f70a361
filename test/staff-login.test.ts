import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StaffAccountsService } from '../src/staff/staff-accounts.service';
import { createCenter, CenterFixture } from './support/factories';
import { signIn } from './support/residents';
import { assertProblem, COUNTER_ENV, createStaff, postStaffLogin, staffLogin, totpCode } from './support/staff';
import { TestClock } from './support/test-clock';
import { startTestApp, TestApp } from './support/test-app';

const MINUTE = 60_000;

describe('staff sign-in', () => {
  // 10:00:10 in Shanghai: 10 s into a 30 s TOTP step, so "one step earlier" is unambiguous.
  const clock = new TestClock(new Date('2026-12-02T02:00:10Z'));
  let t: TestApp;
  let fixture: CenterFixture;

  before(async () => {
    t = await startTestApp({ clock, env: COUNTER_ENV });
    fixture = await createCenter(t.dataSource);
  });
  after(() => t.close());

  const queue = (token: string) => t.api.get('/api/v1/staff/queue', { token });

  it('a clerk signs in: 200 { token, expiresAt, role, centerId } and the token opens staff routes', async () => {
    const clerk = await createStaff(t, { role: 'clerk', center: fixture.center });
    const response = await postStaffLogin(t, { username: clerk.username.toUpperCase(), password: clerk.password });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(Object.keys(response.body).sort(), ['centerId', 'expiresAt', 'role', 'token']);
    assert.equal(response.body.role, 'clerk');
    assert.equal(response.body.centerId, fixture.center.id);
    assert.equal(typeof response.body.token, 'string');
    assert.ok(response.body.token.length >= 40, 'token too short');
    // Staff sessions last at most 10 hours.
    assert.equal(new Date(response.body.expiresAt).getTime(), clock.now().getTime() + 10 * 3600_000);
    assert.ok(!response.text.includes('argon2'), 'a password hash leaked');
    assert.equal((await queue(response.body.token)).status, 200);

    // Every sign-in gives a new token.
    const again = await postStaffLogin(t, { username: clerk.username, password: clerk.password });
    assert.equal(again.status, 200);
    assert.notEqual(again.body.token, response.body.token);
  });

  it('unknown user and wrong password: the same 401 invalid_credentials, apart from the request id', async () => {
    const clerk = await createStaff(t, { role: 'clerk', center: fixture.center });
    const [unknown, wrong] = await Promise.all([
      postStaffLogin(t, { username: 'nobody.here', password: 'some password of length' }),
      postStaffLogin(t, { username: clerk.username, password: 'some password of length' }),
    ]);
    assertProblem(unknown, 401, 'invalid_credentials');
    assertProblem(wrong, 401, 'invalid_credentials');
    const { requestId: a, ...unknownBody } = unknown.body;
    const { requestId: b, ...wrongBody } = wrong.body;
    assert.notEqual(a, b);
    assert.deepEqual(unknownBody, wrongBody);
    assert.equal(unknown.headers.get('content-type'), wrong.headers.get('content-type'));
    assert.equal(unknown.headers.get('set-cookie'), null);
    assert.equal(wrong.headers.get('set-cookie'), null);
  });

  it('5 failures lock the account for 15 minutes, even for the right password; after 16 minutes it works', async () => {
    const clerk = await createStaff(t, { role: 'clerk', center: fixture.center });
    const bystander = await createStaff(t, { role: 'clerk', center: fixture.center });
    for (let i = 0; i < 5; i++) assertProblem(await postStaffLogin(t, { username: clerk.username, password: `wrong password ${i}` }), 401, 'invalid_credentials');
    const locked = await postStaffLogin(t, { username: clerk.username, password: clerk.password });
    assertProblem(locked, 401, 'invalid_credentials');
    assert.equal(locked.body.token, undefined);
    // The lock is on this account only.
    assert.equal((await postStaffLogin(t, { username: bystander.username, password: bystander.password })).status, 200);

    clock.advance(14 * MINUTE);
    assertProblem(await postStaffLogin(t, { username: clerk.username, password: clerk.password }), 401, 'invalid_credentials');
    clock.advance(2 * MINUTE);
    const open = await postStaffLogin(t, { username: clerk.username, password: clerk.password });
    assert.equal(open.status, 200, open.text);
    assert.equal((await queue(open.body.token)).status, 200);
  });

  it('4 failures do not lock', async () => {
    const clerk = await createStaff(t, { role: 'clerk', center: fixture.center });
    for (let i = 0; i < 4; i++) assertProblem(await postStaffLogin(t, { username: clerk.username, password: `wrong password ${i}` }), 401, 'invalid_credentials');
    assert.equal((await postStaffLogin(t, { username: clerk.username, password: clerk.password })).status, 200);
  });

  it('a supervisor needs a TOTP: none → 401 totp_required; right → 200; the same code again → 401', async () => {
    const supervisor = await createStaff(t, { role: 'supervisor', center: fixture.center });
    const secret = supervisor.totpSecret!;
    const credentials = { username: supervisor.username, password: supervisor.password };

    assertProblem(await postStaffLogin(t, credentials), 401, 'totp_required');
    // A wrong code: a 6-digit code that is none of the three acceptable ones.
    const acceptable = new Set([-30, 0, 30].map((offset) => totpCode(secret, clock, offset)));
    let wrongCode = '000000';
    while (acceptable.has(wrongCode)) wrongCode = String(Number(wrongCode) + 1).padStart(6, '0');
    assertProblem(await postStaffLogin(t, { ...credentials, totp: wrongCode }), 401, 'invalid_credentials');
    // The right code with a wrong password is no sign-in either.
    assertProblem(await postStaffLogin(t, { ...credentials, password: 'not the password!', totp: totpCode(secret, clock) }), 401, 'invalid_credentials');

    const code = totpCode(secret, clock);
    const ok = await postStaffLogin(t, { ...credentials, totp: code });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.role, 'supervisor');
    assert.equal(ok.body.centerId, fixture.center.id);
    assertProblem(await postStaffLogin(t, { ...credentials, totp: code }), 401, 'invalid_credentials');
  });

  it('a code from one step earlier is accepted once; two steps earlier is refused', async () => {
    const supervisor = await createStaff(t, { role: 'supervisor', center: fixture.center });
    const credentials = { username: supervisor.username, password: supervisor.password };
    const secret = supervisor.totpSecret!;
    assertProblem(await postStaffLogin(t, { ...credentials, totp: totpCode(secret, clock, -60) }), 401, 'invalid_credentials');
    const previous = totpCode(secret, clock, -30);
    const ok = await postStaffLogin(t, { ...credentials, totp: previous });
    assert.equal(ok.status, 200, ok.text);
    assertProblem(await postStaffLogin(t, { ...credentials, totp: previous }), 401, 'invalid_credentials');
    // The current step is still unused: its code works.
    if (totpCode(secret, clock) !== previous) {
      assert.equal((await postStaffLogin(t, { ...credentials, totp: totpCode(secret, clock) })).status, 200);
    }
  });

  it('two parallel sign-ins with the same TOTP code: exactly one succeeds', async () => {
    const supervisor = await createStaff(t, { role: 'supervisor', center: fixture.center });
    const body = { username: supervisor.username, password: supervisor.password, totp: totpCode(supervisor.totpSecret!, clock) };
    const answers = await Promise.all([1, 2, 3].map(() => postStaffLogin(t, body)));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 401, 401]);
  });

  it('a supervisor without TOTP enrolled is refused with totp_required; an admin signs in with TOTP and has no center', async () => {
    const unenrolled = await createStaff(t, { role: 'supervisor', center: fixture.center, enrolTotp: false });
    assertProblem(await postStaffLogin(t, { username: unenrolled.username, password: unenrolled.password }), 401, 'totp_required');
    assertProblem(await postStaffLogin(t, { username: unenrolled.username, password: unenrolled.password, totp: '123456' }), 401, 'totp_required');

    const admin = await createStaff(t, { role: 'admin' });
    assertProblem(await postStaffLogin(t, { username: admin.username, password: admin.password }), 401, 'totp_required');
    const ok = await postStaffLogin(t, { username: admin.username, password: admin.password, totp: totpCode(admin.totpSecret!, clock) });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.role, 'admin');
    assert.equal(ok.body.centerId, null);
  });

  it('a disabled account cannot sign in, and its open session stops working', async () => {
    const clerk = await staffLogin(t, { role: 'clerk', center: fixture.center, clock });
    assert.equal((await queue(clerk.token)).status, 200);
    await t.app.get(StaffAccountsService).setDisabled(clerk.username, true);
    assertProblem(await postStaffLogin(t, { username: clerk.username, password: clerk.password }), 401, 'invalid_credentials');
    assertProblem(await queue(clerk.token), 401, 'unauthenticated');
    await t.app.get(StaffAccountsService).setDisabled(clerk.username, false);
    // The old session stays ended; a new sign-in works.
    assertProblem(await queue(clerk.token), 401, 'unauthenticated');
    assert.equal((await postStaffLogin(t, { username: clerk.username, password: clerk.password })).status, 200);
  });

  it('staff sessions end after 30 minutes idle', async () => {
    const clerk = await staffLogin(t, { role: 'clerk', center: fixture.center, clock });
    clock.advance(29 * MINUTE);
    assert.equal((await queue(clerk.token)).status, 200);
    clock.advance(29 * MINUTE);
    assert.equal((await queue(clerk.token)).status, 200, 'the idle timer was not pushed forward by use');
    clock.advance(31 * MINUTE);
    assertProblem(await queue(clerk.token), 401, 'unauthenticated');
  });

  it('a staff token is refused (403) on resident routes, and a resident token on staff routes', async () => {
    const clerk = await staffLogin(t, { role: 'clerk', center: fixture.center, clock });
    const resident = await signIn(t.api);
    for (const path of ['/api/v1/me', '/api/v1/me/appointments', '/api/v1/me/access-log', '/api/v1/me/export']) {
      assertProblem(await t.api.get(path, { token: clerk.token }), 403, 'forbidden');
    }
    assertProblem(await t.api.post('/api/v1/appointments', { slotId: fixture.center.id, serviceId: fixture.service.id }, { token: clerk.token }), 403, 'forbidden');
    assertProblem(await t.api.get('/api/v1/staff/queue', { token: resident.token }), 403, 'forbidden');
    assertProblem(await t.api.post('/api/v1/staff/call-next', { counter: 1 }, { token: resident.token }), 403, 'forbidden');
    assertProblem(await t.api.get('/api/v1/staff/audit', { token: resident.token }), 403, 'forbidden');
    // And each still works where it belongs.
    assert.equal((await t.api.get('/api/v1/me', { token: resident.token })).status, 200);
    assert.equal((await queue(clerk.token)).status, 200);
    assertProblem(await queue('not-a-real-token'), 401, 'unauthenticated');
  });

  it('malformed sign-in bodies are 400, not 500', async () => {
    assertProblem(await t.api.post('/api/v1/staff/login', {}), 400, 'validation_failed');
    assertProblem(await t.api.post('/api/v1/staff/login', { username: 'x', password: 5 }), 400, 'validation_failed');
    assertProblem(await t.api.post('/api/v1/staff/login', { username: 'a'.repeat(65), password: 'x' }), 400, 'validation_failed');
  });
});
