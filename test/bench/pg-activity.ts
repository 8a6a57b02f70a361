/**
 * Where PostgreSQL's connections spend a load phase: pg_stat_activity sampled every 100 ms.
 * For the app this is its pool seen from the server: how many of its connections are busy
 * (pool in use), and what the busy ones wait on (WAL flush, a row lock, the client, CPU).
 */
import { Client } from 'pg';

export interface ActivitySummary {
  samples: number;
  /** Connections the application held open (its pool's size so far). */
  connections: number;
  /** Mean and highest number of its connections inside a statement or a transaction. */
  busyMean: number;
  busyMax: number;
  /** Share of busy-connection samples per wait event ('CPU' when not waiting). */
  waits: Record<string, number>;
}

export class ActivitySampler {
  private timer?: NodeJS.Timeout;
  private samples = 0;
  private busyTotal = 0;
  private busyMax = 0;
  private connectionsMax = 0;
  private readonly waits = new Map<string, number>();
  private pending = false;

  constructor(
    private readonly client: Client,
    private readonly applicationName: string,
  ) {}

  start(everyMs = 100): void {
    this.timer = setInterval(() => void this.sample(), everyMs);
  }

  stop(): ActivitySummary {
    clearInterval(this.timer);
    const busySamples = [...this.waits.values()].reduce((a, b) => a + b, 0) || 1;
    const waits: Record<string, number> = {};
    for (const [event, n] of [...this.waits].sort((a, b) => b[1] - a[1])) waits[event] = Math.round((1000 * n) / busySamples) / 10;
    return {
      samples: this.samples,
      connections: this.connectionsMax,
      busyMean: this.samples ? Math.round((10 * this.busyTotal) / this.samples) / 10 : 0,
      busyMax: this.busyMax,
      waits,
    };
  }

  private async sample(): Promise<void> {
    if (this.pending) return;
    this.pending = true;
    try {
      const { rows } = await this.client.query<{ state: string | null; wait: string | null }>(
        `SELECT state, CASE WHEN wait_event IS NULL THEN NULL ELSE wait_event_type || ':' || wait_event END AS wait
           FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()`,
        [this.applicationName],
      );
      this.samples += 1;
      this.connectionsMax = Math.max(this.connectionsMax, rows.length);
      let busy = 0;
      for (const row of rows) {
        if (row.state === 'idle') continue;
        busy += 1;
        // "idle in transaction": the server waits for the app's next statement.
        const event = row.state === 'idle in transaction' ? 'waiting for the app (in transaction)' : (row.wait ?? 'CPU');
        this.waits.set(event, (this.waits.get(event) ?? 0) + 1);
      }
      this.busyTotal += busy;
      this.busyMax = Math.max(this.busyMax, busy);
    } catch {
      // a missed sample is no loss
    } finally {
      this.pending = false;
    }
  }
}
