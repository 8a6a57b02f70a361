import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { CentersService } from '../centers/centers.service';
import { I18nService } from '../i18n/i18n.service';
import { OutboxService } from '../notifications/outbox.service';
import { WaitlistOffersService } from '../waitlist/waitlist-offers.service';
import { inTransaction, isUniqueViolation } from '../database/transaction';
import { Slot } from '../slots/slot.entity';
import { Appointment } from './appointment.entity';
import { AppointmentsService } from './appointments.service';
import { BookingStatements, ResidentState, freePlace } from './booking-sql';
import { bookingConfirmation } from './booking-confirmation';
import { connectionOf, queryPrepared, runPrepared } from '../database/prepared';
import { assertBookable } from './booking-rules';
import { newReference } from './reference';
import { ProxyService } from './proxy/proxy.service';

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

/**
 * One statement, run again (as `inTransaction` runs a transaction again) when PostgreSQL chose
 * it as the victim of a deadlock — e.g. a resident cancelling while an administrator's change
 * of opening hours cancels the same slot's bookings in the other lock order.
 */
async function retryingDeadlocks<T>(statement: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await statement();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= attempts || !code || !RETRYABLE.has(code)) throw error;
    }
  }
}

export interface BookingRequest {
  residentId: string;
  slotId: string;
  serviceId: string;
  idempotencyKey?: string;
  /** A waitlist offer being claimed: the place comes from this hold, not from the public. */
  holdId?: string;
  /** Proxy pickup: the relative who will come instead (optional). */
  proxyIdNumber?: string;
}

/**
 * Booking, cancelling and rescheduling. The database guarantees the rules under any race:
 * a conditional UPDATE never takes a place that is not there, a partial unique index allows
 * one active appointment per resident and service, and CHECK (booked <= capacity) backs both.
 */
@Injectable()
export class BookingService {
  private sql?: BookingStatements;

  constructor(
    private readonly dataSource: DataSource,
    private readonly centers: CentersService,
    private readonly appointments: AppointmentsService,
    private readonly clock: Clock,
    private readonly crypto: CryptoService,
    private readonly i18n: I18nService,
    private readonly offers: WaitlistOffersService,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly proxies: ProxyService,
  ) {}

  async book(request: BookingRequest): Promise<Appointment> {
    // The proxy is part of the request (a retry naming another proxy is another request); without
    // one, the hash is what it was before proxies existed, so earlier keys still replay.
    const described = `${request.slotId}\n${request.serviceId}${request.proxyIdNumber ? `\n${request.proxyIdNumber}` : ''}`;
    const requestHash = createHash('sha256').update(described).digest();
    const replay = await this.replay(this.dataSource.manager, request, requestHash);
    if (replay) return replay;

    try {
      const outcome = await inTransaction(this.dataSource, (manager) => this.bookIn(manager, request, requestHash));
      return outcome instanceof Appointment ? outcome : this.appointments.getOwn(request.residentId, outcome.earlierId);
    } catch (error) {
      if (isUniqueViolation(error, 'appointment_one_active_per_service')) throw new DomainError('already_booked');
      if (isUniqueViolation(error, 'appointment_idempotency')) {
        const earlier = await this.replay(this.dataSource.manager, request, requestHash);
        if (earlier) return earlier;
      }
      throw error;
    }
  }

  /**
   * The booking in the caller's transaction (a waitlist claim runs it in its own): the earlier
   * appointment's id when the Idempotency-Key was used before, else the new appointment.
   */
  async bookIn(manager: EntityManager, request: BookingRequest, requestHash: Buffer | null = null): Promise<Appointment | { earlierId: string }> {
    const sql = this.statements();
    const db = await connectionOf(manager);
    const [row] = await runPrepared(db, sql.prepare, [request.residentId, request.slotId, request.serviceId]);
    const slot = sql.slot.read(row!);
    if (!slot) throw new DomainError('not_found', { detail: 'No such slot' });
    const center = sql.center.read(row!);
    const service = sql.service.read(row!);
    if (!center || !service || !service.active) throw new DomainError('service_not_offered');
    const leadTimeHours = (row!.offering_lead_time_hours as number | null) ?? service.leadTimeHours;
    const now = this.clock.now();
    assertBookable(slot, { center, service, leadTimeHours }, now);
    if (!row!.resident_id) throw new DomainError('unauthenticated');
    if (requestHash) {
      const earlier = await this.replay(manager, request, requestHash);
      if (earlier) return { earlierId: earlier.id };
    }

    const reference = newReference();
    const confirmation = row!.phone_cipher ? this.crypto.encrypt(bookingConfirmation(this.i18n, reference, slot.startsAt, center)) : null;
    const [result] = await runPrepared<ResidentState & Record<string, unknown>>(db, sql.book, [
      request.residentId,
      request.serviceId,
      slot.id,
      now,
      this.config.maxActiveAppointments,
      reference,
      request.idempotencyKey ?? null,
      request.idempotencyKey ? requestHash : null,
      this.config.bookingCaps.daily,
      this.config.bookingCaps.weekly,
      confirmation,
      request.holdId ?? null,
    ]);
    this.assertResidentMayBook(result!, now);
    const appointment = sql.appointment.read(result!);
    if (!appointment) throw new DomainError(request.holdId ? 'offer_expired' : 'slot_full');
    appointment.slot = sql.slot.read(result!);
    appointment.center = center;
    appointment.service = service;
    if (request.proxyIdNumber) appointment.proxy = await this.proxies.attach(manager, request.residentId, appointment.id, request.proxyIdNumber);
    return appointment;
  }

  async cancel(residentId: string, appointmentId: string): Promise<Appointment> {
    const sql = this.statements();
    const now = this.clock.now();
    const [row] = await retryingDeadlocks(() => queryPrepared(this.dataSource, sql.cancel, [appointmentId, residentId, now, ...this.coolDown(now)]));
    const appointment = row ? sql.appointment.read(row) : undefined;
    if (!appointment) {
      await this.appointments.getOwn(residentId, appointmentId); // 404 if not theirs
      throw new DomainError('not_cancellable');
    }
    appointment.slot = sql.slot.read(row!);
    appointment.center = sql.center.read(row!);
    appointment.service = sql.service.read(row!);
    if (row!.someone_waits) await this.offers.offerHeldPlaces();
    return appointment;
  }

  /** Moves to another slot atomically: the old place is freed only if the new one was taken. */
  async reschedule(residentId: string, appointmentId: string, newSlotId: string): Promise<Appointment> {
    const current = await this.appointments.getOwn(residentId, appointmentId);
    if (current.slotId === newSlotId) return current;
    const now = this.clock.now();
    if (current.status !== 'booked' || current.slot!.startsAt <= now) throw new DomainError('not_reschedulable');
    const slot = await this.findSlot(newSlotId);
    const offering = await this.centers.offering(slot.centerId, current.serviceId);
    assertBookable(slot, offering, now);

    const someoneWaits = await inTransaction(this.dataSource, async (manager) => {
      // The appointment alone is locked: joined to its slot, a reschedule that waited for a
      // concurrent one would no longer find the row (the join's slot is the one it left).
      const [locked] = (await manager.query(`SELECT slot_id FROM appointment WHERE id = $1 AND resident_id = $2 AND status = 'booked' FOR UPDATE`, [
        appointmentId,
        residentId,
      ])) as Array<{ slot_id: string }>;
      if (!locked) throw new DomainError('not_reschedulable');
      if (locked.slot_id === slot.id) return false;
      // Both slot rows in id order, so two opposite moves cannot deadlock.
      const slots = (await manager.query('SELECT id, starts_at FROM slot WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [[locked.slot_id, slot.id]])) as Array<{ id: string; starts_at: Date }>;
      if (slots.find((row) => row.id === locked.slot_id)!.starts_at <= now) throw new DomainError('not_reschedulable');
      await this.takePlace(manager, slot.id);
      const [freed] = (await manager.query(`WITH ${freePlace('$1::uuid', '$2', '$3', '$4')} SELECT someone_waits FROM freed`, [locked.slot_id, ...this.coolDown(now), now])) as Array<{ someone_waits: boolean }>;
      // A certificate made ready at one center is not ready at another.
      await manager.query(
        `UPDATE appointment SET slot_id = $2, center_id = $3, updated_at = $4, preparation = CASE WHEN center_id = $3 THEN preparation ELSE 'pending' END WHERE id = $1`,
        [appointmentId, slot.id, slot.centerId, now],
      );
      const [resident] = (await manager.query('SELECT phone_cipher FROM resident WHERE id = $1', [residentId])) as Array<{ phone_cipher: string | null }>;
      if (resident?.phone_cipher) {
        const text = bookingConfirmation(this.i18n, current.reference, slot.startsAt, offering.center);
        await this.outbox.enqueue(manager, { channel: 'sms', to: this.crypto.decrypt(resident.phone_cipher), template: 'booking-confirmed', text });
      }
      return freed!.someone_waits;
    });
    if (someoneWaits) await this.offers.offerHeldPlaces();
    return this.appointments.getOwn(residentId, appointmentId);
  }

  private async findSlot(slotId: string): Promise<Slot> {
    const slot = await this.dataSource.manager.findOneBy(Slot, { id: slotId });
    if (!slot) throw new DomainError('not_found', { detail: 'No such slot' });
    return slot;
  }

  private assertResidentMayBook(state: ResidentState, now: Date): void {
    if (state.restricted_until && state.restricted_until > now) {
      throw new DomainError('booking_restricted', { extensions: { restrictedUntil: state.restricted_until.toISOString() } });
    }
    if (state.active_for_service > 0) throw new DomainError('already_booked');
    if (state.active >= this.config.maxActiveAppointments) {
      throw new DomainError('too_many_active_appointments', { extensions: { maxActiveAppointments: this.config.maxActiveAppointments } });
    }
    const caps = this.config.bookingCaps;
    if (state.made_today >= caps.daily || state.made_this_week >= caps.weekly) {
      throw new DomainError('booking_cap_reached', { extensions: { dailyCap: caps.daily, weeklyCap: caps.weekly } });
    }
  }

  /** The end of a freed place's cool-down, and whether places cool down at all. */
  private coolDown(now: Date): [Date, boolean] {
    const minutes = this.config.waitlist.cooldownMinutes;
    return [new Date(now.getTime() + minutes * 60_000), minutes > 0];
  }

  /** Built on first use, from the entities' metadata: no per-request SQL building. */
  private statements(): BookingStatements {
    return (this.sql ??= new BookingStatements(this.dataSource));
  }

  private async takePlace(manager: EntityManager, slotId: string): Promise<void> {
    const [, taken] = (await manager.query('UPDATE slot SET booked = booked + 1 WHERE id = $1 AND booked + held < capacity', [slotId])) as [unknown, number];
    if (taken !== 1) throw new DomainError('slot_full');
  }

  /** Same key and same request: the earlier answer. Same key, other request: refused. */
  private async replay(manager: EntityManager, request: BookingRequest, requestHash: Buffer): Promise<Appointment | undefined> {
    if (!request.idempotencyKey) return undefined;
    const earlier = await manager.findOne(Appointment, {
      where: { residentId: request.residentId, idempotencyKey: request.idempotencyKey },
      relations: { slot: true, center: true, proxy: true },
    });
    if (!earlier) return undefined;
    if (!earlier.requestHash?.equals(requestHash)) throw new DomainError('idempotency_conflict');
    return earlier;
  }
}
