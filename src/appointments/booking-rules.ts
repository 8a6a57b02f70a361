import { DateTime } from 'luxon';
import { DomainError } from '../common/errors/domain-error';
import { Offering } from '../centers/centers.service';
import { WindowSettings, windowEnd } from '../slots/booking-window';
import { Slot } from '../slots/slot.entity';

/** Whether a resident may take this slot for this service now; throws the reason if not. */
export function assertBookable(slot: Slot, offering: Offering, now: Date): void {
  if (slot.centerId !== offering.center.id) throw new DomainError('service_not_offered');
  if (slot.startsAt <= now) throw new DomainError('slot_in_past');
  if (slot.startsAt.getTime() < now.getTime() + offering.leadTimeHours * 3600_000) {
    throw new DomainError('lead_time', { detail: `This service must be booked at least ${offering.leadTimeHours} hours ahead` });
  }
  if (slot.startsAt >= windowEndCached(offering.center, now)) throw new DomainError('outside_booking_window');
}

interface WindowMemo {
  from: number;
  until: number;
  end: Date;
}

const memos = new Map<string, WindowMemo>();

/**
 * windowEnd, computed with luxon (a tenth of the CPU time of a booking request), changes only
 * at the center's local midnight and at its release time: the answer is kept until the next
 * of those instants, so a rush computes it once per center instead of once per request.
 */
export function windowEndCached(settings: WindowSettings, now: Date): Date {
  const key = `${settings.timezone}|${settings.bookingWindowDays}|${settings.releaseTime}`;
  const t = now.getTime();
  const memo = memos.get(key);
  if (memo && memo.from <= t && t < memo.until) return memo.end;
  const end = windowEnd(settings, now);
  if (memos.size >= 1_000) memos.clear();
  memos.set(key, { from: t, until: nextWindowChange(settings, now), end });
  return end;
}

/**
 * The first instant after `now` at which lastBookableDate (and so windowEnd) may answer
 * differently: the next local midnight, or today's release time if it is still to come —
 * computed exactly as lastBookableDate computes them.
 */
function nextWindowChange(settings: WindowSettings, now: Date): number {
  const local = DateTime.fromJSDate(now, { zone: settings.timezone });
  const midnight = local.startOf('day').plus({ days: 1 }).startOf('day').toMillis();
  const release = local.startOf('day').plus(DateTime.fromISO(settings.releaseTime).diff(DateTime.fromISO('00:00'))).toMillis();
  const next = Number.isFinite(release) && release > now.getTime() ? Math.min(midnight, release) : midnight;
  return Number.isFinite(next) ? next : now.getTime();
}
