/**
 * The application under test, as production runs it: `node dist/main.js` in its own process.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { now } from './load';

export interface AppProcess {
  name: string;
  pid: number;
  port: number;
  origin: string;
  /** ms from spawn to the first 200 from /health */
  startMs: number;
  /** Current and peak resident set size of the process, in MiB. */
  memory(): { rssMb: number; hwmMb: number };
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  root: string;
  port: number;
  env: Record<string, string>;
  logFile: string;
  /** Node flags for the app process, e.g. --cpu-prof. */
  nodeArgs?: string[];
  timeoutMs?: number;
}

/** Starts dist/main.js and resolves once /health answers 200. */
export async function startApp(options: StartOptions): Promise<AppProcess> {
  const main = join(options.root, 'dist', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run "npm run build" first (npm run bench does)`);
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const started = now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), main], {
    cwd: options.root,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? code}`;
      resolve();
    }),
  );
  const origin = `http://127.0.0.1:${options.port}`;
  const deadline = started + (options.timeoutMs ?? 90_000);
  for (;;) {
    if (exited) throw new Error(`${options.name} ${exited} before it was healthy; see ${options.logFile}:\n${tail(options.logFile)}`);
    if (now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.name} was not healthy within ${options.timeoutMs ?? 90_000} ms; see ${options.logFile}`);
    }
    if (await healthy(origin)) break;
    await sleep(20);
  }
  const startMs = now() - started;
  return {
    name: options.name,
    pid: child.pid!,
    port: options.port,
    origin,
    startMs,
    memory: () => memoryOf(child.pid!),
    stop: () => stop(child, exit, log),
  };
}

async function healthy(origin: string): Promise<boolean> {
  try {
    const response = await request(`${origin}/health`, { headersTimeout: 2_000, bodyTimeout: 2_000 });
    await response.body.dump();
    return response.statusCode === 200;
  } catch {
    return false;
  }
}

async function stop(child: ChildProcess, exit: Promise<void>, log: NodeJS.WritableStream): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exit;
    clearTimeout(timer);
  }
  log.end();
}

/** VmRSS and VmHWM (the kernel's peak RSS of the process) from /proc. */
export function memoryOf(pid: number): { rssMb: number; hwmMb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string): number => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0);
    return { rssMb: kib('VmRSS') / 1024, hwmMb: kib('VmHWM') / 1024 };
  } catch {
    return { rssMb: 0, hwmMb: 0 };
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
