import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, TestApp } from './support/test-app';

const PATHS = ['/', '/privacy', '/api/v1/centers', '/api/v1/me', '/health', '/nope'];

describe('security headers on every page and API answer', () => {
  let dev: TestApp;
  let production: TestApp;
  before(async () => {
    dev = await startTestApp();
    production = await startTestApp({ env: { NODE_ENV: 'production' } });
  });
  after(async () => {
    await dev.close();
    await production.close();
  });

  it('sends a strict CSP without unsafe-inline scripts, nosniff, a referrer policy and no framing', async () => {
    for (const path of PATHS) {
      const response = await dev.api.get(path);
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'/, path);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(response.headers.get('referrer-policy'), 'same-origin', path);
      assert.ok(response.headers.get('x-request-id'), path);
    }
  });

  it('adds HSTS and Secure cookies in production only', async () => {
    assert.equal((await dev.api.get('/')).headers.get('strict-transport-security'), null);
    const page = await production.api.get('/');
    assert.match(page.headers.get('strict-transport-security') ?? '', /max-age=31536000/);
    assert.match(page.headers.get('set-cookie') ?? '', /Secure/);
  });

  it('compresses answers of 1 KiB and more with brotli or gzip, as the client accepts; small ones stay plain', async () => {
    for (const [accept, expected] of [['br, gzip', 'br'], ['gzip', 'gzip'], ['identity', null]] as const) {
      const response = await fetch(`${dev.url}/api/docs-json`, { headers: { 'accept-encoding': accept } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-encoding'), expected, accept);
      assert.ok(((await response.json()) as { openapi?: string }).openapi, 'still the document once decoded');
    }
    const small = await fetch(`${dev.url}/health`, { headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(small.headers.get('content-encoding'), null);
  });

  it('has an icon: /favicon.ico leads to the SVG every page names', async () => {
    const redirect = await fetch(`${dev.url}/favicon.ico`, { redirect: 'manual' });
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.get('location'), '/assets/favicon.svg');
    const icon = await fetch(`${dev.url}/assets/favicon.svg`);
    assert.equal(icon.status, 200);
    assert.match(icon.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    for (const path of ['/', '/staff/sign-in']) assert.match(await (await fetch(`${dev.url}${path}`)).text(), /<link rel="icon" href="\/assets\/favicon.svg"/, path);
  });
});
