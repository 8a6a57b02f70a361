import type { PoolClient, QueryResult } from 'pg';
import type { Writable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

/** Runs `work` in one transaction, retrying the rare serialization failure or deadlock. */
export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction(dataSource, work);
    } catch (error) {
      const code = (error as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (error as { code?: string }).code;
      if (attempt >= attempts || !code || !RETRYABLE.has(code)) throw error;
    }
  }
}

/**
 * TypeORM's `dataSource.transaction(work)`, less one round trip: BEGIN is not sent and waited
 * for on its own, but written together with the transaction's first statement (the pool's
 * connections are in node-postgres' pipeline mode, see data-source-options.ts), so PostgreSQL
 * reads and answers both at once. A booking is then session lookup, BEGIN + `prepare`, `book`,
 * COMMIT: four round trips instead of five.
 *
 * BEGIN goes first on the same connection, so the statement runs inside the transaction; if
 * BEGIN itself failed (only a broken connection does that), the statement's promise fails too
 * and the transaction is rolled back as any other failure.
 */
async function transaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    const restore = beginWithFirstStatement((await runner.connect()) as PoolClient);
    try {
      await runner.startTransaction();
      try {
        const result = await work(runner.manager);
        await runner.commitTransaction();
        return result;
      } catch (error) {
        await runner.rollbackTransaction().catch(() => undefined); // the original error is the one to report
        throw error;
      }
    } finally {
      restore();
    }
  } finally {
    await runner.release();
  }
}

type Query = (this: PoolClient, ...args: unknown[]) => unknown;

const NOTHING_SENT = (command: string): QueryResult => ({ command, rowCount: null, oid: 0, rows: [], fields: [] });

/**
 * Until the transaction's first statement, `START TRANSACTION` (from TypeORM) is only noted;
 * the first statement then goes out right behind a BEGIN, in one write. A transaction that
 * ends before any statement (COMMIT or ROLLBACK first) sends nothing at all.
 */
function beginWithFirstStatement(client: PoolClient): () => void {
  const own = client as unknown as { query: Query; connection?: { stream?: Writable } };
  const query = own.query;
  let pending = false;
  own.query = function (this: PoolClient, ...args: unknown[]): unknown {
    const text = typeof args[0] === 'string' ? args[0] : undefined;
    if (!pending && text === 'START TRANSACTION' && args.length <= 2 && !args[1]) {
      pending = true;
      return Promise.resolve(NOTHING_SENT('BEGIN'));
    }
    if (!pending) return query.apply(client, args);
    pending = false;
    own.query = query;
    if (text === 'COMMIT' || text === 'ROLLBACK') return Promise.resolve(NOTHING_SENT(text));
    const stream = own.connection?.stream;
    stream?.cork();
    let begun: Promise<unknown>;
    let answer: unknown;
    try {
      begun = query.call(client, 'BEGIN') as Promise<unknown>;
      answer = query.apply(client, args);
    } finally {
      stream?.uncork();
    }
    if (!(answer instanceof Promise)) {
      begun.catch(() => undefined); // a callback-style first statement hears of a broken connection itself
      return answer;
    }
    return Promise.all([begun, answer]).then(([, result]) => result);
  };
  return () => {
    own.query = query;
  };
}

/**
 * 64-bit advisory-lock keys from hashes; always taken in ascending order so two never deadlock.
 * One statement for all of them (a passcode request takes three: ID, phone, IP): the function
 * scan of `unnest` yields the keys in the array's order, and each lock is taken as its row is
 * produced, so the order is the array's — one round trip instead of one per key.
 */
export async function lockKeys(manager: EntityManager, hashes: Buffer[]): Promise<void> {
  const keys = [...new Set(hashes.map((hash) => hash.readBigInt64BE(0)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (keys.length === 0) return;
  await manager.query('SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k', [keys.map(String)]);
}

/** PostgreSQL's unique_violation, optionally on one named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const driver = (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? (error as { code?: string; constraint?: string });
  return driver?.code === '23505' && (constraint === undefined || driver.constraint === constraint);
}
