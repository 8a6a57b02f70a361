import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Center } from '../centers/center.entity';

export const STAFF_ROLES = ['clerk', 'supervisor', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Roles that must give a TOTP code at sign-in. */
export const ROLES_WITH_TOTP: readonly StaffRole[] = ['supervisor', 'admin'];

@Entity('staff')
@Check('staff_role', "role IN ('clerk', 'supervisor', 'admin')")
@Check('staff_center_for_counter_roles', "role = 'admin' OR center_id IS NOT NULL")
export class Staff {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('staff_username', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  username!: string;

  /** argon2id, PHC string format */
  @Column({ type: 'text' })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: StaffRole;

  /** The one center a clerk or supervisor works; null for admins, who see all. */
  @Column({ type: 'uuid', nullable: true })
  centerId!: string | null;

  /** AES-GCM ciphertext of the base32 TOTP secret. */
  @Column({ type: 'text', nullable: true })
  totpSecretCipher!: string | null;

  /** The last TOTP time step accepted: a code is never accepted twice. */
  @Column({ type: 'bigint', nullable: true })
  totpLastStep!: string | null;

  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => Center)
  @JoinColumn({ name: 'center_id' })
  center?: Center;
}
