import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Appointment } from './appointment.entity';

/** Reading a resident's own appointments; another resident's simply do not exist (404). */
@Injectable()
export class AppointmentsService {
  constructor(private readonly dataSource: DataSource) {}

  async getOwn(residentId: string, appointmentId: string, manager: EntityManager = this.dataSource.manager): Promise<Appointment> {
    const appointment = await manager.findOne(Appointment, {
      where: { id: appointmentId, residentId },
      relations: { slot: true, center: true, service: true, proxy: true },
    });
    if (!appointment) throw new DomainError('not_found', { detail: 'No such appointment' });
    return appointment;
  }

  listOwn(residentId: string): Promise<Appointment[]> {
    return this.dataSource.manager.find(Appointment, {
      where: { residentId },
      relations: { slot: true, center: true, service: true, proxy: true },
      order: { createdAt: 'DESC' },
      take: 200,
    });
  }
}
