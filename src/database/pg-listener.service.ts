import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Logger } from 'pino';
import { Client } from 'pg';
import { filter, map, Observable, Subject } from 'rxjs';
import { DataSource } from 'typeorm';
import { LOGGER } from '../common/logging/logger';

/** The channels any instance may NOTIFY (at commit) and every instance listens to. */
export const PG_CHANNELS = ['display_changed', 'outbox_ready'] as const;
export type PgChannel = (typeof PG_CHANNELS)[number];

const RECONNECT_MS = 1000;

/**
 * One LISTEN connection per instance turns PostgreSQL notifications into streams, so that
 * a change committed on any instance reaches every instance at once. It reconnects by itself.
 */
@Injectable()
export class PgListener implements OnModuleInit, OnModuleDestroy {
  private readonly notifications = new Subject<{ channel: string; payload: string }>();
  private client?: Client;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.notifications.complete();
    await this.client?.end().catch(() => undefined);
  }

  on(channel: PgChannel): Observable<string> {
    return this.notifications.pipe(
      filter((n) => n.channel === channel),
      map((n) => n.payload),
    );
  }

  private async listen(): Promise<void> {
    const options = this.dataSource.options as { url?: string };
    const client = new Client({ connectionString: options.url, application_name: 'civic-desk-listen' });
    client.on('notification', (message) => this.notifications.next({ channel: message.channel, payload: message.payload ?? '' }));
    client.on('error', () => this.reconnectLater());
    client.on('end', () => this.reconnectLater());
    try {
      await client.connect();
      for (const channel of PG_CHANNELS) await client.query(`LISTEN ${channel}`);
      this.client = client;
    } catch (error) {
      this.logger.warn({ err: error }, 'database notifications unavailable; retrying');
      await client.end().catch(() => undefined);
      this.reconnectLater();
    }
  }

  private reconnectLater(): void {
    if (this.stopped) return;
    this.client = undefined;
    setTimeout(() => void this.listen(), RECONNECT_MS).unref();
  }
}
