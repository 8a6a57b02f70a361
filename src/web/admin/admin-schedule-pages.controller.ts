import { Body, Controller, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminCentersService } from '../../admin/admin-centers.service';
import { ClosureDto, OpeningHoursDto } from '../../admin/dto/schedule.dto';
import { CurrentStaff, StaffActor } from '../../auth/guards/auth-context';
import { StaffRoles } from '../../auth/guards/signed-in.decorator';
import { CsrfGuard } from '../csrf.guard';
import { field } from '../staff/form-errors';
import { WebErrorFilter } from '../web-error.filter';
import { checkForm } from './admin-form';
import { CenterPageService } from './center-page.service';
import { uuidOrNotFound } from '../uuid-param';
import { hoursBody, hoursFieldOf } from './hours-form';

/**
 * When a center is open: the weekly hours and closures. A change that would leave booked
 * residents without a place is refused first (409 `bookings_affected`, the slots listed);
 * "cancel and notify" is a second, explicit post of the same form.
 */
@ApiExcludeController()
@StaffRoles('admin')
@UseFilters(WebErrorFilter)
@Controller('admin/centers/:id')
export class AdminSchedulePagesController {
  constructor(
    private readonly centers: AdminCentersService,
    private readonly centerPage: CenterPageService,
  ) {}

  @UseGuards(CsrfGuard)
  @Post('hours')
  async hours(@CurrentStaff() actor: StaffActor, @Param('id') id: string, @Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const centerId = uuidOrNotFound(id);
    const { body, rows } = hoursBody(form);
    const checked = await checkForm(OpeningHoursDto, body, hoursFieldOf(rows));
    await this.centerPage.change({ request, reply, actor, centerId, form, section: 'hours', action: `/admin/centers/${centerId}/hours` }, checked, (value) =>
      this.centers.setHours(actor, centerId, value),
    );
  }

  @UseGuards(CsrfGuard)
  @Post('closures')
  async close(@CurrentStaff() actor: StaffActor, @Param('id') id: string, @Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const centerId = uuidOrNotFound(id);
    const from = field(form, 'from', 16);
    const body = { from, to: field(form, 'to', 16) || undefined, reason: field(form, 'reason', 400), onBookings: field(form, 'onBookings', 32) || undefined };
    const checked = await checkForm(ClosureDto, body);
    await this.centerPage.change({ request, reply, actor, centerId, form, section: 'closures', action: `/admin/centers/${centerId}/closures`, done: 'closure' }, checked, (value) =>
      this.centers.addClosures(actor, centerId, value),
    );
  }

  @UseGuards(CsrfGuard)
  @Post('closures/:closureId/delete')
  async reopen(@CurrentStaff() actor: StaffActor, @Param('id') id: string, @Param('closureId') closureId: string, @Res() reply: FastifyReply): Promise<void> {
    const centerId = uuidOrNotFound(id);
    await this.centers.removeClosure(actor, centerId, uuidOrNotFound(closureId));
    await reply.redirect(`/admin/centers/${centerId}?done=closure_removed`, 303);
  }
}
