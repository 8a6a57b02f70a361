import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
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

/** The waiting room's state: tickets and counters only, never a name, ID or phone. */
export class DisplayState {
  @ApiProperty({ type: [NowServingView], description: 'Last called tickets, newest first' })
  nowServing!: NowServingView[];

  @ApiProperty({ example: 4, description: 'Checked in, not yet called' })
  waiting!: number;
}

const SHOWN = 6;

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
    const dayStart = startOfLocalDate(localDate(this.clock.now(), center.timezone), center.timezone);
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
    return { nowServing: serving.map((row) => ({ ticket: row.ticket, counter: row.counter })), waiting };
  }
}
