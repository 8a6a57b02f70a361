import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors/domain-error';
import { CsrfService } from './csrf.service';

/** On every state-changing form post. */
@Injectable()
export class CsrfGuard implements CanActivate {
  constructor(private readonly csrf: CsrfService) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.csrf.verify(context.switchToHttp().getRequest<FastifyRequest>())) throw new DomainError('csrf_failed');
    return true;
  }
}
