import { AdminCenterView } from '../../admin/dto/admin.views';
import { numberField } from './admin-form';
import { field } from '../staff/form-errors';

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
/** Periods per weekday the form offers (a morning and an afternoon, and one more). */
export const PERIODS_PER_DAY = 3;

export interface HoursRow {
  weekday: number;
  /** The form field names of this row's three inputs. */
  opens: string;
  closes: string;
  counters: string;
}

const names = (weekday: number, n: number): HoursRow => ({ weekday, opens: `opens_${weekday}_${n}`, closes: `closes_${weekday}_${n}`, counters: `counters_${weekday}_${n}` });

/** The grid of the form: every weekday, PERIODS_PER_DAY rows. */
export const HOURS_GRID: HoursRow[] = WEEKDAYS.flatMap((weekday) => Array.from({ length: PERIODS_PER_DAY }, (_, n) => names(weekday, n)));

/**
 * The rows filled in, as the API's opening-hours body; `rows[i]` is the form row of
 * `hours[i]`, so that a refusal of `hours.i.opens` shows next to its own input.
 */
export function hoursBody(form: Record<string, unknown>): { body: Record<string, unknown>; rows: HoursRow[] } {
  const rows = HOURS_GRID.filter((row) => field(form, row.opens, 8) !== '' || field(form, row.closes, 8) !== '');
  const hours = rows.map((row) => ({ weekday: row.weekday, opens: field(form, row.opens, 8), closes: field(form, row.closes, 8), counters: numberField(form, row.counters) }));
  return { body: { hours, onBookings: field(form, 'onBookings', 32) || undefined }, rows };
}

/** The form field of a refused DTO path (`hours.2.closes` → `closes_1_2`). */
export function hoursFieldOf(rows: HoursRow[]): (path: string) => string {
  return (path) => {
    const [, index, property] = /^hours\.(\d+)\.(opens|closes|counters)$/.exec(path) ?? [];
    const row = index === undefined ? undefined : rows[Number(index)];
    return row && property ? row[property as 'opens' | 'closes' | 'counters'] : 'hours';
  };
}

/** A center's opening hours as the form's values. */
export function hoursValues(center: AdminCenterView): Record<string, string> {
  const values: Record<string, string> = {};
  for (const weekday of WEEKDAYS) {
    center.hours
      .filter((h) => h.weekday === weekday)
      .slice(0, PERIODS_PER_DAY)
      .forEach((h, n) => {
        const row = names(weekday, n);
        Object.assign(values, { [row.opens]: h.opens, [row.closes]: h.closes, [row.counters]: String(h.counters) });
      });
  }
  return values;
}
