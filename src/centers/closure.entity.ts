import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Center } from './center.entity';

/** A day on which a center is closed (holiday, works, training). */
@Entity('closure')
@Unique('closure_center_day', ['centerId', 'day'])
export class Closure {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  centerId!: string;

  @Column({ type: 'date' })
  day!: string;

  @Column({ type: 'text' })
  reason!: string;

  @ManyToOne(() => Center, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'center_id' })
  center?: Center;
}
