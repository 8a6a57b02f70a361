import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { maskPhone } from '../common/masking';
import { Clock } from '../common/time/clock';
import { Appointment } from '../appointments/appointment.entity';
import { StaffActor } from '../auth/guards/auth-context';
import { OtpService } from '../auth/otp.service';
import { AuditService } from '../audit/audit.service';
import { Center } from '../centers/center.entity';
import { inTransaction } from '../database/transaction';
import { I18nService } from '../i18n/i18n.service';
import { parseMobilePhone } from '../identity/phone';
import { NoShowPolicyService } from '../no-shows/no-show-policy.service';
import { OutboxService } from '../notifications/outbox.service';
import { Resident } from '../residents/resident.entity';
import { localDate, startOfLocalDate } from '../slots/booking-window';
import { Slot } from '../slots/slot.entity';
import { CheckInProofs } from './check-in-proofs.service';
import { CheckInDto } from './dto/counter.dto';
import { CalledTicketView, CounterChallengeView, StaffAppointmentView } from './dto/staff-appointment.view';
import { StaffAppointmentViews } from './staff-appointment-view';
import { lockAppointmentForStaff, staffAudit } from './staff-scope';
import { nextTicket, notifyDisplay } from './tickets';

/**
 * The counter's actions on one appointment. Each runs in one transaction with its audit
 * entry, so an action and its record exist together or not at all.
 */
@Injectable()
export class CounterDeskService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly crypto: CryptoService,
    private readonly otp: OtpService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly noShows: NoShowPolicyService,
    private readonly views: StaffAppointmentViews,
    private readonly clock: Clock,
    private readonly i18n: I18nService,
    private readonly proofs: CheckInProofs,
  ) {}

  /** The certificate is prepared: the resident sees `ready` and gets an SMS (once). */
  async markReady(actor: StaffActor, appointmentId: string): Promise<StaffAppointmentView> {
    return inTransaction(this.dataSource, async (manager) => {
      const appointment = await lockAppointmentForStaff(manager, actor, appointmentId);
      if (appointment.status !== 'booked' && appointment.status !== 'checked_in') throw new DomainError('invalid_state');
      const resident = await this.resident(manager, appointment);
      if (appointment.preparation !== 'ready') {
        await manager.update(Appointment, { id: appointment.id }, { preparation: 'ready', updatedAt: this.clock.now() });
        if (resident?.phoneCipher) {
          await this.outbox.enqueue(manager, {
            channel: 'sms',
            to: this.crypto.decrypt(resident.phoneCipher),
            template: 'certificate-ready',
            text: this.i18n.bilingual('sms:certificate_ready', { reference: appointment.reference }),
          });
        }
        await this.audit.append(manager, staffAudit(actor, 'appointment.ready', appointment, resident?.idHash));
      }
      return this.views.one(manager, appointment.id);
    });
  }

  /** A fresh counter passcode to the bound phone; the resident reads it out to the clerk. */
  async sendCounterCode(actor: StaffActor, appointmentId: string, ip: string): Promise<CounterChallengeView> {
    return inTransaction(this.dataSource, async (manager) => {
      const appointment = await lockAppointmentForStaff(manager, actor, appointmentId);
      if (appointment.status !== 'booked') throw new DomainError('invalid_state');
      const resident = await this.resident(manager, appointment);
      if (!resident?.phoneCipher) throw new DomainError('invalid_state', { detail: 'No phone is bound to this resident: check the ID card instead' });
      const phone = this.crypto.decrypt(resident.phoneCipher);
      const issued = await this.otp.issue(manager, { purpose: 'counter', idNumber: this.crypto.decrypt(resident.idCipher), phone, ip });
      await this.audit.append(manager, staffAudit(actor, 'appointment.counter_code_sent', appointment, resident.idHash));
      return { challengeId: issued.challengeId, sentTo: maskPhone(parseMobilePhone(phone)?.national ?? phone) };
    });
  }

  /** Checks the person against the appointment (counter passcode, ID card, or proxy) and issues a ticket. */
  async checkIn(actor: StaffActor, appointmentId: string, proof: CheckInDto): Promise<StaffAppointmentView> {
    const outcome = await inTransaction(this.dataSource, async (manager) => {
      const appointment = await lockAppointmentForStaff(manager, actor, appointmentId);
      if (appointment.status !== 'booked') throw new DomainError('invalid_state');
      const center = await manager.findOneByOrFail(Center, { id: appointment.centerId });
      const slot = await manager.findOneByOrFail(Slot, { id: appointment.slotId });
      const today = localDate(this.clock.now(), center.timezone);
      if (localDate(slot.startsAt, center.timezone) !== today) throw new DomainError('not_today');
      const resident = await this.resident(manager, appointment);
      if (!resident) throw new DomainError('invalid_state', { detail: 'The resident erased their data' });

      const proved = await this.proofs.check(manager, actor, appointment, resident, proof);
      if ('failure' in proved) return proved.failure;
      const now = this.clock.now();
      const ticket = await nextTicket(manager, appointment.centerId, today);
      await manager.update(Appointment, { id: appointment.id }, { status: 'checked_in', checkedInAt: now, checkedInBy: actor.id, ticket, updatedAt: now });
      await this.audit.append(manager, staffAudit(actor, 'appointment.check_in', appointment, resident.idHash, { method: proof.method, ticket, ...proved.detail }));
      await notifyDisplay(manager, appointment.centerId);
      return this.views.one(manager, appointment.id);
    });
    // A refused proof is committed (its try counted, its refusal audited) before it is answered.
    if (outcome instanceof DomainError) throw outcome;
    return outcome;
  }

  /** The longest-waiting checked-in ticket, to this counter; two clerks never get the same one. */
  async callNext(actor: StaffActor, counter: number, centerId: string): Promise<CalledTicketView | undefined> {
    return inTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      const center = await manager.findOneBy(Center, { id: centerId });
      if (!center) throw new DomainError('not_found', { detail: 'No such center' });
      // Today's tickets only: one checked in on an earlier day and never called is not called now.
      const startOfToday = startOfLocalDate(localDate(now, center.timezone), center.timezone);
      const [rows] = (await manager.query(
        `UPDATE appointment SET called_at = $2, counter = $3, updated_at = $2
          WHERE id = (SELECT id FROM appointment
                       WHERE center_id = $1 AND status = 'checked_in' AND called_at IS NULL AND checked_in_at >= $4
                       ORDER BY checked_in_at LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING id, ticket, resident_id`,
        [centerId, now, counter, startOfToday],
      )) as [Array<{ id: string; ticket: string; resident_id: string | null }>, number];
      const called = rows[0];
      if (!called) return undefined;
      await this.audit.append(manager, { ...staffAudit(actor, 'appointment.called'), centerId, appointmentId: called.id, detail: { ticket: called.ticket, counter } });
      await notifyDisplay(manager, centerId);
      return { ticket: called.ticket, appointmentId: called.id };
    });
  }

  /** Hand-over: the certificate's serial is recorded and the appointment is done. */
  async fulfil(actor: StaffActor, appointmentId: string, certificateSerial: string): Promise<StaffAppointmentView> {
    return inTransaction(this.dataSource, async (manager) => {
      const appointment = await lockAppointmentForStaff(manager, actor, appointmentId);
      if (appointment.status !== 'checked_in') throw new DomainError('invalid_state');
      const resident = await this.resident(manager, appointment);
      const now = this.clock.now();
      await manager.update(Appointment, { id: appointment.id }, { status: 'fulfilled', fulfilledAt: now, fulfilledBy: actor.id, certificateSerial, calledAt: appointment.calledAt ?? now, updatedAt: now });
      await this.audit.append(manager, staffAudit(actor, 'appointment.fulfilled', appointment, resident?.idHash));
      await notifyDisplay(manager, appointment.centerId);
      return this.views.one(manager, appointment.id);
    });
  }

  /** By hand, once the slot has begun; the no-show policy may then restrict booking. */
  async noShow(actor: StaffActor, appointmentId: string): Promise<StaffAppointmentView> {
    return inTransaction(this.dataSource, async (manager) => {
      const appointment = await lockAppointmentForStaff(manager, actor, appointmentId);
      const slot = await manager.findOneByOrFail(Slot, { id: appointment.slotId });
      const now = this.clock.now();
      if (appointment.status !== 'booked' || slot.startsAt > now) throw new DomainError('invalid_state');
      await manager.update(Appointment, { id: appointment.id }, { status: 'no_show', noShowAt: now, updatedAt: now });
      const resident = await this.resident(manager, appointment);
      await this.audit.append(manager, staffAudit(actor, 'appointment.no_show', appointment, resident?.idHash));
      if (resident) await this.noShows.apply(manager, resident.id, appointment.reference);
      await notifyDisplay(manager, appointment.centerId);
      return this.views.one(manager, appointment.id);
    });
  }

  private async resident(manager: EntityManager, appointment: Appointment): Promise<Resident | null> {
    return appointment.residentId ? manager.findOneBy(Resident, { id: appointment.residentId }) : null;
  }
}
