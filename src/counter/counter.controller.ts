import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags, PickType } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentStaff, StaffActor } from '../auth/guards/auth-context';
import { SignedIn } from '../auth/guards/signed-in.decorator';
import { CounterDeskService } from './counter-desk.service';
import { CallNextDto, CheckInDto, FulfilDto, QueueQuery, WalkInDto } from './dto/counter.dto';
import { CalledTicketView, CounterChallengeView, StaffAppointmentView } from './dto/staff-appointment.view';
import { QueueService } from './queue.service';
import { centerOf } from './staff-scope';
import { WalkInService } from './walk-in.service';

/** A class, not a type: validated (a centerId must be a UUID) and documented like the queue's. */
class CallNextQuery extends PickType(QueueQuery, ['centerId'] as const) {}

@ApiTags('counter')
@SignedIn('staff')
@Controller('api/v1/staff')
export class CounterController {
  constructor(
    private readonly queue: QueueService,
    private readonly desk: CounterDeskService,
    private readonly walkIns: WalkInService,
  ) {}

  @Get('queue')
  @ApiOperation({ summary: "The day's appointments at your center, in time order (audited)" })
  @ApiResponse({ status: 200, type: [StaffAppointmentView] })
  list(@CurrentStaff() actor: StaffActor, @Query() query: QueueQuery): Promise<StaffAppointmentView[]> {
    return this.queue.queue(actor, query.date, query.centerId);
  }

  @Get('appointments/by-reference/:reference')
  @ApiOperation({ summary: 'Find an appointment by the reference typed or scanned (audited)' })
  @ApiResponse({ status: 200, type: StaffAppointmentView })
  byReference(@CurrentStaff() actor: StaffActor, @Param('reference') reference: string): Promise<StaffAppointmentView> {
    return this.queue.byReference(actor, reference.slice(0, 32));
  }

  @Post('appointments/:id/ready')
  @HttpCode(200)
  @ApiOperation({ summary: 'The certificate is prepared; the resident is told by SMS' })
  @ApiResponse({ status: 200, type: StaffAppointmentView })
  ready(@CurrentStaff() actor: StaffActor, @Param('id', ParseUUIDPipe) id: string): Promise<StaffAppointmentView> {
    return this.desk.markReady(actor, id);
  }

  @Post('appointments/:id/counter-otp')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a counter passcode to the bound phone' })
  @ApiResponse({ status: 202, type: CounterChallengeView })
  counterCode(@CurrentStaff() actor: StaffActor, @Param('id', ParseUUIDPipe) id: string, @Req() request: FastifyRequest): Promise<CounterChallengeView> {
    return this.desk.sendCounterCode(actor, id, request.ip);
  }

  @Post('appointments/:id/check-in')
  @HttpCode(200)
  @ApiOperation({ summary: 'Check the resident in by counter passcode or ID card, or their named proxy by the proxy\'s ID card and the resident\'s counter passcode; issues a ticket' })
  @ApiResponse({ status: 200, type: StaffAppointmentView })
  checkIn(@CurrentStaff() actor: StaffActor, @Param('id', ParseUUIDPipe) id: string, @Body() body: CheckInDto): Promise<StaffAppointmentView> {
    return this.desk.checkIn(actor, id, body);
  }

  @Post('appointments/:id/fulfil')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hand the certificate over, recording its serial' })
  @ApiResponse({ status: 200, type: StaffAppointmentView })
  fulfil(@CurrentStaff() actor: StaffActor, @Param('id', ParseUUIDPipe) id: string, @Body() body: FulfilDto): Promise<StaffAppointmentView> {
    return this.desk.fulfil(actor, id, body.certificateSerial);
  }

  @Post('appointments/:id/no-show')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that the resident did not come' })
  @ApiResponse({ status: 200, type: StaffAppointmentView })
  noShow(@CurrentStaff() actor: StaffActor, @Param('id', ParseUUIDPipe) id: string): Promise<StaffAppointmentView> {
    return this.desk.noShow(actor, id);
  }

  @Post('walk-ins')
  @HttpCode(201)
  @ApiOperation({ summary: 'Serve a resident without a booking: next free place today, checked in at once' })
  @ApiResponse({ status: 201, type: StaffAppointmentView })
  walkIn(@CurrentStaff() actor: StaffActor, @Body() body: WalkInDto): Promise<StaffAppointmentView> {
    return this.walkIns.walkIn(actor, centerOf(actor, body.centerId), body);
  }

  @Post('call-next')
  @ApiOperation({ summary: 'Call the longest-waiting ticket to your counter (204 when nobody waits)' })
  @ApiResponse({ status: 200, type: CalledTicketView })
  @ApiResponse({ status: 204, description: 'Nobody is waiting' })
  async callNext(
    @CurrentStaff() actor: StaffActor,
    @Body() body: CallNextDto,
    @Query() query: CallNextQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CalledTicketView | undefined> {
    const called = await this.desk.callNext(actor, body.counter, centerOf(actor, query.centerId));
    void reply.status(called ? 200 : 204);
    return called;
  }
}
