import { DomainError } from '../common/errors/domain-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** A page's id from a path or form: anything but a UUID names nothing (404, as the API says). */
export function uuidOrNotFound(value: unknown): string {
  if (!isUuid(value)) throw new DomainError('not_found');
  return value;
}
