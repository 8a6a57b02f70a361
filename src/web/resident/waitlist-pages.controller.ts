import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentResident } from '../../auth/guards/auth-context';
import { SignedIn } from '../../auth/guards/signed-in.decorator';
import { CentersService } from '../../centers/centers.service';
import { DomainError } from '../../common/errors/domain-error';
import { isIsoDate } from '../../slots/booking-window';
import { WaitlistService } from '../../waitlist/waitlist.service';
import { CsrfGuard } from '../csrf.guard';
import { PageRenderer } from '../page';
import { uuidOrNotFound } from '../uuid-param';
import { WebErrorFilter } from '../web-error.filter';
import { BookingFlowService } from './booking-flow.service';

type PageError = { code: string; params: Record<string, unknown> };

const pageError = (error: unknown): PageError => {
  if (!(error instanceof DomainError) || error.status >= 500 || error.code === 'unauthenticated') throw error;
  return { code: error.code, params: error.options.extensions ?? {} };
};

/** Joining a full day's waitlist, and the resident's waitlist with the offers held for them. */
@ApiExcludeController()
@UseFilters(WebErrorFilter)
@SignedIn('resident')
@Controller()
export class WaitlistPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly waitlist: WaitlistService,
    private readonly centers: CentersService,
    private readonly flow: BookingFlowService,
  ) {}

  @Get('waitlist/join')
  async joinPage(@Query() query: Record<string, string | undefined>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.renderJoin(request, reply, query.center, query.service, query.date);
  }

  @UseGuards(CsrfGuard)
  @Post('waitlist/join')
  async join(@CurrentResident() residentId: string, @Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { center, service, date } = await this.choice(form.center, form.service, form.date);
    try {
      await this.waitlist.join(residentId, center.id, service.id, date);
      await reply.redirect('/me/waitlist?joined=1', 303);
    } catch (error) {
      await this.pages.render(request, reply, 'resident/waitlist-join', { center, service, date, error: pageError(error) }, 409);
    }
  }

  @Get('me/waitlist')
  async list(@CurrentResident() residentId: string, @Query() query: Record<string, string | undefined>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.renderList(request, reply, residentId, query.joined === '1' ? 'joined' : query.left === '1' ? 'left' : undefined);
  }

  @UseGuards(CsrfGuard)
  @Post('me/waitlist/:id/claim')
  async claim(@CurrentResident() residentId: string, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    try {
      const appointment = await this.waitlist.claim(residentId, uuidOrNotFound(id));
      await reply.redirect(`/appointments/${appointment.id}/done`, 303);
    } catch (error) {
      await this.renderList(request, reply, residentId, undefined, pageError(error), 409);
    }
  }

  @UseGuards(CsrfGuard)
  @Post('me/waitlist/:id/leave')
  async leave(@CurrentResident() residentId: string, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    try {
      await this.waitlist.leave(residentId, uuidOrNotFound(id));
      await reply.redirect('/me/waitlist?left=1', 303);
    } catch (error) {
      await this.renderList(request, reply, residentId, undefined, pageError(error), 409);
    }
  }

  private async choice(centerCode: unknown, serviceCode: unknown, date: unknown) {
    if (typeof centerCode !== 'string' || typeof serviceCode !== 'string' || typeof date !== 'string' || !isIsoDate(date)) throw new DomainError('not_found');
    return { ...(await this.flow.centerAndService(centerCode, serviceCode)), date };
  }

  private async renderJoin(request: FastifyRequest, reply: FastifyReply, centerCode: unknown, serviceCode: unknown, date: unknown): Promise<void> {
    await this.pages.render(request, reply, 'resident/waitlist-join', { ...(await this.choice(centerCode, serviceCode, date)), error: undefined });
  }

  private async renderList(request: FastifyRequest, reply: FastifyReply, residentId: string, notice?: string, error?: PageError, status = 200): Promise<void> {
    const entries = await this.waitlist.listOwn(residentId);
    const named = await Promise.all(
      entries.map(async (entry) => {
        const center = await this.centers.get(entry.centerId);
        const service = (await this.centers.services(center.id)).find((s) => s.id === entry.serviceId);
        return { ...entry, center, service };
      }),
    );
    await this.pages.render(request, reply, 'resident/waitlist', { entries: named, notice, error }, status);
  }
}
