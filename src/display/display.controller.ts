import { Controller, Get, MessageEvent, Param, ParseUUIDPipe, Sse } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { asyncScheduler, concat, defer, filter, from, interval, map, merge, Observable, switchMap, throttleTime } from 'rxjs';
import { Public } from '../auth/guards/public.decorator';
import { PgListener } from '../database/pg-listener.service';
import { DisplayService, DisplayState } from './display.service';

const HEARTBEAT_MS = 15_000;

@ApiTags('public')
@Public()
@Controller('api/v1/display')
export class DisplayController {
  constructor(
    private readonly display: DisplayService,
    private readonly events: PgListener,
  ) {}

  @Get(':centerId')
  @ApiOperation({ summary: 'Waiting-room state: called tickets and counters, never personal data' })
  @ApiResponse({ status: 200, type: DisplayState })
  async state(@Param('centerId', ParseUUIDPipe) centerId: string): Promise<DisplayState> {
    return this.display.state(await this.display.center(centerId));
  }

  @Sse(':centerId/events')
  @ApiProduces('text/event-stream')
  @ApiOperation({ summary: 'Server-Sent Events: the state at once, then on every change (and a heartbeat)' })
  async stream(@Param('centerId', ParseUUIDPipe) centerId: string): Promise<Observable<MessageEvent>> {
    const center = await this.display.center(centerId);
    const changed = merge(this.events.on('display_changed').pipe(filter((changedCenter) => changedCenter === centerId)), interval(HEARTBEAT_MS)).pipe(
      throttleTime(100, asyncScheduler, { leading: true, trailing: true }),
    );
    return concat(from([undefined]), changed).pipe(
      switchMap(() => defer(() => this.display.state(center))),
      map((state) => ({ type: 'state', data: state })),
    );
  }
}
