import type { ClientBase, PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';

/** A statement PostgreSQL parses and plans once per connection, then only executes. */
export interface PreparedStatement {
  /** Unique per text: node-postgres keeps one prepared statement of this name per connection. */
  name: string;
  text: string;
}

/**
 * Runs a named statement on a connection: for the statements of the hot paths, parsing and
 * planning were half of PostgreSQL's CPU time per booking (benchmark, issue 6).
 */
export async function runPrepared<T = Record<string, unknown>>(client: ClientBase, statement: PreparedStatement, values: unknown[]): Promise<T[]> {
  return (await client.query({ name: statement.name, text: statement.text, values })).rows as T[];
}

/** The pooled connection of a transaction's manager (from `inTransaction`). */
export async function connectionOf(manager: EntityManager): Promise<PoolClient> {
  return (await manager.queryRunner!.connect()) as PoolClient;
}

/** Runs a named statement on a pooled connection, outside any transaction. */
export async function queryPrepared<T = Record<string, unknown>>(dataSource: DataSource, statement: PreparedStatement, values: unknown[]): Promise<T[]> {
  const runner = dataSource.createQueryRunner();
  try {
    return await runPrepared<T>((await runner.connect()) as PoolClient, statement, values);
  } finally {
    await runner.release();
  }
}
