import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource, In, Repository } from 'typeorm';
import { StaffActor } from '../../auth/guards/auth-context';
import { Center } from '../../centers/center.entity';
import { CentersService } from '../../centers/centers.service';
import { Service } from '../../centers/service.entity';
import { Clock } from '../../common/time/clock';
import { addDays, localDate, startOfLocalDate } from '../../slots/booking-window';
import { isUuid } from '../uuid-param';

const COUNTER_COOKIE = 'civic_counter';
const CENTER_COOKIE = 'civic_staff_center';

export interface ServiceName {
  zh: string;
  en: string;
}

/**
 * What the clerk console needs besides the counter's own services: which center the page is
 * about (a clerk's own; an admin picks one), service names, and the remembered counter number.
 */
@Injectable()
export class StaffConsoleService {
  constructor(
    private readonly centers: CentersService,
    @InjectRepository(Service) private readonly services: Repository<Service>,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The clerk's or supervisor's center; for an admin the one chosen in this browser, if any. */
  async center(actor: StaffActor, request: FastifyRequest): Promise<Center | undefined> {
    const chosen = actor.centerId ?? request.cookies[CENTER_COOKIE];
    if (!chosen || !isUuid(chosen)) return undefined;
    return this.centers.get(chosen).catch(() => undefined);
  }

  /** An admin works one center at a time in the console; remembered for the browser session. */
  rememberCenter(reply: FastifyReply, center: Center, secure: boolean): void {
    void reply.setCookie(CENTER_COOKIE, center.id, { path: '/staff', httpOnly: true, sameSite: 'lax', secure });
  }

  allCenters(): Promise<Center[]> {
    return this.dataSource.manager.find(Center, { order: { code: 'ASC' } });
  }

  today(center: Center): string {
    return localDate(this.clock.now(), center.timezone);
  }

  now(): Date {
    return this.clock.now();
  }

  /** Names of these services, by id (inactive services included: old appointments keep theirs). */
  async serviceNames(ids: string[]): Promise<Record<string, ServiceName>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return {};
    const rows = await this.services.findBy({ id: In(unique) });
    return Object.fromEntries(rows.map((s) => [s.id, { zh: s.nameZh, en: s.nameEn }]));
  }

  /**
   * A fingerprint of today's queue at a center (statuses, tickets, counters: no personal data,
   * so not an audited read). The console's script reloads the queue only when it changes.
   */
  async queueVersion(center: Center): Promise<string> {
    const day = this.today(center);
    const [row] = (await this.dataSource.query(
      `SELECT md5(coalesce(string_agg(concat_ws('|', a.id, a.status, a.preparation, a.ticket, a.counter, a.called_at), ',' ORDER BY a.id), '')) AS version
         FROM appointment a JOIN slot s ON s.id = a.slot_id
        WHERE a.center_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3 AND a.status <> 'cancelled'`,
      [center.id, startOfLocalDate(day, center.timezone), startOfLocalDate(addDays(day, 1), center.timezone)],
    )) as Array<{ version: string }>;
    return row!.version;
  }

  /** Only the reference (no personal data), to go from a called ticket to its page. */
  async referenceOf(appointmentId: string): Promise<string | undefined> {
    const [row] = (await this.dataSource.query('SELECT reference FROM appointment WHERE id = $1', [appointmentId])) as Array<{ reference: string }>;
    return row?.reference;
  }

  counter(request: FastifyRequest): number | undefined {
    return parseCounter(request.cookies[COUNTER_COOKIE]);
  }

  /** "My counter" stays with the counter PC for a year. */
  rememberCounter(reply: FastifyReply, counter: number, secure: boolean): void {
    void reply.setCookie(COUNTER_COOKIE, String(counter), { path: '/staff', httpOnly: true, sameSite: 'lax', secure, maxAge: 365 * 86_400 });
  }
}

/** 1 to 99, as the API accepts. */
export function parseCounter(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,2}$/.test(value.trim())) return undefined;
  const counter = Number(value.trim());
  return counter >= 1 && counter <= 99 ? counter : undefined;
}

/**
 * What a scanner or a clerk typed: the reference, even when the scanner adds spaces or the QR
 * code held a link ending in it.
 */
export function normaliseReference(input: unknown): string {
  if (typeof input !== 'string') return '';
  const last = input.trim().split(/[/?#=]/).filter(Boolean).pop() ?? '';
  return last.replace(/[^0-9A-Za-z]/g, '').toUpperCase().slice(0, 32);
}
