import { DataSource, EntityManager } from 'typeorm';

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

/** Runs `work` in one transaction, retrying the rare serialization failure or deadlock. */
export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      const code = (error as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (error as { code?: string }).code;
      if (attempt >= attempts || !code || !RETRYABLE.has(code)) throw error;
    }
  }
}

/** 64-bit advisory-lock keys from hashes; always taken in ascending order so two never deadlock. */
export async function lockKeys(manager: EntityManager, hashes: Buffer[]): Promise<void> {
  const keys = [...new Set(hashes.map((hash) => hash.readBigInt64BE(0)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const key of keys) await manager.query('SELECT pg_advisory_xact_lock($1::bigint)', [key.toString()]);
}

/** PostgreSQL's unique_violation, optionally on one named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const driver = (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? (error as { code?: string; constraint?: string });
  return driver?.code === '23505' && (constraint === undefined || driver.constraint === constraint);
}
