export interface OutgoingMessage {
  /** The outbox id: gateways may use it to drop a duplicate after a retry. */
  id: string;
  to: string;
  template: string;
  subject?: string;
  text: string;
}

/** A way out for one channel. Throwing means "try again later". */
export abstract class SmsGateway {
  abstract readonly name: string;
  abstract send(message: OutgoingMessage): Promise<void>;
}

export abstract class EmailGateway {
  abstract readonly name: string;
  abstract send(message: OutgoingMessage): Promise<void>;
}
