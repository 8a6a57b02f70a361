import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { StaffActor } from '../auth/guards/auth-context';
import { Center } from '../centers/center.entity';
import { addDays, daysBetween, isIsoDate, localDate, startOfLocalDate } from '../slots/booking-window';
import { I18nService, Language } from '../i18n/i18n.service';
import { AuditEntryView, DayFiguresView, PeriodQuery, ReportView } from './dto/supervision.dto';

const MAX_DAYS = 366;

/** A report's default period: the last 30 days, today included. */
export const REPORT_DAYS = 30;

interface Period {
  centerId: string | null;
  fromDate: string;
  toDate: string;
  from: Date;
  to: Date;
}

/** What supervisors (their center) and admins (any) read: the audit trail and the figures. */
@Injectable()
export class SupervisionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly i18n: I18nService,
  ) {}

  async auditTrail(actor: StaffActor, query: PeriodQuery): Promise<AuditEntryView[]> {
    const period = await this.period(actor, query, 1);
    const rows = (await this.dataSource.query(
      `SELECT seq, at, actor_type, actor_id, actor_role, action, center_id, appointment_id, detail, hash
         FROM audit_entry WHERE ($1::uuid IS NULL OR center_id = $1) AND at >= $2 AND at < $3
        ORDER BY seq LIMIT 5000`,
      [period.centerId, period.from, period.to],
    )) as Array<Record<string, any>>;
    return rows.map((r) => ({
      seq: String(r.seq),
      at: (r.at as Date).toISOString(),
      actorType: r.actor_type,
      actorId: r.actor_id,
      actorRole: r.actor_role,
      action: r.action,
      centerId: r.center_id,
      appointmentId: r.appointment_id,
      detail: r.detail,
      hash: (r.hash as Buffer).toString('hex'),
    }));
  }

  /** Figures for the period (default: the last 30 days) of the center, or of every center for an admin who names none. */
  async report(actor: StaffActor, query: PeriodQuery): Promise<ReportView> {
    const { report } = await this.figures(actor, query);
    return report;
  }

  /** The per-day figures as CSV, one line per day and center, for a spreadsheet: a UTF-8 BOM and headers in `language`, so that Excel opens it as it is. */
  async reportCsv(actor: StaffActor, query: PeriodQuery, language: Language): Promise<string> {
    const { perCenterDays } = await this.figures(actor, query);
    const t = this.i18n.translator(language);
    const header = ['date', 'center', 'booked', 'fulfilled', 'cancelled', 'no_shows'].map((key) => t(`staff:report.csv_columns.${key}`));
    const rows = perCenterDays.map((d) => [d.date, d.center, d.booked, d.fulfilled, d.cancelled, d.noShows].join(','));
    return `\uFEFF${[header.join(','), ...rows].join('\r\n')}\r\n`;
  }

  private async figures(actor: StaffActor, query: PeriodQuery): Promise<{ report: ReportView; perCenterDays: Array<DayFiguresView & { center: string }> }> {
    const period = await this.period(actor, query, REPORT_DAYS);
    // Each center's own local days: $2 and $3 are dates, turned into instants in the center's zone.
    const scope = `FROM appointment a JOIN slot s ON s.id = a.slot_id JOIN center c ON c.id = a.center_id
        WHERE ($1::uuid IS NULL OR a.center_id = $1)
          AND s.starts_at >= ($2::date::timestamp AT TIME ZONE c.timezone) AND s.starts_at < (($3::date + 1)::timestamp AT TIME ZONE c.timezone)`;
    const params = [period.centerId, period.fromDate, period.toDate];
    const [counts] = (await this.dataSource.query(
      `SELECT count(*)::int AS booked,
              count(*) FILTER (WHERE a.status = 'fulfilled')::int AS fulfilled,
              count(*) FILTER (WHERE a.status = 'no_show')::int AS no_shows,
              count(*) FILTER (WHERE a.status = 'cancelled')::int AS cancelled,
              percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY extract(epoch FROM a.called_at - a.checked_in_at))
                FILTER (WHERE a.called_at IS NOT NULL AND a.checked_in_at IS NOT NULL) AS wait,
              percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY extract(epoch FROM a.fulfilled_at - a.called_at))
                FILTER (WHERE a.fulfilled_at IS NOT NULL AND a.called_at IS NOT NULL) AS service
         ${scope}`,
      params,
    )) as Array<{ booked: number; fulfilled: number; no_shows: number; cancelled: number; wait: number[] | null; service: number[] | null }>;
    const [places] = (await this.dataSource.query(
      `SELECT coalesce(sum(s.booked), 0)::float AS taken, coalesce(sum(s.capacity), 0)::float AS offered
         FROM slot s JOIN center c ON c.id = s.center_id
        WHERE ($1::uuid IS NULL OR s.center_id = $1)
          AND s.starts_at >= ($2::date::timestamp AT TIME ZONE c.timezone) AND s.starts_at < (($3::date + 1)::timestamp AT TIME ZONE c.timezone)`,
      params,
    )) as Array<{ taken: number; offered: number }>;
    const days = (await this.dataSource.query(
      `SELECT (s.starts_at AT TIME ZONE c.timezone)::date::text AS date, c.code AS center,
              count(*)::int AS booked,
              count(*) FILTER (WHERE a.status = 'fulfilled')::int AS fulfilled,
              count(*) FILTER (WHERE a.status = 'cancelled')::int AS cancelled,
              count(*) FILTER (WHERE a.status = 'no_show')::int AS no_shows
         ${scope}
        GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    )) as Array<{ date: string; center: string; booked: number; fulfilled: number; cancelled: number; no_shows: number }>;
    const hours = (await this.dataSource.query(
      `SELECT extract(hour FROM s.starts_at AT TIME ZONE c.timezone)::int AS hour, count(*)::int AS appointments
         ${scope} AND a.status <> 'cancelled'
        GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5`,
      params,
    )) as Array<{ hour: number; appointments: number }>;
    const c = counts!;
    const attended = c.booked - c.cancelled;
    const seconds = (values: number[] | null, index: number): number | null => (values?.[index] == null ? null : Math.round(Number(values[index])));
    const perCenterDays = days.map((d) => ({ date: d.date, center: d.center, booked: d.booked, fulfilled: d.fulfilled, cancelled: d.cancelled, noShows: d.no_shows }));
    const report: ReportView = {
      booked: c.booked,
      fulfilled: c.fulfilled,
      noShows: c.no_shows,
      cancelled: c.cancelled,
      noShowRate: attended > 0 ? round(c.no_shows / attended) : 0,
      medianWaitSeconds: seconds(c.wait, 0),
      waitP90Seconds: seconds(c.wait, 1),
      medianServiceSeconds: seconds(c.service, 0),
      serviceP90Seconds: seconds(c.service, 1),
      utilisation: places!.offered > 0 ? round(places!.taken / places!.offered) : 0,
      busiestHours: hours,
      days: sumByDate(perCenterDays),
    };
    return { report, perCenterDays };
  }

  /**
   * The center (their own for supervisors; the one named, or all, for admins) and the dates:
   * `from` alone is one day; nothing at all is the last `defaultDays` days up to today.
   */
  private async period(actor: StaffActor, query: PeriodQuery, defaultDays: number): Promise<Period> {
    const centerId = actor.role === 'admin' ? (query.centerId ?? null) : actor.centerId;
    if (actor.role !== 'admin' && query.centerId && query.centerId !== actor.centerId) throw new DomainError('not_found', { detail: 'No such center' });
    const center = centerId ? await this.dataSource.manager.findOneBy(Center, { id: centerId }) : null;
    if (centerId && !center) throw new DomainError('not_found', { detail: 'No such center' });
    const timezone = center?.timezone ?? 'Asia/Shanghai';
    const today = localDate(this.clock.now(), timezone);
    const to = query.to ?? query.from ?? today;
    const from = query.from ?? addDays(to, 1 - defaultDays);
    if (!isIsoDate(from) || !isIsoDate(to) || to < from || daysBetween(from, to) >= MAX_DAYS) {
      throw new DomainError('invalid_range', { detail: `from ≤ to, at most ${MAX_DAYS} days` });
    }
    return { centerId, fromDate: from, toDate: to, from: startOfLocalDate(from, timezone), to: startOfLocalDate(addDays(to, 1), timezone) };
  }
}

/** The per-center day lines added up per date. */
function sumByDate(lines: DayFiguresView[]): DayFiguresView[] {
  const byDate = new Map<string, DayFiguresView>();
  for (const line of lines) {
    const day = byDate.get(line.date) ?? { date: line.date, booked: 0, fulfilled: 0, cancelled: 0, noShows: 0 };
    byDate.set(line.date, { date: line.date, booked: day.booked + line.booked, fulfilled: day.fulfilled + line.fulfilled, cancelled: day.cancelled + line.cancelled, noShows: day.noShows + line.noShows });
  }
  return [...byDate.values()];
}

const round = (value: number): number => Math.round(value * 10_000) / 10_000;
