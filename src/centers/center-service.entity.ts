import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Center } from './center.entity';
import { Service } from './service.entity';

/** Which center offers which service; a center may shorten or lengthen the lead time. */
@Entity('center_service')
export class CenterService {
  @PrimaryColumn({ type: 'uuid' })
  centerId!: string;

  @PrimaryColumn({ type: 'uuid' })
  serviceId!: string;

  @Column({ type: 'int', nullable: true })
  leadTimeHours!: number | null;

  @ManyToOne(() => Center, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'center_id' })
  center?: Center;

  @ManyToOne(() => Service, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id' })
  service?: Service;
}
