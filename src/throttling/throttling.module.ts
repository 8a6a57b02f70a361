import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/**
 * Generic per-IP limits in front of everything (the passcode limits are separate, in
 * PostgreSQL). In memory on one instance; in Redis when REDIS_URL is set, so that the limit
 * holds across instances. The client IP honours X-Forwarded-For only from TRUST_PROXY.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ name: 'default', ttl: config.throttle.windowSeconds * 1000, limit: config.throttle.limit }],
        storage: config.redisUrl ? new RedisThrottlerStorage(config.redisUrl) : undefined,
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class ThrottlingModule {}
