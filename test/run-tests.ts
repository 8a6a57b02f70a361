/**
 * `npm test`: one PostgreSQL for the whole run (embedded on a throw-away cluster, or the
 * server named by DATABASE_URL), one migrated template database, and every test file on
 * its own clone of it, run by Node's test runner.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { runMigrationsLocked } from '../src/database/migrate';
import { withDatabase } from './support/database-url';

const BUILD_ROOT = join(__dirname, '..');

function findTests(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'support' ? [] : findTests(path, pattern);
    return pattern.test(name) ? [path] : [];
  });
}

async function main(): Promise<number> {
  const filter = process.argv.slice(2);
  const workDir = mkdtempSync(join(tmpdir(), 'civic-test-'));
  // Tests start throw-away PostgreSQL clusters below it, run as the postgres user: let it pass through.
  chmodSync(workDir, 0o711);
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dir: workDir, ephemeral: true });
  const serverUrl = process.env.DATABASE_URL ?? embedded!.url;
  const adminUrl = withDatabase(serverUrl, 'postgres');
  const template = `civic_tpl_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${template}`);
    const dataSource = new DataSource(dataSourceOptions(withDatabase(serverUrl, template), 2));
    await dataSource.initialize();
    await runMigrationsLocked(dataSource);
    await dataSource.destroy();

    const files = [...findTests(join(BUILD_ROOT, 'src'), /\.spec\.js$/), ...findTests(join(BUILD_ROOT, 'test'), /\.test\.js$/)]
      .filter((file) => filter.length === 0 || filter.some((f) => file.includes(f)))
      .sort();
    process.stdout.write(`Running ${files.length} test files on ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'an embedded PostgreSQL'}\n`);
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', ...files.map((f) => relative(process.cwd(), f))], {
        stdio: 'inherit',
        env: { ...process.env, TEST_PG_SERVER_URL: serverUrl, TEST_PG_TEMPLATE: template, TEST_WORK_DIR: workDir },
      });
      child.on('exit', (exitCode) => resolve(exitCode ?? 1));
    });
    return code;
  } finally {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`, [`civic_t_${template.slice(10)}_%`, template]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
