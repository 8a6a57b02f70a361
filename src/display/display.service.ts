import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { Center } from '../centers/center.entity';
import { localDate, startOfLocalDate } from '../slots/booking-window';

export class NowServingView {
  @ApiProperty({ example: 'A-012' })
  ticket!: string;

  @ApiProperty({ example: 3 })
  counter!: number;
}

export class CounterView {
  @ApiProperty({ example: 2 })
  counter!: number;

  @ApiProperty({ example: 'A-012', nullable: true, type: String, description: 'The ticket this counter called last today; null before its first call' })
  ticket!: string | null;
}

/** The waiting room's state: tickets and counters only, never a name, ID or phone. */
export class DisplayState {
  @ApiProperty({ type: [NowServingView], description: 'Last called tickets, newest first' })
  nowServing!: NowServingView[];

  @ApiProperty({ type: [CounterView], description: 'Every counter open today (and any that called today), in order' })
  counters!: CounterView[];

  @ApiProperty({ example: 4, description: 'Checked in, not yet called' })
  waiting!: number;
}

const SHOWN = 6;
/** More tiles than this would not be readable across a room. */
const MOST_COUNTERS = 40;

@Injectable()
export class DisplayService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async center(centerId: string): Promise<Center> {
    const center = await this.dataSource.manager.findOneBy(Center, { id: centerId });
    if (!center) throw new DomainError('not_found', { detail: 'No such center' });
    return center;
  }

  async state(center: Center): Promise<DisplayState> {
    const today = localDate(this.clock.now(), center.timezone);
    const dayStart = startOfLocalDate(today, center.timezone);
    const serving = (await this.dataSource.query(
      `SELECT ticket, counter FROM appointment
        WHERE center_id = $1 AND called_at >= $2 AND ticket IS NOT NULL
        ORDER BY called_at DESC LIMIT ${SHOWN}`,
      [center.id, dayStart],
    )) as NowServingView[];
    const [{ waiting }] = (await this.dataSource.query(
      `SELECT count(*)::int AS waiting FROM appointment
        WHERE center_id = $1 AND status = 'checked_in' AND called_at IS NULL AND checked_in_at >= $2`,
      [center.id, dayStart],
    )) as Array<{ waiting: number }>;
    // Every counter the day's hours open, with the ticket it called last today.
    const counters = (await this.dataSource.query(
      `SELECT n.counter, last.ticket
         FROM generate_series(1, LEAST(${MOST_COUNTERS}, GREATEST(
                (SELECT coalesce(max(counters), 0) FROM opening_hours WHERE center_id = $1 AND weekday = $3),
                (SELECT coalesce(max(counter), 0) FROM appointment WHERE center_id = $1 AND called_at >= $2)))) AS n(counter)
         LEFT JOIN LATERAL (
           SELECT ticket FROM appointment
            WHERE center_id = $1 AND called_at >= $2 AND counter = n.counter AND ticket IS NOT NULL
            ORDER BY called_at DESC LIMIT 1
         ) last ON true
        ORDER BY n.counter`,
      [center.id, dayStart, isoWeekday(today)],
    )) as CounterView[];
    return {
      nowServing: serving.map((row) => ({ ticket: row.ticket, counter: row.counter })),
      counters: counters.map((row) => ({ counter: row.counter, ticket: row.ticket })),
      waiting,
    };
  }
}

/** 1 = Monday … 7 = Sunday, as opening hours count them, of a local date. */
function isoWeekday(date: string): number {
  return DateTime.fromISO(date, { zone: 'UTC' }).weekday;
}
