import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CryptoService } from '../../common/crypto/crypto.service';
import { Clock } from '../../common/time/clock';
import { DomainError } from '../../common/errors/domain-error';
import { inTransaction } from '../../database/transaction';
import { Appointment } from '../appointment.entity';
import { AppointmentsService } from '../appointments.service';
import { AppointmentProxy } from './appointment-proxy.entity';

/**
 * Proxy pickup, the resident's side: naming, changing and removing the relative who picks an
 * appointment up. The proxy's ID number is kept as the resident's is (keyed hash, ciphertext).
 */
@Injectable()
export class ProxyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly crypto: CryptoService,
    private readonly appointments: AppointmentsService,
    private readonly clock: Clock,
  ) {}

  /**
   * Names (or replaces) the proxy of the resident's appointment, in the caller's transaction:
   * the booking's own, so that a refused proxy undoes the booking too.
   */
  async attach(manager: EntityManager, residentId: string, appointmentId: string, idNumber: string): Promise<AppointmentProxy> {
    const idHash = this.crypto.hash('id-number', idNumber);
    const [resident] = (await manager.query('SELECT id_hash FROM resident WHERE id = $1', [residentId])) as Array<{ id_hash: Buffer }>;
    if (!resident) throw new DomainError('unauthenticated');
    if (this.crypto.equal(resident.id_hash, idHash)) throw new DomainError('proxy_is_resident');
    const proxy = Object.assign(new AppointmentProxy(), { appointmentId, idHash, idCipher: this.crypto.encrypt(idNumber) });
    const [row] = (await manager.query(
      `INSERT INTO appointment_proxy (appointment_id, id_hash, id_cipher, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (appointment_id) DO UPDATE SET id_hash = EXCLUDED.id_hash, id_cipher = EXCLUDED.id_cipher, created_at = EXCLUDED.created_at
       RETURNING created_at`,
      [proxy.appointmentId, proxy.idHash, proxy.idCipher, this.clock.now()],
    )) as Array<{ created_at: Date }>;
    proxy.createdAt = row!.created_at;
    return proxy;
  }

  /** PUT …/proxy: names or changes the proxy of a booked appointment. */
  async set(residentId: string, appointmentId: string, idNumber: string): Promise<Appointment> {
    await inTransaction(this.dataSource, async (manager) => {
      await this.lockBooked(manager, residentId, appointmentId);
      await this.attach(manager, residentId, appointmentId, idNumber);
    });
    return this.appointments.getOwn(residentId, appointmentId);
  }

  /** DELETE …/proxy: the resident comes in person after all (nothing to remove is fine too). */
  async remove(residentId: string, appointmentId: string): Promise<Appointment> {
    await inTransaction(this.dataSource, async (manager) => {
      await this.lockBooked(manager, residentId, appointmentId);
      await manager.delete(AppointmentProxy, { appointmentId });
    });
    return this.appointments.getOwn(residentId, appointmentId);
  }

  /** Loads the proxy of an appointment read without it (e.g. by the cancel statement). */
  async fill(appointment: Appointment): Promise<Appointment> {
    if (appointment.proxy === undefined) appointment.proxy = await this.dataSource.manager.findOneBy(AppointmentProxy, { appointmentId: appointment.id });
    return appointment;
  }

  /** Another resident's appointment does not exist (404); the proxy changes only while booked. */
  private async lockBooked(manager: EntityManager, residentId: string, appointmentId: string): Promise<void> {
    const [row] = (await manager.query('SELECT status FROM appointment WHERE id = $1 AND resident_id = $2 FOR UPDATE', [appointmentId, residentId])) as Array<{ status: string }>;
    if (!row) throw new DomainError('not_found', { detail: 'No such appointment' });
    if (row.status !== 'booked') throw new DomainError('proxy_not_changeable');
  }
}
