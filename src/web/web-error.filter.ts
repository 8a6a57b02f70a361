import { ArgumentsHost, Catch, ExceptionFilter, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'pino';
import { LOGGER } from '../common/logging/logger';
import { logUnexpected } from '../common/errors/send-problem';
import { toProblem } from '../common/errors/to-problem';
import { PageRenderer } from './page';

/**
 * Errors on pages become pages: a lost session goes to sign-in and comes back where it
 * was; anything else is a translated message with the same status the API would give.
 */
@Catch()
export class WebErrorFilter implements ExceptionFilter {
  constructor(
    private readonly pages: PageRenderer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async catch(error: unknown, host: ArgumentsHost): Promise<void> {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const problem = toProblem(error, request.id);
    logUnexpected(this.logger, problem, error, request.id);
    if (reply.sent) return;
    const staffArea = isStaffArea(request.url);
    // In the staff area a resident's session is no staff session: the staff sign-in, not a 403.
    const notStaff = problem.body.code === 'forbidden' && (!staffArea || request.auth?.subject !== 'staff');
    if (problem.body.code === 'unauthenticated' || notStaff) {
      const back = request.method === 'GET' ? request.url : refererPath(request) ?? '/';
      await reply.redirect(`${staffArea ? '/staff/sign-in' : '/sign-in'}?next=${encodeURIComponent(back)}`, 303);
      return;
    }
    await this.pages.render(request, reply, 'error', { code: problem.body.code, problem: problem.body }, problem.status);
  }
}

/** The clerk console and the administration pages: both signed into at /staff/sign-in. */
function isStaffArea(url: string): boolean {
  return /^\/(staff|admin)(\/|\?|$)/.test(url);
}

function refererPath(request: FastifyRequest): string | undefined {
  const referer = request.headers.referer;
  if (!referer) return undefined;
  try {
    const url = new URL(referer);
    return url.host === request.headers.host ? `${url.pathname}${url.search}` : undefined;
  } catch {
    return undefined;
  }
}
