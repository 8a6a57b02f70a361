/**
 * The load generator: undici clients (one keep-alive connection each, no pipelining) driven by
 * a bounded loop per connection. Every loop stops at a deadline and after a maximum count, so
 * a run can never hammer a server for longer than it was told to.
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'undici';

export interface HttpAnswer<T = any> {
  status: number;
  body: T;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Keep the answer as text (the load generator's CPU is not the app's). */
  text?: boolean;
}

/** One keep-alive connection per virtual client; `origins` are shared out round-robin. */
export class Connections {
  private readonly clients: Client[];

  constructor(origins: string[], count: number) {
    this.clients = Array.from({ length: count }, (_, i) => new Client(origins[i % origins.length]!, { pipelining: 1, keepAliveTimeout: 30_000 }));
  }

  get size(): number {
    return this.clients.length;
  }

  async request<T = any>(connection: number, method: 'GET' | 'POST', path: string, options: RequestOptions = {}): Promise<HttpAnswer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const response = await this.clients[connection]!.request({ method, path, headers, body });
    const text = await response.body.text();
    const type = String(response.headers['content-type'] ?? '');
    return { status: response.statusCode, body: (!options.text && type.includes('json') && text ? JSON.parse(text) : text) as T };
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.close().catch(() => undefined)));
  }
}

/** Latencies and outcomes of one kind of request. */
export class Recorder {
  readonly latencies: number[] = [];
  readonly statuses = new Map<string, number>();
  /** Answers that are not among the expected ones, with a few examples for the log. */
  unexpected = 0;
  readonly examples: string[] = [];

  constructor(private readonly expected: ReadonlySet<number>) {}

  record(ms: number, status: number, code?: string): void {
    this.latencies.push(ms);
    const key = code ? `${status} ${code}` : String(status);
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
    if (!this.expected.has(status)) this.unexpected += 1;
  }

  failure(ms: number, error: unknown): void {
    this.latencies.push(ms);
    this.unexpected += 1;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.statuses.set('transport error', (this.statuses.get('transport error') ?? 0) + 1);
    if (this.examples.length < 5) this.examples.push(message);
  }

  note(example: string): void {
    if (this.examples.length < 5) this.examples.push(example);
  }

  count(status?: number): number {
    if (status === undefined) return this.latencies.length;
    let total = 0;
    for (const [key, n] of this.statuses) if (key.split(' ')[0] === String(status)) total += n;
    return total;
  }

  percentile(p: number): number {
    return percentile(sorted(this.latencies), p);
  }

  merge(other: Recorder): void {
    for (const ms of other.latencies) this.latencies.push(ms);
    for (const [key, n] of other.statuses) this.statuses.set(key, (this.statuses.get(key) ?? 0) + n);
    this.unexpected += other.unexpected;
    for (const example of other.examples) this.note(example);
  }
}

export function sorted(values: number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/** Nearest-rank percentile of sorted values (0 when there are none). */
export function percentile(values: Float64Array, p: number): number {
  if (values.length === 0) return 0;
  const rank = Math.min(values.length - 1, Math.max(0, Math.ceil((p / 100) * values.length) - 1));
  return values[rank]!;
}

/** Milliseconds since an arbitrary origin, sub-millisecond. */
export const now = (): number => performance.now();

/**
 * Runs `step(connection, iteration)` on every connection in a loop until the deadline or until
 * `maxSteps` steps were started in all; resolves when every loop has stopped.
 */
export async function loopUntil(connections: number, durationMs: number, maxSteps: number, step: (connection: number, iteration: number) => Promise<void>): Promise<{ elapsedMs: number; steps: number }> {
  const started = now();
  const deadline = started + durationMs;
  let steps = 0;
  await Promise.all(
    Array.from({ length: connections }, async (_, connection) => {
      for (let iteration = 0; now() < deadline && steps < maxSteps; iteration++) {
        steps += 1;
        await step(connection, iteration);
      }
    }),
  );
  return { elapsedMs: now() - started, steps };
}

/** Hands out the items of a fixed work list to every connection until it is used up (or the deadline passes). */
export async function drain<T>(connections: number, items: readonly T[], deadlineMs: number, step: (connection: number, item: T) => Promise<void>): Promise<{ elapsedMs: number; done: number }> {
  const started = now();
  const deadline = started + deadlineMs;
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async (_, connection) => {
      while (next < items.length && now() < deadline) {
        const item = items[next++]!;
        await step(connection, item);
      }
    }),
  );
  return { elapsedMs: now() - started, done: next };
}
