import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors/domain-error';
import { SessionSubject } from '../session.entity';
import { SessionsService } from '../sessions.service';
import { sessionTokenFrom } from '../session-cookie';
import { IS_PUBLIC } from './public.decorator';
import { StaffRole } from '../../staff/staff.entity';
import { ALLOWED_SUBJECTS, STAFF_ROLES_ALLOWED } from './signed-in.decorator';

/**
 * Global guard, closed by default: a route answers only if it is marked @Public() or the
 * request carries a live session of a kind the route's @SignedIn() allows.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const token = sessionTokenFrom(request);
    const session = token ? await this.sessions.authenticate(token) : undefined;
    if (!session) throw new DomainError('unauthenticated');
    const staff = session.staff ? { id: session.staff.id, role: session.staff.role, centerId: session.staff.centerId } : null;
    // Known before the refusals below: the pages' error filter tells "not staff" (sign in) from "not your role" (403).
    request.auth = { sessionId: session.id, subject: session.subject, residentId: session.residentId, staff };
    const allowed = this.reflector.getAllAndOverride<SessionSubject[] | undefined>(ALLOWED_SUBJECTS, targets);
    if (!allowed?.includes(session.subject)) throw new DomainError('forbidden');
    const roles = this.reflector.getAllAndOverride<StaffRole[] | undefined>(STAFF_ROLES_ALLOWED, targets);
    if (roles && (!staff || !roles.includes(staff.role))) throw new DomainError('forbidden');
    return true;
  }
}
