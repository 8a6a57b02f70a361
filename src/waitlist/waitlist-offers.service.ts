import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CryptoService } from '../common/crypto/crypto.service';
import { LOGGER } from '../common/logging/logger';
import { Clock } from '../common/time/clock';
import { PeriodicJob } from '../common/time/periodic-job';
import { formatMinute } from '../common/time/format';
import { inTransaction, isUniqueViolation } from '../database/transaction';
import { I18nService } from '../i18n/i18n.service';
import { OutboxService } from '../notifications/outbox.service';
import { releaseHolds } from './held-places';

/** Holds looked at per run: a run is short; the next one takes the rest. */
const BATCH = 100;

interface FreeHold {
  id: string;
  slot_id: string;
  center_id: string;
  starts_at: Date;
}

interface FirstInLine {
  id: string;
  phone_cipher: string | null;
  timezone: string;
  name_zh: string;
  name_en: string;
}

export interface SweepResult {
  offered: number;
  expired: number;
  released: number;
}

/**
 * What happens to a held place (src/waitlist/slot-hold.entity.ts): offered to the first in
 * line for its day, who has WAITLIST_HOLD_MINUTES to claim it; an unclaimed offer ends that
 * entry and passes the place to the next; with nobody (left) in line, the place returns to
 * the public once its cool-down is over. Safe on several instances: every step takes its hold
 * rows with FOR UPDATE SKIP LOCKED, and locks a hold before its entry (as leaving does).
 */
@Injectable()
export class WaitlistOffersService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly job: PeriodicJob;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly crypto: CryptoService,
    private readonly i18n: I18nService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.job = new PeriodicJob('waitlist sweep', logger, async () => {
      const result = await this.sweep();
      return result.offered + result.expired + result.released > 0 ? result : 0;
    });
  }

  onApplicationBootstrap(): void {
    this.job.start(this.config.waitlist.sweepSeconds * 1000);
  }

  onModuleDestroy(): void {
    this.job.stop();
  }

  /** Ends the offers that ran out, offers the held places, releases the cooled ones. */
  async sweep(): Promise<SweepResult> {
    const expired = await this.expireOffers();
    const offered = await this.offerHeldPlaces();
    const released = await this.releaseCooledPlaces();
    return { offered, expired, released };
  }

  /** Offers each held place that no one holds to the first in line for its day; returns how many. */
  async offerHeldPlaces(): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.offerOnce();
      } catch (error) {
        // Another instance offered the same entry a place a moment ago (one offer per entry is
        // a unique index): look again, and that entry is no longer first in line.
        if (attempt >= 3 || !isUniqueViolation(error, 'slot_hold_entry')) throw error;
      }
    }
  }

  private offerOnce(): Promise<number> {
    return inTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      const holds = (await manager.query(
        `SELECT h.id, h.slot_id, s.center_id, s.starts_at FROM slot_hold h JOIN slot s ON s.id = h.slot_id
          WHERE h.waitlist_entry_id IS NULL AND s.starts_at > $1
          ORDER BY h.created_at LIMIT ${BATCH} FOR UPDATE OF h SKIP LOCKED`,
        [now],
      )) as FreeHold[];
      let offered = 0;
      for (const hold of holds) if (await this.offer(manager, hold, now)) offered++;
      return offered;
    });
  }

  /** Detaches a hold from its entry (which left, or whose offer ended) so that it passes on. */
  async passOn(manager: EntityManager, holdId: string): Promise<void> {
    await manager.query('UPDATE slot_hold SET waitlist_entry_id = NULL, expires_at = cool_until WHERE id = $1', [holdId]);
  }

  private async offer(manager: EntityManager, hold: FreeHold, now: Date): Promise<boolean> {
    // The first still waiting, without an offer, for whom the slot is not too soon, and who
    // has not meanwhile booked that service some other way.
    const [entry] = (await manager.query(
      `SELECT w.id, r.phone_cipher, c.timezone, c.name_zh, c.name_en
         FROM waitlist_entry w
         JOIN resident r ON r.id = w.resident_id
         JOIN center c ON c.id = w.center_id
         JOIN center_service cs ON cs.center_id = w.center_id AND cs.service_id = w.service_id
         JOIN service v ON v.id = w.service_id AND v.active
        WHERE w.center_id = $1 AND w.status = 'waiting' AND w.day_starts_at <= $2 AND w.day_ends_at > $2
          AND $2 >= $3::timestamptz + make_interval(hours => coalesce(cs.lead_time_hours, v.lead_time_hours))
          AND NOT EXISTS (SELECT 1 FROM slot_hold o WHERE o.waitlist_entry_id = w.id)
          AND NOT EXISTS (SELECT 1 FROM appointment a WHERE a.resident_id = w.resident_id AND a.service_id = w.service_id AND a.status IN ('booked', 'checked_in'))
        ORDER BY w.line_seq LIMIT 1 FOR UPDATE OF w SKIP LOCKED`,
      [hold.center_id, hold.starts_at, now],
    )) as FirstInLine[];
    if (!entry) return false;
    const minutes = this.config.waitlist.holdMinutes;
    await manager.query('UPDATE slot_hold SET waitlist_entry_id = $2, expires_at = $3 WHERE id = $1', [hold.id, entry.id, new Date(now.getTime() + minutes * 60_000)]);
    if (entry.phone_cipher) {
      await this.outbox.enqueue(manager, {
        channel: 'sms',
        to: this.crypto.decrypt(entry.phone_cipher),
        template: 'waitlist-offer',
        dedupeKey: `waitlist-offer:${hold.id}:${entry.id}`,
        text: this.i18n.bilingual('sms:waitlist_offer', {
          center: `${entry.name_zh} / ${entry.name_en}`,
          time: formatMinute(hold.starts_at, entry.timezone),
          minutes,
          link: `${this.config.publicUrl}/me/waitlist`,
        }),
      });
    }
    return true;
  }

  /** Offers not claimed in time: the entry ends as `expired`, the place passes on. */
  private expireOffers(): Promise<number> {
    return inTransaction(this.dataSource, async (manager) => {
      const holds = (await manager.query(
        `SELECT id, waitlist_entry_id FROM slot_hold WHERE waitlist_entry_id IS NOT NULL AND expires_at <= $1
          ORDER BY expires_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        [this.clock.now()],
      )) as Array<{ id: string; waitlist_entry_id: string }>;
      if (holds.length === 0) return 0;
      await manager.query(`UPDATE waitlist_entry SET status = 'expired', updated_at = $2 WHERE id = ANY($1::uuid[]) AND status = 'waiting'`, [
        holds.map((h) => h.waitlist_entry_id),
        this.clock.now(),
      ]);
      for (const hold of holds) await this.passOn(manager, hold.id);
      return holds.length;
    });
  }

  /** Held places that nobody was offered: back to the public once cooled (or once the slot began). */
  private releaseCooledPlaces(): Promise<number> {
    return inTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      const holds = (await manager.query(
        `SELECT h.id FROM slot_hold h JOIN slot s ON s.id = h.slot_id
          WHERE h.waitlist_entry_id IS NULL AND (h.expires_at <= $1 OR s.starts_at <= $1)
          ORDER BY h.id LIMIT ${BATCH} FOR UPDATE OF h SKIP LOCKED`,
        [now],
      )) as Array<{ id: string }>;
      if (holds.length === 0) return 0;
      await releaseHolds(manager, holds.map((h) => h.id));
      return holds.length;
    });
  }
}
