import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, isProduction } from '../config/app-config';
import { AdminOutboxController } from './admin-outbox.controller';
import { AdminOutboxService } from './admin-outbox.service';
import { DevOutboxController } from './dev-outbox.controller';
import { DevOutboxService } from './dev-outbox.service';
import { ConsoleSmsGateway } from './gateways/console-sms.gateway';
import { EmailGateway, SmsGateway } from './gateways/gateway';
import { HttpSmsGateway } from './gateways/http-sms.gateway';
import { SmtpEmailGateway } from './gateways/smtp-email.gateway';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxWorker } from './outbox-worker.service';
import { ReminderJob } from './reminder-job.service';
import { OutboxService } from './outbox.service';

@Module({})
export class NotificationsModule {
  /** The SMS gateway by SMS_PROVIDER; the development outbox route only outside production. */
  static register(config: AppConfig): DynamicModule {
    return {
      module: NotificationsModule,
      global: true,
      imports: [TypeOrmModule.forFeature([OutboxMessage])],
      controllers: isProduction(config) ? [AdminOutboxController] : [AdminOutboxController, DevOutboxController],
      providers: [
        OutboxService,
        OutboxWorker,
        AdminOutboxService,
        ReminderJob,
        DevOutboxService,
        { provide: SmsGateway, useClass: config.smsProvider === 'http' ? HttpSmsGateway : ConsoleSmsGateway },
        { provide: EmailGateway, useClass: SmtpEmailGateway },
      ],
      exports: [OutboxService, OutboxWorker, ReminderJob, AdminOutboxService],
    };
  }
}
