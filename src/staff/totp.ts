import { generateSecret, generateURI, verifySync } from 'otplib';

const PERIOD_SECONDS = 30;

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(secret: string, username: string): string {
  return generateURI({ issuer: 'Civic Desk', label: username, secret });
}

/**
 * RFC 6238 with ±1 step of tolerance. Returns the accepted time step, or undefined; a step
 * at or before `lastStep` is refused, so an observed code cannot be replayed.
 */
export function verifyTotp(secret: string, token: string, now: Date, lastStep?: number): number | undefined {
  if (!/^\d{6}$/.test(token)) return undefined;
  const result = verifySync({
    secret,
    token,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: PERIOD_SECONDS,
    ...(lastStep !== undefined ? { afterTimeStep: lastStep } : {}),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}
