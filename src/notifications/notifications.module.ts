import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConsoleSmsChannel } from './console-sms.channel';
import { DevOutboxMessage } from './dev-outbox-message.entity';
import { DevOutboxController } from './dev-outbox.controller';
import { DevOutboxService } from './dev-outbox.service';
import { SmsChannel } from './sms-channel';

@Module({})
export class NotificationsModule {
  /** The development outbox route exists only outside production. */
  static register(options: { production: boolean }): DynamicModule {
    return {
      module: NotificationsModule,
      global: true,
      imports: [TypeOrmModule.forFeature([DevOutboxMessage])],
      controllers: options.production ? [] : [DevOutboxController],
      providers: [{ provide: SmsChannel, useClass: ConsoleSmsChannel }, DevOutboxService],
      exports: [SmsChannel],
    };
  }
}
