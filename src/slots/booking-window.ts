import { DateTime } from 'luxon';

export interface WindowSettings {
  timezone: string;
  bookingWindowDays: number;
  /** "HH:MM[:SS]" local time at which the window's last day opens. */
  releaseTime: string;
}

/** Today's date at the center, `YYYY-MM-DD`. */
export function localDate(now: Date, timezone: string): string {
  return DateTime.fromJSDate(now, { zone: timezone }).toISODate()!;
}

/** The last local date that can be booked now: the window grows by a day at release time. */
export function lastBookableDate(settings: WindowSettings, now: Date): string {
  const local = DateTime.fromJSDate(now, { zone: settings.timezone });
  const release = local.startOf('day').plus(DateTime.fromISO(settings.releaseTime).diff(DateTime.fromISO('00:00')));
  const days = local >= release ? settings.bookingWindowDays : settings.bookingWindowDays - 1;
  return local.plus({ days }).toISODate()!;
}

/** The instant a local date begins at the center. */
export function startOfLocalDate(date: string, timezone: string): Date {
  return DateTime.fromISO(date, { zone: timezone }).startOf('day').toJSDate();
}

/** The instant after the last bookable moment. */
export function windowEnd(settings: WindowSettings, now: Date): Date {
  const last = lastBookableDate(settings, now);
  return DateTime.fromISO(last, { zone: settings.timezone }).plus({ days: 1 }).startOf('day').toJSDate();
}

export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date).plus({ days }).toISODate()!;
}

export function daysBetween(from: string, to: string): number {
  return DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days;
}

export function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid;
}
