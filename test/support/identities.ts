import { cnRicCheckCharacter } from '../../src/identity/id-number';

let sequence = 0;

/** A valid cn-ric number, different at every call: the birth date moves a day each time. */
export function newIdNumber(): string {
  sequence += 1;
  const birth = new Date(Date.UTC(1950, 0, 1) + sequence * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const body = `520102${birth}${String(process.pid % 1000).padStart(3, '0')}`;
  return body + cnRicCheckCharacter(body);
}

/** A valid mainland mobile number, different at every call. */
export function newPhone(): string {
  sequence += 1;
  return `139${String((process.pid * 10_007 + sequence * 7_919) % 100_000_000).padStart(8, '0')}`;
}
