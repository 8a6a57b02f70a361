import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/time/clock';
import { AuditEntry } from './audit-entry.entity';
import { AuditContent, auditHash, GENESIS_HASH } from './audit-chain';

/** Serialises appends so that the chain never forks, however many instances write. */
const AUDIT_CHAIN_LOCK = 0x41554454; // "AUDT"

export type AuditInput = Omit<AuditContent, 'seq' | 'at' | 'detail' | 'actorId' | 'actorRole' | 'centerId' | 'appointmentId' | 'residentIdHash'> &
  Partial<Pick<AuditContent, 'detail' | 'actorId' | 'actorRole' | 'centerId' | 'appointmentId' | 'residentIdHash'>>;

export interface AccessLogEntry {
  at: string;
  action: string;
  staffRole: string | null;
  centerId: string | null;
}

@Injectable()
export class AuditService {
  constructor(private readonly clock: Clock) {}

  /** Appends in the caller's transaction: the entry exists exactly when the action does. */
  async append(manager: EntityManager, input: AuditInput): Promise<AuditEntry> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    // The newest entry, or where retention left the chain: it goes on from there.
    const [last] = (await manager.query(
      `(SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1)
       UNION ALL (SELECT seq, hash FROM audit_checkpoint ORDER BY seq DESC LIMIT 1)
       ORDER BY seq DESC LIMIT 1`,
    )) as Array<{ seq: string; hash: Buffer }>;
    const content: AuditContent = {
      seq: (BigInt(last?.seq ?? '0') + 1n).toString(),
      at: this.clock.now(),
      actorType: input.actorType,
      actorId: input.actorId ?? null,
      actorRole: input.actorRole ?? null,
      action: input.action,
      centerId: input.centerId ?? null,
      appointmentId: input.appointmentId ?? null,
      residentIdHash: input.residentIdHash ?? null,
      detail: input.detail ?? {},
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    const entry = Object.assign(new AuditEntry(), content, { prevHash, hash: auditHash(prevHash, content) });
    await manager.save(AuditEntry, entry);
    return entry;
  }

  /**
   * What staff did with this resident's data, newest first: entries about them, and queue
   * views that listed one of their appointments.
   */
  async accessLog(manager: EntityManager, residentIdHash: Buffer, appointmentIds: string[]): Promise<AccessLogEntry[]> {
    const rows = (await manager.query(
      `SELECT at, action, actor_role, center_id FROM audit_entry
        WHERE actor_type = 'staff'
          AND (resident_id_hash = $1 OR (action = 'queue.view' AND detail -> 'appointmentIds' ?| $2::text[]))
        ORDER BY seq DESC LIMIT 500`,
      [residentIdHash, appointmentIds],
    )) as Array<{ at: Date; action: string; actor_role: string | null; center_id: string | null }>;
    return rows.map((row) => ({ at: row.at.toISOString(), action: row.action, staffRole: row.actor_role, centerId: row.center_id }));
  }
}
