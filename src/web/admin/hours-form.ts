import { AdminCenterView } from '../../admin/dto/admin.views';
import { field } from '../staff/form-errors';
import { numberField } from './admin-form';

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
/** Periods per weekday the form offers at least (a morning, an afternoon, and one more). */
const MIN_PERIODS = 3;
const MAX_PERIODS = 10;

export interface HoursRow {
  weekday: number;
  /** The form field names of this row's three inputs. */
  opens: string;
  closes: string;
  counters: string;
}

const row = (weekday: number, n: number): HoursRow => ({ weekday, opens: `opens_${weekday}_${n}`, closes: `closes_${weekday}_${n}`, counters: `counters_${weekday}_${n}` });

/** The form's grid: every weekday, as many periods as the busiest day of the center has (at least three). */
export function hoursGrid(center: AdminCenterView): HoursRow[] {
  const most = Math.max(MIN_PERIODS, ...WEEKDAYS.map((weekday) => center.hours.filter((h) => h.weekday === weekday).length));
  return WEEKDAYS.flatMap((weekday) => Array.from({ length: most }, (_, n) => row(weekday, n)));
}

/**
 * The rows filled in, as the API's opening-hours body; `rows[i]` is the form row of
 * `hours[i]`, so that a refusal of `hours.i.opens` shows next to its own input.
 */
export function hoursBody(form: Record<string, unknown>): { body: Record<string, unknown>; rows: HoursRow[] } {
  const rows = WEEKDAYS.flatMap((weekday) => Array.from({ length: MAX_PERIODS }, (_, n) => row(weekday, n))).filter(
    (r) => field(form, r.opens, 8) !== '' || field(form, r.closes, 8) !== '',
  );
  const hours = rows.map((r) => ({ weekday: r.weekday, opens: field(form, r.opens, 8), closes: field(form, r.closes, 8), counters: numberField(form, r.counters) }));
  return { body: { hours, onBookings: field(form, 'onBookings', 32) || undefined }, rows };
}

/** The form field of a refused DTO path (`hours.2.closes` → that row's closes); the grid as a whole otherwise. */
export function hoursFieldOf(rows: HoursRow[]): (path: string) => string {
  return (path) => {
    const [, index, property] = /^hours\.(\d+)\.(opens|closes|counters)$/.exec(path) ?? [];
    const at = index === undefined ? undefined : rows[Number(index)];
    return at && property ? at[property as 'opens' | 'closes' | 'counters'] : 'hours';
  };
}

/** A center's opening hours as the form's values. */
export function hoursValues(center: AdminCenterView): Record<string, string> {
  const values: Record<string, string> = {};
  for (const weekday of WEEKDAYS) {
    center.hours
      .filter((h) => h.weekday === weekday)
      .forEach((h, n) => {
        const r = row(weekday, n);
        Object.assign(values, { [r.opens]: h.opens, [r.closes]: h.closes, [r.counters]: String(h.counters) });
      });
  }
  return values;
}
