import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Center } from '../centers/center.entity';

/**
 * A bookable period at a center. `booked` is the number of non-cancelled appointments and
 * `held` the number of places freed by a cancellation that are kept off public availability
 * (offered to the waitlist, or cooling down: see src/waitlist); the CHECK is the last line of
 * defence against over-booking.
 */
@Entity('slot')
@Unique('slot_center_start', ['centerId', 'startsAt'])
@Check('slot_booked_within_capacity', 'booked >= 0 AND held >= 0 AND booked + held <= capacity')
@Check('slot_period', 'starts_at < ends_at')
export class Slot {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  centerId!: string;

  @Column({ type: 'timestamptz' })
  startsAt!: Date;

  @Column({ type: 'timestamptz' })
  endsAt!: Date;

  @Column({ type: 'int' })
  capacity!: number;

  @Column({ type: 'int', default: 0 })
  booked!: number;

  /** One per `slot_hold` row of this slot. */
  @Column({ type: 'int', default: 0 })
  held!: number;

  @ManyToOne(() => Center, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'center_id' })
  center?: Center;
}
