import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cloneDatabase } from './support/database';

const MAIN = join(__dirname, '..', 'src', 'main.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Running {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  output: () => string;
}

async function start(env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, [MAIN], { env: { ...inherited, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, url: `http://127.0.0.1:${port}`, exited, output: () => output };
}

async function waitHealthy(running: Running): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (running.child.exitCode !== null) assert.fail(`the app exited early:\n${running.output()}`);
    const healthy = await fetch(`${running.url}/health`).then((r) => r.ok, () => false);
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`the app did not become healthy:\n${running.output()}`);
}

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
