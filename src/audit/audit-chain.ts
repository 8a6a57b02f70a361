import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { ActorType } from './audit-entry.entity';

export interface AuditContent {
  seq: string;
  at: Date;
  actorType: ActorType;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  centerId: string | null;
  appointmentId: string | null;
  residentIdHash: Buffer | null;
  detail: Record<string, unknown>;
}

export const GENESIS_HASH = Buffer.alloc(32);

/** SHA-256 over the previous hash and the entry's RFC 8785 canonical JSON. */
export function auditHash(prevHash: Buffer, entry: AuditContent): Buffer {
  const canonical = canonicalize({
    ...entry,
    at: entry.at.toISOString(),
    residentIdHash: entry.residentIdHash?.toString('hex') ?? null,
  });
  return createHash('sha256').update(prevHash).update(canonical ?? '').digest();
}
