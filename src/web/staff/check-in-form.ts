import { CheckInDto } from '../../counter/dto/counter.dto';
import { idNumberScheme } from '../../identity/id-number';
import { PendingCounterCode } from './counter-code-cookie';
import { field, FormErrors, message } from './form-errors';

/** A check-in form read: the proof to try, or what to show next to which field. */
export type CheckInForm = { proof: CheckInDto } | { errors: FormErrors; status: number };

/**
 * The console's three check-in forms: the resident's counter passcode (`otp`), the resident's
 * ID card (`id-document`), and proxy pickup (`proxy`: the proxy's ID card and the passcode
 * sent to the resident). The passcode's challenge comes from the sealed cookie, never the form.
 */
export function readCheckInForm(form: Record<string, unknown>, pending: PendingCounterCode | undefined): CheckInForm {
  if (form.method !== 'otp' && form.method !== 'proxy') {
    const idNumber = idNumberScheme().normalise(field(form, 'idNumber', 32));
    return idNumber ? { proof: { method: 'id-document', idNumber } } : { errors: { idNumber: message('errors:invalid_id_number') }, status: 400 };
  }
  const method = form.method;
  let proxyIdNumber: string | undefined;
  if (method === 'proxy') {
    proxyIdNumber = idNumberScheme().normalise(field(form, 'proxyIdNumber', 32));
    if (!proxyIdNumber) return { errors: { proxyIdNumber: message('errors:invalid_id_number') }, status: 400 };
  }
  const codeField = CODE_FIELD[method];
  const code = field(form, codeField, 16).replace(/\s/g, '');
  if (!pending) return { errors: { [codeField]: message('errors:challenge_expired') }, status: 410 };
  if (!/^\d{4,8}$/.test(code)) return { errors: { [codeField]: message('staff:check_in.code_required') }, status: 400 };
  return { proof: { method, challengeId: pending.challengeId, code, proxyIdNumber } };
}

const CODE_FIELD = { otp: 'code', proxy: 'proxyCode' } as const;

/** Which field of its form a refusal of the service concerns; the rest show at the top. */
export function fieldOf(method: CheckInDto['method'], code: string): string {
  switch (code) {
    case 'wrong_code':
    case 'challenge_expired':
    case 'locked':
      return method === 'proxy' ? 'proxyCode' : 'code';
    case 'id_mismatch':
    case 'invalid_id_number':
      return method === 'proxy' ? 'proxyIdNumber' : 'idNumber';
    default:
      return 'form';
  }
}
