import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadOpenApi } from './support/openapi';
import { startTestApp, TestApp } from './support/test-app';

/** Routes that answer without a session, on purpose. Any other route must answer 401. */
const PUBLIC = new Set([
  'GET /health',
  'GET /api/v1/centers',
  'GET /api/v1/centers/{centerId}/services',
  'GET /api/v1/centers/{centerId}/availability',
  'POST /api/v1/auth/otp',
  'POST /api/v1/auth/otp/verify',
  'POST /api/v1/auth/logout',
  'POST /api/v1/staff/login',
  'GET /api/v1/display/{centerId}',
  'GET /api/v1/display/{centerId}/events',
  'GET /dev/outbox',
]);

describe('every route is guarded unless marked public', () => {
  let t: TestApp;
  let operations: Array<{ method: string; path: string }>;
  before(async () => {
    t = await startTestApp();
    operations = (await loadOpenApi(t.api)).operations;
  });
  after(() => t.close());

  it('finds the routes in the OpenAPI document', () => {
    assert.ok(operations.length >= 19, `only ${operations.length} operations`);
  });

  it('answers 401 unauthenticated without a session on every non-public route', async () => {
    const unexpected: string[] = [];
    for (const { method, path } of operations) {
      const route = `${method} ${path}`;
      if (PUBLIC.has(route)) continue;
      const url = path.replace(/\{[^}]+\}/g, randomUUID());
      const response = await t.api.request(method, url, method === 'GET' || method === 'DELETE' ? undefined : {});
      if (response.status !== 401 || response.body.code !== 'unauthenticated') unexpected.push(`${route} → ${response.status}`);
    }
    assert.deepEqual(unexpected, []);
  });

  it('answers something other than 401 on every public route', async () => {
    const documented = new Set(operations.map(({ method, path }) => `${method} ${path}`));
    for (const route of PUBLIC) {
      assert.ok(documented.has(route), `${route} is listed as public but does not exist`);
      const [method, path] = route.split(' ') as [string, string];
      const response = await t.api.request(method, path.replace(/\{[^}]+\}/g, randomUUID()), method === 'POST' ? {} : undefined);
      assert.notEqual(response.status, 401, route);
    }
  });
});
