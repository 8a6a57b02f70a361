import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

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

  @Index('resident_phone_hash')
  @Column({ type: 'bytea' })
  phoneHash!: Buffer;

  @Column({ type: 'text' })
  phoneCipher!: string;

  @Column({ type: 'timestamptz' })
  boundAt!: Date;

  /** Set by the no-show policy; booking is refused until then. */
  @Column({ type: 'timestamptz', nullable: true })
  restrictedUntil!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
