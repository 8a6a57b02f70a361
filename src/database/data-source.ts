/**
 * For the TypeORM CLI (`npm run typeorm -- migration:show`): the same options as the app, on
 * DATABASE_URL or on the embedded server that `npm start` is running from DATA_DIR.
 */
import 'reflect-metadata';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { runningEmbeddedUrl } from './embedded-postgres';

const url = process.env.DATABASE_URL ?? runningEmbeddedUrl(resolve(process.env.DATA_DIR || '.data'));
if (!url) throw new Error('Set DATABASE_URL, or start the app (npm start) so that its embedded PostgreSQL is running');

export default new DataSource(dataSourceOptions(url, 2));
