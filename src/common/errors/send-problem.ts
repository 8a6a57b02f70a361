import type { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'pino';
import { toProblem } from './to-problem';

export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply, logger: Logger): void {
  const problem = toProblem(error, request.id);
  if (problem.unexpected) logger.error({ err: error, reqId: request.id }, 'request failed');
  if (reply.sent) return;
  void reply
    .status(problem.status)
    .headers(problem.headers)
    .type('application/problem+json; charset=utf-8')
    .send(problem.body);
}
