import { DateTime } from 'luxon';

export interface HoursRule {
  /** 1 = Monday … 7 = Sunday */
  weekday: number;
  /** "HH:MM[:SS]", local */
  opens: string;
  /** "HH:MM[:SS]", local; "24:00" is the end of the day */
  closes: string;
  counters: number;
}

export interface PlannedSlot {
  startsAt: Date;
  endsAt: Date;
  capacity: number;
}

export interface SlotPlanInput {
  timezone: string;
  slotMinutes: number;
  hours: HoursRule[];
  /** Local dates (YYYY-MM-DD) the center is closed. */
  closures: ReadonlySet<string>;
  from: string;
  to: string;
}

/**
 * The slots the opening hours give for local dates `from`..`to` (inclusive), skipping
 * closures. Times are local wall-clock times converted in the center's zone, so a zone with
 * daylight saving gets the right instants; a slot never runs past closing time.
 */
export function planSlots(input: SlotPlanInput): PlannedSlot[] {
  const slots: PlannedSlot[] = [];
  const zone = input.timezone;
  for (let day = DateTime.fromISO(input.from, { zone }); day.toISODate()! <= input.to; day = day.plus({ days: 1 })) {
    const date = day.toISODate()!;
    if (input.closures.has(date)) continue;
    for (const rule of input.hours.filter((h) => h.weekday === day.weekday)) {
      const end = atLocalTime(date, rule.closes, zone);
      for (let start = atLocalTime(date, rule.opens, zone); ; ) {
        const next = start.plus({ minutes: input.slotMinutes });
        if (next > end) break;
        slots.push({ startsAt: start.toJSDate(), endsAt: next.toJSDate(), capacity: rule.counters });
        start = next;
      }
    }
  }
  return slots.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}

function atLocalTime(date: string, time: string, zone: string): DateTime {
  if (time.startsWith('24:00')) return DateTime.fromISO(date, { zone }).plus({ days: 1 }).startOf('day');
  return DateTime.fromISO(`${date}T${time}`, { zone });
}
