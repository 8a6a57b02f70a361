import type { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'pino';
import { I18nService } from '../../i18n/i18n.service';
import { localiseProblem, problemLanguage } from './problem-language';
import { Problem, toProblem } from './to-problem';

/** Our faults are logged: a database outage briefly, as a warning; anything else in full. */
export function logUnexpected(logger: Logger, problem: Problem, error: unknown, requestId: string): void {
  if (!problem.unexpected) return;
  if (problem.status === 503) logger.warn({ reqId: requestId, reason: error instanceof Error ? error.name : 'unknown' }, 'database unavailable');
  else logger.error({ err: error, reqId: requestId }, 'request failed');
}

export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply, logger: Logger, i18n: I18nService): void {
  const language = problemLanguage(request);
  const problem = localiseProblem(toProblem(error, request.id), language, i18n);
  logUnexpected(logger, problem, error, request.id);
  if (reply.sent) return;
  void reply
    .status(problem.status)
    .headers({ ...problem.headers, 'content-language': language, vary: 'Accept-Language' })
    .type('application/problem+json; charset=utf-8')
    .send(problem.body);
}
