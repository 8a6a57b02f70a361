import { formatInstant } from '../common/time/format';
import { Appointment } from './appointment.entity';
import { AppointmentView } from './dto/appointment.view';

/** Needs the appointment with its slot and center loaded. */
export function toAppointmentView(appointment: Appointment): AppointmentView {
  const zone = appointment.center?.timezone ?? 'Asia/Shanghai';
  return {
    id: appointment.id,
    reference: appointment.reference,
    status: appointment.status,
    preparation: appointment.preparation,
    centerId: appointment.centerId,
    serviceId: appointment.serviceId,
    slotId: appointment.slotId,
    startsAt: formatInstant(appointment.slot!.startsAt, zone),
    endsAt: formatInstant(appointment.slot!.endsAt, zone),
    ticket: appointment.ticket,
    createdAt: formatInstant(appointment.createdAt, zone),
  };
}
