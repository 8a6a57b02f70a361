import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Resident } from '../residents/resident.entity';

export type SessionSubject = 'resident' | 'staff';

/** A signed-in session; only the SHA-256 of its random token is stored. */
@Entity('session')
@Check('session_subject', "subject IN ('resident', 'staff')")
export class Session {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('session_token_hash', { unique: true })
  @Column({ type: 'bytea' })
  tokenHash!: Buffer;

  @Column({ type: 'varchar', length: 16 })
  subject!: SessionSubject;

  @Index('session_resident')
  @Column({ type: 'uuid', nullable: true })
  residentId!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz' })
  idleExpiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @ManyToOne(() => Resident, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resident_id' })
  resident?: Resident;
}
