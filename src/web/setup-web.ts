import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Eta } from 'eta';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppConfig, isProduction } from '../config/app-config';
import { setupMultipart } from './admin/multipart-body';
import { ASSETS_DIR, PICO_CSS_DIR, VIEWS_DIR } from './project-paths';

/**
 * Security headers on every answer, compression (brotli or gzip, as the client accepts, for
 * answers of 1 KiB and more), local static assets (nothing from a CDN) and the Eta view engine
 * for the server-rendered pages.
 */
export async function setupWeb(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const securityHeaders = staticHeaders(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: isProduction(config) ? [] : null,
        },
      },
      hsts: isProduction(config) ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'same-origin' },
      crossOriginEmbedderPolicy: false,
    }),
  );
  // The same headers on every answer (no per-request part: no CSP nonces), so they are worked
  // out once: @fastify/helmet built Helmet's middlewares anew for each request (3 % of the
  // app's CPU per booking in the benchmark's profile, README, Performance).
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (_request, reply, done) => {
      for (const [name, value] of securityHeaders) reply.raw.setHeader(name, value);
      done();
    });
  // Swagger UI styles itself inline; its page alone may (scripts stay 'self' everywhere).
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (request, reply) => {
      if (!request.url.startsWith('/api/docs')) return;
      const csp = reply.getHeader('content-security-policy');
      if (typeof csp === 'string') void reply.header('content-security-policy', csp.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"));
    });
  // The display's event stream is written to the socket by Nest, past these hooks: never buffered.
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['br', 'gzip'] });
  await app.register(fastifyStatic, { root: ASSETS_DIR, prefix: '/assets/', decorateReply: false, maxAge: isProduction(config) ? '1d' : 0 });
  await app.register(fastifyStatic, { root: PICO_CSS_DIR, prefix: '/assets/pico/', decorateReply: false, allowedPath: (path) => path === '/pico.min.css' });
  // Browsers ask for /favicon.ico on every page that names no icon (and some ask anyway).
  app
    .getHttpAdapter()
    .getInstance()
    .get('/favicon.ico', (_request, reply) => reply.redirect('/assets/favicon.svg', 301));
  await setupMultipart(app);
  app.setViewEngine({
    engine: { eta: new Eta({ views: VIEWS_DIR, cache: isProduction(config), autoEscape: true }) },
    templates: VIEWS_DIR,
  });
}

/** The headers a Helmet middleware sets, found by running it once on a recording response. */
function staticHeaders(middleware: ReturnType<typeof helmet>): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers.push([name.toLowerCase(), String(value)]);
      return recorder;
    },
    removeHeader: () => undefined,
  };
  let failure: unknown;
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => (failure = error));
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return headers;
}
