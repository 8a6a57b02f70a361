import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CryptoService } from '../common/crypto/crypto.service';
import { Clock } from '../common/time/clock';
import { formatMinute } from '../common/time/format';
import { StaffActor } from '../auth/guards/auth-context';
import { AuditService } from '../audit/audit.service';
import { Center } from '../centers/center.entity';
import { I18nService } from '../i18n/i18n.service';
import { OutboxService } from '../notifications/outbox.service';
import { SlotChange } from '../slots/slot-reconcile';

interface CancelledRow {
  id: string;
  reference: string;
  slot_id: string;
  starts_at: Date;
  resident_id: string | null;
  id_hash: Buffer | null;
  phone_cipher: string | null;
}

/**
 * "Cancel and notify": when new hours or a closure leave a slot with more bookings than
 * places, the excess appointments go, latest booked first. Runs in the caller's transaction,
 * which holds the slot rows: each cancelled appointment lowers its slot's counter exactly once
 * (only rows this statement moved from `booked` count), and each resident gets one SMS with a
 * link to book again, written to the outbox with the change.
 */
@Injectable()
export class CenterCancellationsService {
  constructor(
    private readonly crypto: CryptoService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly i18n: I18nService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Returns how many appointments were cancelled. */
  async cancelExcess(manager: EntityManager, actor: StaffActor, center: Center, affected: SlotChange[]): Promise<number> {
    const now = this.clock.now();
    let cancelled = 0;
    for (const change of affected) {
      const excess = change.slot.booked - change.newCapacity;
      const [rows] = (await manager.query(
        `WITH victims AS (
           SELECT id FROM appointment WHERE slot_id = $1 AND status = 'booked'
            ORDER BY created_at DESC, id DESC LIMIT $2 FOR UPDATE
         )
         UPDATE appointment a SET status = 'cancelled', cancelled_at = $3, updated_at = $3
           FROM victims v, slot s
          WHERE a.id = v.id AND a.status = 'booked' AND s.id = a.slot_id
          RETURNING a.id, a.reference, a.slot_id, s.starts_at, a.resident_id,
                    (SELECT r.id_hash FROM resident r WHERE r.id = a.resident_id) AS id_hash,
                    (SELECT r.phone_cipher FROM resident r WHERE r.id = a.resident_id) AS phone_cipher`,
        [change.slot.id, excess, now],
      )) as [CancelledRow[], number];
      if (rows.length === 0) continue;
      await manager.query('UPDATE slot SET booked = booked - $2 WHERE id = $1', [change.slot.id, rows.length]);
      for (const row of rows) await this.notify(manager, actor, center, row);
      cancelled += rows.length;
    }
    return cancelled;
  }

  private async notify(manager: EntityManager, actor: StaffActor, center: Center, row: CancelledRow): Promise<void> {
    if (row.phone_cipher) {
      const time = formatMinute(row.starts_at, center.timezone);
      const link = `${this.config.publicUrl}/book/${encodeURIComponent(center.code)}`;
      const text = (['zh-CN', 'en'] as const)
        .map((language) => this.i18n.t(language, 'sms:cancelled_by_center', { center: language === 'en' ? center.nameEn : center.nameZh, time, reference: row.reference, link }))
        .join(' ');
      await this.outbox.enqueue(manager, {
        channel: 'sms',
        to: this.crypto.decrypt(row.phone_cipher),
        template: 'cancelled-by-center',
        text,
        dedupeKey: `cancelled-by-center:${row.id}`,
      });
    }
    await this.audit.append(manager, {
      actorType: 'staff',
      actorId: actor.id,
      actorRole: actor.role,
      action: 'appointment.cancelled_by_center',
      centerId: center.id,
      appointmentId: row.id,
      residentIdHash: row.id_hash,
      detail: { slotId: row.slot_id, notified: row.phone_cipher !== null },
    });
  }
}
