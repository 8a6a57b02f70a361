import { Injectable } from '@nestjs/common';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { DataSource } from 'typeorm';
import { CryptoService } from '../common/crypto/crypto.service';
import { maskPhone } from '../common/masking';
import { OutboxMessage } from './outbox-message.entity';

export interface OutboxEntryView {
  id: string;
  channel: string;
  recipient: string;
  template: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  failedAt: string | null;
}

const WHERE = {
  failed: 'm.failed_at IS NOT NULL',
  pending: 'm.sent_at IS NULL AND m.failed_at IS NULL',
  sent: 'm.sent_at IS NOT NULL',
} as const;

/** What admins see of the outbox: never a text, recipients masked. */
@Injectable()
export class AdminOutboxService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly crypto: CryptoService,
  ) {}

  async list(status: keyof typeof WHERE): Promise<OutboxEntryView[]> {
    const rows = await this.dataSource.manager.createQueryBuilder(OutboxMessage, 'm').where(WHERE[status]).orderBy('m.id', 'DESC').limit(500).getMany();
    return rows.map((m) => ({
      id: m.id,
      channel: m.channel,
      recipient: this.mask(m.channel, this.crypto.decrypt(m.recipientCipher)),
      template: m.template,
      attempts: m.attempts,
      lastError: m.lastError,
      createdAt: m.createdAt.toISOString(),
      failedAt: m.failedAt?.toISOString() ?? null,
    }));
  }

  private mask(channel: string, to: string): string {
    if (channel === 'sms') return maskPhone(parsePhoneNumberFromString(to)?.nationalNumber ?? to);
    const [name = '', domain = ''] = to.split('@');
    return `${name.slice(0, 1)}***@${domain}`;
  }
}
