import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Slot } from '../../slots/slot.entity';
import { Clock } from '../../common/time/clock';
import { Center } from '../../centers/center.entity';
import { CentersService } from '../../centers/centers.service';
import { ServiceView } from '../../centers/dto/center.view';
import { DomainError } from '../../common/errors/domain-error';
import { AvailabilityService } from '../../slots/availability.service';
import { addDays, lastBookableDate, localDate, windowEnd } from '../../slots/booking-window';
import { AvailableSlotView } from '../../slots/dto/available-slot.view';

export interface DayChoice {
  date: string;
  places: number;
  /** Full, but the center is open that day: the resident may join its waitlist. */
  waitable: boolean;
}

/** What the booking pages show, gathered from the same services the API uses. */
@Injectable()
export class BookingFlowService {
  constructor(
    private readonly centers: CentersService,
    private readonly availability: AvailabilityService,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
  ) {}

  async centerAndService(centerCode: string, serviceCode: string): Promise<{ center: Center; service: ServiceView }> {
    const center = await this.centers.byCode(centerCode);
    const service = (await this.centers.services(center.id)).find((s) => s.code === serviceCode);
    if (!service) throw new DomainError('service_not_offered');
    return { center, service };
  }

  /** Every day of the booking window, with the places left (0: shown as full, or closed). */
  async days(center: Center, service: ServiceView): Promise<DayChoice[]> {
    const now = this.clock.now();
    const slots = await this.availability.available(center.id, service.id);
    const open = (await this.dataSource.query(
      `SELECT DISTINCT (starts_at AT TIME ZONE $2)::date::text AS day FROM slot WHERE center_id = $1 AND starts_at > $3 AND starts_at < $4 AND capacity > 0`,
      [center.id, center.timezone, now, windowEnd(center, now)],
    )) as Array<{ day: string }>;
    const openDays = new Set(open.map((row) => row.day));
    const places = new Map<string, number>();
    for (const slot of slots) {
      const day = slot.startsAt.slice(0, 10);
      places.set(day, (places.get(day) ?? 0) + slot.remaining);
    }
    const days: DayChoice[] = [];
    const last = lastBookableDate(center, now);
    for (let date = localDate(now, center.timezone); date <= last; date = addDays(date, 1)) {
      const free = places.get(date) ?? 0;
      days.push({ date, places: free, waitable: free === 0 && openDays.has(date) });
    }
    return days;
  }

  /** The slot, center and service a confirm page shows. */
  async describe(slotId: string, serviceId: string): Promise<{ slot: Slot; center: Center; service: ServiceView }> {
    const slot = await this.dataSource.manager.findOneBy(Slot, { id: slotId });
    if (!slot) throw new DomainError('not_found');
    const center = await this.centers.get(slot.centerId);
    const service = (await this.centers.services(center.id)).find((s) => s.id === serviceId);
    if (!service) throw new DomainError('service_not_offered');
    return { slot, center, service };
  }

  slotsOn(center: Center, service: ServiceView, date: string): Promise<AvailableSlotView[]> {
    return this.availability.available(center.id, service.id, date, date);
  }
}
