import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { LOGGER } from '../common/logging/logger';
import { Clock } from '../common/time/clock';
import { PeriodicJob } from '../common/time/periodic-job';
import { checkpointSignature } from '../audit/audit-chain';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const RETENTION_LOCK = 0x52455445; // "RETE"

export interface RetentionReport {
  challenges: number;
  sessions: number;
  messages: number;
  appointmentsAnonymised: number;
  waitlistEntries: number;
  proxies: number;
  auditEntries: number;
}

/**
 * Personal data leaves when it is no longer needed (PIPL, GDPR): passcodes after a day,
 * dead sessions, sent messages, the link between a resident and an old appointment (and the
 * proxy named for it), waitlist entries of past days, and audit entries after the kept years —
 * the chain then starts at a signed checkpoint, so `audit:verify` still proves what is left.
 * Safe on several instances (advisory lock).
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly job: PeriodicJob;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.job = new PeriodicJob('retention', logger, () => this.run());
  }

  onApplicationBootstrap(): void {
    this.job.start(HOUR);
  }

  onModuleDestroy(): void {
    this.job.stop();
  }

  async run(): Promise<RetentionReport | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = (await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [RETENTION_LOCK])) as Array<{ locked: boolean }>;
      if (!locked) return undefined;
      const now = this.clock.now().getTime();
      const ago = (ms: number) => new Date(now - ms);
      const appointmentHorizon = ago(this.config.retention.appointmentDays * DAY);
      const count = async (sql: string, params: unknown[]) => ((await manager.query(sql, params)) as [unknown, number])[1];
      const report: RetentionReport = {
        // The daily passcode limits look back 24 h: nothing younger may go.
        challenges:
          (await count('DELETE FROM otp_challenge WHERE created_at < $1', [ago(DAY)])) +
          (await count('DELETE FROM otp_failure WHERE at < $1', [ago(DAY)])) +
          (await count('DELETE FROM sign_in_lock WHERE locked_until < $1', [ago(0)])) +
          (await count('DELETE FROM staff_login_failure WHERE at < $1', [ago(DAY)])),
        sessions: await count('DELETE FROM session WHERE expires_at < $1 OR revoked_at < $1 OR idle_expires_at < $1', [ago(DAY)]),
        messages:
          (await count(`DELETE FROM outbox_message WHERE template LIKE 'otp-%' AND (sent_at < $1 OR failed_at < $1)`, [ago(DAY)])) +
          (await count('DELETE FROM outbox_message WHERE sent_at < $1 OR failed_at < $1', [ago(30 * DAY)])),
        // Before the appointments lose their resident: the proxies they named go with the link.
        proxies: await count(
          `DELETE FROM appointment_proxy p USING appointment a, slot s
            WHERE a.id = p.appointment_id AND s.id = a.slot_id AND s.ends_at < $1 AND a.status NOT IN ('booked', 'checked_in')`,
          [appointmentHorizon],
        ),
        appointmentsAnonymised: await count(
          `UPDATE appointment a SET resident_id = NULL, certificate_serial = NULL, idempotency_key = NULL, request_hash = NULL
             FROM slot s WHERE s.id = a.slot_id AND s.ends_at < $1 AND a.resident_id IS NOT NULL AND a.status NOT IN ('booked', 'checked_in')`,
          [appointmentHorizon],
        ),
        // A place in line means nothing once its day is over.
        waitlistEntries: await count('DELETE FROM waitlist_entry WHERE day_ends_at < $1', [ago(DAY)]),
        auditEntries: await this.dropOldAudit(manager, ago(this.config.retention.auditYears * 365 * DAY)),
      };
      return report;
    });
  }

  /** Removes entries older than the horizon after signing a checkpoint at the last one removed. */
  private async dropOldAudit(manager: EntityManager, horizon: Date): Promise<number> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [0x41554454]); // the audit chain's own lock
    const [last] = (await manager.query('SELECT seq, hash FROM audit_entry WHERE at < $1 ORDER BY seq DESC LIMIT 1', [horizon])) as Array<{ seq: string; hash: Buffer }>;
    if (!last) return 0;
    await manager.query('INSERT INTO audit_checkpoint (seq, hash, at, signature) VALUES ($1, $2, $3, $4)', [
      last.seq,
      last.hash,
      this.clock.now(),
      checkpointSignature(this.config.appSecret, String(last.seq), last.hash),
    ]);
    await manager.query(`SELECT set_config('civic.audit_retention', 'on', true)`);
    const [, removed] = (await manager.query('DELETE FROM audit_entry WHERE seq <= $1', [last.seq])) as [unknown, number];
    await manager.query(`SELECT set_config('civic.audit_retention', 'off', true)`);
    return removed;
  }
}
