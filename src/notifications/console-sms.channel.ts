import { Inject, Injectable } from '@nestjs/common';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { Logger } from 'pino';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig, isProduction } from '../config/app-config';
import { CryptoService } from '../common/crypto/crypto.service';
import { LOGGER } from '../common/logging/logger';
import { maskPhone } from '../common/masking';
import { DevOutboxMessage } from './dev-outbox-message.entity';
import { SmsChannel, SmsMessage } from './sms-channel';

/**
 * Development channel: logs that a message went out (masked, never its text) and keeps it,
 * encrypted, for GET /dev/outbox. In production it only logs.
 */
@Injectable()
export class ConsoleSmsChannel extends SmsChannel {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly crypto: CryptoService,
  ) {
    super();
  }

  async send(message: SmsMessage, manager: EntityManager): Promise<void> {
    const national = parsePhoneNumberFromString(message.to)?.nationalNumber ?? message.to;
    this.logger.info({ channel: 'sms', template: message.template, to: maskPhone(national) }, `${message.template} sent to ${maskPhone(national)}`);
    if (isProduction(this.config)) return;
    await manager.insert(DevOutboxMessage, {
      channel: 'sms',
      recipientHash: this.crypto.hash('phone', message.to),
      recipientCipher: this.crypto.encrypt(message.to),
      textCipher: this.crypto.encrypt(message.text),
    });
  }
}
