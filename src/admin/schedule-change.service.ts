import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { formatInstant } from '../common/time/format';
import { StaffActor } from '../auth/guards/auth-context';
import { AuditService } from '../audit/audit.service';
import { Center } from '../centers/center.entity';
import { inTransaction } from '../database/transaction';
import { OnAffectedSlots, SlotGeneratorService } from '../slots/slot-generator.service';
import { adminAudit } from './admin-audit';
import { CenterCancellationsService } from './center-cancellations.service';
import { AffectedSlotView } from './dto/admin.views';
import { OnBookings } from './dto/localised-text.dto';

export interface ScheduleChange {
  actor: StaffActor;
  centerId: string;
  onBookings: OnBookings;
  /** The audit action, e.g. `admin.center.hours`. */
  action: string;
  detail?: Record<string, unknown>;
  /** Changes hours, closures or settings in the transaction; returns the center as it is now. */
  apply(manager: EntityManager, center: Center): Promise<Center>;
  /** False when the change cannot move a slot (a new name): the slots are left alone. */
  resync?: boolean;
}

export interface ScheduleChangeResult {
  center: Center;
  cancelledAppointments: number;
  slotsCreated: number;
  slotsRemoved: number;
}

/**
 * A change to when a center is open, applied with its consequences in one transaction: the
 * window's slots follow the new hours, and bookings that no longer fit are either a reason to
 * refuse (409 `bookings_affected` with the slots, and nothing changes) or cancelled with an
 * SMS to each resident. The generator lock keeps the hourly job out meanwhile.
 */
@Injectable()
export class ScheduleChangeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly generator: SlotGeneratorService,
    private readonly cancellations: CenterCancellationsService,
    private readonly audit: AuditService,
  ) {}

  run(change: ScheduleChange): Promise<ScheduleChangeResult> {
    return inTransaction(this.dataSource, async (manager) => {
      await this.generator.lock(manager);
      const locked = await manager.findOne(Center, { where: { id: change.centerId }, lock: { mode: 'pessimistic_write' } });
      if (!locked) throw new DomainError('not_found', { detail: 'No such center' });
      const center = await change.apply(manager, locked);
      let cancelledAppointments = 0;
      const onAffected: OnAffectedSlots = async (m, affected) => {
        if (change.onBookings === 'refuse') {
          const slots: AffectedSlotView[] = affected.map((a) => ({
            slotId: a.slot.id,
            startsAt: formatInstant(a.slot.startsAt, center.timezone),
            booked: a.slot.booked,
            newCapacity: a.newCapacity,
          }));
          throw new DomainError('bookings_affected', { detail: `${slots.length} slot(s) hold more bookings than the change leaves places`, extensions: { slots } });
        }
        cancelledAppointments += await this.cancellations.cancelExcess(m, change.actor, center, affected);
      };
      const sync = change.resync === false ? { created: 0, removed: 0 } : await this.generator.syncCenter(manager, center, onAffected);
      await this.audit.append(
        manager,
        adminAudit(change.actor, change.action, center.id, {
          ...change.detail,
          onBookings: change.onBookings,
          cancelledAppointments,
          slotsCreated: sync.created,
          slotsRemoved: sync.removed,
        }),
      );
      return { center, cancelledAppointments, slotsCreated: sync.created, slotsRemoved: sync.removed };
    });
  }
}
