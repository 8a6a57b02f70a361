import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type ActorType = 'staff' | 'resident' | 'system';

/**
 * Append-only, hash-chained record of every look at or change of resident data. A trigger
 * refuses UPDATE and DELETE; `hash` = SHA-256(prevHash ‖ canonical content).
 */
@Entity('audit_entry')
@Index('audit_entry_resident', ['residentIdHash', 'seq'])
@Index('audit_entry_center', ['centerId', 'at'])
// GIN over detail->'appointmentIds' (a queue view lists many appointments); made by the migration.
@Index('audit_entry_appointment_ids', { synchronize: false })
export class AuditEntry {
  @PrimaryColumn({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'varchar', length: 16 })
  actorType!: ActorType;

  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  actorRole!: string | null;

  @Column({ type: 'varchar', length: 48 })
  action!: string;

  @Column({ type: 'uuid', nullable: true })
  centerId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  appointmentId!: string | null;

  @Column({ type: 'bytea', nullable: true })
  residentIdHash!: Buffer | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  detail!: Record<string, unknown>;

  @Column({ type: 'bytea' })
  prevHash!: Buffer;

  @Column({ type: 'bytea' })
  hash!: Buffer;
}
