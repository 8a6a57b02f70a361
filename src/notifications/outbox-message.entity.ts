import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type OutboxChannel = 'sms' | 'email';

/**
 * A message waiting to be sent, written in the same transaction as the change it reports.
 * Recipient and text are encrypted like every other personal datum.
 */
@Entity('outbox_message')
@Check('outbox_channel', "channel IN ('sms', 'email')")
@Index('outbox_due', ['nextAttemptAt'], { where: 'sent_at IS NULL AND failed_at IS NULL' })
@Index('outbox_recipient', ['recipientHash', 'createdAt'])
export class OutboxMessage {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 8 })
  channel!: OutboxChannel;

  @Column({ type: 'bytea' })
  recipientHash!: Buffer;

  @Column({ type: 'text' })
  recipientCipher!: string;

  /** Which message (e.g. otp-login, booking-confirmed): logs name this, never the text. */
  @Column({ type: 'varchar', length: 48 })
  template!: string;

  @Column({ type: 'text', nullable: true })
  subjectCipher!: string | null;

  @Column({ type: 'text' })
  bodyCipher!: string;

  /** A message that must exist once (e.g. one reminder per appointment). */
  @Index('outbox_dedupe', { unique: true })
  @Column({ type: 'varchar', length: 96, nullable: true })
  dedupeKey!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'timestamptz' })
  nextAttemptAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  /** Parked after the last try; admins see it. */
  @Column({ type: 'timestamptz', nullable: true })
  failedAt!: Date | null;

  /** The gateway's answer, without personal data. */
  @Column({ type: 'text', nullable: true })
  lastError!: string | null;
}
