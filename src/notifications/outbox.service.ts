import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CryptoService } from '../common/crypto/crypto.service';
import { Clock } from '../common/time/clock';
import { OutboxChannel, OutboxMessage } from './outbox-message.entity';

export interface Message {
  channel: OutboxChannel;
  /** E.164 for SMS, an address for email. */
  to: string;
  template: string;
  text: string;
  subject?: string;
  dedupeKey?: string;
}

/**
 * Messages are never sent inside a request: they are written to the outbox in the caller's
 * transaction (so a message exists exactly when its change does) and the worker sends them.
 */
@Injectable()
export class OutboxService {
  constructor(
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
  ) {}

  async enqueue(manager: EntityManager, message: Message): Promise<void> {
    const now = this.clock.now();
    const row = {
      channel: message.channel,
      recipientHash: this.recipientHash(message.channel, message.to),
      recipientCipher: this.crypto.encrypt(message.to),
      template: message.template,
      subjectCipher: message.subject ? this.crypto.encrypt(message.subject) : null,
      bodyCipher: this.crypto.encrypt(message.text),
      dedupeKey: message.dedupeKey ?? null,
      nextAttemptAt: now,
      createdAt: now,
    };
    if (message.dedupeKey) {
      await manager.createQueryBuilder().insert().into(OutboxMessage).values(row).orIgnore().execute();
    } else {
      await manager.insert(OutboxMessage, row);
    }
    // Wakes the workers of every instance when this transaction commits.
    await manager.query(`SELECT pg_notify('outbox_ready', '')`);
  }

  recipientHash(channel: OutboxChannel, to: string): Buffer {
    return this.crypto.hash(channel === 'sms' ? 'phone' : 'email', channel === 'sms' ? to : to.trim().toLowerCase());
  }
}
