import fastifyCookie from '@fastify/cookie';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module';
import { AppConfig } from '../config/app-config';
import { createValidationPipe } from '../common/http/validation.pipe';
import { sendProblem } from '../common/errors/send-problem';
import { NestPinoLogger } from '../common/logging/nest-logger';
import { Clock } from '../common/time/clock';
import { dataSourceOptions } from '../database/data-source-options';
import { runMigrationsLocked } from '../database/migrate';
import { I18nService } from '../i18n/i18n.service';
import { MetricsService } from '../metrics/metrics.service';
import { setupWeb } from '../web/setup-web';

export interface CreateAppOptions {
  config: AppConfig;
  logger: Logger;
  databaseUrl: string;
  clock?: Clock;
}

/**
 * Builds the whole application on a migrated database: the one recipe used by `npm start`,
 * the tests and the benchmark. The caller listens and closes.
 */
export async function createApp({ config, logger, databaseUrl, clock = new Clock() }: CreateAppOptions): Promise<NestFastifyApplication> {
  const dataSource = new DataSource(dataSourceOptions(databaseUrl));
  await dataSource.initialize();
  await runMigrationsLocked(dataSource);

  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    genReqId: () => randomUUID(),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // A slow or silent client cannot hold a connection for ever.
    connectionTimeout: config.requestTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    return503OnClosing: true,
    // Errors of the router itself (bad percent-encoding, an over-long path parameter) are problems too.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => sendProblem(error, request, reply, logger, app.get(I18nService)),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register({ config, logger, clock, dataSource }), adapter, {
    logger: new NestPinoLogger(logger),
  });
  await app.register(fastifyCookie);
  await setupWeb(app, config);

  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  // Every answer's duration, labelled by route pattern (never by the concrete URL).
  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  // JSON (and, for the web forms, url-encoded): a plain-text body is refused with 415.
  fastify.removeContentTypeParser('text/plain');

  app.useGlobalPipes(createValidationPipe());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Civic Desk')
      .setDescription('Appointments at community service centers: ID number + one-time passcode, never biometrics.')
      .setVersion('1')
      .addBearerAuth()
      .addCookieAuth('civic_session')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  await app.init();
  return app;
}
