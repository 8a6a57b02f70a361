import { Inject, Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { OutgoingMessage, SmsGateway } from './gateway';

/**
 * An SMS provider's HTTP API: a JSON POST, an auth header, and an HMAC-SHA256 signature of
 * timestamp + body so the provider can tell the request is ours and fresh.
 */
@Injectable()
export class HttpSmsGateway extends SmsGateway {
  readonly name = 'http';

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  async send(message: OutgoingMessage): Promise<void> {
    const { url, authorization, signingSecret, timeoutMs } = this.config.smsHttp;
    const body = JSON.stringify({ id: message.id, to: message.to, text: message.text, template: message.template });
    const timestamp = Math.floor(Date.now() / 1000).toString();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-civic-timestamp': timestamp,
      'x-civic-signature': `sha256=${createHmac('sha256', signingSecret).update(`${timestamp}.${body}`).digest('hex')}`,
      'idempotency-key': `civic-outbox-${message.id}`,
    };
    if (authorization) headers.authorization = authorization;
    const response = await fetch(url!, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`SMS gateway answered ${response.status}`);
  }
}
