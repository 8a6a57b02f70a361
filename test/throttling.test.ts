import assert from 'node:assert/strict';
import { Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import Redis from 'ioredis';
import { startTestApp, TestApp } from './support/test-app';

const REDIS_URL = 'redis://127.0.0.1:6379';

function redisReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(500);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.connect(6379, '127.0.0.1');
  });
}

async function hit(t: TestApp, times: number, headers: Record<string, string> = {}): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) statuses.push((await t.api.get('/api/v1/centers', { headers })).status);
  return statuses;
}

describe('per-IP throttling', () => {
  const apps: TestApp[] = [];
  after(async () => {
    for (const app of apps) await app.close();
  });

  it('answers 429 problem+json with Retry-After past the limit', async () => {
    const t = await startTestApp({ env: { THROTTLE_LIMIT: '5' } });
    apps.push(t);
    assert.deepEqual(await hit(t, 5), [200, 200, 200, 200, 200]);
    const refused = await t.api.get('/api/v1/centers');
    assert.equal(refused.status, 429);
    assert.equal(refused.body.code, 'too_many_requests');
    assert.match(refused.headers.get('content-type') ?? '', /problem\+json/);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
  });

  it('ignores X-Forwarded-For unless the request comes from a configured proxy', async () => {
    const direct = await startTestApp({ env: { THROTTLE_LIMIT: '3' } });
    apps.push(direct);
    await hit(direct, 3);
    assert.equal((await direct.api.get('/api/v1/centers', { headers: { 'x-forwarded-for': '203.0.113.9' } })).status, 429, 'a spoofed header is no new identity');

    const proxied = await startTestApp({ env: { THROTTLE_LIMIT: '3', TRUST_PROXY: '127.0.0.1' } });
    apps.push(proxied);
    assert.deepEqual(await hit(proxied, 4, { 'x-forwarded-for': '203.0.113.10' }), [200, 200, 200, 429]);
    assert.equal((await proxied.api.get('/api/v1/centers', { headers: { 'x-forwarded-for': '203.0.113.11' } })).status, 200, 'another client behind the proxy has its own limit');
  });

  it('holds across two instances when stored in Redis', async (context) => {
    if (!(await redisReachable())) return context.skip('no Redis on 127.0.0.1:6379');
    const redis = new Redis(REDIS_URL);
    const stale = await redis.keys('civic:throttle:*');
    if (stale.length > 0) await redis.del(...stale);
    await redis.quit();
    const env = { THROTTLE_LIMIT: '6', REDIS_URL };
    const one = await startTestApp({ env });
    const two = await startTestApp({ env });
    apps.push(one, two);
    const statuses = [...(await hit(one, 3)), ...(await hit(two, 3)), ...(await hit(one, 1)), ...(await hit(two, 1))];
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 429, 429]);
  });
});
