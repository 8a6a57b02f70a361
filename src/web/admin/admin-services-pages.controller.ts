import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminServicesService } from '../../admin/admin-services.service';
import { CreateServiceDto, UpdateServiceDto } from '../../admin/dto/service.dto';
import { CurrentStaff, StaffActor } from '../../auth/guards/auth-context';
import { StaffRoles } from '../../auth/guards/signed-in.decorator';
import { DomainError } from '../../common/errors/domain-error';
import { CsrfGuard } from '../csrf.guard';
import { PageRenderer } from '../page';
import { FormErrors, fromDomainError, isFormError } from '../staff/form-errors';
import { WebErrorFilter } from '../web-error.filter';
import { checkForm, Checked, typedValues } from './admin-form';
import { uuidOrNotFound } from '../uuid-param';
import { NEW_SERVICE_VALUES, serviceBody, serviceFieldOf, serviceValues } from './service-form';

const NOTICES = new Set(['created', 'updated']);

/** Services (certificates): the list, a new one, and changes to one. */
@ApiExcludeController()
@StaffRoles('admin')
@UseFilters(WebErrorFilter)
@Controller('admin/services')
export class AdminServicesPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly services: AdminServicesService,
  ) {}

  @Get()
  async list(@CurrentStaff() actor: StaffActor, @Query('done') done: string | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const notice = done && NOTICES.has(done) ? done : undefined;
    await this.pages.render(request, reply, 'admin/services', { staff: actor, current: 'services', services: await this.services.list(), notice });
  }

  @Get('new')
  async newForm(@CurrentStaff() actor: StaffActor, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.renderForm(request, reply, actor, undefined, NEW_SERVICE_VALUES, {});
  }

  @UseGuards(CsrfGuard)
  @Post()
  async create(@CurrentStaff() actor: StaffActor, @Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.save(request, reply, actor, form, undefined, await this.check(CreateServiceDto, form), (value) => this.services.create(actor, value));
  }

  @Get(':id')
  async edit(@CurrentStaff() actor: StaffActor, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const service = await this.services.get(uuidOrNotFound(id));
    await this.renderForm(request, reply, actor, service.id, serviceValues(service), {});
  }

  @UseGuards(CsrfGuard)
  @Post(':id')
  async update(@CurrentStaff() actor: StaffActor, @Param('id') id: string, @Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const serviceId = uuidOrNotFound(id);
    await this.save(request, reply, actor, form, serviceId, await this.check(UpdateServiceDto, form), (value) => this.services.update(actor, serviceId, value));
  }

  /** The DTO's rules, and the page's own: as many English documents as Chinese ones. */
  private async check<T extends object>(dto: new () => T, form: Record<string, unknown>): Promise<Checked<T>> {
    const { body, errors } = serviceBody(form);
    const checked = await checkForm(dto, body, serviceFieldOf);
    if (Object.keys(errors).length === 0) return checked;
    return { ok: false, errors: { ...(checked.ok ? {} : checked.errors), ...errors } };
  }

  private async save<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    actor: StaffActor,
    form: Record<string, unknown>,
    serviceId: string | undefined,
    checked: Checked<T>,
    apply: (value: T) => Promise<unknown>,
  ): Promise<void> {
    if (!checked.ok) return this.renderForm(request, reply, actor, serviceId, typedValues(form), checked.errors, 400);
    try {
      await apply(checked.value);
      await reply.redirect(`/admin/services?done=${serviceId ? 'updated' : 'created'}`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      const at = error instanceof DomainError && error.code === 'duplicate_code' ? 'code' : 'form';
      await this.renderForm(request, reply, actor, serviceId, typedValues(form), { [at]: fromDomainError(error) }, error.status);
    }
  }

  private async renderForm(request: FastifyRequest, reply: FastifyReply, actor: StaffActor, serviceId: string | undefined, values: Record<string, string>, errors: FormErrors, status = 200): Promise<void> {
    await this.pages.render(request, reply, 'admin/service', { staff: actor, current: 'services', serviceId, values, errors }, status);
  }
}
