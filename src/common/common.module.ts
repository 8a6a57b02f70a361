import { DynamicModule, Global, Module } from '@nestjs/common';
import { Logger } from 'pino';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CryptoService } from './crypto/crypto.service';
import { LOGGER } from './logging/logger';
import { Clock } from './time/clock';

/** Configuration, logger, crypto and clock: what every feature needs. */
@Global()
@Module({})
export class CommonModule {
  static register(config: AppConfig, logger: Logger, clock: Clock): DynamicModule {
    return {
      module: CommonModule,
      providers: [{ provide: APP_CONFIG, useValue: config }, { provide: LOGGER, useValue: logger }, { provide: Clock, useValue: clock }, CryptoService],
      exports: [APP_CONFIG, LOGGER, Clock, CryptoService],
    };
  }
}
