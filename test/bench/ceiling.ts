/**
 * The ceiling: the app's own booking and cancelling transactions (the very statements of
 * src/appointments/booking-sql.ts, in the same order, with the same parameters, and BEGIN
 * written together with the first statement as the app's `inTransaction` does) sent straight
 * through `pg` — no HTTP, no Nest, no ORM — one connection per virtual client, against the
 * same database.
 */
import type { Writable } from 'node:stream';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { BookingStatements } from '../../src/appointments/booking-sql';
import { runPrepared } from '../../src/database/prepared';
import { newReference } from '../../src/appointments/reference';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { CpuSplit } from './cpu';
import { loopUntil, now, Recorder } from './load';
import type { Meter } from './scenarios';

/** The booking caps of the run (app and ceiling): residents book again and again. */
export const BENCH_BOOKING_CAP = 1_000_000_000;

/** About the size of a real confirmation's ciphertext (both languages, base64url). */
const CONFIRMATION_CIPHER = `k1.${'x'.repeat(520)}`;

export interface CeilingWorkload {
  /** One list of residents and one slot per connection: nothing is contended. */
  residents: string[][];
  slots: string[];
  serviceId: string;
}

export interface CeilingResult {
  pairs: number;
  elapsedMs: number;
  book: Recorder;
  cancel: Recorder;
  cpu: CpuSplit;
}

export async function runCeiling(url: string, workload: CeilingWorkload, warmupMs: number, durationMs: number, meter: Meter): Promise<CeilingResult> {
  // TypeORM only writes the statements out (from the entities' metadata), as the app does at start.
  const metadataSource = new DataSource(dataSourceOptions(url, 1));
  await metadataSource.initialize();
  const sql = new BookingStatements(metadataSource);
  await metadataSource.destroy();
  const connections = workload.slots.length;
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      // Pipeline mode, as the app's pool: BEGIN goes out with the first statement (src/database/transaction.ts).
      const client = new Client({ connectionString: url, application_name: 'civic-bench-ceiling', pipeline: true });
      await client.connect();
      return client;
    }),
  );
  try {
    const run = async (ms: number, measure = false): Promise<CeilingResult> => {
      const book = new Recorder(new Set([201]));
      const cancel = new Recorder(new Set([200]));
      let pairs = 0;
      const cpu = measure ? meter() : undefined;
      const { elapsedMs } = await loopUntil(connections, ms, 10_000_000, async (c, i) => {
        const client = clients[c]!;
        const residents = workload.residents[c]!;
        const residentId = residents[i % residents.length]!;
        const t0 = now();
        let appointmentId: string;
        try {
          appointmentId = await bookOnce(client, sql, residentId, workload.slots[c]!, workload.serviceId);
          book.record(now() - t0, 201);
        } catch (error) {
          book.failure(now() - t0, error);
          return;
        }
        const t1 = now();
        try {
          await cancelOnce(client, sql, residentId, appointmentId);
          cancel.record(now() - t1, 200);
          pairs += 1;
        } catch (error) {
          cancel.failure(now() - t1, error);
        }
      });
      return { pairs, elapsedMs, book, cancel, cpu: cpu?.stop() ?? { appMs: 0, postgresMs: 0, loadGeneratorMs: 0 } };
    };
    if (warmupMs > 0) await run(warmupMs);
    return await run(durationMs, true);
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
  }
}

async function bookOnce(client: Client, sql: BookingStatements, residentId: string, slotId: string, serviceId: string): Promise<string> {
  const stream = (client as unknown as { connection: { stream: Writable } }).connection.stream;
  stream.cork();
  const begun = client.query('BEGIN');
  const first = runPrepared(client, sql.prepare, [residentId, slotId, serviceId]);
  stream.uncork();
  try {
    const [[prepared]] = await Promise.all([first, begun]);
    if (!prepared?.resident_id || !prepared.s_id) throw new Error('no such resident or slot');
    // As the app: the confirmation SMS goes to the outbox in the booking statement (its
    // ciphertext is made by the app; a fixed one of the same size stands in for it here).
    const [booked] = await runPrepared(client, sql.book, [
      residentId,
      serviceId,
      slotId,
      new Date(),
      3,
      newReference(),
      null,
      null,
      BENCH_BOOKING_CAP,
      BENCH_BOOKING_CAP,
      CONFIRMATION_CIPHER,
      null,
    ]);
    if (!booked?.a_id) throw new Error('not booked');
    await client.query('COMMIT');
    return booked.a_id as string;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function cancelOnce(client: Client, sql: BookingStatements, residentId: string, appointmentId: string): Promise<void> {
  const now = new Date();
  const [cancelled] = await runPrepared(client, sql.cancel, [appointmentId, residentId, now, now, false]);
  if (!cancelled) throw new Error('not cancellable');
}
