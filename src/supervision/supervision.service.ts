import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { StaffActor } from '../auth/guards/auth-context';
import { Center } from '../centers/center.entity';
import { addDays, daysBetween, isIsoDate, localDate, startOfLocalDate } from '../slots/booking-window';
import { AuditEntryView, PeriodQuery, ReportView } from './dto/supervision.dto';

const MAX_DAYS = 366;

interface Period {
  centerId: string | null;
  from: Date;
  to: Date;
  timezone: string;
}

/** What supervisors (their center) and admins (any) read: the audit trail and the figures. */
@Injectable()
export class SupervisionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async auditTrail(actor: StaffActor, query: PeriodQuery): Promise<AuditEntryView[]> {
    const period = await this.period(actor, query, false);
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

  async report(actor: StaffActor, query: PeriodQuery): Promise<ReportView> {
    const period = await this.period(actor, query, true);
    const params = [period.centerId, period.from, period.to, period.timezone];
    const [counts] = (await this.dataSource.query(
      `SELECT count(*)::int AS booked,
              count(*) FILTER (WHERE a.status = 'fulfilled')::int AS fulfilled,
              count(*) FILTER (WHERE a.status = 'no_show')::int AS no_shows,
              count(*) FILTER (WHERE a.status = 'cancelled')::int AS cancelled,
              percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY extract(epoch FROM a.called_at - a.checked_in_at))
                FILTER (WHERE a.called_at IS NOT NULL AND a.checked_in_at IS NOT NULL) AS wait,
              percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY extract(epoch FROM a.fulfilled_at - a.called_at))
                FILTER (WHERE a.fulfilled_at IS NOT NULL AND a.called_at IS NOT NULL) AS service
         FROM appointment a JOIN slot s ON s.id = a.slot_id
        WHERE a.center_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3 AND $4::text IS NOT NULL`,
      params,
    )) as Array<{ booked: number; fulfilled: number; no_shows: number; cancelled: number; wait: number[] | null; service: number[] | null }>;
    const [places] = (await this.dataSource.query(
      `SELECT coalesce(sum(booked), 0)::float AS taken, coalesce(sum(capacity), 0)::float AS offered
         FROM slot WHERE center_id = $1 AND starts_at >= $2 AND starts_at < $3`,
      [period.centerId, period.from, period.to],
    )) as Array<{ taken: number; offered: number }>;
    const days = (await this.dataSource.query(
      `SELECT (s.starts_at AT TIME ZONE $4)::date::text AS date,
              count(*)::int AS booked,
              count(*) FILTER (WHERE a.status = 'fulfilled')::int AS fulfilled,
              count(*) FILTER (WHERE a.status = 'cancelled')::int AS cancelled,
              count(*) FILTER (WHERE a.status = 'no_show')::int AS no_shows
         FROM appointment a JOIN slot s ON s.id = a.slot_id
        WHERE a.center_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3
        GROUP BY 1 ORDER BY 1`,
      params,
    )) as Array<{ date: string; booked: number; fulfilled: number; cancelled: number; no_shows: number }>;
    const hours = (await this.dataSource.query(
      `SELECT extract(hour FROM s.starts_at AT TIME ZONE $4)::int AS hour, count(*)::int AS appointments
         FROM appointment a JOIN slot s ON s.id = a.slot_id
        WHERE a.center_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3 AND a.status <> 'cancelled'
        GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5`,
      params,
    )) as Array<{ hour: number; appointments: number }>;
    const c = counts!;
    const attended = c.booked - c.cancelled;
    const seconds = (values: number[] | null, index: number): number | null => (values?.[index] == null ? null : Math.round(Number(values[index])));
    return {
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
      days: days.map((d) => ({ date: d.date, booked: d.booked, fulfilled: d.fulfilled, cancelled: d.cancelled, noShows: d.no_shows })),
    };
  }

  /** The per-day figures as CSV, for a spreadsheet. */
  async reportCsv(actor: StaffActor, query: PeriodQuery): Promise<string> {
    const report = await this.report(actor, query);
    const rows = report.days.map((d) => [d.date, d.booked, d.fulfilled, d.cancelled, d.noShows].join(','));
    return ['date,booked,fulfilled,cancelled,noShows', ...rows].join('\r\n') + '\r\n';
  }

  private async period(actor: StaffActor, query: PeriodQuery, centerRequired: boolean): Promise<Period> {
    const centerId = actor.role === 'admin' ? (query.centerId ?? null) : actor.centerId;
    if (actor.role !== 'admin' && query.centerId && query.centerId !== actor.centerId) throw new DomainError('not_found', { detail: 'No such center' });
    if (centerRequired && !centerId) throw new DomainError('validation_failed', { detail: 'Admins name the center: ?centerId=' });
    const center = centerId ? await this.dataSource.manager.findOneBy(Center, { id: centerId }) : null;
    if (centerId && !center) throw new DomainError('not_found', { detail: 'No such center' });
    const timezone = center?.timezone ?? 'Asia/Shanghai';
    const from = query.from ?? localDate(this.clock.now(), timezone);
    const to = query.to ?? from;
    if (!isIsoDate(from) || !isIsoDate(to) || to < from || daysBetween(from, to) >= MAX_DAYS) {
      throw new DomainError('invalid_range', { detail: `from ≤ to, at most ${MAX_DAYS} days` });
    }
    return { centerId, from: startOfLocalDate(from, timezone), to: startOfLocalDate(addDays(to, 1), timezone), timezone };
  }
}

const round = (value: number): number => Math.round(value * 10_000) / 10_000;
