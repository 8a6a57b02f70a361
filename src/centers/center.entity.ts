import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('center')
export class Center {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 32, unique: true })
  code!: string;

  @Column({ type: 'text' })
  nameZh!: string;

  @Column({ type: 'text' })
  nameEn!: string;

  @Column({ type: 'text' })
  addressZh!: string;

  @Column({ type: 'text' })
  addressEn!: string;

  @Column({ type: 'text', default: 'Asia/Shanghai' })
  timezone!: string;

  @Column({ type: 'int', default: 15 })
  slotMinutes!: number;

  @Column({ type: 'int', default: 14 })
  bookingWindowDays!: number;

  /** Local time of day at which the last day of the booking window opens. */
  @Column({ type: 'time', default: '00:00:00' })
  releaseTime!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}
