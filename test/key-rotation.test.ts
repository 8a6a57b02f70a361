import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SEALED_COLUMNS } from '../src/lifecycle/key-rotation.service';
import { cloneDatabase } from './support/database';
import { createCenter, createSlot } from './support/factories';
import { signIn } from './support/residents';
import { newIdNumber } from './support/identities';
import { bookFor, offerAnotherService, staffLogin } from './support/staff';
import { startTestApp, TestApp } from './support/test-app';

const CLI = join(__dirname, '..', 'src', 'cli.js');

describe('key rotation (npm run cli -- keys:rotate)', () => {
  const secret = randomBytes(32).toString('base64');
  const k1 = `k1:${randomBytes(32).toString('base64')}`;
  const k2 = `k2:${randomBytes(32).toString('base64')}`;
  let database: { url: string; drop: () => Promise<void> };
  const apps: TestApp[] = [];
  before(async () => {
    database = await cloneDatabase();
  });
  after(async () => {
    for (const app of apps) await app.close();
    await database.drop();
  });

  it('re-encrypts every ciphertext under the new key; afterwards the old key is not needed', async () => {
    const before = await startTestApp({ databaseUrl: database.url, env: { APP_SECRET: secret, DATA_KEY: k1 } });
    apps.push(before);
    const { center, service } = await createCenter(before.dataSource);
    const resident = await signIn(before.api);
    await bookFor(before, resident, await createSlot(before.dataSource, center.id), service);
    const proxy = newIdNumber();
    const withProxy = await offerAnotherService(before, center);
    const slot = await createSlot(before.dataSource, center.id, { hoursFromNow: 50 });
    assert.equal((await before.api.post('/api/v1/appointments', { slotId: slot.id, serviceId: withProxy.id, proxyIdNumber: proxy }, { token: resident.token })).status, 201);
    await staffLogin(before, { role: 'supervisor', center });

    const cli = spawnSync(process.execPath, [CLI, 'keys:rotate'], {
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: database.url, APP_SECRET: secret, DATA_KEY: `${k2},${k1}` },
      encoding: 'utf8',
    });
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /now under key k2/);

    for (const { table, columns } of SEALED_COLUMNS) {
      for (const column of columns) {
        const [{ stale }] = await before.dataSource.query(`SELECT count(*)::int AS stale FROM ${table} WHERE ${column} IS NOT NULL AND ${column} NOT LIKE 'k2.%'`);
        assert.equal(stale, 0, `${table}.${column}`);
      }
    }
    const after = await startTestApp({ databaseUrl: database.url, env: { APP_SECRET: secret, DATA_KEY: k2 } });
    apps.push(after);
    const me = await after.api.get('/api/v1/me', { token: resident.token });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.maskedIdNumber.slice(-4), resident.idNumber.slice(-4));
    const exported = await after.api.get('/api/v1/me/export', { token: resident.token });
    assert.equal(exported.body.resident.idNumber, resident.idNumber);
    assert.ok(exported.body.appointments.some((a: { proxyIdNumber: string | null }) => a.proxyIdNumber === proxy), 'the proxy ID number, re-encrypted');
  });
});
