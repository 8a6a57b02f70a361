import { EntityManager } from 'typeorm';
import { OtpLimits } from '../config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { OtpPurpose } from './otp-challenge.entity';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

interface RecentCounts {
  locked_until: Date | null;
  id_hour: number;
  id_hour_oldest: Date | null;
  id_day: number;
  id_day_oldest: Date | null;
  id_last: Date | null;
  phone_hour: number;
  phone_hour_oldest: Date | null;
  phone_day: number;
  phone_day_oldest: Date | null;
  ip_hour: number;
  ip_hour_oldest: Date | null;
}

export interface LimitKeys {
  idHash: Buffer;
  phoneHash: Buffer;
  ipHash: Buffer;
  purpose: OtpPurpose;
}

/**
 * Sliding-window passcode limits counted from the challenges themselves. The caller holds
 * advisory locks on the ID, phone and IP, so concurrent requests cannot both slip under.
 *
 * For online sign-in (`login`) the ID's sign-in lock is checked first, as before, but read by
 * the same statement as the counts: one round trip fewer per passcode request.
 */
export async function enforceOtpLimits(manager: EntityManager, keys: LimitKeys, limits: OtpLimits, now: Date): Promise<void> {
  const hourAgo = new Date(now.getTime() - HOUR);
  const dayAgo = new Date(now.getTime() - DAY);
  const [counts] = (await manager.query(
    `SELECT
       (SELECT locked_until FROM sign_in_lock WHERE id_hash = $1) AS locked_until,
       (SELECT count(*)::int FROM otp_challenge WHERE id_hash = $1 AND created_at > $4) AS id_hour,
       (SELECT min(created_at) FROM otp_challenge WHERE id_hash = $1 AND created_at > $4) AS id_hour_oldest,
       (SELECT count(*)::int FROM otp_challenge WHERE id_hash = $1 AND created_at > $5) AS id_day,
       (SELECT min(created_at) FROM otp_challenge WHERE id_hash = $1 AND created_at > $5) AS id_day_oldest,
       (SELECT max(created_at) FROM otp_challenge WHERE id_hash = $1 AND purpose = $6) AS id_last,
       (SELECT count(*)::int FROM otp_challenge WHERE phone_hash = $2 AND created_at > $4) AS phone_hour,
       (SELECT min(created_at) FROM otp_challenge WHERE phone_hash = $2 AND created_at > $4) AS phone_hour_oldest,
       (SELECT count(*)::int FROM otp_challenge WHERE phone_hash = $2 AND created_at > $5) AS phone_day,
       (SELECT min(created_at) FROM otp_challenge WHERE phone_hash = $2 AND created_at > $5) AS phone_day_oldest,
       (SELECT count(*)::int FROM otp_challenge WHERE ip_hash = $3 AND created_at > $4) AS ip_hour,
       (SELECT min(created_at) FROM otp_challenge WHERE ip_hash = $3 AND created_at > $4) AS ip_hour_oldest`,
    [keys.idHash, keys.phoneHash, keys.ipHash, hourAgo, dayAgo, keys.purpose],
  )) as RecentCounts[];
  const c = counts!;
  // The lock is on online sign-in only: a lock-out never keeps a resident from the counter.
  if (keys.purpose === 'login') refuseIfLocked(c.locked_until, now);
  const secondsUntil = (from: Date | null, windowMs: number): number => (from ? (from.getTime() + windowMs - now.getTime()) / 1000 : 1);

  if (c.id_last && now.getTime() - c.id_last.getTime() < limits.resendSeconds * 1000) {
    throw tooMany(secondsUntil(c.id_last, limits.resendSeconds * 1000), 'Please wait before asking for another code');
  }
  const windows: Array<[number, number, Date | null, number]> = [
    [c.id_hour, limits.idHourlyLimit, c.id_hour_oldest, HOUR],
    [c.id_day, limits.idDailyLimit, c.id_day_oldest, DAY],
    [c.phone_hour, limits.phoneHourlyLimit, c.phone_hour_oldest, HOUR],
    [c.phone_day, limits.phoneDailyLimit, c.phone_day_oldest, DAY],
  ];
  // The counter's codes come from a clerk's PC, signed in: its IP is no attacker's.
  if (keys.purpose === 'login') windows.push([c.ip_hour, limits.ipHourlyLimit, c.ip_hour_oldest, HOUR]);
  for (const [count, limit, oldest, windowMs] of windows) {
    if (count >= limit) throw tooMany(secondsUntil(oldest, windowMs), 'Too many passcodes were requested; try again later');
  }
}

/** A sign-in lock still running refuses online sign-in, saying when to come back. */
export function refuseIfLocked(lockedUntil: Date | null | undefined, now: Date): void {
  if (lockedUntil && lockedUntil > now) {
    throw new DomainError('locked', { retryAfter: (lockedUntil.getTime() - now.getTime()) / 1000 });
  }
}

function tooMany(retryAfterSeconds: number, detail: string): DomainError {
  return new DomainError('too_many_requests', { detail, retryAfter: Math.max(1, retryAfterSeconds) });
}
