import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Eta } from 'eta';
import { AppConfig, isProduction } from '../config/app-config';
import { setupMultipart } from './admin/multipart-body';
import { ASSETS_DIR, PICO_CSS_DIR, VIEWS_DIR } from './project-paths';

/**
 * Security headers on every answer, local static assets (nothing from a CDN), and the Eta
 * view engine for the server-rendered pages.
 */
export async function setupWeb(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  await app.register(fastifyHelmet, {
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
  await app.register(fastifyStatic, { root: ASSETS_DIR, prefix: '/assets/', decorateReply: false, maxAge: isProduction(config) ? '1d' : 0 });
  await app.register(fastifyStatic, { root: PICO_CSS_DIR, prefix: '/assets/pico/', decorateReply: false, allowedPath: (path) => path === '/pico.min.css' });
  await setupMultipart(app);
  app.setViewEngine({
    engine: { eta: new Eta({ views: VIEWS_DIR, cache: isProduction(config), autoEscape: true }) },
    templates: VIEWS_DIR,
  });
}
