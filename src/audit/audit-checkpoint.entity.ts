import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Where the kept part of the audit chain begins once older entries were removed by
 * retention: the last removed entry's seq and hash, signed with the app's key.
 */
@Entity('audit_checkpoint')
export class AuditCheckpoint {
  @PrimaryColumn({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'bytea' })
  hash!: Buffer;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'bytea' })
  signature!: Buffer;
}
