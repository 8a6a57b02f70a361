import { Inject, Injectable } from '@nestjs/common';
import { Tokens } from '@fastify/csrf';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig, isProduction } from '../config/app-config';

const COOKIE = 'civic_csrf';

/**
 * Double-submit CSRF protection for the HTML forms: a secret in an HttpOnly cookie, and a
 * token derived from it in each form. A cross-site post has neither the cookie's secret nor
 * a token that matches it.
 */
@Injectable()
export class CsrfService {
  private readonly tokens = new Tokens({ userInfo: false });

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  token(request: FastifyRequest, reply: FastifyReply): string {
    let secret = request.cookies[COOKIE];
    if (!secret) {
      secret = this.tokens.secretSync() as string;
      request.cookies[COOKIE] = secret;
      void reply.setCookie(COOKIE, secret, { path: '/', httpOnly: true, sameSite: 'lax', secure: isProduction(this.config) });
    }
    return this.tokens.create(secret);
  }

  verify(request: FastifyRequest): boolean {
    const body = request.body as Record<string, unknown> | undefined;
    return this.verifyToken(request, (typeof body?._csrf === 'string' ? body._csrf : undefined) ?? request.headers['x-csrf-token']);
  }

  /** For a form whose token is read from a stream (a file upload) rather than a parsed body. */
  verifyToken(request: FastifyRequest, token: unknown): boolean {
    const secret = request.cookies[COOKIE];
    return Boolean(secret && typeof token === 'string' && this.tokens.verify(secret, token));
  }
}
