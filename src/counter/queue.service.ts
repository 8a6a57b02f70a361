import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { StaffActor } from '../auth/guards/auth-context';
import { AuditService } from '../audit/audit.service';
import { Center } from '../centers/center.entity';
import { Resident } from '../residents/resident.entity';
import { addDays, isIsoDate, localDate, startOfLocalDate } from '../slots/booking-window';
import { StaffAppointmentView } from './dto/staff-appointment.view';
import { StaffAppointmentViews } from './staff-appointment-view';
import { centerOf, staffAudit } from './staff-scope';

/** What the counter reads: the day's queue and look-up by reference. Every read is audited. */
@Injectable()
export class QueueService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly views: StaffAppointmentViews,
    private readonly clock: Clock,
  ) {}

  async queue(actor: StaffActor, date?: string, requestedCenter?: string): Promise<StaffAppointmentView[]> {
    const centerId = centerOf(actor, requestedCenter);
    return this.dataSource.transaction(async (manager) => {
      const center = await manager.findOneBy(Center, { id: centerId });
      if (!center) throw new DomainError('not_found', { detail: 'No such center' });
      const day = date ?? localDate(this.clock.now(), center.timezone);
      if (!isIsoDate(day)) throw new DomainError('validation_failed', { detail: 'date must be YYYY-MM-DD' });
      const rows = (await manager.query(
        `SELECT a.id FROM appointment a JOIN slot s ON s.id = a.slot_id
          WHERE a.center_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3 AND a.status <> 'cancelled'
          ORDER BY s.starts_at, a.created_at`,
        [centerId, startOfLocalDate(day, center.timezone), startOfLocalDate(addDays(day, 1), center.timezone)],
      )) as Array<{ id: string }>;
      const ids = rows.map((r) => r.id);
      await this.audit.append(manager, { ...staffAudit(actor, 'queue.view'), centerId, detail: { date: day, appointmentIds: ids } });
      return this.views.load(manager, ids);
    });
  }

  async byReference(actor: StaffActor, reference: string): Promise<StaffAppointmentView> {
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `SELECT a.id, a.center_id, a.resident_id FROM appointment a WHERE a.reference = $1 AND ($2::uuid IS NULL OR a.center_id = $2)`,
        [reference.trim().toUpperCase(), actor.role === 'admin' ? null : actor.centerId],
      )) as Array<{ id: string; center_id: string; resident_id: string | null }>;
      const found = rows[0];
      if (!found) throw new DomainError('not_found', { detail: 'No such appointment at this center' });
      const resident = found.resident_id ? await manager.findOneBy(Resident, { id: found.resident_id }) : null;
      await this.audit.append(manager, { ...staffAudit(actor, 'appointment.lookup'), centerId: found.center_id, appointmentId: found.id, residentIdHash: resident?.idHash ?? null });
      return this.views.one(manager, found.id);
    });
  }
}
