import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export interface LocalisedText {
  zh: string;
  en: string;
}

/** A kind of certificate a center hands out. */
@Entity('service')
export class Service {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 32, unique: true })
  code!: string;

  @Column({ type: 'text' })
  nameZh!: string;

  @Column({ type: 'text' })
  nameEn!: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  requiredDocuments!: LocalisedText[];

  @Column({ type: 'int', default: 24 })
  leadTimeHours!: number;

  @Column({ type: 'boolean', default: true })
  active!: boolean;
}
