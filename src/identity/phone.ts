import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export interface ParsedPhone {
  /** E.164, e.g. +8613812345678: what is hashed, encrypted and dialled. */
  e164: string;
  /** National significant number, e.g. 13812345678: what is shown (masked). */
  national: string;
}

/** A mobile number in E.164; national numbers are read as mainland China. */
export function parseMobilePhone(input: string, defaultRegion: 'CN' = 'CN'): ParsedPhone | undefined {
  if (typeof input !== 'string' || input.length > 32) return undefined;
  const phone = parsePhoneNumberFromString(input.trim(), defaultRegion);
  if (!phone || !phone.isValid()) return undefined;
  const type = phone.getType();
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') return undefined;
  return { e164: phone.number, national: phone.nationalNumber };
}
