/** A national identity-number scheme: how to recognise and normalise a valid number. */
export interface IdNumberScheme {
  readonly name: string;
  /** The normalised number, or undefined when it is not a valid number of this scheme. */
  normalise(input: string, today?: Date): string | undefined;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

/** ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function cnRicCheckCharacter(first17: string): string {
  const sum = WEIGHTS.reduce((total, weight, index) => total + weight * Number(first17[index]), 0);
  return CHECK_CHARACTERS[sum % 11]!;
}

/**
 * Resident Identity Card of the People's Republic of China, GB 11643-1999: 6-digit area
 * code, 8-digit birth date (a real, non-future day), 3-digit sequence, check character.
 */
export const cnRic: IdNumberScheme = {
  name: 'cn-ric',
  normalise(input: string, today: Date = new Date()): string | undefined {
    const value = input.trim().toUpperCase();
    if (!/^\d{17}[\dX]$/.test(value)) return undefined;
    const year = Number(value.slice(6, 10));
    const month = Number(value.slice(10, 12));
    const day = Number(value.slice(12, 14));
    const birth = new Date(Date.UTC(year, month - 1, day));
    const realDate = birth.getUTCFullYear() === year && birth.getUTCMonth() === month - 1 && birth.getUTCDate() === day;
    if (!realDate || birth.getTime() > today.getTime()) return undefined;
    return cnRicCheckCharacter(value) === value[17] ? value : undefined;
  },
};

const SCHEMES: Record<string, IdNumberScheme> = { [cnRic.name]: cnRic };

export function idNumberScheme(name = 'cn-ric'): IdNumberScheme {
  const scheme = SCHEMES[name];
  if (!scheme) throw new Error(`Unknown ID number scheme "${name}"`);
  return scheme;
}
