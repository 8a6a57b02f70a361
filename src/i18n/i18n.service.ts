import { Injectable } from '@nestjs/common';
import i18next, { i18n, TOptions } from 'i18next';
import { RESOURCES } from './catalogues';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';
/** The cookie that holds a reader's explicit choice of language. */
export const LANGUAGE_COOKIE = 'civic_lang';

export type Translate = (key: string, options?: TOptions) => string;

/** Message catalogues (i18next) for pages, errors and SMS texts, in Chinese and English. */
@Injectable()
export class I18nService {
  private readonly i18n: i18n = i18next.createInstance();

  constructor() {
    void this.i18n.init({
      resources: RESOURCES,
      lng: DEFAULT_LANGUAGE,
      fallbackLng: false,
      supportedLngs: [...LANGUAGES],
      ns: Object.keys(RESOURCES[DEFAULT_LANGUAGE]),
      defaultNS: 'common',
      initAsync: false,
      // Templates escape on output; escaping here too would show &amp; to the reader.
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  }

  translator(language: Language): Translate {
    const t = this.i18n.getFixedT(language);
    return (key, options) => t(key, options) as string;
  }

  t(language: Language, key: string, options?: TOptions): string {
    return this.translator(language)(key, options);
  }

  /** Both languages, Chinese first: for texts (SMS) whose reader's language is unknown. */
  bilingual(key: string, options?: TOptions): string {
    return `${this.t('zh-CN', key, options)} ${this.t('en', key, options)}`;
  }

  /** The explicit choice (cookie) wins, then the browser's Accept-Language, then Chinese. */
  pick(chosen: string | undefined, acceptLanguage: string | undefined): Language {
    if (isLanguage(chosen)) return chosen;
    return acceptedLanguage(acceptLanguage) ?? DEFAULT_LANGUAGE;
  }
}

/** The first of our languages an Accept-Language header names, in its order. */
export function acceptedLanguage(acceptLanguage: string | undefined): Language | undefined {
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase();
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return undefined;
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}
