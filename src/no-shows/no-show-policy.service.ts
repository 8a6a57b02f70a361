import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Clock } from '../common/time/clock';
import { AuditService } from '../audit/audit.service';
import { CryptoService } from '../common/crypto/crypto.service';
import { formatInstant } from '../common/time/format';
import { I18nService } from '../i18n/i18n.service';
import { OutboxService } from '../notifications/outbox.service';

const DAY_MS = 86_400_000;

/** 3 no-shows within 90 days restrict booking for 30 days (all configurable). */
@Injectable()
export class NoShowPolicyService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly crypto: CryptoService,
    private readonly i18n: I18nService,
  ) {}

  /**
   * Call after marking a no-show, in the same transaction: the resident is told, and
   * restricted once the limit is reached. Returns the restriction, if any.
   */
  async apply(manager: EntityManager, residentId: string, reference: string): Promise<Date | undefined> {
    const { limit, windowDays, restrictionDays } = this.config.noShows;
    const now = this.clock.now();
    const phone = await this.phoneOf(manager, residentId);
    if (phone) {
      await this.outbox.enqueue(manager, { channel: 'sms', to: phone, template: 'no-show-warning', text: this.i18n.bilingual('sms:no_show_warning', { reference, limit, days: windowDays }) });
    }
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
      if (phone) {
        const untilText = formatInstant(until, 'Asia/Shanghai').slice(0, 10);
        await this.outbox.enqueue(manager, { channel: 'sms', to: phone, template: 'booking-restricted', text: this.i18n.bilingual('sms:booking_restricted', { count, until: untilText }) });
      }
    }
    return until;
  }

  private async phoneOf(manager: EntityManager, residentId: string): Promise<string | undefined> {
    const [row] = (await manager.query('SELECT phone_cipher FROM resident WHERE id = $1', [residentId])) as Array<{ phone_cipher: string | null }>;
    return row?.phone_cipher ? this.crypto.decrypt(row.phone_cipher) : undefined;
  }
}
