import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A resident is known only by keyed hashes (for lookup) and AES-GCM ciphertexts (for the
 * rare display) of their ID number and bound phone. Nothing else about them is kept.
 */
@Entity('resident')
export class Resident {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('resident_id_hash', { unique: true })
  @Column({ type: 'bytea' })
  idHash!: Buffer;

  @Column({ type: 'text' })
  idCipher!: string;

  /** Null for a walk-in who wanted no SMS; the first online sign-in then binds a phone. */
  @Index('resident_phone_hash')
  @Column({ type: 'bytea', nullable: true })
  phoneHash!: Buffer | null;

  @Column({ type: 'text', nullable: true })
  phoneCipher!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  boundAt!: Date | null;

  /** Set by the no-show policy; booking is refused until then. */
  @Column({ type: 'timestamptz', nullable: true })
  restrictedUntil!: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}
