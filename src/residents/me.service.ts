import { Injectable } from '@nestjs/common';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { DataSource, EntityManager } from 'typeorm';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { maskIdNumber, maskPhone } from '../common/masking';
import { Appointment } from '../appointments/appointment.entity';
import { toAppointmentView } from '../appointments/appointment-view.mapper';
import { AuditService } from '../audit/audit.service';
import { Session } from '../auth/session.entity';
import { inTransaction } from '../database/transaction';
import { AccessLogEntryView, MeView } from './dto/me.view';
import { Resident } from './resident.entity';

/** What a signed-in resident can see, take away and erase of their own data. */
@Injectable()
export class MeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly crypto: CryptoService,
    private readonly audit: AuditService,
  ) {}

  async me(residentId: string): Promise<MeView> {
    const resident = await this.resident(residentId);
    return {
      maskedIdNumber: maskIdNumber(this.crypto.decrypt(resident.idCipher)),
      maskedPhone: resident.phoneCipher ? maskPhone(nationalNumber(this.crypto.decrypt(resident.phoneCipher))) : null,
      restrictedUntil: resident.restrictedUntil?.toISOString() ?? null,
    };
  }

  async accessLog(residentId: string): Promise<AccessLogEntryView[]> {
    const resident = await this.resident(residentId);
    return this.audit.accessLog(this.dataSource.manager, resident.idHash, await this.appointmentIds(residentId));
  }

  /** Every stored fact about the resident: the one answer where plain ID and phone appear. */
  async export(residentId: string): Promise<Record<string, unknown>> {
    const manager = this.dataSource.manager;
    const resident = await this.resident(residentId);
    const appointments = await manager.find(Appointment, { where: { residentId }, relations: { slot: true, center: true, proxy: true }, order: { createdAt: 'ASC' } });
    const sessions = await manager.find(Session, { where: { residentId }, order: { createdAt: 'ASC' } });
    return {
      exportedAt: new Date().toISOString(),
      resident: {
        idNumber: this.crypto.decrypt(resident.idCipher),
        phone: resident.phoneCipher ? this.crypto.decrypt(resident.phoneCipher) : null,
        boundAt: resident.boundAt?.toISOString() ?? null,
        createdAt: resident.createdAt.toISOString(),
        restrictedUntil: resident.restrictedUntil?.toISOString() ?? null,
      },
      appointments: appointments.map((a) => ({
        ...toAppointmentView(a, this.crypto),
        proxyIdNumber: a.proxy ? this.crypto.decrypt(a.proxy.idCipher) : null,
        certificateSerial: a.certificateSerial,
        cancelledAt: a.cancelledAt?.toISOString() ?? null,
        checkedInAt: a.checkedInAt?.toISOString() ?? null,
        fulfilledAt: a.fulfilledAt?.toISOString() ?? null,
      })),
      waitlist: (await manager.query(
        `SELECT w.id, w.center_id AS "centerId", w.service_id AS "serviceId", w.day::text AS date, w.status, w.created_at AS "createdAt"
           FROM waitlist_entry w WHERE w.resident_id = $1 ORDER BY w.created_at`,
        [residentId],
      )) as unknown[],
      sessions: sessions.map((s) => ({
        createdAt: s.createdAt.toISOString(),
        expiresAt: s.expiresAt.toISOString(),
        revokedAt: s.revokedAt?.toISOString() ?? null,
      })),
      accessLog: await this.audit.accessLog(manager, resident.idHash, appointments.map((a) => a.id)),
      notKept: 'No photograph, face template or other biometric is ever collected.',
    };
  }

  /**
   * Erases the resident: their row, sessions, passcode history and the proxies they named go; past appointments
   * stay only as anonymous rows (slot counters and statistics need them). Audit entries keep
   * the keyed hash of the ID, which no longer leads to anyone once the resident row is gone.
   */
  async erase(residentId: string): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      const resident = await manager.findOne(Resident, { where: { id: residentId }, lock: { mode: 'pessimistic_write' } });
      if (!resident) throw new DomainError('unauthenticated');
      const active = await manager.count(Appointment, { where: [{ residentId, status: 'booked' }, { residentId, status: 'checked_in' }] });
      if (active > 0) throw new DomainError('active_appointments');
      await this.eraseTraces(manager, resident);
      await this.audit.append(manager, { actorType: 'resident', action: 'resident.erased', residentIdHash: resident.idHash });
    });
  }

  private async eraseTraces(manager: EntityManager, resident: Resident): Promise<void> {
    // The proxies named: their ID numbers were the resident's to give, and go with the resident.
    await manager.query('DELETE FROM appointment_proxy p USING appointment a WHERE a.id = p.appointment_id AND a.resident_id = $1', [resident.id]);
    await manager.query('UPDATE appointment SET resident_id = NULL, idempotency_key = NULL, request_hash = NULL WHERE resident_id = $1', [resident.id]);
    await manager.query('DELETE FROM waitlist_entry WHERE resident_id = $1', [resident.id]); // a place held for them passes on
    await manager.query('DELETE FROM otp_challenge WHERE id_hash = $1', [resident.idHash]);
    await manager.query('DELETE FROM otp_failure WHERE id_hash = $1', [resident.idHash]);
    await manager.query('DELETE FROM sign_in_lock WHERE id_hash = $1', [resident.idHash]);
    if (resident.phoneHash) await manager.query('DELETE FROM outbox_message WHERE recipient_hash = $1 AND (sent_at IS NOT NULL OR failed_at IS NOT NULL)', [resident.phoneHash]);
    await manager.delete(Resident, { id: resident.id }); // sessions go with it (ON DELETE CASCADE)
  }

  private async appointmentIds(residentId: string): Promise<string[]> {
    const rows = (await this.dataSource.query('SELECT id FROM appointment WHERE resident_id = $1', [residentId])) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  private async resident(residentId: string): Promise<Resident> {
    const resident = await this.dataSource.manager.findOneBy(Resident, { id: residentId });
    if (!resident) throw new DomainError('unauthenticated');
    return resident;
  }
}

function nationalNumber(e164: string): string {
  return parsePhoneNumberFromString(e164)?.nationalNumber ?? e164;
}
