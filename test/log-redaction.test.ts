import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCenter, createSlot } from './support/factories';
import { ApiResponse } from './support/http';
import { newIdNumber, newPhone } from './support/identities';
import { LogCapture } from './support/log-capture';
import { latestCode } from './support/residents';
import { startTestApp, TestApp } from './support/test-app';

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('log redaction', () => {
  const log = new LogCapture();
  let t: TestApp;
  const idNumber = newIdNumber();
  const phone = newPhone();
  const secrets: { codes: string[]; tokens: string[] } = { codes: [], tokens: [] };
  let last: ApiResponse | undefined;

  before(async () => {
    t = await startTestApp({ logLevel: 'info', logDestination: log });
  });
  after(() => t.close());

  it('a whole resident journey (sign-in, booking, /me, export, outbox, errors) runs', async () => {
    const api = t.api;
    // A wrong code first, then the right one.
    const challenge = await api.post('/api/v1/auth/otp', { idNumber: idNumber.toLowerCase(), phone });
    assert.equal(challenge.status, 202, challenge.text);
    const code = await latestCode(api, phone);
    secrets.codes.push(code);
    const wrong = await api.post('/api/v1/auth/otp/verify', { challengeId: challenge.body.challengeId, code: String((Number(code) + 1) % 1e6).padStart(6, '0') });
    assert.equal(wrong.status, 401);
    const verified = await api.post('/api/v1/auth/otp/verify', { challengeId: challenge.body.challengeId, code });
    assert.equal(verified.status, 200, verified.text);
    const token = verified.body.token as string;
    secrets.tokens.push(token);
    const reused = await api.post('/api/v1/auth/otp/verify', { challengeId: challenge.body.challengeId, code });
    assert.equal(reused.status, 410);

    // A second sign-in with the phone in E.164 form, using the cookie afterwards.
    const second = await api.post('/api/v1/auth/otp', { idNumber, phone: `+86${phone}` });
    assert.equal(second.status, 202);
    const secondCode = await latestCode(api, `+86${phone}`);
    secrets.codes.push(secondCode);
    const secondSession = await api.post('/api/v1/auth/otp/verify', { challengeId: second.body.challengeId, code: secondCode });
    assert.equal(secondSession.status, 200);
    const cookieToken = secondSession.body.token as string;
    secrets.tokens.push(cookieToken);

    // Requests that fail validation with the personal data in the body.
    assert.equal((await api.post('/api/v1/auth/otp', { idNumber, phone, extra: phone })).status, 400);
    assert.equal((await api.post('/api/v1/auth/otp', { idNumber: `${idNumber}9`, phone })).status, 400);
    assert.equal((await api.post('/api/v1/auth/otp', { idNumber, phone: `0${phone}0` })).status, 400);
    assert.equal((await api.post('/api/v1/auth/otp', undefined, { raw: `{"idNumber":"${idNumber}","phone":"${phone}"`, headers: { 'content-type': 'application/json' } })).status, 400);

    // Booking and the resident's data.
    const { center, service } = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id, { hoursFromNow: 30 });
    const booked = await api.post('/api/v1/appointments', { slotId: slot.id, serviceId: service.id }, { token, headers: { 'idempotency-key': `key-${phone}` } });
    assert.equal(booked.status, 201, booked.text);
    assert.equal((await api.post('/api/v1/appointments', { slotId: slot.id, serviceId: service.id }, { token })).status, 409);
    assert.equal((await api.get('/api/v1/me', { token })).status, 200);
    assert.equal((await api.get('/api/v1/me', { headers: { cookie: `civic_session=${cookieToken}` } })).status, 200);
    assert.equal((await api.get('/api/v1/me/access-log', { token })).status, 200);
    const exported = await api.get('/api/v1/me/export', { token });
    assert.equal(exported.status, 200);
    assert.equal(exported.body.resident.idNumber, idNumber);
    assert.equal((await api.get(`/api/v1/appointments/${booked.body.id}/calendar.ics`, { token })).status, 200);
    assert.equal((await api.get(`/dev/outbox?to=${phone}`)).status, 200);
    assert.equal((await api.get(`/dev/outbox?to=${encodeURIComponent(`+86${phone}`)}`)).status, 200);
    assert.equal((await api.get(`/api/v1/me?idNumber=${idNumber}&phone=${phone}`, { token })).status, 200);
    assert.equal((await api.delete('/api/v1/me', { token })).status, 409);
    assert.equal((await api.post('/api/v1/auth/logout', undefined, { token })).status, 204);
    last = await api.get('/api/v1/me', { token });
    assert.equal(last.status, 401);
  });

  it('the log holds no ID number, phone, passcode or session token', async () => {
    assert.ok(last, 'the journey ran');
    // Fastify logs "request completed" after the answer is sent: wait for the last one.
    const requestId = last.headers.get('x-request-id')!;
    for (let i = 0; i < 100 && !log.chunks.some((c) => c.includes(requestId) && c.includes('request completed')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const text = log.text;
    assert.ok(text.length > 0, 'nothing was logged');
    assert.match(text, /request completed/);
    assert.ok(text.includes(requestId), 'the last request was logged');
    const lines = text.split('\n').filter(Boolean);
    assert.ok(lines.length > 20, `only ${lines.length} log lines`);
    for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), `not a JSON log line: ${line}`);

    assert.ok(!text.includes(idNumber), 'the ID number is logged');
    assert.ok(!text.toLowerCase().includes(idNumber.toLowerCase()), 'the ID number is logged (lower case)');
    assert.ok(!text.includes(idNumber.slice(0, 17)), 'the first 17 digits of the ID number are logged');
    assert.ok(!text.includes(phone), 'the phone is logged');
    assert.ok(!text.includes(`+86${phone}`), 'the phone is logged in E.164 form');
    assert.ok(!text.includes(`%2B86${phone}`), 'the phone is logged URL-encoded');
    for (const code of secrets.codes) assert.doesNotMatch(text, new RegExp(`(?<!\\d)${code}(?!\\d)`), `passcode ${code} is logged`);
    for (const token of secrets.tokens) assert.ok(!text.includes(token), 'a session token is logged');
    // The masked forms are fine and show the channel did log its sending.
    assert.match(text, new RegExp(escape(`${phone.slice(0, 3)}****${phone.slice(-4)}`)));
  });
});
