import type { FastifyInstance } from 'fastify';

export const CSV_ROUTES = new Set(['/api/v1/admin/registry']);

/**
 * `text/csv` bodies reach the registry import as a stream, unread: the route reads them as
 * they arrive, with its own size limit (the global limit is for JSON). Anywhere else a CSV
 * body is an unsupported media type, as before.
 */
export function registerCsvBodies(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(['text/csv', 'application/csv'], (request, payload, done) => {
    if (!CSV_ROUTES.has(request.routeOptions.url ?? '')) {
      done(Object.assign(new Error('Unsupported Media Type'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }), undefined);
      return;
    }
    done(null, payload);
  });
}
