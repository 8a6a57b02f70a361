/** A national identity-number scheme: how to recognise and normalise a valid number. */
export interface IdNumberScheme {
  readonly name: string;
  /** The normalised number, or undefined when it is not a valid number of this scheme. */
  normalise(input: string, today?: Date): string | undefined;
}

import { DateTime } from 'luxon';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

/** ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function cnRicCheckCharacter(first17: string): string {
  const sum = WEIGHTS.reduce((total, weight, index) => total + weight * Number(first17[index]), 0);
  return CHECK_CHARACTERS[sum % 11]!;
}

/** Province-level codes of GB/T 2260 (the first two digits of the area code). */
const PROVINCES = new Set([11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82]);

/**
 * The oldest birth year accepted: nobody alive was born before it. A rule on purpose, so that
 * years 0001-0099 are refused because they are impossible, not because `Date` reads them as 19xx.
 */
export const EARLIEST_BIRTH_YEAR = 1850;

/** Birth dates are days in China: "not in the future" is judged on Beijing's calendar. */
const CHINA_ZONE = 'Asia/Shanghai';

/**
 * What people type, as the scheme reads it: full-width digits and letters from Chinese input
 * methods become ASCII (NFKC), spaces go, a lower-case x is upper-cased.
 */
export function idNumberInput(input: string): string {
  return input.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/**
 * Resident Identity Card of the People's Republic of China, GB 11643-1999: 6-digit area code
 * (a GB/T 2260 province), 8-digit birth date (a real day, not after today in China, from
 * EARLIEST_BIRTH_YEAR), 3-digit sequence, ISO 7064 check character.
 */
export const cnRic: IdNumberScheme = {
  name: 'cn-ric',
  normalise(input: string, today: Date = new Date()): string | undefined {
    const value = idNumberInput(input);
    if (!/^\d{17}[\dX]$/.test(value)) return undefined;
    if (!PROVINCES.has(Number(value.slice(0, 2)))) return undefined;
    const birth = DateTime.fromFormat(value.slice(6, 14), 'yyyyMMdd', { zone: CHINA_ZONE });
    if (!birth.isValid || birth.year < EARLIEST_BIRTH_YEAR) return undefined;
    if (birth.toFormat('yyyyMMdd') > DateTime.fromJSDate(today, { zone: CHINA_ZONE }).toFormat('yyyyMMdd')) return undefined;
    return cnRicCheckCharacter(value) === value[17] ? value : undefined;
  },
};

const SCHEMES: Record<string, IdNumberScheme> = { [cnRic.name]: cnRic };

export function idNumberScheme(name = 'cn-ric'): IdNumberScheme {
  const scheme = SCHEMES[name];
  if (!scheme) throw new Error(`Unknown ID number scheme "${name}"`);
  return scheme;
}
