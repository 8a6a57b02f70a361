import canonicalize from 'canonicalize';
import { createHash, createHmac } from 'node:crypto';
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
  // Exactly these fields, whatever else the object carries (a loaded entity has its hashes too).
  const canonical = canonicalize({
    seq: entry.seq,
    at: entry.at.toISOString(),
    actorType: entry.actorType,
    actorId: entry.actorId,
    actorRole: entry.actorRole,
    action: entry.action,
    centerId: entry.centerId,
    appointmentId: entry.appointmentId,
    residentIdHash: entry.residentIdHash?.toString('hex') ?? null,
    detail: entry.detail,
  });
  return createHash('sha256').update(prevHash).update(canonical ?? '').digest();
}

/** HMAC over a checkpoint, so that nobody without the app's key can move where the chain starts. */
export function checkpointSignature(key: Buffer, seq: string, hash: Buffer): Buffer {
  return createHmac('sha256', key).update('audit-checkpoint\0').update(seq).update('\0').update(hash).digest();
}
