import { DateTime } from 'luxon';

/** ISO-8601 with the center's offset, e.g. 2026-12-02T09:00:00.000+08:00. */
export function formatInstant(instant: Date, timezone: string): string {
  return DateTime.fromJSDate(instant, { zone: timezone }).toISO()!;
}

/** Local date and time to the minute, e.g. 2026-12-02 09:00: what an SMS says. */
export function formatMinute(instant: Date, timezone: string): string {
  return DateTime.fromJSDate(instant, { zone: timezone }).toFormat('yyyy-MM-dd HH:mm');
}

/** Local date and time to the second, e.g. 2026-12-02 09:00:07: what a record of events says. */
export function formatSecond(instant: Date, timezone: string): string {
  return DateTime.fromJSDate(instant, { zone: timezone }).toFormat('yyyy-MM-dd HH:mm:ss');
}
