import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LANGUAGE_COOKIE } from '../src/i18n/i18n.service';
import { signIn } from './support/residents';
import { startTestApp, TestApp } from './support/test-app';

const HAN = /\p{Script=Han}/u;

describe('problem answers in the caller’s language', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  const badSignIn = (headers: Record<string, string>) => t.api.post('/api/v1/auth/otp', { idNumber: '123', phone: '13800138000' }, { headers });

  it('Accept-Language: zh-CN → Chinese title and detail; the code stays the stable word', async () => {
    const response = await badSignIn({ 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' });
    assert.equal(response.status, 400);
    assert.equal(response.body.code, 'invalid_id_number');
    assert.match(response.body.title, HAN);
    assert.match(response.body.detail, HAN);
    assert.equal(response.headers.get('content-language'), 'zh-CN');
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  });

  it('English for en, and for a client that names no language (as before)', async () => {
    for (const headers of [{ 'accept-language': 'en-GB,en;q=0.8' }, {}, { 'accept-language': 'fr-FR' }] as Array<Record<string, string>>) {
      const response = await badSignIn(headers);
      assert.equal(response.body.code, 'invalid_id_number');
      assert.doesNotMatch(`${response.body.title} ${response.body.detail}`, HAN, JSON.stringify(headers));
      assert.equal(response.headers.get('content-language'), 'en');
    }
  });

  it('the pages’ language cookie wins over Accept-Language; placeholders are filled from the problem', async () => {
    const response = await badSignIn({ 'accept-language': 'zh-CN', cookie: `${LANGUAGE_COOKIE}=en` });
    assert.doesNotMatch(response.body.title, HAN);
    const resident = await signIn(t.api);
    const challenge = await t.api.post('/api/v1/auth/otp', { idNumber: resident.idNumber, phone: resident.phone });
    const wrong = await t.api.post('/api/v1/auth/otp/verify', { challengeId: challenge.body.challengeId, code: '000000' }, { headers: { 'accept-language': 'zh' } });
    assert.equal(wrong.body.code, 'wrong_code');
    assert.match(wrong.body.detail, new RegExp(`还可尝试 ${wrong.body.attemptsRemaining} 次`));
  });

  it('router and body-parser problems too (a malformed JSON body)', async () => {
    const response = await fetch(`${t.url}/api/v1/auth/otp`, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN' }, body: '{"idNumber":' });
    const body = (await response.json()) as { code: string; title: string };
    assert.equal(response.status, 400);
    assert.equal(body.code, 'malformed_json');
    assert.match(body.title, HAN);
  });
});
