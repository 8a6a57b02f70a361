import { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Appointment } from '../appointments/appointment.entity';
import { StaffActor } from '../auth/guards/auth-context';
import { AuditInput } from '../audit/audit.service';

/**
 * The center whose data this staff member may touch: their own, or for an admin the one
 * they name. Another center's things simply do not exist for them (404).
 */
export function centerOf(actor: StaffActor, requested?: string): string {
  if (actor.role === 'admin') {
    if (!requested) throw new DomainError('validation_failed', { detail: 'Admins name the center: ?centerId=' });
    return requested;
  }
  if (requested && requested !== actor.centerId) throw new DomainError('not_found', { detail: 'No such center' });
  return actor.centerId!;
}

/** The appointment, row-locked, if this staff member may see it; 404 otherwise. */
export async function lockAppointmentForStaff(manager: EntityManager, actor: StaffActor, appointmentId: string): Promise<Appointment> {
  const appointment = await manager.findOne(Appointment, {
    where: actor.role === 'admin' ? { id: appointmentId } : { id: appointmentId, centerId: actor.centerId! },
    lock: { mode: 'pessimistic_write' },
  });
  if (!appointment) throw new DomainError('not_found', { detail: 'No such appointment' });
  return appointment;
}

export function staffAudit(actor: StaffActor, action: string, appointment?: Appointment, residentIdHash?: Buffer | null, detail?: Record<string, unknown>): AuditInput {
  return {
    actorType: 'staff',
    actorId: actor.id,
    actorRole: actor.role,
    action,
    centerId: appointment?.centerId ?? actor.centerId,
    appointmentId: appointment?.id ?? null,
    residentIdHash: residentIdHash ?? null,
    detail,
  };
}
