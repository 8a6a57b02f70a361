import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { LOGGER } from '../common/logging/logger';
import { Clock } from '../common/time/clock';
import { PeriodicJob } from '../common/time/periodic-job';
import { AuditService } from '../audit/audit.service';
import { NoShowPolicyService } from './no-show-policy.service';

/**
 * Marks still-booked appointments as no-shows once their slot ended more than the grace
 * period ago. The conditional UPDATE moves each appointment once, so any number of instances
 * may sweep at the same time.
 */
@Injectable()
export class NoShowSweepService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly job: PeriodicJob;

  constructor(
    private readonly dataSource: DataSource,
    private readonly policy: NoShowPolicyService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.job = new PeriodicJob('no-show sweep', logger, () => this.sweep());
  }

  onApplicationBootstrap(): void {
    this.job.start(this.config.noShows.sweepSeconds * 1000);
  }

  onModuleDestroy(): void {
    this.job.stop();
  }

  /** Returns how many appointments this call marked. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - this.config.noShows.graceMinutes * 60_000);
    return this.dataSource.transaction(async (manager) => {
      const [rows] = (await manager.query(
        `UPDATE appointment a SET status = 'no_show', no_show_at = $2, updated_at = $2
           FROM slot s
          WHERE s.id = a.slot_id AND a.status = 'booked' AND s.ends_at < $1
          RETURNING a.id, a.reference, a.center_id, a.resident_id`,
        [cutoff, now],
      )) as [Array<{ id: string; reference: string; center_id: string; resident_id: string | null }>, number];
      for (const row of rows) {
        await this.audit.append(manager, { actorType: 'system', action: 'appointment.no_show', centerId: row.center_id, appointmentId: row.id });
        if (row.resident_id) await this.policy.apply(manager, row.resident_id, row.reference);
      }
      return rows.length;
    });
  }
}
