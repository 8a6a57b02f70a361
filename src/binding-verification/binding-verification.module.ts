import { Global, Module } from '@nestjs/common';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { LOGGER } from '../common/logging/logger';
import { Clock } from '../common/time/clock';
import { AliyunMobile3Verifier } from './aliyun-mobile3.verifier';
import { BINDING_VERIFIER, BindingVerifier } from './binding-verifier';
import { BudgetedVerifier } from './budgeted-verifier';
import { VerifierDailyBudget } from './verifier-daily-budget';

/** Provides `BINDING_VERIFIER`: the configured carrier check behind our daily budget, or null (VERIFIER=none). */
@Global()
@Module({
  providers: [
    {
      provide: BINDING_VERIFIER,
      inject: [APP_CONFIG, LOGGER, DataSource, Clock],
      useFactory: (config: AppConfig, logger: Logger, dataSource: DataSource, clock: Clock): BindingVerifier | null => {
        const { verifier } = config;
        if (verifier.provider === 'none') return null;
        return new BudgetedVerifier(new AliyunMobile3Verifier(verifier, logger), new VerifierDailyBudget(dataSource, clock, verifier.dailyLimit), logger);
      },
    },
  ],
  exports: [BINDING_VERIFIER],
})
export class BindingVerificationModule {}
