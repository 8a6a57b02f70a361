import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * What the development `console` channel "sent", so a developer (or a test) can read the
 * passcode at GET /dev/outbox. Encrypted like every other personal datum; never in production.
 */
@Entity('dev_outbox_message')
@Index('dev_outbox_recipient', ['recipientHash', 'createdAt'])
export class DevOutboxMessage {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: string;

  @Column({ type: 'bytea' })
  recipientHash!: Buffer;

  @Column({ type: 'text' })
  recipientCipher!: string;

  @Column({ type: 'text' })
  textCipher!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
