import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Logger } from 'pino';
import { Client } from 'pg';
import { Observable, Subject, filter, map } from 'rxjs';
import { DataSource } from 'typeorm';
import { LOGGER } from '../common/logging/logger';

const CHANNEL = 'display_changed';
const RECONNECT_MS = 1000;

/**
 * One LISTEN connection per instance turns PostgreSQL notifications (sent at commit by
 * check-ins, calls and hand-overs on any instance) into a stream of changed center ids.
 */
@Injectable()
export class DisplayEventsService implements OnModuleInit, OnModuleDestroy {
  private readonly changes = new Subject<string>();
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
    this.changes.complete();
    await this.client?.end().catch(() => undefined);
  }

  changesOf(centerId: string): Observable<void> {
    return this.changes.pipe(
      filter((changed) => changed === centerId),
      map(() => undefined),
    );
  }

  private async listen(): Promise<void> {
    const options = this.dataSource.options as { url?: string };
    const client = new Client({ connectionString: options.url, application_name: 'civic-desk-display' });
    client.on('notification', (message) => {
      if (message.channel === CHANNEL && message.payload) this.changes.next(message.payload);
    });
    client.on('error', () => this.reconnectLater());
    client.on('end', () => this.reconnectLater());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.client = client;
    } catch (error) {
      this.logger.warn({ err: error }, 'display notifications unavailable; retrying');
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
