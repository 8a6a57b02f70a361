import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { CentersService } from '../centers/centers.service';
import { inTransaction, isUniqueViolation } from '../database/transaction';
import { Slot } from '../slots/slot.entity';
import { Appointment } from './appointment.entity';
import { AppointmentsService } from './appointments.service';
import { assertBookable } from './booking-rules';
import { newReference } from './reference';

export interface BookingRequest {
  residentId: string;
  slotId: string;
  serviceId: string;
  idempotencyKey?: string;
}

interface ResidentState {
  restricted_until: Date | null;
  active: number;
  active_for_service: number;
}

/**
 * Booking, cancelling and rescheduling. The database guarantees the rules under any race:
 * a conditional UPDATE never takes a place that is not there, a partial unique index allows
 * one active appointment per resident and service, and CHECK (booked <= capacity) backs both.
 */
@Injectable()
export class BookingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly centers: CentersService,
    private readonly appointments: AppointmentsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async book(request: BookingRequest): Promise<Appointment> {
    const requestHash = createHash('sha256').update(`${request.slotId}\n${request.serviceId}`).digest();
    const replay = await this.replay(this.dataSource.manager, request, requestHash);
    if (replay) return replay;

    const slot = await this.findSlot(request.slotId);
    const offering = await this.centers.offering(slot.centerId, request.serviceId);
    assertBookable(slot, offering, this.clock.now());

    try {
      const id = await inTransaction(this.dataSource, async (manager) => {
        const state = await this.lockResident(manager, request);
        const earlier = await this.replay(manager, request, requestHash);
        if (earlier) return earlier.id;
        this.assertResidentMayBook(state);
        await this.takePlace(manager, slot.id);
        const inserted = await manager.insert(Appointment, {
          reference: newReference(),
          centerId: slot.centerId,
          serviceId: request.serviceId,
          slotId: slot.id,
          residentId: request.residentId,
          idempotencyKey: request.idempotencyKey ?? null,
          requestHash: request.idempotencyKey ? requestHash : null,
        });
        return inserted.identifiers[0]!.id as string;
      });
      return this.appointments.getOwn(request.residentId, id);
    } catch (error) {
      if (isUniqueViolation(error, 'appointment_one_active_per_service')) throw new DomainError('already_booked');
      if (isUniqueViolation(error, 'appointment_idempotency')) {
        const earlier = await this.replay(this.dataSource.manager, request, requestHash);
        if (earlier) return earlier;
      }
      throw error;
    }
  }

  async cancel(residentId: string, appointmentId: string): Promise<Appointment> {
    const now = this.clock.now();
    await inTransaction(this.dataSource, async (manager) => {
      const rows = (await manager.query(
        `UPDATE appointment a SET status = 'cancelled', cancelled_at = $3, updated_at = $3
           FROM slot s
          WHERE a.id = $1 AND a.resident_id = $2 AND a.status = 'booked' AND s.id = a.slot_id AND s.starts_at > $3
          RETURNING a.slot_id`,
        [appointmentId, residentId, now],
      )) as [Array<{ slot_id: string }>, number];
      const slotId = rows[0][0]?.slot_id;
      if (!slotId) {
        await this.appointments.getOwn(residentId, appointmentId, manager); // 404 if not theirs
        throw new DomainError('not_cancellable');
      }
      await manager.query('UPDATE slot SET booked = booked - 1 WHERE id = $1', [slotId]);
    });
    return this.appointments.getOwn(residentId, appointmentId);
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

    await inTransaction(this.dataSource, async (manager) => {
      const [locked] = (await manager.query(
        `SELECT a.slot_id FROM appointment a JOIN slot s ON s.id = a.slot_id
          WHERE a.id = $1 AND a.resident_id = $2 AND a.status = 'booked' AND s.starts_at > $3
          FOR UPDATE OF a`,
        [appointmentId, residentId, now],
      )) as Array<{ slot_id: string }>;
      if (!locked) throw new DomainError('not_reschedulable');
      // Both slot rows in id order, so two opposite moves cannot deadlock.
      await manager.query('SELECT id FROM slot WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [[locked.slot_id, slot.id]]);
      await this.takePlace(manager, slot.id);
      await manager.query('UPDATE slot SET booked = booked - 1 WHERE id = $1', [locked.slot_id]);
      await manager.query('UPDATE appointment SET slot_id = $2, center_id = $3, updated_at = $4 WHERE id = $1', [appointmentId, slot.id, slot.centerId, now]);
    });
    return this.appointments.getOwn(residentId, appointmentId);
  }

  private async findSlot(slotId: string): Promise<Slot> {
    const slot = await this.dataSource.manager.findOneBy(Slot, { id: slotId });
    if (!slot) throw new DomainError('not_found', { detail: 'No such slot' });
    return slot;
  }

  /**
   * The resident's row lock serialises their own bookings; others are not held up. The counts
   * are read by a second statement, after the lock is held: under READ COMMITTED a statement
   * sees the snapshot it started with, so counting in the locking statement itself would miss
   * the appointment a concurrent booking committed while this one waited for the lock.
   */
  private async lockResident(manager: EntityManager, request: BookingRequest): Promise<ResidentState> {
    const locked = (await manager.query('SELECT r.id FROM resident r WHERE r.id = $1 FOR UPDATE', [request.residentId])) as unknown[];
    if (locked.length === 0) throw new DomainError('unauthenticated');
    const [state] = (await manager.query(
      `SELECT r.restricted_until,
              (SELECT count(*)::int FROM appointment a WHERE a.resident_id = r.id AND a.status IN ('booked', 'checked_in')) AS active,
              (SELECT count(*)::int FROM appointment a WHERE a.resident_id = r.id AND a.service_id = $2 AND a.status IN ('booked', 'checked_in')) AS active_for_service
         FROM resident r WHERE r.id = $1`,
      [request.residentId, request.serviceId],
    )) as ResidentState[];
    return state!;
  }

  private assertResidentMayBook(state: ResidentState): void {
    const now = this.clock.now();
    if (state.restricted_until && state.restricted_until > now) {
      throw new DomainError('booking_restricted', { extensions: { restrictedUntil: state.restricted_until.toISOString() } });
    }
    if (state.active_for_service > 0) throw new DomainError('already_booked');
    if (state.active >= this.config.maxActiveAppointments) {
      throw new DomainError('too_many_active_appointments', { extensions: { maxActiveAppointments: this.config.maxActiveAppointments } });
    }
  }

  private async takePlace(manager: EntityManager, slotId: string): Promise<void> {
    const [, taken] = (await manager.query('UPDATE slot SET booked = booked + 1 WHERE id = $1 AND booked < capacity', [slotId])) as [unknown, number];
    if (taken !== 1) throw new DomainError('slot_full');
  }

  /** Same key and same request: the earlier answer. Same key, other request: refused. */
  private async replay(manager: EntityManager, request: BookingRequest, requestHash: Buffer): Promise<Appointment | undefined> {
    if (!request.idempotencyKey) return undefined;
    const earlier = await manager.findOne(Appointment, {
      where: { residentId: request.residentId, idempotencyKey: request.idempotencyKey },
      relations: { slot: true, center: true },
    });
    if (!earlier) return undefined;
    if (!earlier.requestHash?.equals(requestHash)) throw new DomainError('idempotency_conflict');
    return earlier;
  }
}
