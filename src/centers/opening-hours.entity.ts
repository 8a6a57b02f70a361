import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Center } from './center.entity';

/** One opening period on one weekday (1 = Monday … 7 = Sunday), local time of the center. */
@Entity('opening_hours')
@Check('opening_hours_weekday', 'weekday BETWEEN 1 AND 7')
@Check('opening_hours_period', 'opens < closes')
@Check('opening_hours_counters', 'counters > 0')
@Index('opening_hours_center', ['centerId', 'weekday'])
export class OpeningHours {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  centerId!: string;

  @Column({ type: 'smallint' })
  weekday!: number;

  @Column({ type: 'time' })
  opens!: string;

  @Column({ type: 'time' })
  closes!: string;

  @Column({ type: 'int' })
  counters!: number;

  @ManyToOne(() => Center, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'center_id' })
  center?: Center;
}
