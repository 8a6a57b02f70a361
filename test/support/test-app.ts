import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap/create-app';
import { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { createLogger } from '../../src/common/logging/logger';
import { Clock } from '../../src/common/time/clock';
import { cloneDatabase } from './database';
import { ApiClient } from './http';

export interface TestAppOptions {
  /** Environment variables on top of the test defaults (e.g. OTP limits). */
  env?: Record<string, string>;
  clock?: Clock;
  /** Capture log output (the log redaction test). */
  logDestination?: DestinationStream;
  logLevel?: string;
  /** Share this database (several instances) instead of cloning a fresh one. */
  databaseUrl?: string;
}

export interface TestApp {
  url: string;
  app: NestFastifyApplication;
  dataSource: DataSource;
  config: AppConfig;
  api: ApiClient;
  close(): Promise<void>;
}

/** Test defaults: limits generous enough that only the tests about limits meet them. */
const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  SEED_DEMO_DATA: 'false',
  OTP_IP_HOURLY_LIMIT: '1000000',
  OTP_PHONE_HOURLY_LIMIT: '1000',
  OTP_PHONE_DAILY_LIMIT: '1000',
  OTP_RESEND_SECONDS: '0',
  THROTTLE_LIMIT: '1000000',
};

/** The real application on its own fresh database, listening on a free local port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.databaseUrl ? { url: options.databaseUrl, drop: async () => undefined } : await cloneDatabase();
  const config = loadConfig({
    ...TEST_ENV,
    APP_SECRET: randomBytes(32).toString('base64'),
    DATA_KEY: `k1:${randomBytes(32).toString('base64')}`,
    DATA_DIR: mkdtempSync(join(process.env.TEST_WORK_DIR ?? tmpdir(), 'app-')),
    ...options.env,
  });
  const logger = createLogger({ level: options.logLevel ?? 'warn', pretty: false, destination: options.logDestination });
  const app = await createApp({ config, logger, databaseUrl: database.url, clock: options.clock });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    app,
    dataSource: app.get(DataSource),
    config,
    api: new ApiClient(url),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
