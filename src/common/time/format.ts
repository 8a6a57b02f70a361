import { DateTime } from 'luxon';

/** ISO-8601 with the center's offset, e.g. 2026-12-02T09:00:00.000+08:00. */
export function formatInstant(instant: Date, timezone: string): string {
  return DateTime.fromJSDate(instant, { zone: timezone }).toISO()!;
}
