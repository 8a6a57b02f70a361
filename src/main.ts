import 'reflect-metadata';
import { createApp } from './bootstrap/create-app';
import { isProduction } from './config/app-config';
import { ConfigError } from './config/config-error';
import { loadConfig } from './config/load-config';
import { createLogger } from './common/logging/logger';
import { startEmbeddedPostgres } from './database/embedded-postgres';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, pretty: !isProduction(config) && process.stdout.isTTY });
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dir: config.dataDir });
  if (embedded) logger.info({ dataDir: config.dataDir }, 'embedded PostgreSQL is running');
  const app = await createApp({ config, logger, databaseUrl: config.databaseUrl ?? embedded!.url });
  await app.listen({ port: config.port, host: config.host });
  logger.info(`Civic Desk is listening on ${config.publicUrl} (API docs: ${config.publicUrl}/api/docs)`);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    try {
      await app.close();
      await embedded?.stop();
      logger.info('stopped cleanly');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'unclean shutdown');
      process.exit(1);
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
