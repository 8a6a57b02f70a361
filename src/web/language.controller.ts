import { Controller, Get, Param, Query, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/guards/public.decorator';
import { DomainError } from '../common/errors/domain-error';
import { isLanguage } from '../i18n/i18n.service';
import { LANGUAGE_COOKIE } from '../i18n/i18n.service';
import { safeNext } from './page';
import { WebErrorFilter } from './web-error.filter';

/** The visible language switch: remembered for a year, then back to the same page. */
@ApiExcludeController()
@Public()
@UseFilters(WebErrorFilter)
@Controller('lang')
export class LanguageController {
  @Get(':lang')
  async choose(@Param('lang') lang: string, @Query('next') next: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    if (!isLanguage(lang)) throw new DomainError('not_found');
    void reply.setCookie(LANGUAGE_COOKIE, lang, { path: '/', sameSite: 'lax', maxAge: 365 * 86_400 });
    await reply.redirect(safeNext(next), 303);
  }
}
