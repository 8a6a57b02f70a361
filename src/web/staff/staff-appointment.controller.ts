import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentStaff, StaffActor } from '../../auth/guards/auth-context';
import { SignedIn } from '../../auth/guards/signed-in.decorator';
import { CentersService } from '../../centers/centers.service';
import { CryptoService } from '../../common/crypto/crypto.service';
import { DomainError } from '../../common/errors/domain-error';
import { APP_CONFIG, AppConfig, isProduction } from '../../config/app-config';
import { CounterDeskService } from '../../counter/counter-desk.service';
import { StaffAppointmentView } from '../../counter/dto/staff-appointment.view';
import { QueueService } from '../../counter/queue.service';
import { CsrfGuard } from '../csrf.guard';
import { PageRenderer } from '../page';
import { WebErrorFilter } from '../web-error.filter';
import { fieldOf, readCheckInForm } from './check-in-form';
import { clearCounterCode, readCounterCode, writeCounterCode } from './counter-code-cookie';
import { field, FormErrors, fromDomainError, isFormError, message } from './form-errors';
import { normaliseReference, StaffConsoleService } from './staff-console.service';
import { isUuid } from '../uuid-param';

const SERIAL = /^[A-Za-z0-9][A-Za-z0-9\-/.]{0,63}$/;
const NOTICES = new Set(['checked_in', 'ready', 'fulfilled', 'no_show', 'walk_in', 'code_sent']);

/**
 * One appointment at the counter: check-in by counter passcode, ID card or proxy, mark ready,
 * hand over with the certificate's serial, no-show. Each action is a plain form; success
 * comes back to this page (post/redirect/get), a refusal shows next to its field.
 */
@ApiExcludeController()
@SignedIn('staff')
@UseFilters(WebErrorFilter)
@Controller('staff/appointments')
export class StaffAppointmentController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly console: StaffConsoleService,
    private readonly queue: QueueService,
    private readonly desk: CounterDeskService,
    private readonly centers: CentersService,
    private readonly crypto: CryptoService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':reference')
  async show(
    @CurrentStaff() actor: StaffActor,
    @Param('reference') reference: string,
    @Query() query: Record<string, string | undefined>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const appointment = await this.queue.byReference(actor, normaliseReference(reference));
    const notice = query.called === '1' ? 'called' : query.done && NOTICES.has(query.done) ? query.done : undefined;
    await this.render(request, reply, actor, appointment, { notice });
  }

  @UseGuards(CsrfGuard)
  @Post(':id/counter-code')
  async sendCode(@CurrentStaff() actor: StaffActor, @Param('id') id: string, @Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const reference = this.reference(form);
    try {
      const sent = await this.desk.sendCounterCode(actor, this.id(id), request.ip);
      writeCounterCode(reply, this.crypto, { appointmentId: id, challengeId: sent.challengeId, sentTo: sent.sentTo }, isProduction(this.config), this.config.otp.ttlSeconds);
      await reply.redirect(`/staff/appointments/${encodeURIComponent(reference)}?done=code_sent`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      const appointment = await this.queue.byReference(actor, reference);
      // A booked appointment whose code cannot be sent has no bound phone: the ID card it is.
      const problem = error.code === 'invalid_state' && appointment.status === 'booked' ? message('staff:check_in.no_phone') : fromDomainError(error);
      await this.render(request, reply, actor, appointment, { errors: { sendCode: problem } }, error.status);
    }
  }

  @UseGuards(CsrfGuard)
  @Post(':id/check-in')
  async checkIn(@CurrentStaff() actor: StaffActor, @Param('id') id: string, @Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const reference = this.reference(form);
    const appointmentId = this.id(id);
    const values = { idNumber: field(form, 'idNumber', 32), proxyIdNumber: field(form, 'proxyIdNumber', 32) };
    const fail = async (errors: FormErrors, status: number): Promise<void> =>
      this.render(request, reply, actor, await this.queue.byReference(actor, reference), { errors, values }, status);
    const read = readCheckInForm(form, readCounterCode(request, this.crypto, appointmentId));
    if ('errors' in read) return fail(read.errors, read.status);
    try {
      await this.desk.checkIn(actor, appointmentId, read.proof);
      clearCounterCode(reply, isProduction(this.config));
      await reply.redirect(`/staff/appointments/${encodeURIComponent(reference)}?done=checked_in`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      await fail({ [fieldOf(read.proof.method, error.code)]: fromDomainError(error) }, error.status);
    }
  }

  @UseGuards(CsrfGuard)
  @Post(':id/ready')
  async ready(@CurrentStaff() actor: StaffActor, @Param('id') id: string, @Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.act(request, reply, actor, form, 'ready', () => this.desk.markReady(actor, this.id(id)));
  }

  @UseGuards(CsrfGuard)
  @Post(':id/fulfil')
  async fulfil(@CurrentStaff() actor: StaffActor, @Param('id') id: string, @Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const serial = field(form, 'serial', 80);
    if (!SERIAL.test(serial)) {
      const appointment = await this.queue.byReference(actor, this.reference(form));
      await this.render(request, reply, actor, appointment, { errors: { serial: message('staff:hand_over.serial_invalid') }, values: { serial } }, 400);
      return;
    }
    await this.act(request, reply, actor, form, 'fulfilled', () => this.desk.fulfil(actor, this.id(id), serial), { serial });
  }

  @UseGuards(CsrfGuard)
  @Post(':id/no-show')
  async noShow(@CurrentStaff() actor: StaffActor, @Param('id') id: string, @Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.act(request, reply, actor, form, 'no_show', () => this.desk.noShow(actor, this.id(id)));
  }

  private async act(
    request: FastifyRequest,
    reply: FastifyReply,
    actor: StaffActor,
    form: Record<string, unknown>,
    done: string,
    action: () => Promise<StaffAppointmentView>,
    values: Record<string, string> = {},
  ): Promise<void> {
    try {
      const appointment = await action();
      await reply.redirect(`/staff/appointments/${encodeURIComponent(appointment.reference)}?done=${done}`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      const appointment = await this.queue.byReference(actor, this.reference(form));
      await this.render(request, reply, actor, appointment, { errors: { [done === 'fulfilled' ? 'serial' : 'form']: fromDomainError(error) }, values }, error.status);
    }
  }

  private async render(
    request: FastifyRequest,
    reply: FastifyReply,
    actor: StaffActor,
    appointment: StaffAppointmentView,
    extras: { notice?: string; errors?: FormErrors; values?: Record<string, string> },
    status = 200,
  ): Promise<void> {
    const center = await this.centers.get(appointment.centerId);
    const services = await this.console.serviceNames([appointment.serviceId]);
    await this.pages.render(
      request,
      reply,
      'staff/appointment',
      {
        staff: actor,
        center,
        appointment,
        service: services[appointment.serviceId],
        started: new Date(appointment.startsAt) <= this.console.now(),
        isToday: this.console.today(center) === appointment.startsAt.slice(0, 10),
        pendingCode: readCounterCode(request, this.crypto, appointment.id),
        notice: extras.notice,
        errors: extras.errors ?? {},
        values: extras.values ?? {},
      },
      status,
    );
  }

  /** The reference the form came from: where the page is shown again. */
  private reference(form: Record<string, unknown>): string {
    const reference = normaliseReference(form.reference);
    if (!reference) throw new DomainError('not_found');
    return reference;
  }

  private id(id: string): string {
    if (!isUuid(id)) throw new DomainError('not_found');
    return id;
  }
}
