import { DomainError } from '../../common/errors/domain-error';

/** A translated message: a catalogue key (`errors:…` or `staff:…`) and its placeholders. */
export interface Message {
  key: string;
  params?: Record<string, unknown>;
}

/** Messages by form field; `form` is the one shown at the top. */
export type FormErrors = Record<string, Message>;

export const message = (key: string, params?: Record<string, unknown>): Message => ({ key, params });

/** A service's refusal as the message the API's error code has in the `errors` catalogue. */
export const fromDomainError = (error: DomainError): Message => ({ key: `errors:${error.code}`, params: error.options.extensions ?? {} });

/**
 * A refusal the page shows next to its form. A lost session, a missing or foreign thing (404)
 * and our own failures go to the error filter instead.
 */
export function isFormError(error: unknown): error is DomainError {
  return error instanceof DomainError && error.status < 500 && !['unauthenticated', 'forbidden', 'not_found', 'csrf_failed'].includes(error.code);
}

/** A form field as text, trimmed and bounded. */
export const field = (form: Record<string, unknown>, name: string, max = 64): string => {
  const value = form[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
};
