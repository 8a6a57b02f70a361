import { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/**
 * Connections per app instance. Chosen with `npm run bench` on 2 cores (README, Performance):
 * pools of 6, 10, 12, 16, 20 and 40 under the rush and steady booking at 64 HTTP connections.
 * Every booking ends in a durable COMMIT, and PostgreSQL flushes the WAL once for all the
 * transactions committing at that moment, so more transactions in flight cost less CPU each
 * (PostgreSQL CPU per booking fell from ~1.7 ms with 6 to ~1.25 ms with 16–20); below ~12 the
 * pool itself held requests back while its connections waited on the WAL flush. Past 20 the
 * extra backends only competed for the 2 cores and the WAL write lock (40: slower, more CPU
 * per booking). With 20, about half the pool is busy on average under the rush, which leaves
 * room for bursts; two instances use 40 of the server's max_connections (200 embedded).
 */
const POOL_SIZE = 20;

/** The one set of TypeORM options, used by the app, the CLI and the tests alike. */
export function dataSourceOptions(url: string, poolSize = POOL_SIZE): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: poolSize,
      // Statements may be sent before the answer to the previous one has come back: it lets
      // `inTransaction` write BEGIN together with the first statement (one round trip fewer).
      // Everything else awaits each statement, exactly as without it.
      pipeline: true,
      connectionTimeoutMillis: 5_000,
      // A request never waits on a lock forever; a stuck statement is cut off.
      options: '-c lock_timeout=5000 -c statement_timeout=15000 -c idle_in_transaction_session_timeout=30000',
      application_name: 'civic-desk',
    },
  };
}
