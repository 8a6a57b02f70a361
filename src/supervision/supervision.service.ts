import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { StaffActor } from '../auth/guards/auth-context';
import { Center } from '../centers/center.entity';
import { addDays, daysBetween, isIsoDate, localDate, startOfLocalDate } from '../slots/booking-window';
import { I18nService, Language } from '../i18n/i18n.service';
import { formatSecond } from '../common/time/format';
import { auditAction, auditActor, auditDetail, csvField } from './audit-words';
import { AuditEntryView, AuditQuery, DayFiguresView, PeriodQuery, ReportView } from './dto/supervision.dto';

const MAX_DAYS = 366;
const MAX_AUDIT_ENTRIES = 5000;
const DEFAULT_TIMEZONE = 'Asia/Shanghai';

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

  /** The trail of the period, oldest first (at most 5,000 entries), filtered as asked. */
  async auditTrail(actor: StaffActor, query: AuditQuery): Promise<AuditEntryView[]> {
    return (await this.auditEntries(actor, query, 'ASC', MAX_AUDIT_ENTRIES, 0)).entries;
  }

  /** One page of the trail, newest first, with how many entries the filters match in all. */
  async auditPage(actor: StaffActor, query: AuditQuery, page: number, pageSize: number): Promise<{ entries: AuditEntryView[]; total: number }> {
    return this.auditEntries(actor, query, 'DESC', pageSize, (page - 1) * pageSize);
  }

  /** The filtered trail as CSV (oldest first), the details in words, in `language`; a UTF-8 BOM for Excel. */
  async auditCsv(actor: StaffActor, query: AuditQuery, language: Language): Promise<string> {
    const { entries } = await this.auditEntries(actor, query, 'ASC', MAX_AUDIT_ENTRIES, 0);
    const t = this.i18n.translator(language);
    const timezone = (await this.centerOf(actor, query))?.timezone ?? DEFAULT_TIMEZONE;
    const header = ['seq', 'at', 'actor', 'action', 'reference', 'detail'].map((key) => t(`staff:audit.csv_columns.${key}`));
    const rows = entries.map((entry) =>
      [entry.seq, formatSecond(new Date(entry.at), timezone), auditActor(t, entry), auditAction(t, entry.action), entry.reference ?? '', auditDetail(t, entry.detail)].map(csvField).join(','),
    );
    return `\uFEFF${[header.join(','), ...rows].join('\r\n')}\r\n`;
  }

  /** What the trail's filters offer: the center's staff accounts, and the actions the period holds. */
  async auditChoices(actor: StaffActor, query: AuditQuery): Promise<{ staff: Array<{ id: string; username: string; role: string }>; actions: string[] }> {
    const period = await this.period(actor, query, 1);
    const staff = (await this.dataSource.query(
      `SELECT id, username, role FROM staff WHERE $1::uuid IS NULL OR center_id = $1 OR role = 'admin' ORDER BY username`,
      [period.centerId],
    )) as Array<{ id: string; username: string; role: string }>;
    const actions = (await this.dataSource.query(
      `SELECT DISTINCT action FROM audit_entry WHERE ($1::uuid IS NULL OR center_id = $1) AND at >= $2 AND at < $3 ORDER BY action`,
      [period.centerId, period.from, period.to],
    )) as Array<{ action: string }>;
    return { staff, actions: actions.map((row) => row.action) };
  }

  private async auditEntries(actor: StaffActor, query: AuditQuery, order: 'ASC' | 'DESC', limit: number, offset: number): Promise<{ entries: AuditEntryView[]; total: number }> {
    const period = await this.period(actor, query, 1);
    const reference = query.reference ? query.reference.replace(/[\s-]/g, '').toUpperCase() : null;
    const rows = (await this.dataSource.query(
      `SELECT e.seq, e.at, e.actor_type, e.actor_id, e.actor_role, st.username AS actor_username, e.action, e.center_id, e.appointment_id,
              a.reference, e.detail, e.hash, count(*) OVER () AS total
         FROM audit_entry e
         LEFT JOIN staff st ON e.actor_type = 'staff' AND st.id = e.actor_id
         LEFT JOIN appointment a ON a.id = e.appointment_id
        WHERE ($1::uuid IS NULL OR e.center_id = $1) AND e.at >= $2 AND e.at < $3
          AND ($4::uuid IS NULL OR (e.actor_type = 'staff' AND e.actor_id = $4))
          AND ($5::text IS NULL OR e.action = $5)
          AND ($6::text IS NULL OR a.reference = $6)
        ORDER BY e.seq ${order} LIMIT $7 OFFSET $8`,
      [period.centerId, period.from, period.to, query.staffId ?? null, query.action ?? null, reference, limit, offset],
    )) as Array<Record<string, any>>;
    const entries = rows.map((r) => ({
      seq: String(r.seq),
      at: (r.at as Date).toISOString(),
      actorType: r.actor_type,
      actorId: r.actor_id,
      actorRole: r.actor_role,
      actorUsername: r.actor_username ?? null,
      action: r.action,
      centerId: r.center_id,
      appointmentId: r.appointment_id,
      reference: r.reference ?? null,
      detail: r.detail,
      hash: (r.hash as Buffer).toString('hex'),
    }));
    return { entries, total: rows.length > 0 ? Number(rows[0]!.total) : 0 };
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
    const center = await this.centerOf(actor, query);
    const centerId = center?.id ?? null;
    const timezone = center?.timezone ?? DEFAULT_TIMEZONE;
    const today = localDate(this.clock.now(), timezone);
    const to = query.to ?? query.from ?? today;
    const from = query.from ?? addDays(to, 1 - defaultDays);
    if (!isIsoDate(from) || !isIsoDate(to) || to < from || daysBetween(from, to) >= MAX_DAYS) {
      throw new DomainError('invalid_range', { detail: `from ≤ to, at most ${MAX_DAYS} days` });
    }
    return { centerId, fromDate: from, toDate: to, from: startOfLocalDate(from, timezone), to: startOfLocalDate(addDays(to, 1), timezone) };
  }

  /** Supervisors read their own center; admins the one they name, or every center (none). */
  private async centerOf(actor: StaffActor, query: PeriodQuery): Promise<Center | null> {
    if (actor.role !== 'admin' && query.centerId && query.centerId !== actor.centerId) throw new DomainError('not_found', { detail: 'No such center' });
    const centerId = actor.role === 'admin' ? (query.centerId ?? null) : actor.centerId;
    if (!centerId) return null;
    const center = await this.dataSource.manager.findOneBy(Center, { id: centerId });
    if (!center) throw new DomainError('not_found', { detail: 'No such center' });
    return center;
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
