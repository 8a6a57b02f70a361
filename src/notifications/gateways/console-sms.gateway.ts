import { Inject, Injectable } from '@nestjs/common';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { Logger } from 'pino';
import { LOGGER } from '../../common/logging/logger';
import { maskPhone } from '../../common/masking';
import { OutgoingMessage, SmsGateway } from './gateway';

/** Development: "sends" by logging that a message went out — masked, never its text. */
@Injectable()
export class ConsoleSmsGateway extends SmsGateway {
  readonly name = 'console';

  constructor(@Inject(LOGGER) private readonly logger: Logger) {
    super();
  }

  async send(message: OutgoingMessage): Promise<void> {
    const masked = maskPhone(parsePhoneNumberFromString(message.to)?.nationalNumber ?? message.to);
    this.logger.info({ channel: 'sms', template: message.template, to: masked }, `${message.template} sent to ${masked}`);
  }
}
