import assert from 'node:assert/strict';
import { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { verifyAuditChain } from '../src/audit/audit-verify';
import { dataSourceOptions } from '../src/database/data-source-options';
import { ApiClient } from './support/http';
import { AppProcess, startAppProcess, waitHealthy } from './support/app-process';
import { cloneDatabase } from './support/database';
import { createCenter, createSlot } from './support/factories';
import { signIn, SignedInResident } from './support/residents';
import { startTestApp } from './support/test-app';

const RESIDENTS = 40;

interface Outcome {
  status?: number;
  id?: string;
  error?: string;
}

describe('the app process under faults', () => {
  let database: { url: string; drop: () => Promise<void> };
  let dataSource: DataSource;
  before(async () => {
    database = await cloneDatabase();
    dataSource = new DataSource(dataSourceOptions(database.url, 2));
    await dataSource.initialize();
  });
  after(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  const env = () => ({ DATABASE_URL: database.url, NODE_ENV: 'development', SEED_DEMO_DATA: 'false', DATA_DIR: `${process.env.TEST_WORK_DIR ?? '/tmp'}/faults-${process.pid}`, OTP_IP_HOURLY_LIMIT: '100000', OTP_RESEND_SECONDS: '0', THROTTLE_LIMIT: '1000000' });

  async function residentsAndSlots(app: AppProcess): Promise<{ residents: SignedInResident[]; serviceId: string; slotIds: string[] }> {
    const api = new ApiClient(app.url);
    const { center, service } = await createCenter(dataSource);
    const slots = await Promise.all([1, 2, 3].map((i) => createSlot(dataSource, center.id, { hoursFromNow: 40 + i, capacity: 10 })));
    const residents: SignedInResident[] = [];
    for (let i = 0; i < RESIDENTS; i += 10) residents.push(...(await Promise.all(Array.from({ length: 10 }, () => signIn(api)))));
    return { residents, serviceId: service.id, slotIds: slots.map((s) => s.id) };
  }

  function bookAll(app: AppProcess, setup: Awaited<ReturnType<typeof residentsAndSlots>>): Array<Promise<Outcome>> {
    const api = new ApiClient(app.url);
    return setup.residents.map((resident, n) =>
      api.post('/api/v1/appointments', { slotId: setup.slotIds[n % setup.slotIds.length], serviceId: setup.serviceId }, { token: resident.token }).then(
        (response) => ({ status: response.status, id: response.status === 201 ? (response.body.id as string) : undefined }),
        (error: Error & { cause?: { code?: string } }) => ({ error: error.cause?.code ?? error.message }),
      ),
    );
  }

  async function assertConsistent(outcomes: Outcome[]): Promise<void> {
    const created = outcomes.filter((o) => o.id).map((o) => o.id!);
    const rows = (await dataSource.query('SELECT id FROM appointment WHERE id = ANY($1::uuid[])', [created])) as unknown[];
    assert.equal(rows.length, created.length, 'every booking answered 201 exists');
    const drift = (await dataSource.query(
      `SELECT s.id FROM slot s LEFT JOIN appointment a ON a.slot_id = s.id AND a.status <> 'cancelled' GROUP BY s.id, s.booked HAVING s.booked <> count(a.id)`,
    )) as unknown[];
    assert.deepEqual(drift, [], 'counters match the appointments');
    const chain = await verifyAuditChain(dataSource, Buffer.alloc(32)); // no retention checkpoint here
    assert.ok(chain.intact, JSON.stringify(chain));
  }

  it('SIGTERM finishes the requests in flight, then exits 0', async (context) => {
    const app = await startAppProcess(env());
    await waitHealthy(app);
    const setup = await residentsAndSlots(app);
    // Hold the slots so that every booking is surely inside the app, waiting, when SIGTERM comes.
    const holder = dataSource.createQueryRunner();
    await holder.startTransaction();
    await holder.query('SELECT id FROM slot WHERE id = ANY($1::uuid[]) FOR UPDATE', [setup.slotIds]);
    const pending = bookAll(app, setup);
    await new Promise((resolve) => setTimeout(resolve, 700));
    app.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await holder.commitTransaction();
    await holder.release();
    const outcomes = await Promise.all(pending);
    const code = await app.exited;
    context.diagnostic(`answers: ${JSON.stringify(outcomes.map((o) => o.status ?? o.error))}`);
    assert.equal(code, 0, app.output());
    assert.deepEqual(outcomes.filter((o) => o.error), [], 'no request was cut off');
    assert.ok(outcomes.every((o) => o.status === 201 || o.status === 409), 'every request in flight was served');
    assert.equal(outcomes.filter((o) => o.status === 201).length, 30, 'all 30 places were taken');
    await assertConsistent(outcomes);
  });

  it('after SIGKILL mid-load, a restart finds no half-written booking, counter or audit entry', async () => {
    const first = await startAppProcess(env());
    await waitHealthy(first);
    const setup = await residentsAndSlots(first);
    const pending = bookAll(first, setup);
    await new Promise((resolve) => setTimeout(resolve, 20));
    first.child.kill('SIGKILL');
    const outcomes = await Promise.all(pending);
    await first.exited;
    const second = await startAppProcess(env());
    try {
      await waitHealthy(second);
      await assertConsistent(outcomes);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('cuts off a client that sends part of a request and then nothing', async () => {
    const t = await startTestApp({ env: { HTTP_REQUEST_TIMEOUT_MS: '1000' } });
    try {
      const { port } = new URL(t.url);
      const started = Date.now();
      const closedAfter = await new Promise<number>((resolve, reject) => {
        const socket = new Socket();
        socket.once('close', () => resolve(Date.now() - started));
        socket.once('error', () => undefined);
        socket.connect(Number(port), '127.0.0.1', () => socket.write('GET /api/v1/centers HTTP/1.1\r\nHost: x\r\n'));
        setTimeout(() => reject(new Error('the server kept the silent connection open')), 5000).unref();
      });
      assert.ok(closedAfter < 4000, `closed after ${closedAfter} ms`);
    } finally {
      await t.close();
    }
  });
});
