import { Body, Controller, Get, Inject, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig, isProduction } from '../../config/app-config';
import { AuthService } from '../../auth/auth.service';
import { Public } from '../../auth/guards/public.decorator';
import { clearSessionCookie, setSessionCookie } from '../../auth/session-cookie';
import { SessionsService } from '../../auth/sessions.service';
import { CryptoService } from '../../common/crypto/crypto.service';
import { DomainError } from '../../common/errors/domain-error';
import { idNumberScheme } from '../../identity/id-number';
import { parseMobilePhone } from '../../identity/phone';
import { CsrfGuard } from '../csrf.guard';
import { PageRenderer, safeNext } from '../page';
import { WebErrorFilter } from '../web-error.filter';
import { clearPendingSignIn, readPendingSignIn, writePendingSignIn } from './pending-sign-in';

const text = (value: unknown): string => (typeof value === 'string' ? value.trim().slice(0, 64) : '');

/** Sign-in as pages: ID number + phone, then the code, then back to where the resident was. */
@ApiExcludeController()
@Public()
@UseFilters(WebErrorFilter)
@Controller()
export class SignInPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly crypto: CryptoService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('sign-in')
  async form(@Query('next') next: string | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.pages.render(request, reply, 'resident/sign-in', { next: safeNext(next), values: {}, errors: {} });
  }

  @UseGuards(CsrfGuard)
  @Post('sign-in')
  async send(@Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const next = safeNext(form.next);
    const values = { idNumber: text(form.idNumber), phone: text(form.phone) };
    const idNumber = idNumberScheme().normalise(values.idNumber);
    const phone = parseMobilePhone(values.phone);
    const errors: Record<string, string> = {};
    if (!idNumber) errors.idNumber = 'invalid_id_number';
    if (!phone) errors.phone = 'invalid_phone';
    if (!idNumber || !phone) {
      await this.pages.render(request, reply, 'resident/sign-in', { next, values, errors }, 400);
      return;
    }
    try {
      const issued = await this.auth.requestCode(idNumber, phone.e164, request.ip);
      writePendingSignIn(reply, this.crypto, { ...issued, idNumber, phone: phone.e164, next }, isProduction(this.config));
      await reply.redirect('/sign-in/code', 303);
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500) throw error;
      await this.pages.render(request, reply, 'resident/sign-in', { next, values, errors: { form: error.code } }, error.status);
    }
  }

  @Get('sign-in/code')
  async codeForm(@Query('resent') resent: string | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const pending = readPendingSignIn(request, this.crypto);
    if (!pending) return void (await reply.redirect('/sign-in', 303));
    await this.pages.render(request, reply, 'resident/code', { pending, resent: resent === '1', error: undefined });
  }

  @UseGuards(CsrfGuard)
  @Post('sign-in/code')
  async verify(@Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const pending = readPendingSignIn(request, this.crypto);
    if (!pending) return void (await reply.redirect('/sign-in', 303));
    try {
      const session = await this.auth.verifyCode(pending.challengeId, text(form.code).replace(/\s/g, ''));
      setSessionCookie(reply, session.token, session.expiresAt, isProduction(this.config));
      clearPendingSignIn(reply, isProduction(this.config));
      await reply.redirect(pending.next, 303);
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500) throw error;
      await this.pages.render(request, reply, 'resident/code', { pending, resent: false, error: { code: error.code, params: error.options.extensions ?? {} } }, error.status);
    }
  }

  @UseGuards(CsrfGuard)
  @Post('sign-in/resend')
  async resend(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const pending = readPendingSignIn(request, this.crypto);
    if (!pending) return void (await reply.redirect('/sign-in', 303));
    try {
      const issued = await this.auth.requestCode(pending.idNumber, pending.phone, request.ip);
      writePendingSignIn(reply, this.crypto, { ...pending, ...issued }, isProduction(this.config));
      await reply.redirect('/sign-in/code?resent=1', 303);
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500) throw error;
      await this.pages.render(request, reply, 'resident/code', { pending, resent: false, error: undefined, resendError: { code: error.code, params: {} } }, error.status);
    }
  }

  @UseGuards(CsrfGuard)
  @Post('sign-out')
  async signOut(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.sessions.endCurrent(request);
    clearSessionCookie(reply, isProduction(this.config));
    await reply.redirect('/', 303);
  }
}
