import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CryptoService } from '../common/crypto/crypto.service';
import { maskIdNumber } from '../common/masking';
import { Appointment } from '../appointments/appointment.entity';
import { toAppointmentView } from '../appointments/appointment-view.mapper';
import { StaffAppointmentView } from './dto/staff-appointment.view';

/** Appointments as the counter sees them: with the masked ID numbers (resident, proxy), never the plain ones. */
@Injectable()
export class StaffAppointmentViews {
  constructor(private readonly crypto: CryptoService) {}

  async load(manager: EntityManager, ids: string[]): Promise<StaffAppointmentView[]> {
    if (ids.length === 0) return [];
    const appointments = await manager
      .createQueryBuilder(Appointment, 'a')
      .innerJoinAndSelect('a.slot', 'slot')
      .innerJoinAndSelect('a.center', 'center')
      .leftJoinAndSelect('a.resident', 'resident')
      .leftJoinAndSelect('a.proxy', 'proxy')
      .where('a.id IN (:...ids)', { ids })
      .orderBy('slot.starts_at', 'ASC')
      .addOrderBy('a.created_at', 'ASC')
      .getMany();
    return appointments.map((a) => this.view(a));
  }

  async one(manager: EntityManager, id: string): Promise<StaffAppointmentView> {
    const [view] = await this.load(manager, [id]);
    return view!;
  }

  private view(appointment: Appointment): StaffAppointmentView {
    return {
      ...toAppointmentView(appointment, this.crypto),
      maskedIdNumber: appointment.resident ? maskIdNumber(this.crypto.decrypt(appointment.resident.idCipher)) : null,
      walkIn: appointment.walkIn,
      counter: appointment.counter,
    };
  }
}
