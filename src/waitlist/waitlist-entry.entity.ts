import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Center } from '../centers/center.entity';
import { Service } from '../centers/service.entity';
import { Resident } from '../residents/resident.entity';

export const WAITLIST_STATUSES = ['waiting', 'booked', 'expired', 'left'] as const;
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number];

/**
 * A resident waiting for a place for one service at one center on one (full) day. While
 * `waiting`, a `slot_hold` pointing here is their offer; an offer not claimed in time ends the
 * entry as `expired` and the place passes to the next in line.
 */
@Entity('waitlist_entry')
@Check('waitlist_entry_status', "status IN ('waiting', 'booked', 'expired', 'left')")
@Check('waitlist_entry_day', 'day_starts_at < day_ends_at')
// One place in line per resident and service, as there is one active appointment per service.
@Index('waitlist_one_per_service', ['residentId', 'serviceId'], { unique: true, where: "status = 'waiting'" })
// The line of a center's day: first come, first offered.
@Index('waitlist_line', ['centerId', 'dayStartsAt', 'lineSeq'], { where: "status = 'waiting'" })
export class WaitlistEntry {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Null once the resident erased their data. */
  @Index('waitlist_resident')
  @Column({ type: 'uuid', nullable: true })
  residentId!: string | null;

  @Column({ type: 'uuid' })
  centerId!: string;

  @Column({ type: 'uuid' })
  serviceId!: string;

  /** The local date at the center, and that day's bounds as instants (slots are matched by them). */
  @Column({ type: 'date' })
  day!: string;

  @Column({ type: 'timestamptz' })
  dayStartsAt!: Date;

  @Column({ type: 'timestamptz' })
  dayEndsAt!: Date;

  @Column({ type: 'varchar', length: 16, default: 'waiting' })
  status!: WaitlistStatus;

  /** The appointment the offer became. */
  @Column({ type: 'uuid', nullable: true })
  appointmentId!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  /** The order of joining: a line is no comparison of clocks, and two joins in one millisecond keep their order. */
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'BY DEFAULT' })
  lineSeq!: string;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;

  @ManyToOne(() => Resident, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'resident_id' })
  resident?: Resident;

  @ManyToOne(() => Center, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'center_id' })
  center?: Center;

  @ManyToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id' })
  service?: Service;
}
