import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { EmbeddedPostgres, startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { createCenter, createSlot } from './support/factories';
import { signIn, SignedInResident } from './support/residents';
import { startTestApp, TestApp } from './support/test-app';

const RESIDENTS = 100;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number;
  id?: string;
  ms: number;
}

describe('PostgreSQL restarts while 100 residents book', () => {
  const dir = mkdtempSync(join(process.env.TEST_WORK_DIR ?? tmpdir(), 'outage-'));
  let port: number;
  let pg: EmbeddedPostgres;
  let t: TestApp;
  before(async () => {
    port = await freePort();
    pg = await startEmbeddedPostgres({ dir, port });
    t = await startTestApp({ databaseUrl: pg.url });
  });
  after(async () => {
    await t.close();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails fast with 503 during the outage, recovers by itself, and loses or doubles no booking', async (context) => {
    const { center, service } = await createCenter(t.dataSource);
    const slots = await Promise.all(Array.from({ length: 5 }, (_, i) => createSlot(t.dataSource, center.id, { hoursFromNow: 30 + i, capacity: 15 })));
    const residents: SignedInResident[] = [];
    for (let i = 0; i < RESIDENTS; i += 20) residents.push(...(await Promise.all(Array.from({ length: 20 }, () => signIn(t.api)))));

    const answers: Answer[] = [];
    let running = true;
    const book = async (resident: SignedInResident, n: number): Promise<void> => {
      while (running) {
        const started = performance.now();
        const response = await t.api.post('/api/v1/appointments', { slotId: slots[n % slots.length]!.id, serviceId: service.id }, { token: resident.token });
        answers.push({ status: response.status, id: response.status === 201 ? response.body.id : undefined, ms: performance.now() - started });
        if (response.status === 201) return;
        await sleep(50);
      }
    };
    const load = Promise.all(residents.map((resident, n) => book(resident, n)));

    await sleep(300);
    await pg.stop();
    const down = performance.now();
    await sleep(1500);
    const duringOutage = answers.length;
    pg = await startEmbeddedPostgres({ dir, port });
    const back = performance.now();
    let healthyAfterMs = Infinity;
    while (performance.now() - back < 10_000) {
      if ((await t.api.get('/health')).status === 200) {
        healthyAfterMs = performance.now() - back;
        break;
      }
      await sleep(100);
    }
    await sleep(2000);
    running = false;
    await load;

    const statuses = new Map<number, number>();
    for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    context.diagnostic(`answers by status: ${JSON.stringify(Object.fromEntries(statuses))}; outage ${(back - down).toFixed(0)} ms; healthy ${healthyAfterMs.toFixed(0)} ms after PostgreSQL came back; slowest answer ${Math.max(...answers.map((a) => a.ms)).toFixed(0)} ms`);
    assert.ok(duringOutage > 0);
    assert.ok([...statuses.keys()].every((s) => s === 201 || s === 409 || s === 503), `unexpected statuses ${[...statuses.keys()]}`);
    assert.ok((statuses.get(503) ?? 0) > 0, 'the outage was seen');
    // Bounded by the configured timeouts: 5 s to get a connection, then at most 5 s waiting on a lock.
    assert.ok(Math.max(...answers.map((a) => a.ms)) < 10_000, 'no request hung past the configured timeouts');
    assert.ok(healthyAfterMs <= 5000, `healthy ${healthyAfterMs} ms after the database came back`);

    const created = answers.filter((a) => a.id).map((a) => a.id!);
    const rows = (await t.dataSource.query('SELECT id FROM appointment WHERE id = ANY($1::uuid[])', [created])) as Array<{ id: string }>;
    assert.equal(rows.length, created.length, 'every booking answered 201 exists');
    assert.equal(new Set(created).size, created.length, 'none twice');
    const [perResident] = (await t.dataSource.query(
      `SELECT max(n)::int AS most FROM (SELECT count(*) AS n FROM appointment WHERE status <> 'cancelled' GROUP BY resident_id) x`,
    )) as Array<{ most: number }>;
    assert.equal(perResident!.most, 1, 'no resident holds two bookings');
    const drift = (await t.dataSource.query(
      `SELECT s.id FROM slot s LEFT JOIN appointment a ON a.slot_id = s.id AND a.status <> 'cancelled'
        GROUP BY s.id, s.booked HAVING s.booked <> count(a.id)`,
    )) as unknown[];
    assert.deepEqual(drift, [], 'every slot counter matches its appointments');
  });
});
