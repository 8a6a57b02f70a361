import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminCentersService } from '../../admin/admin-centers.service';
import { CreateCenterDto, UpdateCenterDto } from '../../admin/dto/center.dto';
import { CurrentStaff, StaffActor } from '../../auth/guards/auth-context';
import { StaffRoles } from '../../auth/guards/signed-in.decorator';
import { CsrfGuard } from '../csrf.guard';
import { PageRenderer } from '../page';
import { field, FormErrors, fromDomainError, isFormError } from '../staff/form-errors';
import { WebErrorFilter } from '../web-error.filter';
import { checkForm, typedValues } from './admin-form';
import { centerBody, NEW_CENTER_VALUES } from './center-form';
import { CenterPageService } from './center-page.service';
import { uuidOrNotFound } from '../uuid-param';
import { noticeOf } from './notices';

/** Refusals of the center service, by the field they concern. */
const FIELD_OF: Record<string, string> = { duplicate_code: 'code' };

/** Centers: the list, a new one, and its settings and services on the center's page. */
@ApiExcludeController()
@StaffRoles('admin')
@UseFilters(WebErrorFilter)
@Controller('admin/centers')
export class AdminCentersPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly centers: AdminCentersService,
    private readonly centerPage: CenterPageService,
  ) {}

  @Get()
  async list(@CurrentStaff() actor: StaffActor, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.pages.render(request, reply, 'admin/centers', { staff: actor, current: 'centers', centers: await this.centers.list() });
  }

  @Get('new')
  async newForm(@CurrentStaff() actor: StaffActor, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.renderNew(request, reply, actor, NEW_CENTER_VALUES, {});
  }

  @UseGuards(CsrfGuard)
  @Post()
  async create(@CurrentStaff() actor: StaffActor, @Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const checked = await checkForm(CreateCenterDto, centerBody(form));
    if (!checked.ok) return this.renderNew(request, reply, actor, typedValues(form), checked.errors, 400);
    try {
      const center = await this.centers.create(actor, checked.value);
      await reply.redirect(`/admin/centers/${center.id}?done=created`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      await this.renderNew(request, reply, actor, typedValues(form), { [FIELD_OF[error.code] ?? 'form']: fromDomainError(error) }, error.status);
    }
  }

  @Get(':id')
  async show(@CurrentStaff() actor: StaffActor, @Param('id') id: string, @Query() query: Record<string, string | undefined>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.centerPage.render(request, reply, actor, uuidOrNotFound(id), noticeOf(query));
  }

  @UseGuards(CsrfGuard)
  @Post(':id')
  async update(@CurrentStaff() actor: StaffActor, @Param('id') id: string, @Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const centerId = uuidOrNotFound(id);
    const checked = await checkForm(UpdateCenterDto, { ...centerBody(form), onBookings: field(form, 'onBookings', 32) || undefined });
    await this.centerPage.change({ request, reply, actor, centerId, form, section: 'settings', action: `/admin/centers/${centerId}` }, checked, (value) =>
      this.centers.update(actor, centerId, value),
    );
  }

  @UseGuards(CsrfGuard)
  @Post(':id/services')
  async services(@CurrentStaff() actor: StaffActor, @Param('id') id: string, @Body() form: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const centerId = uuidOrNotFound(id);
    const serviceIds = Object.keys(form)
      .filter((key) => key.startsWith('service_') && form[key] === 'on')
      .map((key) => uuidOrNotFound(key.slice('service_'.length)));
    await this.centers.setServices(actor, centerId, serviceIds);
    await reply.redirect(`/admin/centers/${centerId}?done=services`, 303);
  }

  private async renderNew(request: FastifyRequest, reply: FastifyReply, actor: StaffActor, values: Record<string, string>, errors: FormErrors, status = 200): Promise<void> {
    await this.pages.render(request, reply, 'admin/center-new', { staff: actor, current: 'centers', values, errors }, status);
  }
}
