import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Slot } from '../slots/slot.entity';
import { WaitlistEntry } from './waitlist-entry.entity';

/**
 * A place freed by a cancellation and kept off public availability (each one counts in
 * `slot.held`): offered to a waitlist entry until `expires_at`, or, with no entry, cooling down
 * until `cool_until` so that cancel-and-rebook cannot hand a place to someone chosen.
 */
@Entity('slot_hold')
@Index('slot_hold_due', ['expiresAt'])
export class SlotHold {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('slot_hold_slot')
  @Column({ type: 'uuid' })
  slotId!: string;

  /** The entry the place is offered to; null while the place cools down or waits for one. */
  @Index('slot_hold_entry', { unique: true })
  @Column({ type: 'uuid', nullable: true })
  waitlistEntryId!: string | null;

  /** End of the offer, or of the cool-down when nobody is offered the place. */
  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  /** Before this the place never returns to the public, even when an offer ends early. */
  @Column({ type: 'timestamptz' })
  coolUntil!: Date;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @ManyToOne(() => Slot, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'slot_id' })
  slot?: Slot;

  @ManyToOne(() => WaitlistEntry, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'waitlist_entry_id' })
  entry?: WaitlistEntry;
}
