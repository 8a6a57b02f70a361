import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CryptoService } from '../common/crypto/crypto.service';
import { LOGGER } from '../common/logging/logger';
import { Clock } from '../common/time/clock';
import { PeriodicJob } from '../common/time/periodic-job';
import { formatInstant } from '../common/time/format';
import { I18nService } from '../i18n/i18n.service';
import { Center } from '../centers/center.entity';
import { addDays, localDate, startOfLocalDate } from '../slots/booking-window';
import { OutboxService } from './outbox.service';

const EVERY_MINUTES = 5;

interface Due {
  id: string;
  reference: string;
  starts_at: Date;
  phone_cipher: string;
}

/**
 * The day before an appointment, from REMINDER_HOUR (center time) on, the resident gets one
 * reminder. "One" holds with any number of instances: each reminder has a dedupe key that
 * the outbox accepts once.
 */
@Injectable()
export class ReminderJob implements OnApplicationBootstrap, OnModuleDestroy {
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
    this.job = new PeriodicJob('reminders queued', logger, () => this.queueDue());
  }

  onApplicationBootstrap(): void {
    if (this.config.outbox.workerEnabled) this.job.start(EVERY_MINUTES * 60_000);
  }

  onModuleDestroy(): void {
    this.job.stop();
  }

  /** Queues the reminders that are due now; returns how many were new. */
  async queueDue(): Promise<number> {
    const now = this.clock.now();
    let queued = 0;
    for (const center of await this.dataSource.manager.find(Center)) {
      const today = localDate(now, center.timezone);
      const reminderTime = new Date(startOfLocalDate(today, center.timezone).getTime() + this.config.reminderHour * 3600_000);
      if (now < reminderTime) continue;
      const tomorrow = addDays(today, 1);
      await this.dataSource.transaction(async (manager) => {
        const due = (await manager.query(
          `SELECT a.id, a.reference, s.starts_at, r.phone_cipher
             FROM appointment a JOIN slot s ON s.id = a.slot_id JOIN resident r ON r.id = a.resident_id
            WHERE a.center_id = $1 AND a.status = 'booked' AND s.starts_at >= $2 AND s.starts_at < $3 AND r.phone_cipher IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM outbox_message o WHERE o.dedupe_key = 'reminder:' || a.id)`,
          [center.id, startOfLocalDate(tomorrow, center.timezone), startOfLocalDate(addDays(tomorrow, 1), center.timezone)],
        )) as Due[];
        for (const appointment of due) {
          await this.outbox.enqueue(manager, {
            channel: 'sms',
            to: this.crypto.decrypt(appointment.phone_cipher),
            template: 'reminder',
            dedupeKey: `reminder:${appointment.id}`,
            text: this.i18n.bilingual('sms:reminder', {
              time: formatInstant(appointment.starts_at, center.timezone).slice(11, 16),
              center: `${center.nameZh} / ${center.nameEn}`,
              reference: appointment.reference,
            }),
          });
        }
        queued += due.length;
      });
    }
    return queued;
  }
}
