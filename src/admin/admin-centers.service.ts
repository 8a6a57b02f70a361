import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { StaffActor } from '../auth/guards/auth-context';
import { AuditService } from '../audit/audit.service';
import { CenterService } from '../centers/center-service.entity';
import { Center } from '../centers/center.entity';
import { OpeningHours } from '../centers/opening-hours.entity';
import { Service } from '../centers/service.entity';
import { toCenterView } from '../centers/centers.service';
import { inTransaction, isUniqueViolation } from '../database/transaction';
import { addDays, daysBetween, isIsoDate, localDate } from '../slots/booking-window';
import { adminAudit } from './admin-audit';
import { AdminCenterView, ScheduleChangeView } from './dto/admin.views';
import { CreateCenterDto, UpdateCenterDto } from './dto/center.dto';
import { ClosureDto, OpeningHoursDto, OpeningPeriodDto } from './dto/schedule.dto';
import { ScheduleChangeResult, ScheduleChangeService } from './schedule-change.service';

const MAX_CLOSURE_DAYS = 366;
/** Settings that move or add slots; the others (names, release time) leave slots alone. */
const SLOT_SETTINGS = ['timezone', 'slotMinutes', 'bookingWindowDays'] as const;

/** Centers as an admin sets them up: settings, services offered, opening hours, closures. */
@Injectable()
export class AdminCentersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schedule: ScheduleChangeService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<AdminCenterView[]> {
    const centers = await this.dataSource.manager.find(Center, { order: { code: 'ASC' } });
    return this.views(this.dataSource.manager, centers);
  }

  async get(centerId: string, manager: EntityManager = this.dataSource.manager): Promise<AdminCenterView> {
    const center = await manager.findOneBy(Center, { id: centerId });
    if (!center) throw new DomainError('not_found', { detail: 'No such center' });
    return (await this.views(manager, [center]))[0]!;
  }

  async create(actor: StaffActor, input: CreateCenterDto): Promise<AdminCenterView> {
    return inTransaction(this.dataSource, async (manager) => {
      const center = await this.saveCenter(manager, manager.create(Center, { ...centerColumns(input), createdAt: this.clock.now() }));
      await this.audit.append(manager, adminAudit(actor, 'admin.center.create', center.id, { code: center.code }));
      return this.get(center.id, manager);
    });
  }

  /** New settings; when they move slots, bookings that no longer fit are handled as `onBookings` says. */
  async update(actor: StaffActor, centerId: string, input: UpdateCenterDto): Promise<AdminCenterView> {
    const { onBookings, ...changes } = input;
    const result = await this.schedule.run({
      actor,
      centerId,
      onBookings: onBookings ?? 'refuse',
      action: 'admin.center.update',
      detail: { fields: Object.keys(changes).sort() },
      resync: SLOT_SETTINGS.some((field) => changes[field] !== undefined),
      apply: async (manager, center) => {
        const updated = Object.assign(center, centerColumns(changes));
        return this.saveCenter(manager, updated);
      },
    });
    return this.get(result.center.id);
  }

  /** Which services the center offers; those that stay keep their own lead time. */
  async setServices(actor: StaffActor, centerId: string, serviceIds: string[]): Promise<AdminCenterView> {
    const wanted = [...new Set(serviceIds)];
    return inTransaction(this.dataSource, async (manager) => {
      const center = await manager.findOne(Center, { where: { id: centerId }, lock: { mode: 'pessimistic_write' } });
      if (!center) throw new DomainError('not_found', { detail: 'No such center' });
      const known = wanted.length === 0 ? [] : await manager.findBy(Service, { id: In(wanted) });
      if (known.length !== wanted.length) {
        const missing = wanted.filter((id) => !known.some((service) => service.id === id));
        throw new DomainError('not_found', { detail: `No such service: ${missing.join(', ')}` });
      }
      const current = await manager.findBy(CenterService, { centerId });
      const removed = current.filter((row) => !wanted.includes(row.serviceId)).map((row) => row.serviceId);
      const added = wanted.filter((id) => !current.some((row) => row.serviceId === id));
      if (removed.length > 0) await manager.delete(CenterService, { centerId, serviceId: In(removed) });
      if (added.length > 0) await manager.insert(CenterService, added.map((serviceId) => ({ centerId, serviceId, leadTimeHours: null })));
      await this.audit.append(manager, adminAudit(actor, 'admin.center.services', centerId, { added, removed }));
      return this.get(centerId, manager);
    });
  }

  /** Replaces the opening hours; the window's slots follow. */
  async setHours(actor: StaffActor, centerId: string, input: OpeningHoursDto): Promise<ScheduleChangeView> {
    assertNoOverlap(input.hours);
    const result = await this.schedule.run({
      actor,
      centerId,
      onBookings: input.onBookings ?? 'refuse',
      action: 'admin.center.hours',
      detail: { periods: input.hours.length },
      apply: async (manager, center) => {
        await manager.delete(OpeningHours, { centerId });
        if (input.hours.length > 0) {
          await manager.insert(
            OpeningHours,
            input.hours.map((h) => ({ centerId, weekday: h.weekday, opens: h.opens, closes: h.closes, counters: h.counters })),
          );
        }
        return center;
      },
    });
    return this.changeView(result);
  }

  /** Closes the center on the days from..to; their free slots go, their bookings as `onBookings` says. */
  async addClosures(actor: StaffActor, centerId: string, input: ClosureDto): Promise<ScheduleChangeView> {
    const to = input.to ?? input.from;
    if (!isIsoDate(input.from) || !isIsoDate(to) || to < input.from || daysBetween(input.from, to) + 1 > MAX_CLOSURE_DAYS) {
      throw new DomainError('invalid_range', { detail: `from and to must be dates (YYYY-MM-DD), from ≤ to, at most ${MAX_CLOSURE_DAYS} days` });
    }
    const result = await this.schedule.run({
      actor,
      centerId,
      onBookings: input.onBookings ?? 'refuse',
      action: 'admin.center.closure',
      detail: { from: input.from, to },
      apply: async (manager, center) => {
        const today = localDate(this.clock.now(), center.timezone);
        if (input.from < today) throw new DomainError('invalid_range', { detail: `A closure cannot start before today (${today})` });
        const days: string[] = [];
        for (let day = input.from; day <= to; day = addDays(day, 1)) days.push(day);
        await manager.query(
          `INSERT INTO closure (center_id, day, reason) SELECT $1, d, $3 FROM unnest($2::date[]) AS d
           ON CONFLICT (center_id, day) DO UPDATE SET reason = EXCLUDED.reason`,
          [centerId, days, input.reason],
        );
        return center;
      },
    });
    return this.changeView(result);
  }

  /** Opens a closed day again; its slots come back if it lies in the window. */
  async removeClosure(actor: StaffActor, centerId: string, closureId: string): Promise<ScheduleChangeView> {
    const result = await this.schedule.run({
      actor,
      centerId,
      onBookings: 'refuse',
      action: 'admin.center.closure_removed',
      detail: { closureId },
      apply: async (manager, center) => {
        const [, deleted] = (await manager.query('DELETE FROM closure WHERE id = $1 AND center_id = $2', [closureId, centerId])) as [unknown, number];
        if (deleted !== 1) throw new DomainError('not_found', { detail: 'No such closure' });
        return center;
      },
    });
    return this.changeView(result);
  }

  private async changeView(result: ScheduleChangeResult): Promise<ScheduleChangeView> {
    return {
      center: await this.get(result.center.id),
      cancelledAppointments: result.cancelledAppointments,
      slotsCreated: result.slotsCreated,
      slotsRemoved: result.slotsRemoved,
    };
  }

  private async saveCenter(manager: EntityManager, center: Center): Promise<Center> {
    try {
      return await manager.save(Center, center);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('duplicate_code', { detail: `A center with code "${center.code}" exists` });
      throw error;
    }
  }

  private async views(manager: EntityManager, centers: Center[]): Promise<AdminCenterView[]> {
    if (centers.length === 0) return [];
    const ids = centers.map((c) => c.id);
    const hours = await manager.find(OpeningHours, { where: { centerId: In(ids) }, order: { weekday: 'ASC', opens: 'ASC' } });
    const offerings = await manager.find(CenterService, { where: { centerId: In(ids) }, relations: { service: true } });
    // Today somewhere on earth; each center's own today is applied below.
    const earliest = addDays(localDate(this.clock.now(), 'UTC'), -1);
    const closures = (await manager.query(
      'SELECT id, center_id, day::text AS day, reason FROM closure WHERE center_id = ANY($1::uuid[]) AND day >= $2 ORDER BY day',
      [ids, earliest],
    )) as Array<{ id: string; center_id: string; day: string; reason: string }>;
    return centers.map((center) => {
      const today = localDate(this.clock.now(), center.timezone);
      return {
        ...toCenterView(center),
        slotMinutes: center.slotMinutes,
        bookingWindowDays: center.bookingWindowDays,
        releaseTime: center.releaseTime.slice(0, 5),
        hours: hours
          .filter((h) => h.centerId === center.id)
          .map((h) => ({ weekday: h.weekday, opens: h.opens.slice(0, 5), closes: h.closes.slice(0, 5), counters: h.counters })),
        services: offerings
          .filter((o) => o.centerId === center.id)
          .map((o) => ({ serviceId: o.serviceId, code: o.service!.code, leadTimeHours: o.leadTimeHours }))
          .sort((a, b) => a.code.localeCompare(b.code)),
        closures: closures.filter((c) => c.center_id === center.id && c.day >= today).map((c) => ({ id: c.id, day: c.day, reason: c.reason })),
      };
    });
  }
}

/** The entity's columns from the API's shape (absent fields stay absent; so do nulls, which @IsOptional lets through). */
function centerColumns(input: Partial<CreateCenterDto>): Partial<Center> {
  const columns: Partial<Center> = {};
  if (input.code != null) columns.code = input.code;
  if (input.name) Object.assign(columns, { nameZh: input.name.zh, nameEn: input.name.en });
  if (input.address) Object.assign(columns, { addressZh: input.address.zh, addressEn: input.address.en });
  if (input.timezone != null) columns.timezone = input.timezone;
  if (input.slotMinutes != null) columns.slotMinutes = input.slotMinutes;
  if (input.bookingWindowDays != null) columns.bookingWindowDays = input.bookingWindowDays;
  if (input.releaseTime != null) columns.releaseTime = input.releaseTime;
  return columns;
}

/** Two periods on one weekday must not overlap: they would give the same slots twice. */
function assertNoOverlap(hours: OpeningPeriodDto[]): void {
  const minutes = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
  for (const period of hours) {
    if (minutes(period.opens) >= minutes(period.closes)) {
      throw new DomainError('validation_failed', { detail: `weekday ${period.weekday}: opens ${period.opens} must be before closes ${period.closes}` });
    }
  }
  for (const [i, a] of hours.entries()) {
    for (const b of hours.slice(i + 1)) {
      if (a.weekday === b.weekday && minutes(a.opens) < minutes(b.closes) && minutes(b.opens) < minutes(a.closes)) {
        throw new DomainError('validation_failed', { detail: `weekday ${a.weekday}: ${a.opens}–${a.closes} overlaps ${b.opens}–${b.closes}` });
      }
    }
  }
}
