import { HttpException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error';
import { ERROR_CATALOGUE, ErrorCode } from './error-catalogue';

export interface Problem {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** True when the cause is ours, not the client's: log it. */
  unexpected: boolean;
}

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  503: 'database_unavailable',
};

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
  // Routing: bad percent-encoding in the path, a path parameter over the router's length limit.
  FST_ERR_BAD_URL: 'validation_failed',
  FST_ERR_MAX_PARAM_LENGTH: 'validation_failed',
};

/**
 * Connection-level failures: the database is down or restarting, not a bug of ours. On a Unix-domain
 * socket a server shutting down can accept and close a connection at once (EPIPE on the startup packet).
 */
const UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '53300', '08006', '08001', '08003']);

/** Maps anything thrown to an RFC 9457 problem; unexpected errors reveal nothing but a request id. */
export function toProblem(error: unknown, requestId: string): Problem {
  const make = (code: ErrorCode, extra: Partial<Problem> & { detail?: string; extensions?: Record<string, unknown> } = {}): Problem => {
    const [status, title] = ERROR_CATALOGUE[code];
    return {
      status,
      headers: extra.headers ?? {},
      unexpected: extra.unexpected ?? false,
      body: { type: `/problems/${code.replace(/_/g, '-')}`, title, status, detail: extra.detail ?? title, code, requestId, ...extra.extensions },
    };
  };

  if (error instanceof DomainError) {
    const headers: Record<string, string> = {};
    if (error.options.retryAfter !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(error.options.retryAfter)));
    return make(error.code, { detail: error.message, extensions: error.options.extensions, headers });
  }
  if (error instanceof HttpException) {
    // Nest wraps Fastify's own errors (body parsing, size limits); the cause says which.
    const causeCode = (error.cause as { code?: unknown } | undefined)?.code;
    if (typeof causeCode === 'string' && FASTIFY_CODES[causeCode]) return make(FASTIFY_CODES[causeCode]);
    const code = BY_STATUS[error.getStatus()];
    if (code) return make(code, { detail: error.getStatus() === 404 ? 'No such resource' : undefined });
  }
  const fastifyCode = (error as { code?: unknown })?.code;
  if (typeof fastifyCode === 'string' && FASTIFY_CODES[fastifyCode]) return make(FASTIFY_CODES[fastifyCode]);
  if (error instanceof SyntaxError && (error as { statusCode?: number }).statusCode === 400) return make('malformed_json');
  const statusCode = (error as { statusCode?: unknown })?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 && BY_STATUS[statusCode]) return make(BY_STATUS[statusCode]);
  if (isDatabaseUnavailable(error)) return make('database_unavailable', { headers: { 'retry-after': '5' }, unexpected: true });
  return make('internal_error', { unexpected: true });
}

/** TypeORM's own words for "the connection under this query went away". */
const LOST_CONNECTION = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError', 'ConnectionIsNotSetError']);

export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof Error && LOST_CONNECTION.has(error.name)) return true;
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && UNAVAILABLE.has(code)) return true;
  // The Unix-domain socket of a stopped embedded server is gone: connecting to it fails with ENOENT.
  if (code === 'ENOENT' && (error as { syscall?: unknown }).syscall === 'connect') return true;
  const message = error instanceof Error ? error.message : '';
  if (/Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|not currently accepting connections|the database system is (starting up|shutting down)/i.test(message)) return true;
  return error instanceof QueryFailedError && isDatabaseUnavailable(error.driverError);
}
