import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type OtpPurpose = 'login' | 'counter';

/** One passcode sent by SMS. The code itself is kept only as a keyed hash. */
@Entity('otp_challenge')
@Check('otp_challenge_purpose', "purpose IN ('login', 'counter')")
@Index('otp_challenge_id_recent', ['idHash', 'createdAt'])
@Index('otp_challenge_phone_recent', ['phoneHash', 'createdAt'])
@Index('otp_challenge_ip_recent', ['ipHash', 'createdAt'])
export class OtpChallenge {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  purpose!: OtpPurpose;

  @Column({ type: 'bytea' })
  idHash!: Buffer;

  @Column({ type: 'text' })
  idCipher!: string;

  /** The phone the code was sent to (the bound phone where there is one). */
  @Column({ type: 'bytea' })
  phoneHash!: Buffer;

  @Column({ type: 'text' })
  phoneCipher!: string;

  @Column({ type: 'bytea', nullable: true })
  ipHash!: Buffer | null;

  @Column({ type: 'bytea' })
  codeHash!: Buffer;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'timestamptz', nullable: true })
  consumedAt!: Date | null;

  /** Set when a newer code replaced this one or too many wrong tries used it up. */
  @Column({ type: 'timestamptz', nullable: true })
  killedAt!: Date | null;
}
