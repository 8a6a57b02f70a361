import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Clock } from '../common/time/clock';
import { AuditService } from '../audit/audit.service';

const DAY_MS = 86_400_000;

/** 3 no-shows within 90 days restrict booking for 30 days (all configurable). */
@Injectable()
export class NoShowPolicyService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  /** Call after marking a no-show, in the same transaction. Returns the restriction, if any. */
  async apply(manager: EntityManager, residentId: string): Promise<Date | undefined> {
    const { limit, windowDays, restrictionDays } = this.config.noShows;
    const now = this.clock.now();
    const [{ count }] = (await manager.query(
      `SELECT count(*)::int AS count FROM appointment a JOIN slot s ON s.id = a.slot_id
        WHERE a.resident_id = $1 AND a.status = 'no_show' AND s.starts_at > $2`,
      [residentId, new Date(now.getTime() - windowDays * DAY_MS)],
    )) as Array<{ count: number }>;
    if (count < limit) return undefined;
    const until = new Date(now.getTime() + restrictionDays * DAY_MS);
    const [rows] = (await manager.query(
      `UPDATE resident SET restricted_until = $2 WHERE id = $1 AND (restricted_until IS NULL OR restricted_until < $2) RETURNING id_hash`,
      [residentId, until],
    )) as [Array<{ id_hash: Buffer }>, number];
    const restricted = rows[0];
    if (restricted) {
      await this.audit.append(manager, { actorType: 'system', action: 'resident.booking_restricted', residentIdHash: restricted.id_hash, detail: { noShows: count, until: until.toISOString() } });
    }
    return until;
  }
}
