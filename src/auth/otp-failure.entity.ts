import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One wrong passcode for an ID; enough of them in a day lock online sign-in. */
@Entity('otp_failure')
@Index('otp_failure_id_recent', ['idHash', 'at'])
export class OtpFailure {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ type: 'bytea' })
  idHash!: Buffer;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
