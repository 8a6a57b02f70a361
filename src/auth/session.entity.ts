import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Resident } from '../residents/resident.entity';
import { Staff } from '../staff/staff.entity';

export type SessionSubject = 'resident' | 'staff';

/** A signed-in session; only the SHA-256 of its random token is stored. */
@Entity('session')
@Check('session_subject', "subject IN ('resident', 'staff')")
@Check('session_owner', "(subject = 'resident') = (resident_id IS NOT NULL) AND (subject = 'staff') = (staff_id IS NOT NULL)")
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

  @Index('session_staff')
  @Column({ type: 'uuid', nullable: true })
  staffId!: string | null;

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

  @ManyToOne(() => Staff, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id' })
  staff?: Staff;
}
