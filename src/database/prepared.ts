import type { ClientBase, Pool, PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

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

/**
 * Runs a named statement on a pooled connection, outside any transaction: straight on
 * node-postgres' pool (it takes a connection, runs, gives it back), without a TypeORM query
 * runner around it — building and releasing one cost about as much as the session lookup it
 * served (benchmark, issue 6).
 */
export async function queryPrepared<T = Record<string, unknown>>(dataSource: DataSource, statement: PreparedStatement, values: unknown[]): Promise<T[]> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  return (await pool.query({ name: statement.name, text: statement.text, values })).rows as T[];
}
