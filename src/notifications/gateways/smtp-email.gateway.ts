import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EmailGateway, OutgoingMessage } from './gateway';

/** Email over SMTP (SMTP_URL) with nodemailer; used for notices, never for passcodes. */
@Injectable()
export class SmtpEmailGateway extends EmailGateway implements OnModuleDestroy {
  readonly name = 'smtp';
  private transport?: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  async send(message: OutgoingMessage): Promise<void> {
    if (!this.config.smtpUrl) throw new Error('SMTP_URL is not set');
    this.transport ??= createTransport(this.config.smtpUrl, { from: this.config.mailFrom });
    await this.transport.sendMail({ to: message.to, subject: message.subject ?? 'Civic Desk', text: message.text });
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
