import { DomainError } from '../common/errors/domain-error';
import { Offering } from '../centers/centers.service';
import { windowEnd } from '../slots/booking-window';
import { Slot } from '../slots/slot.entity';

/** Whether a resident may take this slot for this service now; throws the reason if not. */
export function assertBookable(slot: Slot, offering: Offering, now: Date): void {
  if (slot.centerId !== offering.center.id) throw new DomainError('service_not_offered');
  if (slot.startsAt <= now) throw new DomainError('slot_in_past');
  if (slot.startsAt.getTime() < now.getTime() + offering.leadTimeHours * 3600_000) {
    throw new DomainError('lead_time', { detail: `This service must be booked at least ${offering.leadTimeHours} hours ahead` });
  }
  if (slot.startsAt >= windowEnd(offering.center, now)) throw new DomainError('outside_booking_window');
}
