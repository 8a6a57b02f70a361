import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DataSource } from 'typeorm';

/**
 * Prometheus metrics. Counters are bumped where things happen; the gauges that describe the
 * database's state (outbox backlog, queue length) are read when Prometheus scrapes.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'civic_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly bookings = new Counter({
    name: 'civic_bookings_total',
    help: 'Booking attempts by outcome (created, or the error code)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly passcodes = new Counter({
    name: 'civic_passcodes_total',
    help: 'Passcodes by purpose and event (sent, wrong, accepted)',
    labelNames: ['purpose', 'event'] as const,
    registers: [this.registry],
  });

  constructor(dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry, prefix: 'civic_' });
    new Gauge({
      name: 'civic_outbox_backlog',
      help: 'Messages waiting to be sent, and parked after their last try',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        const [row] = (await dataSource.query(
          `SELECT count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL)::int AS pending,
                  count(*) FILTER (WHERE failed_at IS NOT NULL)::int AS failed FROM outbox_message`,
        )) as Array<{ pending: number; failed: number }>;
        this.set({ state: 'pending' }, row!.pending);
        this.set({ state: 'failed' }, row!.failed);
      },
    });
    new Gauge({
      name: 'civic_queue_length',
      help: 'Residents checked in and not yet called, per center',
      labelNames: ['center'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows = (await dataSource.query(
          `SELECT c.code, count(a.id)::int AS waiting FROM center c
             LEFT JOIN appointment a ON a.center_id = c.id AND a.status = 'checked_in' AND a.called_at IS NULL
            GROUP BY c.code`,
        )) as Array<{ code: string; waiting: number }>;
        for (const row of rows) this.set({ center: row.code }, row.waiting);
      },
    });
  }
}
