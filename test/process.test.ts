import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startAppProcess as start, waitHealthy } from './support/app-process';
import { cloneDatabase } from './support/database';

const centers = async (url: string): Promise<Array<{ id: string; code: string }>> => (await fetch(`${url}/api/v1/centers`)).json() as Promise<Array<{ id: string; code: string }>>;

describe('the app as a process (npm start)', () => {
  it('runs on an embedded PostgreSQL with demo data, keeps it across restarts and stops it cleanly', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'civic-process-'));
    const first = await start({ DATA_DIR: dataDir, NODE_ENV: 'development' });
    await waitHealthy(first);
    const seeded = await centers(first.url);
    assert.equal(seeded.length, 3);
    assert.ok(seeded.some((c) => c.code.includes('TRAIN')));
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0, first.output());
    assert.ok(!existsSync(join(dataDir, 'postgres', 'postmaster.pid')), 'PostgreSQL was stopped');

    const second = await start({ DATA_DIR: dataDir, NODE_ENV: 'development' });
    await waitHealthy(second);
    assert.deepEqual(await centers(second.url), seeded, 'same data, not seeded twice');
    second.child.kill('SIGINT');
    assert.equal(await second.exited, 0, second.output());
    assert.ok(!existsSync(join(dataDir, 'postgres', 'postmaster.pid')));
  });

  it('refuses to start in production without secrets, with a clear message', async () => {
    const running = await start({ NODE_ENV: 'production', DATA_DIR: mkdtempSync(join(tmpdir(), 'civic-process-')) });
    assert.notEqual(await running.exited, 0);
    assert.match(running.output(), /APP_SECRET is required/);
    assert.match(running.output(), /DATA_KEY is required/);
  });

  it('uses DATABASE_URL when given, and has no development outbox in production', async () => {
    const database = await cloneDatabase();
    const running = await start({
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      APP_SECRET: randomBytes(32).toString('base64'),
      DATA_KEY: `k1:${randomBytes(32).toString('base64')}`,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'civic-process-')),
    });
    try {
      await waitHealthy(running);
      assert.deepEqual(await centers(running.url), [], 'no demo data in production');
      const outbox = await fetch(`${running.url}/dev/outbox?to=13812345678`);
      assert.equal(outbox.status, 404);
    } finally {
      running.child.kill('SIGTERM');
      assert.equal(await running.exited, 0, running.output());
      await database.drop();
    }
  });
});
