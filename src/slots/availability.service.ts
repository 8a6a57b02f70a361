import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { CentersService } from '../centers/centers.service';
import { formatInstant } from '../common/time/format';
import { AvailableSlotView } from './dto/available-slot.view';
import { daysBetween, isIsoDate, lastBookableDate, localDate, startOfLocalDate, addDays, windowEnd } from './booking-window';

const MAX_RANGE_DAYS = 31;

@Injectable()
export class AvailabilityService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly centers: CentersService,
    private readonly clock: Clock,
  ) {}

  /** Slots with places left, inside the booking window and the service's lead time. */
  async available(centerId: string, serviceId: string, fromInput?: string, toInput?: string): Promise<AvailableSlotView[]> {
    await this.centers.get(centerId);
    const { center, leadTimeHours } = await this.centers.offering(centerId, serviceId);
    const now = this.clock.now();
    const from = fromInput ?? localDate(now, center.timezone);
    const to = toInput ?? lastBookableDate(center, now);
    if (!isIsoDate(from) || !isIsoDate(to) || to < from || daysBetween(from, to) + 1 > MAX_RANGE_DAYS) {
      throw new DomainError('invalid_range', { detail: `from and to must be dates (YYYY-MM-DD), from ≤ to, at most ${MAX_RANGE_DAYS} days` });
    }
    const earliest = Math.max(startOfLocalDate(from, center.timezone).getTime(), now.getTime() + leadTimeHours * 3600_000);
    const latest = Math.min(startOfLocalDate(addDays(to, 1), center.timezone).getTime(), windowEnd(center, now).getTime());
    if (earliest >= latest) return [];
    const rows = (await this.dataSource.query(
      `SELECT s.id, s.starts_at, s.ends_at, s.capacity - s.booked AS remaining
         FROM slot s
        WHERE s.center_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3 AND s.booked < s.capacity
          AND NOT EXISTS (SELECT 1 FROM closure c WHERE c.center_id = s.center_id AND c.day = (s.starts_at AT TIME ZONE $4)::date)
        ORDER BY s.starts_at`,
      [centerId, new Date(earliest), new Date(latest), center.timezone],
    )) as Array<{ id: string; starts_at: Date; ends_at: Date; remaining: number }>;
    return rows.map((row) => ({
      slotId: row.id,
      startsAt: formatInstant(row.starts_at, center.timezone),
      endsAt: formatInstant(row.ends_at, center.timezone),
      remaining: row.remaining,
    }));
  }
}
