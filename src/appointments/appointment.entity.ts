import { Check, Column, Entity, Index, JoinColumn, ManyToOne, OneToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Center } from '../centers/center.entity';
import { Service } from '../centers/service.entity';
import { Resident } from '../residents/resident.entity';
import { Slot } from '../slots/slot.entity';
import { AppointmentProxy } from './proxy/appointment-proxy.entity';

export const APPOINTMENT_STATUSES = ['booked', 'checked_in', 'fulfilled', 'cancelled', 'no_show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
export type Preparation = 'pending' | 'ready';

@Entity('appointment')
@Check('appointment_status', "status IN ('booked', 'checked_in', 'fulfilled', 'cancelled', 'no_show')")
@Check('appointment_preparation', "preparation IN ('pending', 'ready')")
// One active appointment per resident and service: the database enforces it under any race.
@Index('appointment_one_active_per_service', ['residentId', 'serviceId'], {
  unique: true,
  where: "status IN ('booked', 'checked_in')",
})
@Index('appointment_idempotency', ['residentId', 'idempotencyKey'], {
  unique: true,
  where: 'idempotency_key IS NOT NULL',
})
@Index('appointment_slot', ['slotId'])
@Index('appointment_center_waiting', ['centerId', 'checkedInAt'], { where: "status = 'checked_in' AND called_at IS NULL" })
@Index('appointment_resident', ['residentId', 'createdAt'])
export class Appointment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('appointment_reference', { unique: true })
  @Column({ type: 'varchar', length: 16 })
  reference!: string;

  @Column({ type: 'uuid' })
  centerId!: string;

  @Column({ type: 'uuid' })
  serviceId!: string;

  @Column({ type: 'uuid' })
  slotId!: string;

  /** Null once the resident erased their data: the row stays for the slot's counter. */
  @Column({ type: 'uuid', nullable: true })
  residentId!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'booked' })
  status!: AppointmentStatus;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  preparation!: Preparation;

  @Column({ type: 'varchar', length: 16, nullable: true })
  ticket!: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  idempotencyKey!: string | null;

  /** SHA-256 of the booking request, so a replayed key with another body is refused. */
  @Column({ type: 'bytea', nullable: true })
  requestHash!: Buffer | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  certificateSerial!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  checkedInAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  fulfilledAt!: Date | null;

  /** When a clerk called the ticket, and to which counter. */
  @Column({ type: 'timestamptz', nullable: true })
  calledAt!: Date | null;

  @Column({ type: 'int', nullable: true })
  counter!: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  noShowAt!: Date | null;

  /** Served without a booking: the clerk made it at the counter. */
  @Column({ type: 'boolean', default: false })
  walkIn!: boolean;

  @Column({ type: 'uuid', nullable: true })
  checkedInBy!: string | null;

  @Column({ type: 'uuid', nullable: true })
  fulfilledBy!: string | null;

  @ManyToOne(() => Center)
  @JoinColumn({ name: 'center_id' })
  center?: Center;

  @ManyToOne(() => Service)
  @JoinColumn({ name: 'service_id' })
  service?: Service;

  @ManyToOne(() => Slot)
  @JoinColumn({ name: 'slot_id' })
  slot?: Slot;

  @ManyToOne(() => Resident, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'resident_id' })
  resident?: Resident;

  /** Who picks it up instead of the resident, if anyone (its own table: no column here). */
  @OneToOne(() => AppointmentProxy, (proxy) => proxy.appointment)
  proxy?: Relation<AppointmentProxy> | null;
}
