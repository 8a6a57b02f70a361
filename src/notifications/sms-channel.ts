import { EntityManager } from 'typeorm';

export interface SmsMessage {
  /** E.164 */
  to: string;
  text: string;
  /** What kind of message, for logs that must not contain the text. */
  template: string;
}

/**
 * Sends text messages. `send` runs inside the transaction that caused the message, so a
 * message is recorded exactly when the change it reports is.
 */
export abstract class SmsChannel {
  abstract send(message: SmsMessage, manager: EntityManager): Promise<void>;
}
