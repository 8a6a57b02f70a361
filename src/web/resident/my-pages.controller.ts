import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig, isProduction } from '../../config/app-config';
import { AppointmentsService } from '../../appointments/appointments.service';
import { BookingService } from '../../appointments/booking.service';
import { CurrentResident } from '../../auth/guards/auth-context';
import { Public } from '../../auth/guards/public.decorator';
import { SignedIn } from '../../auth/guards/signed-in.decorator';
import { clearSessionCookie } from '../../auth/session-cookie';
import { DomainError } from '../../common/errors/domain-error';
import { MeService } from '../../residents/me.service';
import { CsrfGuard } from '../csrf.guard';
import { PageRenderer } from '../page';
import { uuidOrNotFound } from '../uuid-param';
import { WebErrorFilter } from '../web-error.filter';

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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @SignedIn('resident')
  @Get('me/appointments')
  async list(@CurrentResident() residentId: string, @Query() query: Record<string, string | undefined>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.pages.render(request, reply, 'resident/appointments', {
      appointments: await this.appointments.listOwn(residentId),
      notice: query.cancelled === '1' ? 'cancelled' : query.rescheduled === '1' ? 'rescheduled' : undefined,
      error: undefined,
    });
  }

  @SignedIn('resident')
  @UseGuards(CsrfGuard)
  @Post('me/appointments/:id/cancel')
  async cancel(@CurrentResident() residentId: string, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    uuidOrNotFound(id);
    try {
      await this.booking.cancel(residentId, id);
      await reply.redirect('/me/appointments?cancelled=1', 303);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'not_cancellable') throw error;
      const appointments = await this.appointments.listOwn(residentId);
      await this.pages.render(request, reply, 'resident/appointments', { appointments, notice: undefined, error: error.code }, 409);
    }
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

  @Public()
  @Get('privacy')
  async privacy(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.pages.render(request, reply, 'resident/privacy');
  }
}
