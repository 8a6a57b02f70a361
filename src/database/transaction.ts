import type { PoolClient, QueryResult } from 'pg';
import type { Writable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { connectionOf } from './prepared';

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
    const restore = pipelineTransaction((await runner.connect()) as PoolClient);
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

interface PipelinedClient {
  query: Query;
  connection?: { stream?: Writable };
  /** A COMMIT already sent behind the transaction's last statement (`lastStatementWithCommit`). */
  [SENT_COMMIT]?: Promise<unknown>;
}

const SENT_COMMIT = Symbol('civic.sentCommit');

const NOTHING_SENT = (command: string): QueryResult => ({ command, rowCount: null, oid: 0, rows: [], fields: [] });

/** Writes everything `send` sends in one `writev` (the pool's connections are in pipeline mode). */
function inOneWrite<T>(client: PipelinedClient, send: () => T): T {
  const stream = client.connection?.stream;
  stream?.cork();
  try {
    return send();
  } finally {
    stream?.uncork();
  }
}

/**
 * For the life of one transaction on `client`: until the first statement, `START TRANSACTION`
 * (from TypeORM) is only noted, and the first statement then goes out right behind a BEGIN, in
 * one write (a transaction that ends before any statement sends nothing at all); and when the
 * last statement went out with its COMMIT (`lastStatementWithCommit`), the transaction's own
 * COMMIT is that one, and a ROLLBACK after it has nothing left to undo.
 */
function pipelineTransaction(client: PoolClient): () => void {
  const own = client as unknown as PipelinedClient;
  const query = own.query;
  let pending = false;
  own.query = function (this: PoolClient, ...args: unknown[]): unknown {
    const text = typeof args[0] === 'string' ? args[0] : undefined;
    const sent = own[SENT_COMMIT];
    if (sent && (text === 'COMMIT' || text === 'ROLLBACK')) {
      delete own[SENT_COMMIT];
      return text === 'COMMIT' ? sent : sent.then(() => NOTHING_SENT('ROLLBACK'), () => NOTHING_SENT('ROLLBACK'));
    }
    if (!pending && text === 'START TRANSACTION' && args.length <= 2 && !args[1]) {
      pending = true;
      return Promise.resolve(NOTHING_SENT('BEGIN'));
    }
    if (!pending) return query.apply(client, args);
    pending = false;
    if (text === 'COMMIT' || text === 'ROLLBACK') return Promise.resolve(NOTHING_SENT(text));
    const [begun, answer] = inOneWrite(own, () => [query.call(client, 'BEGIN') as Promise<unknown>, query.apply(client, args)] as const);
    if (!(answer instanceof Promise)) {
      begun.catch(() => undefined); // a callback-style first statement hears of a broken connection itself
      return answer;
    }
    return Promise.all([begun, answer]).then(([, result]) => result);
  };
  return () => {
    delete own[SENT_COMMIT];
    own.query = query;
  };
}

/**
 * Sends the transaction's last statement with COMMIT right behind it, in one write: one round
 * trip fewer, for a transaction (from `inTransaction`) whose caller decides nothing after this
 * statement that could want its changes undone — what it would refuse then, the statement
 * itself did not write. If the statement fails, PostgreSQL has aborted the transaction and the
 * COMMIT ends it as a rollback.
 */
export async function lastStatementWithCommit<T>(manager: EntityManager, last: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await connectionOf(manager);
  const own = client as unknown as PipelinedClient;
  const [answer, commit] = inOneWrite(own, () => [last(client), client.query('COMMIT')] as const);
  own[SENT_COMMIT] = commit;
  commit.catch(() => undefined); // heard by the transaction's own COMMIT
  return answer;
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
