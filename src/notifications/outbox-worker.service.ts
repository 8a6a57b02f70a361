import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { Subscription } from 'rxjs';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CryptoService } from '../common/crypto/crypto.service';
import { LOGGER } from '../common/logging/logger';
import { Clock } from '../common/time/clock';
import { PgListener } from '../database/pg-listener.service';
import { EmailGateway, SmsGateway } from './gateways/gateway';
import { I18nService } from '../i18n/i18n.service';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxService } from './outbox.service';

const BATCH = 20;
const BACKOFF_BASE_MS = 5_000;
const BACKOFF_MAX_MS = 3_600_000;

export interface DeliveryRound {
  sent: number;
  retried: number;
  parked: number;
}

/**
 * Sends what the outbox holds. Rows are claimed with FOR UPDATE SKIP LOCKED, so several
 * instances share the work and never send one message twice; a failure is retried with
 * exponential backoff and parked (visible to admins) after the last try. Woken at once by
 * a notification when a message is committed, and by a timer for retries.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private wake?: Subscription;
  private running?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly crypto: CryptoService,
    private readonly sms: SmsGateway,
    private readonly email: EmailGateway,
    private readonly listener: PgListener,
    private readonly clock: Clock,
    private readonly outbox: OutboxService,
    private readonly i18n: I18nService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.outbox.workerEnabled) return;
    this.timer = setInterval(() => this.kick(), this.config.outbox.pollMs);
    this.timer.unref();
    this.wake = this.listener.on('outbox_ready').subscribe(() => this.kick());
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.wake?.unsubscribe();
    await this.running;
  }

  /** Delivers until nothing is due; returns what one pass did. */
  async deliverDue(): Promise<DeliveryRound> {
    const total: DeliveryRound = { sent: 0, retried: 0, parked: 0 };
    for (;;) {
      const round = await this.dataSource.transaction((manager) => this.deliverBatch(manager));
      total.sent += round.sent;
      total.retried += round.retried;
      total.parked += round.parked;
      if (round.sent + round.retried + round.parked < BATCH) return total;
    }
  }

  private kick(): void {
    this.running ??= this.deliverDue()
      .then(() => undefined, (error: unknown) => this.logger.error({ err: error }, 'outbox delivery failed'))
      .finally(() => (this.running = undefined));
  }

  private async deliverBatch(manager: EntityManager): Promise<DeliveryRound> {
    const now = this.clock.now();
    const due = await manager
      .createQueryBuilder(OutboxMessage, 'm')
      .where('m.sent_at IS NULL AND m.failed_at IS NULL AND m.next_attempt_at <= :now', { now })
      .orderBy('m.next_attempt_at', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .limit(BATCH)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
    const round: DeliveryRound = { sent: 0, retried: 0, parked: 0 };
    for (const message of due) {
      const attempts = message.attempts + 1;
      try {
        const gateway = message.channel === 'sms' ? this.sms : this.email;
        await gateway.send({
          id: message.id,
          to: this.crypto.decrypt(message.recipientCipher),
          template: message.template,
          subject: message.subjectCipher ? this.crypto.decrypt(message.subjectCipher) : undefined,
          text: this.crypto.decrypt(message.bodyCipher),
        });
        await manager.update(OutboxMessage, { id: message.id }, { attempts, sentAt: this.clock.now(), lastError: null });
        round.sent += 1;
      } catch (error) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 200) : 'unknown';
        const parked = attempts >= this.config.outbox.maxAttempts;
        const delay = Math.min(BACKOFF_BASE_MS * 2 ** (attempts - 1), BACKOFF_MAX_MS);
        await manager.update(OutboxMessage, { id: message.id }, {
          attempts,
          lastError: reason,
          failedAt: parked ? now : null,
          nextAttemptAt: new Date(now.getTime() + delay),
        });
        this.logger.warn({ outboxId: message.id, template: message.template, attempts, parked }, 'message not sent');
        if (parked && message.channel === 'sms' && this.config.opsEmail) {
          await this.outbox.enqueue(manager, {
            channel: 'email',
            to: this.config.opsEmail,
            template: 'ops-message-parked',
            subject: this.i18n.bilingual('sms:ops_parked_subject'),
            text: this.i18n.bilingual('sms:ops_parked', { id: message.id, template: message.template, attempts, reason }),
          });
        }
        if (parked) round.parked += 1;
        else round.retried += 1;
      }
    }
    return round;
  }
}
