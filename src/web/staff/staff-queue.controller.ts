import { Body, Controller, Get, Inject, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentStaff, StaffActor } from '../../auth/guards/auth-context';
import { SignedIn } from '../../auth/guards/signed-in.decorator';
import { CentersService } from '../../centers/centers.service';
import { DomainError } from '../../common/errors/domain-error';
import { APP_CONFIG, AppConfig, isProduction } from '../../config/app-config';
import { CounterDeskService } from '../../counter/counter-desk.service';
import { QueueService } from '../../counter/queue.service';
import { DisplayService } from '../../display/display.service';
import { CsrfGuard } from '../csrf.guard';
import { PageRenderer } from '../page';
import { WebErrorFilter } from '../web-error.filter';
import { FormErrors, message } from './form-errors';
import { normaliseReference, parseCounter, StaffConsoleService } from './staff-console.service';

interface QueuePageExtras {
  notice?: string;
  errors?: FormErrors;
  values?: Record<string, string>;
}

/** Today's queue, search by reference (typed or scanned) and "call next" for my counter. */
@ApiExcludeController()
@SignedIn('staff')
@UseFilters(WebErrorFilter)
@Controller('staff')
export class StaffQueueController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly console: StaffConsoleService,
    private readonly queue: QueueService,
    private readonly desk: CounterDeskService,
    private readonly display: DisplayService,
    private readonly centers: CentersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async list(@CurrentStaff() actor: StaffActor, @Query('nobody') nobody: string | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.render(request, reply, actor, { notice: nobody === '1' ? 'nobody_waiting' : undefined });
  }

  /** A GET form: a scanner types the reference and presses Enter. */
  @Get('find')
  async find(@CurrentStaff() actor: StaffActor, @Query('reference') typed: string | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const reference = normaliseReference(typed);
    if (!reference) {
      await this.render(request, reply, actor, { errors: { reference: message('staff:search.required') } }, 400);
      return;
    }
    try {
      const found = await this.queue.byReference(actor, reference);
      await reply.redirect(`/staff/appointments/${encodeURIComponent(found.reference)}`, 303);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'not_found') throw error;
      await this.render(request, reply, actor, { errors: { reference: message('staff:search.not_found', { reference }) }, values: { reference } }, 404);
    }
  }

  /** Admins work one center at a time here; clerks and supervisors always their own. */
  @Get('center')
  async chooseCenter(@CurrentStaff() actor: StaffActor, @Query('code') code: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    if (actor.role === 'admin' && code) this.console.rememberCenter(reply, await this.centers.byCode(code), isProduction(this.config));
    await reply.redirect('/staff', 303);
  }

  @UseGuards(CsrfGuard)
  @Post('call-next')
  async callNext(@CurrentStaff() actor: StaffActor, @Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const center = await this.console.center(actor, request);
    if (!center) return void (await reply.redirect('/staff', 303));
    const counter = parseCounter(form.counter);
    if (!counter) {
      const typed = typeof form.counter === 'string' ? form.counter.slice(0, 8) : '';
      await this.render(request, reply, actor, { errors: { counter: message('staff:call_next.counter_invalid') }, values: { counter: typed } }, 400);
      return;
    }
    this.console.rememberCounter(reply, counter, isProduction(this.config));
    const called = await this.desk.callNext(actor, counter, center.id);
    const reference = called ? await this.console.referenceOf(called.appointmentId) : undefined;
    // The called resident comes to this counter: their page, with the hand-over field ready.
    await reply.redirect(reference ? `/staff/appointments/${encodeURIComponent(reference)}?called=1` : '/staff?nobody=1', 303);
  }

  /** For the page's script: has the queue changed since the page was drawn? */
  @Get('queue/version')
  async version(@CurrentStaff() actor: StaffActor, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const center = await this.console.center(actor, request);
    if (!center) throw new DomainError('not_found');
    await reply.header('cache-control', 'no-store').send({ version: await this.console.queueVersion(center) });
  }

  private async render(request: FastifyRequest, reply: FastifyReply, actor: StaffActor, extras: QueuePageExtras, status = 200): Promise<void> {
    const center = await this.console.center(actor, request);
    if (!center) {
      await this.pages.render(request, reply, 'staff/choose-center', { staff: actor, centers: await this.console.allCenters() }, status);
      return;
    }
    // The fingerprint first: a change between the two reads then only causes one more reload.
    const version = await this.console.queueVersion(center);
    const appointments = await this.queue.queue(actor, undefined, actor.role === 'admin' ? center.id : undefined);
    await this.pages.render(
      request,
      reply,
      'staff/queue',
      {
        staff: actor,
        center,
        today: this.console.now(),
        appointments,
        services: await this.console.serviceNames(appointments.map((a) => a.serviceId)),
        waiting: (await this.display.state(center)).waiting,
        counter: extras.values?.counter ?? this.console.counter(request) ?? '',
        version,
        notice: extras.notice,
        errors: extras.errors ?? {},
        values: extras.values ?? {},
      },
      status,
    );
  }
}
