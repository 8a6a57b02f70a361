import '@fastify/view';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { APP_CONFIG, AppConfig, isProduction } from '../config/app-config';
import { I18nService, Language, LANGUAGE_COOKIE, Translate } from '../i18n/i18n.service';
import { CsrfService } from './csrf.service';


/** What every template receives besides its own data. */
export interface PageContext {
  t: Translate;
  lang: Language;
  csrf: string;
  path: string;
  signedIn: boolean;
  /** Formats an instant as local date and time at a center. */
  when: (instant: Date | string, timezone?: string, format?: string) => string;
}

/** Renders server-side pages with the reader's language, a CSRF token and the common chrome. */
@Injectable()
export class PageRenderer {
  constructor(
    private readonly i18n: I18nService,
    private readonly csrf: CsrfService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  language(request: FastifyRequest): Language {
    return this.i18n.pick(request.cookies[LANGUAGE_COOKIE], request.headers['accept-language']);
  }

  translator(request: FastifyRequest): Translate {
    return this.i18n.translator(this.language(request));
  }

  context(request: FastifyRequest, reply: FastifyReply): PageContext {
    const lang = this.language(request);
    const luxonLocale = lang === 'zh-CN' ? 'zh-CN' : 'en-GB';
    return {
      t: this.i18n.translator(lang),
      lang,
      csrf: this.csrf.token(request, reply),
      path: request.url,
      signedIn: Boolean(request.auth) || Boolean(request.cookies.civic_session ?? request.cookies['__Host-civic_session']),
      when: (instant, timezone = 'Asia/Shanghai', format = 'DDDD HH:mm') =>
        DateTime.fromJSDate(typeof instant === 'string' ? new Date(instant) : instant, { zone: timezone }).setLocale(luxonLocale).toFormat(format),
    };
  }

  async render(request: FastifyRequest, reply: FastifyReply, template: string, data: Record<string, unknown> = {}, status = 200): Promise<void> {
    void reply.header('cache-control', 'no-store');
    await reply.status(status).view(`${template}.eta`, { ...this.context(request, reply), production: isProduction(this.config), ...data });
  }
}

/** A local path to come back to after signing in; anything else becomes the start page. */
export function safeNext(next: unknown, fallback = '/'): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.includes('\\') ? next : fallback;
}
