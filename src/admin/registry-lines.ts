import { idNumberScheme } from '../identity/id-number';
import { parseMobilePhone } from '../identity/phone';
import { LineCode } from './dto/registry.dto';

export interface RegistryLine {
  idNumber: string;
  /** E.164 */
  phone: string;
}

export type LineVerdict = { ok: true; entry: RegistryLine } | { ok: false; code: LineCode };

/** The first line is a header when its first field holds no digit (e.g. `idNumber,phone`). */
export function isHeader(fields: readonly string[]): boolean {
  return fields.length > 0 && !/\d/.test(fields[0] ?? '');
}

/** A field as a spreadsheet may write it: `"13812345678"` → `13812345678`. */
function unquote(field: string): string {
  const value = field.trim();
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).trim() : value;
}

/**
 * One line of a registry file: `idNumber,phone`. Trailing empty fields (a spreadsheet's
 * extra commas) are ignored; a second line for an ID already seen is a `duplicate`.
 * `seen` holds the normalised ID numbers of the valid lines so far, and gains this one.
 */
export function checkLine(input: readonly string[], seen: Set<string>, today: Date): LineVerdict {
  const fields = input.map(unquote);
  while (fields.length > 2 && fields.at(-1) === '') fields.pop();
  if (fields.length !== 2) return { ok: false, code: 'invalid_line' };
  const idNumber = idNumberScheme().normalise(fields[0]!, today);
  if (!idNumber) return { ok: false, code: 'invalid_id_number' };
  const phone = parseMobilePhone(fields[1]!);
  if (!phone) return { ok: false, code: 'invalid_phone' };
  if (seen.has(idNumber)) return { ok: false, code: 'duplicate' };
  seen.add(idNumber);
  return { ok: true, entry: { idNumber, phone: phone.e164 } };
}
