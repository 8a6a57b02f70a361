/** `520***********123X`: enough for a resident to recognise their own number, no more. */
export function maskIdNumber(idNumber: string): string {
  if (idNumber.length <= 7) return '*'.repeat(idNumber.length);
  return `${idNumber.slice(0, 3)}${'*'.repeat(idNumber.length - 7)}${idNumber.slice(-4)}`;
}

/** `138****5678` from a national mobile number (digits only). */
export function maskPhone(nationalNumber: string): string {
  if (nationalNumber.length <= 7) return '*'.repeat(nationalNumber.length);
  return `${nationalNumber.slice(0, 3)}${'*'.repeat(nationalNumber.length - 7)}${nationalNumber.slice(-4)}`;
}
