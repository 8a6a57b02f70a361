/**
 * A check of name + ID number + phone against the carriers' real-name records (the
 * "three-factor" 三要素 check). It is the evidence that turns a phone's claim on an ID into a
 * verified binding. The name is sent to the provider and never stored.
 */
export type VerificationOutcome = 'match' | 'mismatch' | 'no_record' | 'unavailable' | 'rate_limited';

export interface BindingCheck {
  /** The resident's name as on the ID card. */
  name: string;
  /** The normalized 18-character ID number. */
  idNumber: string;
  /** The phone in E.164, e.g. +8613800138000. */
  phone: string;
}

export interface BindingVerifier {
  /** Which evidence this is, stored with the binding and in the audit trail, e.g. `aliyun`. */
  readonly source: string;
  /** Never throws: a timeout, a transport error or an unknown answer is `unavailable`. */
  verify(check: BindingCheck): Promise<VerificationOutcome>;
}

/** Nest token: a `BindingVerifier`, or `null` when no verifier is configured. */
export const BINDING_VERIFIER = Symbol('BINDING_VERIFIER');
