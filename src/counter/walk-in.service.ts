import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { Appointment } from '../appointments/appointment.entity';
import { newReference } from '../appointments/reference';
import { StaffActor } from '../auth/guards/auth-context';
import { AuditService } from '../audit/audit.service';
import { CentersService } from '../centers/centers.service';
import { inTransaction, isUniqueViolation } from '../database/transaction';
import { parseMobilePhone } from '../identity/phone';
import { Resident } from '../residents/resident.entity';
import { addDays, localDate, startOfLocalDate } from '../slots/booking-window';
import { StaffAppointmentView } from './dto/staff-appointment.view';
import { StaffAppointmentViews } from './staff-appointment-view';
import { staffAudit } from './staff-scope';
import { nextTicket, notifyDisplay } from './tickets';

export interface WalkIn {
  idNumber: string;
  phone?: string;
  serviceId: string;
}

/**
 * A resident without a booking, identified by the ID card the clerk holds, takes the next
 * free place today and is checked in at once.
 */
@Injectable()
export class WalkInService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly crypto: CryptoService,
    private readonly centers: CentersService,
    private readonly audit: AuditService,
    private readonly views: StaffAppointmentViews,
    private readonly clock: Clock,
  ) {}

  async walkIn(actor: StaffActor, centerId: string, input: WalkIn): Promise<StaffAppointmentView> {
    const { center } = await this.centers.offering(centerId, input.serviceId);
    try {
      return await inTransaction(this.dataSource, async (manager) => {
        const now = this.clock.now();
        const today = localDate(now, center.timezone);
        const resident = await this.findOrCreateResident(manager, input, now);
        const slot = await this.takePlaceToday(manager, centerId, now, startOfLocalDate(addDays(today, 1), center.timezone));
        if (!slot) throw new DomainError('no_capacity_today');
        const ticket = await nextTicket(manager, centerId, today);
        const inserted = await manager.insert(Appointment, {
          reference: newReference(),
          centerId,
          serviceId: input.serviceId,
          slotId: slot.id,
          residentId: resident.id,
          status: 'checked_in',
          checkedInAt: now,
          checkedInBy: actor.id,
          ticket,
          walkIn: true,
          createdAt: now,
          updatedAt: now,
        });
        const id = inserted.identifiers[0]!.id as string;
        await this.audit.append(manager, { ...staffAudit(actor, 'appointment.walk_in'), centerId, appointmentId: id, residentIdHash: resident.idHash, detail: { ticket } });
        await notifyDisplay(manager, centerId);
        return this.views.one(manager, id);
      });
    } catch (error) {
      if (isUniqueViolation(error, 'appointment_one_active_per_service')) {
        throw new DomainError('already_booked', { detail: 'This resident already has an active appointment for this service: check that one in' });
      }
      throw error;
    }
  }

  /**
   * A place in the current or next slot of today that has room. The conditional UPDATE waits
   * for a concurrent taker of the same slot (a walk-in or a booking) and takes the place only
   * if one is still left; otherwise the next slot is tried. (SKIP LOCKED would answer "no
   * capacity" whenever the one slot with room was briefly locked by someone else.)
   */
  private async takePlaceToday(manager: EntityManager, centerId: string, now: Date, endOfToday: Date): Promise<{ id: string } | undefined> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const [candidate] = (await manager.query(
        `SELECT id FROM slot
          WHERE center_id = $1 AND ends_at > $2 AND starts_at < $3 AND booked + held < capacity
          ORDER BY starts_at LIMIT 1`,
        [centerId, now, endOfToday],
      )) as Array<{ id: string }>;
      if (!candidate) return undefined;
      const [, taken] = (await manager.query('UPDATE slot SET booked = booked + 1 WHERE id = $1 AND booked + held < capacity', [candidate.id])) as [unknown, number];
      if (taken === 1) return candidate;
    }
    return undefined;
  }

  /** A phone is bound only when none is yet: changing a binding is the audited re-bind. */
  private async findOrCreateResident(manager: EntityManager, input: WalkIn, now: Date): Promise<Resident> {
    const idHash = this.crypto.hash('id-number', input.idNumber);
    const phone = input.phone ? parseMobilePhone(input.phone)!.e164 : undefined;
    await manager.query(
      `INSERT INTO resident (id_hash, id_cipher, phone_hash, phone_cipher, bound_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id_hash) DO UPDATE SET
         phone_hash = COALESCE(resident.phone_hash, EXCLUDED.phone_hash),
         phone_cipher = COALESCE(resident.phone_cipher, EXCLUDED.phone_cipher),
         bound_at = COALESCE(resident.bound_at, EXCLUDED.bound_at)`,
      [idHash, this.crypto.encrypt(input.idNumber), phone ? this.crypto.hash('phone', phone) : null, phone ? this.crypto.encrypt(phone) : null, phone ? now : null, now],
    );
    return manager.findOneByOrFail(Resident, { idHash });
  }
}
