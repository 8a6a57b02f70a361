import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An ID ↔ phone binding imported from the registration office; it wins over first use. */
@Entity('registry_entry')
export class RegistryEntry {
  @PrimaryColumn({ type: 'bytea' })
  idHash!: Buffer;

  @Column({ type: 'bytea' })
  phoneHash!: Buffer;

  @Column({ type: 'text' })
  phoneCipher!: string;

  @Column({ type: 'timestamptz' })
  importedAt!: Date;
}
