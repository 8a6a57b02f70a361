import { StaffActor } from '../auth/guards/auth-context';
import { AuditInput } from '../audit/audit.service';

/** An audit entry for an admin's change; details carry ids and counts, never personal data. */
export function adminAudit(actor: StaffActor, action: string, centerId: string | null, detail: Record<string, unknown> = {}): AuditInput {
  return { actorType: 'staff', actorId: actor.id, actorRole: actor.role, action, centerId, detail };
}
