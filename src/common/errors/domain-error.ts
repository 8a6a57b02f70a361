import { ERROR_CATALOGUE, ErrorCode } from './error-catalogue';

export interface DomainErrorOptions {
  detail?: string;
  /** Extra members of the problem document, e.g. `attemptsRemaining`. */
  extensions?: Record<string, unknown>;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
}

/** A failure the client can act on. Services throw it; one filter turns it into problem+json. */
export class DomainError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly options: DomainErrorOptions = {},
  ) {
    super(options.detail ?? ERROR_CATALOGUE[code][1]);
    this.name = 'DomainError';
    this.status = ERROR_CATALOGUE[code][0];
  }
}
