import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { AppointmentsService } from '../../appointments/appointments.service';
import { BookingService } from '../../appointments/booking.service';
import { CurrentResident } from '../../auth/guards/auth-context';
import { Public } from '../../auth/guards/public.decorator';
import { SignedIn } from '../../auth/guards/signed-in.decorator';
import { CentersService } from '../../centers/centers.service';
import { DomainError } from '../../common/errors/domain-error';
import { idNumberScheme } from '../../identity/id-number';
import { isIsoDate } from '../../slots/booking-window';
import { CsrfGuard } from '../csrf.guard';
import { PageRenderer } from '../page';
import { uuidOrNotFound } from '../uuid-param';
import { WebErrorFilter } from '../web-error.filter';
import { BookingFlowService } from './booking-flow.service';

/** The confirm form's proxy field as typed, and its refusal. */
interface ProxyField {
  value: string;
  error?: string;
}

const PROXY_ERRORS = new Set(['invalid_id_number', 'proxy_is_resident']);

/** The resident's booking path, every step a plain page and form: it works without JavaScript. */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@Controller()
export class BookingPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly centers: CentersService,
    private readonly flow: BookingFlowService,
    private readonly booking: BookingService,
    private readonly appointments: AppointmentsService,
  ) {}

  @Public()
  @Get()
  async home(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query('erased') erased?: string): Promise<void> {
    await this.pages.render(request, reply, 'resident/home', { centers: await this.centers.list(), erased: erased === '1' });
  }

  @Public()
  @Get('book/:center')
  async services(@Param('center') code: string, @Query('reschedule') reschedule: string | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const center = await this.centers.byCode(code);
    await this.pages.render(request, reply, 'resident/services', { center, services: await this.centers.services(center.id), reschedule });
  }

  @Public()
  @Get('book/:center/:service')
  async days(@Param('center') centerCode: string, @Param('service') serviceCode: string, @Query('reschedule') reschedule: string | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { center, service } = await this.flow.centerAndService(centerCode, serviceCode);
    await this.pages.render(request, reply, 'resident/days', { center, service, days: await this.flow.days(center, service), reschedule });
  }

  @Public()
  @Get('book/:center/:service/:date')
  async slots(
    @Param('center') centerCode: string,
    @Param('service') serviceCode: string,
    @Param('date') date: string,
    @Query('reschedule') reschedule: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!isIsoDate(date)) throw new DomainError('not_found');
    const { center, service } = await this.flow.centerAndService(centerCode, serviceCode);
    await this.pages.render(request, reply, 'resident/slots', { center, service, date, slots: await this.flow.slotsOn(center, service, date), reschedule });
  }

  @SignedIn('resident')
  @Get('confirm')
  async confirm(@Query() query: Record<string, string | undefined>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.renderConfirm(request, reply, query.slot, query.service, query.reschedule);
  }

  @SignedIn('resident')
  @UseGuards(CsrfGuard)
  @Post('confirm')
  async book(@CurrentResident() residentId: string, @Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const slotId = uuidOrNotFound(form.slotId);
    const serviceId = uuidOrNotFound(form.serviceId);
    const reschedule = typeof form.reschedule === 'string' && form.reschedule ? uuidOrNotFound(form.reschedule) : undefined;
    // Proxy pickup: the ID number of a relative who comes instead (optional).
    const proxy: ProxyField = { value: typeof form.proxyIdNumber === 'string' ? form.proxyIdNumber.trim().slice(0, 32) : '' };
    try {
      if (reschedule) {
        await this.booking.reschedule(residentId, reschedule, slotId);
        await reply.redirect('/me/appointments?rescheduled=1', 303);
        return;
      }
      // The key made when the page was shown: a double click or a resent form books once.
      const key = typeof form.idempotencyKey === 'string' ? form.idempotencyKey.slice(0, 128) : undefined;
      const proxyIdNumber = proxy.value ? idNumberScheme().normalise(proxy.value) : undefined;
      if (proxy.value && !proxyIdNumber) throw new DomainError('invalid_id_number');
      const appointment = await this.booking.book({ residentId, slotId, serviceId, idempotencyKey: key, proxyIdNumber });
      await reply.redirect(`/appointments/${appointment.id}/done`, 303);
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500 || error.code === 'unauthenticated') throw error;
      // A refused proxy shows at its field, with what was typed; anything else at the top.
      if (PROXY_ERRORS.has(error.code)) await this.renderConfirm(request, reply, slotId, serviceId, reschedule, undefined, error.status, { ...proxy, error: error.code });
      else await this.renderConfirm(request, reply, slotId, serviceId, reschedule, error, 409, proxy);
    }
  }

  @SignedIn('resident')
  @Get('appointments/:id/done')
  async done(@CurrentResident() residentId: string, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const appointment = await this.appointments.getOwn(residentId, uuidOrNotFound(id));
    await this.pages.render(request, reply, 'resident/done', { appointment });
  }

  private async renderConfirm(
    request: FastifyRequest,
    reply: FastifyReply,
    slot: unknown,
    service: unknown,
    reschedule: unknown,
    error?: DomainError,
    status = 200,
    proxy: ProxyField = { value: '' },
  ): Promise<void> {
    const details = await this.flow.describe(uuidOrNotFound(slot), uuidOrNotFound(service));
    await this.pages.render(
      request,
      reply,
      'resident/confirm',
      {
        ...details,
        reschedule: typeof reschedule === 'string' && reschedule ? uuidOrNotFound(reschedule) : undefined,
        idempotencyKey: randomUUID(),
        error: error ? { code: error.code, params: error.options.extensions ?? {} } : undefined,
        proxyIdNumber: proxy.value,
        proxyError: proxy.error,
      },
      status,
    );
  }
}
