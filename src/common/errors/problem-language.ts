import type { FastifyRequest } from 'fastify';
import { acceptedLanguage, I18nService, isLanguage, Language, LANGUAGE_COOKIE } from '../../i18n/i18n.service';
import { Problem } from './to-problem';

/**
 * The language of a problem's words: the reader's explicit choice (the pages' cookie), then
 * Accept-Language; English for a client that names neither, as the API always answered.
 */
export function problemLanguage(request: FastifyRequest): Language {
  const chosen = (request.cookies as Record<string, string | undefined> | undefined)?.[LANGUAGE_COOKIE];
  if (isLanguage(chosen)) return chosen;
  return acceptedLanguage(request.headers['accept-language']) ?? 'en';
}

/** Title and detail in the reader's language; `code` stays the stable word. */
export function localiseProblem(problem: Problem, language: Language, i18n: I18nService): Problem {
  if (language === 'en') return problem;
  const code = problem.body.code as string;
  const words = i18n.t(language, `errors:${code}`, { ...problem.body, defaultValue: '' });
  if (!words) return problem;
  return { ...problem, body: { ...problem.body, title: words, detail: words } };
}
