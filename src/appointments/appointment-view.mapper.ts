import { CryptoService } from '../common/crypto/crypto.service';
import { maskIdNumber } from '../common/masking';
import { formatInstant } from '../common/time/format';
import { Appointment } from './appointment.entity';
import { formatSlotInstant } from './formatted-instants';
import { AppointmentView } from './dto/appointment.view';
import { AppointmentProxy } from './proxy/appointment-proxy.entity';

/** Needs the appointment with its slot and center loaded (and its proxy, where it has one). */
export function toAppointmentView(appointment: Appointment, crypto: CryptoService): AppointmentView {
  const zone = appointment.center?.timezone ?? 'Asia/Shanghai';
  return {
    id: appointment.id,
    reference: appointment.reference,
    status: appointment.status,
    preparation: appointment.preparation,
    centerId: appointment.centerId,
    serviceId: appointment.serviceId,
    slotId: appointment.slotId,
    startsAt: formatSlotInstant(appointment.slot!.startsAt.getTime(), zone),
    endsAt: formatSlotInstant(appointment.slot!.endsAt.getTime(), zone),
    ticket: appointment.ticket,
    createdAt: formatInstant(appointment.createdAt, zone),
    proxy: appointment.proxy ? { maskedIdNumber: maskedProxy(appointment.proxy, crypto) } : null,
  };
}

/** The proxy's ID number as the resident and the counter see it. */
export function maskedProxy(proxy: AppointmentProxy, crypto: CryptoService): string {
  return maskIdNumber(crypto.decrypt(proxy.idCipher));
}
