import { Body, Controller, Get, Inject, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../auth/guards/public.decorator';
import { clearSessionCookie, setSessionCookie } from '../../auth/session-cookie';
import { SessionsService } from '../../auth/sessions.service';
import { APP_CONFIG, AppConfig, isProduction } from '../../config/app-config';
import { StaffAuthService } from '../../staff/staff-auth.service';
import { CsrfGuard } from '../csrf.guard';
import { PageRenderer, safeNext } from '../page';
import { WebErrorFilter } from '../web-error.filter';
import { field, FormErrors, fromDomainError, isFormError, message } from './form-errors';

/** Staff sign-in (+TOTP for supervisors and admins) and sign-out, as pages. */
@ApiExcludeController()
@Public()
@UseFilters(WebErrorFilter)
@Controller('staff')
export class StaffSignInController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly auth: StaffAuthService,
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('sign-in')
  async form(@Query() query: Record<string, string | undefined>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.pages.render(request, reply, 'staff/sign-in', { next: query.next ? staffNext(query.next) : '', values: {}, errors: {}, signedOut: query.signed_out === '1' });
  }

  @UseGuards(CsrfGuard)
  @Post('sign-in')
  async signIn(@Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const next = form.next ? staffNext(form.next) : '';
    const values = { username: field(form, 'username'), totp: field(form, 'totp', 16).replace(/\s/g, '') };
    const password = typeof form.password === 'string' ? form.password.slice(0, 256) : '';
    const errors: FormErrors = {};
    if (!values.username) errors.username = message('staff:sign_in.username_required');
    if (!password) errors.password = message('staff:sign_in.password_required');
    if (Object.keys(errors).length > 0) {
      await this.pages.render(request, reply, 'staff/sign-in', { next, values, errors, signedOut: false }, 400);
      return;
    }
    try {
      const session = await this.auth.login(values.username, password, values.totp || undefined);
      setSessionCookie(reply, session.token, new Date(session.expiresAt), isProduction(this.config));
      // Without a page to go back to, each role starts where its work is.
      await reply.redirect(next || (session.role === 'admin' ? '/admin' : '/staff'), 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      // A missing TOTP concerns its field; anything else (wrong password, locked…) the whole form.
      const at = error.code === 'totp_required' ? 'totp' : 'form';
      await this.pages.render(request, reply, 'staff/sign-in', { next, values: { ...values, totp: '' }, errors: { [at]: fromDomainError(error) }, signedOut: false }, error.status);
    }
  }

  @UseGuards(CsrfGuard)
  @Post('sign-out')
  async signOut(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.sessions.endCurrent(request);
    clearSessionCookie(reply, isProduction(this.config));
    await reply.redirect('/staff/sign-in?signed_out=1', 303);
  }
}

/** After signing in: back into the console or the administration, never out of them. */
function staffNext(next: unknown): string {
  const path = safeNext(next, '/staff');
  const inside = /^\/(staff|admin)(\/|\?|$)/.test(path);
  return inside && !path.startsWith('/staff/sign-') ? path : '/staff';
}
