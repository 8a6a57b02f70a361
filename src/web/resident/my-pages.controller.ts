import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig, isProduction } from '../../config/app-config';
import { maskedProxy } from '../../appointments/appointment-view.mapper';
import { Appointment } from '../../appointments/appointment.entity';
import { AppointmentsService } from '../../appointments/appointments.service';
import { ProxyService } from '../../appointments/proxy/proxy.service';
import { BookingService } from '../../appointments/booking.service';
import { CurrentResident } from '../../auth/guards/auth-context';
import { Public } from '../../auth/guards/public.decorator';
import { SignedIn } from '../../auth/guards/signed-in.decorator';
import { clearSessionCookie } from '../../auth/session-cookie';
import { CryptoService } from '../../common/crypto/crypto.service';
import { DomainError } from '../../common/errors/domain-error';
import { MeService } from '../../residents/me.service';
import { CsrfGuard } from '../csrf.guard';
import { PageRenderer } from '../page';
import { uuidOrNotFound } from '../uuid-param';
import { WebErrorFilter } from '../web-error.filter';

/** What `/me/appointments?…=1` says after an action. */
const NOTICES = ['cancelled', 'rescheduled', 'proxy_removed'];

/** My appointments, my data, and the privacy notice. */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@Controller()
export class MyPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly appointments: AppointmentsService,
    private readonly booking: BookingService,
    private readonly me: MeService,
    private readonly proxies: ProxyService,
    private readonly crypto: CryptoService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @SignedIn('resident')
  @Get('me/appointments')
  async list(@CurrentResident() residentId: string, @Query() query: Record<string, string | undefined>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const notice = NOTICES.find((name) => query[name] === '1');
    await this.renderList(request, reply, residentId, { notice });
  }

  @SignedIn('resident')
  @UseGuards(CsrfGuard)
  @Post('me/appointments/:id/cancel')
  async cancel(@CurrentResident() residentId: string, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.act(request, reply, residentId, 'cancelled', 'not_cancellable', () => this.booking.cancel(residentId, uuidOrNotFound(id)));
  }

  /** Proxy pickup: the resident comes in person after all. */
  @SignedIn('resident')
  @UseGuards(CsrfGuard)
  @Post('me/appointments/:id/proxy/remove')
  async removeProxy(@CurrentResident() residentId: string, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.act(request, reply, residentId, 'proxy_removed', 'proxy_not_changeable', () => this.proxies.remove(residentId, uuidOrNotFound(id)));
  }

  @SignedIn('resident')
  @Get('me/data')
  async data(@CurrentResident() residentId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.pages.render(request, reply, 'resident/my-data', { me: await this.me.me(residentId), accessLog: await this.me.accessLog(residentId), error: undefined });
  }

  @SignedIn('resident')
  @UseGuards(CsrfGuard)
  @Post('me/data/erase')
  async erase(@CurrentResident() residentId: string, @Body() form: Record<string, unknown> | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // Erasing cannot be undone: the resident ticks "I understand" first (WCAG 3.3.4).
    if (form?.understood !== 'yes') {
      await this.pages.render(request, reply, 'resident/my-data', { me: await this.me.me(residentId), accessLog: await this.me.accessLog(residentId), error: undefined, eraseNotConfirmed: true }, 400);
      return;
    }
    try {
      await this.me.erase(residentId);
      clearSessionCookie(reply, isProduction(this.config));
      await reply.redirect('/?erased=1', 303);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'active_appointments') throw error;
      await this.pages.render(request, reply, 'resident/my-data', { me: await this.me.me(residentId), accessLog: await this.me.accessLog(residentId), error: error.code }, 409);
    }
  }

  /** An action on one appointment: back to the list with a notice, or the list with its refusal (409). */
  private async act(request: FastifyRequest, reply: FastifyReply, residentId: string, notice: string, refusal: string, action: () => Promise<Appointment>): Promise<void> {
    try {
      await action();
      await reply.redirect(`/me/appointments?${notice}=1`, 303);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== refusal) throw error;
      await this.renderList(request, reply, residentId, { error: error.code }, 409);
    }
  }

  private async renderList(request: FastifyRequest, reply: FastifyReply, residentId: string, extras: { notice?: string; error?: string }, status = 200): Promise<void> {
    const appointments = await this.appointments.listOwn(residentId);
    const proxies = Object.fromEntries(appointments.flatMap((a) => (a.proxy ? [[a.id, maskedProxy(a.proxy, this.crypto)]] : [])));
    await this.pages.render(request, reply, 'resident/appointments', { appointments, proxies, notice: extras.notice, error: extras.error }, status);
  }

  @Public()
  @Get('privacy')
  async privacy(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.pages.render(request, reply, 'resident/privacy');
  }
}
