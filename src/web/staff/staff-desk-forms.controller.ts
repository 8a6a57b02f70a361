import { Body, Controller, Get, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentStaff, StaffActor } from '../../auth/guards/auth-context';
import { SignedIn } from '../../auth/guards/signed-in.decorator';
import { Center } from '../../centers/center.entity';
import { CentersService } from '../../centers/centers.service';
import { WalkInService } from '../../counter/walk-in.service';
import { idNumberScheme } from '../../identity/id-number';
import { parseMobilePhone } from '../../identity/phone';
import { BindingView, PhoneBindingService } from '../../residents/phone-binding.service';
import { CsrfGuard } from '../csrf.guard';
import { PageRenderer } from '../page';
import { WebErrorFilter } from '../web-error.filter';
import { field, FormErrors, fromDomainError, isFormError, message } from './form-errors';
import { StaffConsoleService } from './staff-console.service';

/** Refusals of the walk-in service, by the field they concern. */
const WALK_IN_FIELD: Record<string, string> = { invalid_id_number: 'idNumber', invalid_phone: 'phone', service_not_offered: 'serviceId', already_booked: 'idNumber' };

/** The desk's two forms that start from the ID card in the clerk's hand: walk-in and phone re-binding. */
@ApiExcludeController()
@SignedIn('staff')
@UseFilters(WebErrorFilter)
@Controller('staff')
export class StaffDeskFormsController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly console: StaffConsoleService,
    private readonly centers: CentersService,
    private readonly walkIns: WalkInService,
    private readonly binding: PhoneBindingService,
  ) {}

  @Get('walk-in')
  async walkInForm(@CurrentStaff() actor: StaffActor, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const center = await this.console.center(actor, request);
    if (!center) return void (await reply.redirect('/staff', 303));
    await this.renderWalkIn(request, reply, actor, center, {}, {});
  }

  @UseGuards(CsrfGuard)
  @Post('walk-in')
  async walkIn(@CurrentStaff() actor: StaffActor, @Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const center = await this.console.center(actor, request);
    if (!center) return void (await reply.redirect('/staff', 303));
    const values = { idNumber: field(form, 'idNumber', 32), phone: field(form, 'phone', 32), serviceId: field(form, 'serviceId', 40) };
    const idNumber = idNumberScheme().normalise(values.idNumber);
    const phone = values.phone ? parseMobilePhone(values.phone) : undefined;
    const services = await this.centers.services(center.id);
    const errors: FormErrors = {};
    if (!idNumber) errors.idNumber = message('errors:invalid_id_number');
    if (values.phone && !phone) errors.phone = message('errors:invalid_phone');
    if (!services.some((s) => s.id === values.serviceId)) errors.serviceId = message('staff:walk_in.service_required');
    if (!idNumber || Object.keys(errors).length > 0) {
      await this.renderWalkIn(request, reply, actor, center, values, errors, 400);
      return;
    }
    try {
      const appointment = await this.walkIns.walkIn(actor, center.id, { idNumber, phone: phone?.e164, serviceId: values.serviceId });
      await reply.redirect(`/staff/appointments/${encodeURIComponent(appointment.reference)}?done=walk_in`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      await this.renderWalkIn(request, reply, actor, center, values, { [WALK_IN_FIELD[error.code] ?? 'form']: fromDomainError(error) }, error.status);
    }
  }

  @Get('phone')
  async rebindForm(@CurrentStaff() actor: StaffActor, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.renderRebind(request, reply, actor, {}, {});
  }

  @UseGuards(CsrfGuard)
  @Post('phone')
  async rebind(@CurrentStaff() actor: StaffActor, @Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const values = { idNumber: field(form, 'idNumber', 32), phone: field(form, 'phone', 32) };
    const idNumber = idNumberScheme().normalise(values.idNumber);
    const phone = parseMobilePhone(values.phone);
    const errors: FormErrors = {};
    if (!idNumber) errors.idNumber = message('errors:invalid_id_number');
    if (!phone) errors.phone = message('errors:invalid_phone');
    if (form.idCardChecked !== 'yes') errors.idCardChecked = message('staff:rebind.card_not_checked');
    if (!idNumber || !phone || Object.keys(errors).length > 0) {
      await this.renderRebind(request, reply, actor, values, errors, 400);
      return;
    }
    try {
      const bound = await this.binding.rebind(actor, idNumber, phone.e164);
      await this.renderRebind(request, reply, actor, {}, {}, 200, bound);
    } catch (error) {
      if (!isFormError(error)) throw error;
      await this.renderRebind(request, reply, actor, values, { form: fromDomainError(error) }, error.status);
    }
  }

  private async renderWalkIn(request: FastifyRequest, reply: FastifyReply, actor: StaffActor, center: Center, values: Record<string, string>, errors: FormErrors, status = 200): Promise<void> {
    await this.pages.render(request, reply, 'staff/walk-in', { staff: actor, center, services: await this.centers.services(center.id), values, errors }, status);
  }

  private async renderRebind(request: FastifyRequest, reply: FastifyReply, actor: StaffActor, values: Record<string, string>, errors: FormErrors, status = 200, bound?: BindingView): Promise<void> {
    await this.pages.render(request, reply, 'staff/phone', { staff: actor, center: await this.console.center(actor, request), values, errors, bound }, status);
  }
}
