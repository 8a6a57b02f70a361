import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { windowEndCached } from '../appointments/booking-rules';
import { formatSlotInstant } from '../appointments/formatted-instants';
import { PreparedStatement, queryPrepared } from '../database/prepared';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { AvailableSlotView } from './dto/available-slot.view';
import { daysBetween, isIsoDate, lastBookableDate, localDate, startOfLocalDate, addDays } from './booking-window';

const MAX_RANGE_DAYS = 31;

/** The center, with the service as offered there. */
const OFFERING: PreparedStatement = {
  name: 'civic.availability.offering',
  text: `SELECT c.timezone, c.booking_window_days, c.release_time,
                coalesce(cs.lead_time_hours, v.lead_time_hours) AS lead_time_hours, (v.id IS NOT NULL AND v.active) AS offered
           FROM center c
           LEFT JOIN center_service cs ON cs.center_id = c.id AND cs.service_id = $2
           LEFT JOIN service v ON v.id = cs.service_id
          WHERE c.id = $1`,
};

/**
 * Slots with places left in [$2, $3) — places held for the waitlist or cooling down do not
 * count — outside closures, as one JSON array of
 * [id, starts_at, ends_at, places left] (instants in epoch ms, floored as a Date keeps them):
 * one row to read instead of one per slot — up to ~3,000 for 31 days.
 */
export const AVAILABLE_SLOTS: PreparedStatement = {
  name: 'civic.availability.slots',
  text: `SELECT coalesce(json_agg(json_build_array(s.id, floor(extract(epoch FROM s.starts_at) * 1000)::bigint,
                                                floor(extract(epoch FROM s.ends_at) * 1000)::bigint, s.capacity - s.booked - s.held) ORDER BY s.starts_at), '[]') AS slots
           FROM slot s
          WHERE s.center_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3 AND s.booked + s.held < s.capacity
            AND NOT EXISTS (SELECT 1 FROM closure c WHERE c.center_id = s.center_id AND c.day = (s.starts_at AT TIME ZONE $4)::date)`,
};

/** startOfLocalDate (luxon, pure: zone rules do not change while the process runs), kept. */
const dayStarts = new Map<string, number>();

function localDayStart(date: string, timezone: string): number {
  const key = `${timezone}|${date}`;
  let start = dayStarts.get(key);
  if (start === undefined) {
    if (dayStarts.size >= 10_000) dayStarts.clear();
    start = startOfLocalDate(date, timezone).getTime();
    dayStarts.set(key, start);
  }
  return start;
}

interface CenterOffering {
  timezone: string;
  booking_window_days: number;
  release_time: string;
  lead_time_hours: number | null;
  offered: boolean;
}

@Injectable()
export class AvailabilityService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Slots with places left, inside the booking window and the service's lead time. Two
   * statements: the center with the service as offered there, then the slots — a range scan
   * of the index on (center_id, starts_at), whose cost does not grow with the center's history.
   */
  async available(centerId: string, serviceId: string, fromInput?: string, toInput?: string): Promise<AvailableSlotView[]> {
    const [offering] = await queryPrepared<CenterOffering>(this.dataSource, OFFERING, [centerId, serviceId]);
    if (!offering) throw new DomainError('not_found', { detail: 'No such center' });
    if (!offering.offered) throw new DomainError('service_not_offered');
    const center = { timezone: offering.timezone, bookingWindowDays: offering.booking_window_days, releaseTime: offering.release_time };
    const leadTimeHours = offering.lead_time_hours!;
    const now = this.clock.now();
    const from = fromInput ?? localDate(now, center.timezone);
    const to = toInput ?? lastBookableDate(center, now);
    if (!isIsoDate(from) || !isIsoDate(to) || to < from || daysBetween(from, to) + 1 > MAX_RANGE_DAYS) {
      throw new DomainError('invalid_range', { detail: `from and to must be dates (YYYY-MM-DD), from ≤ to, at most ${MAX_RANGE_DAYS} days` });
    }
    const earliest = Math.max(localDayStart(from, center.timezone), now.getTime() + leadTimeHours * 3600_000);
    const latest = Math.min(localDayStart(addDays(to, 1), center.timezone), windowEndCached(center, now).getTime());
    if (earliest >= latest) return [];
    const [{ slots }] = await queryPrepared<{ slots: Array<[string, number, number, number]> }>(this.dataSource, AVAILABLE_SLOTS, [
      centerId,
      new Date(earliest),
      new Date(latest),
      center.timezone,
    ]);
    return slots.map(([slotId, startsMs, endsMs, remaining]) => ({
      slotId,
      startsAt: formatSlotInstant(startsMs, center.timezone),
      endsAt: formatSlotInstant(endsMs, center.timezone),
      remaining,
    }));
  }
}
