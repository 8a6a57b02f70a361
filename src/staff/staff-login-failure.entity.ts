import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Staff } from './staff.entity';

/** A failed sign-in of a known account; 5 within 15 minutes lock it for 15 minutes. */
@Entity('staff_login_failure')
@Index('staff_login_failure_recent', ['staffId', 'at'])
export class StaffLoginFailure {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  staffId!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @ManyToOne(() => Staff, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id' })
  staff?: Staff;
}
