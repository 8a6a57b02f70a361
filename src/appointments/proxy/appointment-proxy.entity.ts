import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Appointment } from '../appointment.entity';

/**
 * The relative a resident named to pick an appointment up for them. Like a resident, the
 * proxy is known only by a keyed hash of their ID number (compared at the counter) and its
 * AES-GCM ciphertext (masked display, export); the key id is the ciphertext's prefix.
 */
@Entity('appointment_proxy')
export class AppointmentProxy {
  @PrimaryColumn({ type: 'uuid' })
  appointmentId!: string;

  @Column({ type: 'bytea' })
  idHash!: Buffer;

  @Column({ type: 'text' })
  idCipher!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @OneToOne(() => Appointment, (appointment) => appointment.proxy, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'appointment_id' })
  appointment?: Relation<Appointment>;
}
