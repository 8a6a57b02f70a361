import { VerificationOutcome } from './binding-verifier';

/**
 * What cloudauth said, reduced to an outcome and what an operator may read: the provider's
 * code, HTTP status and request id. Never its message: an error message may echo what we sent.
 */
export interface Verdict {
  outcome: VerificationOutcome;
  reason: string;
  status?: number;
  requestId?: string;
}

/** `ResultObject.BizCode` of Mobile3MetaDetailVerify: 1 consistent, 2 inconsistent, 3 no record. */
const BIZ_CODES: Record<string, VerificationOutcome> = { '1': 'match', '2': 'mismatch', '3': 'no_record' };

/** Flow control (`Throttling`, `Throttling.User`, …) and the provider's caps per day or per number. */
const LIMIT_CODES = new Set(['BUSINESS_LIMIT_CONTROL', 'FREQUENCY_FAIL', 'Forbidden.ExceptionRepeatedInvoke']);

interface AnswerBody {
  code?: string;
  requestId?: string;
  resultObject?: { bizCode?: string };
}

export function verdictOfAnswer(body: AnswerBody | undefined): Verdict {
  const bizCode = body?.resultObject?.bizCode;
  const outcome = body?.code === '200' && bizCode ? BIZ_CODES[bizCode] : undefined;
  if (outcome) return { outcome, reason: `BizCode ${bizCode}`, requestId: body?.requestId };
  return { outcome: 'unavailable', reason: `unknown answer (Code ${body?.code}, BizCode ${bizCode})`, requestId: body?.requestId };
}

interface Failure {
  name?: string;
  code?: unknown;
  statusCode?: number;
  requestId?: string;
}

/** A refused, failed or unanswered call: the provider's limits are `rate_limited`, all else `unavailable`. */
export function verdictOfFailure(error: unknown): Verdict {
  const { name, code, statusCode, requestId } = (error ?? {}) as Failure;
  const providerCode = typeof code === 'string' ? code : undefined;
  const limited = statusCode === 429 || (providerCode !== undefined && (providerCode.startsWith('Throttling') || LIMIT_CODES.has(providerCode)));
  return { outcome: limited ? 'rate_limited' : 'unavailable', reason: providerCode ?? name ?? 'unknown error', status: statusCode, requestId };
}
