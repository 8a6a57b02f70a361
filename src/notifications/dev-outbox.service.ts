import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CryptoService } from '../common/crypto/crypto.service';
import { parseMobilePhone } from '../identity/phone';
import { DevOutboxMessage } from './dev-outbox-message.entity';

export interface DevOutboxView {
  to: string;
  channel: string;
  text: string;
  at: string;
}

@Injectable()
export class DevOutboxService {
  constructor(
    @InjectRepository(DevOutboxMessage) private readonly messages: Repository<DevOutboxMessage>,
    private readonly crypto: CryptoService,
  ) {}

  async list(to: string): Promise<DevOutboxView[]> {
    const phone = parseMobilePhone(to)!.e164;
    const rows = await this.messages.find({
      where: { recipientHash: this.crypto.hash('phone', phone) },
      order: { id: 'DESC' },
      take: 50,
    });
    return rows.map((row) => ({
      to: this.crypto.decrypt(row.recipientCipher),
      channel: row.channel,
      text: this.crypto.decrypt(row.textCipher),
      at: row.createdAt.toISOString(),
    }));
  }
}
