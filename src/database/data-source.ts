/**
 * For the TypeORM CLI (`npm run typeorm -- migration:show`): the same options as the app, on
 * DATABASE_URL or on the embedded server that `npm start` is running from DATA_DIR.
 */
import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { EMBEDDED_USER, runningPort } from './embedded-postgres';

export function runningEmbeddedUrl(dataDir: string): string | undefined {
  const port = runningPort(join(dataDir, 'postgres'));
  const passwordFile = join(dataDir, 'postgres-password');
  if (port === undefined || !existsSync(passwordFile)) return undefined;
  return `postgres://${EMBEDDED_USER}:${encodeURIComponent(readFileSync(passwordFile, 'utf8').trim())}@127.0.0.1:${port}/civic`;
}

const url = process.env.DATABASE_URL ?? runningEmbeddedUrl(resolve(process.env.DATA_DIR || '.data'));
if (!url) throw new Error('Set DATABASE_URL, or start the app (npm start) so that its embedded PostgreSQL is running');

export default new DataSource(dataSourceOptions(url, 2));
