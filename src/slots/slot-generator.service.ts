import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { LOGGER } from '../common/logging/logger';
import { Clock } from '../common/time/clock';
import { Center } from '../centers/center.entity';
import { Closure } from '../centers/closure.entity';
import { OpeningHours } from '../centers/opening-hours.entity';
import { addDays, localDate } from './booking-window';
import { planSlots } from './slot-plan';

const GENERATOR_LOCK = 0x534c4f54; // "SLOT"
const EVERY_HOUR_MS = 3600_000;

/**
 * Keeps slots in step with opening hours for each center's booking window (plus the day
 * that will be released next). Idempotent: existing slots are left as they are. Several
 * instances may run it; an advisory lock lets one do the work at a time.
 */
@Injectable()
export class SlotGeneratorService implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runSafely();
    this.timer = setInterval(() => void this.runSafely(), EVERY_HOUR_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Returns how many slots were created, or undefined when another instance was at it. */
  async generateAll(): Promise<number | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = (await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [GENERATOR_LOCK])) as Array<{ locked: boolean }>;
      if (!locked) return undefined;
      let created = 0;
      for (const center of await manager.find(Center)) {
        const hours = await manager.findBy(OpeningHours, { centerId: center.id });
        const from = localDate(this.clock.now(), center.timezone);
        const to = addDays(from, center.bookingWindowDays + 1);
        const closures = await manager.query('SELECT day::text AS day FROM closure WHERE center_id = $1 AND day BETWEEN $2 AND $3', [center.id, from, to]) as Array<Pick<Closure, 'day'>>;
        const planned = planSlots({ timezone: center.timezone, slotMinutes: center.slotMinutes, hours, closures: new Set(closures.map((c) => c.day)), from, to });
        if (planned.length === 0) continue;
        const result = (await manager.query(
          `INSERT INTO slot (center_id, starts_at, ends_at, capacity)
           SELECT $1, s, e, c FROM unnest($2::timestamptz[], $3::timestamptz[], $4::int[]) AS t(s, e, c)
           ON CONFLICT (center_id, starts_at) DO NOTHING
           RETURNING id`,
          [center.id, planned.map((p) => p.startsAt), planned.map((p) => p.endsAt), planned.map((p) => p.capacity)],
        )) as unknown[];
        created += result.length;
      }
      return created;
    });
  }

  private async runSafely(): Promise<void> {
    try {
      await this.generateAll();
    } catch (error) {
      this.logger.error({ err: error }, 'slot generation failed');
    }
  }
}
