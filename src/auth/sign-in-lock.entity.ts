import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Online sign-in for this ID is refused until `lockedUntil` (the counter still serves it). */
@Entity('sign_in_lock')
export class SignInLock {
  @PrimaryColumn({ type: 'bytea' })
  idHash!: Buffer;

  @Column({ type: 'timestamptz' })
  lockedUntil!: Date;
}
