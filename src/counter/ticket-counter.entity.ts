import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Center } from '../centers/center.entity';

/** The last ticket number issued at a center on a local day; one row, so numbers never repeat. */
@Entity('ticket_counter')
export class TicketCounter {
  @PrimaryColumn({ type: 'uuid' })
  centerId!: string;

  @PrimaryColumn({ type: 'date' })
  day!: string;

  @Column({ type: 'int' })
  last!: number;

  @ManyToOne(() => Center, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'center_id' })
  center?: Center;
}
