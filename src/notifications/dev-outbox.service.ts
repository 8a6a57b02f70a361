import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CryptoService } from '../common/crypto/crypto.service';
import { parseMobilePhone } from '../identity/phone';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxService } from './outbox.service';

export interface DevOutboxView {
  to: string;
  channel: string;
  text: string;
  at: string;
  status: 'pending' | 'sent' | 'failed';
}

/** Development only: the SMS messages for a phone, sent or not yet, newest first. */
@Injectable()
export class DevOutboxService {
  constructor(
    @InjectRepository(OutboxMessage) private readonly messages: Repository<OutboxMessage>,
    private readonly outbox: OutboxService,
    private readonly crypto: CryptoService,
  ) {}

  async list(to: string): Promise<DevOutboxView[]> {
    const phone = parseMobilePhone(to)!.e164;
    const rows = await this.messages.find({
      where: { channel: 'sms', recipientHash: this.outbox.recipientHash('sms', phone) },
      order: { id: 'DESC' },
      take: 50,
    });
    return rows.map((row) => ({
      to: this.crypto.decrypt(row.recipientCipher),
      channel: row.channel,
      text: this.crypto.decrypt(row.bodyCipher),
      at: row.createdAt.toISOString(),
      status: row.sentAt ? 'sent' : row.failedAt ? 'failed' : 'pending',
    }));
  }
}
