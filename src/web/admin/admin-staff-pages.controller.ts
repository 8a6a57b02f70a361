import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toDataURL } from 'qrcode';
import { AdminCentersService } from '../../admin/admin-centers.service';
import { AdminStaffService } from '../../admin/admin-staff.service';
import { StaffView } from '../../admin/dto/admin.views';
import { CreateStaffDto, UpdateStaffDto } from '../../admin/dto/staff.dto';
import { CurrentStaff, StaffActor } from '../../auth/guards/auth-context';
import { StaffRoles } from '../../auth/guards/signed-in.decorator';
import { MIN_PASSWORD_LENGTH } from '../../staff/password';
import { STAFF_ROLES } from '../../staff/staff.entity';
import { CsrfGuard } from '../csrf.guard';
import { PageRenderer } from '../page';
import { field, FormErrors, fromDomainError, isFormError, message } from '../staff/form-errors';
import { WebErrorFilter } from '../web-error.filter';
import { checkForm, typedValues } from './admin-form';
import { uuidOrNotFound } from '../uuid-param';

const NOTICES = new Set(['created', 'disabled', 'enabled', 'password']);
/** Refusals of the account service, by the field they concern. */
const FIELD_OF: Record<string, string> = { duplicate_username: 'username', validation_failed: 'centerId', not_found: 'centerId' };

interface MemberExtras {
  notice?: string;
  errors?: FormErrors;
  /** A TOTP secret enrolled by this request: its otpauth URI and QR code, shown this once. */
  totp?: { uri: string; qr: string };
}

/** Staff accounts: the list, a new one, and for each: disable or enable, a new password, a new TOTP secret. */
@ApiExcludeController()
@StaffRoles('admin')
@UseFilters(WebErrorFilter)
@Controller('admin/staff')
export class AdminStaffPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly staff: AdminStaffService,
    private readonly centers: AdminCentersService,
  ) {}

  @Get()
  async list(@CurrentStaff() actor: StaffActor, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.pages.render(request, reply, 'admin/staff-list', { staff: actor, current: 'staff', accounts: await this.staff.list(), centers: await this.centers.list() });
  }

  @Get('new')
  async newForm(@CurrentStaff() actor: StaffActor, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.renderNew(request, reply, actor, { role: 'clerk' }, {});
  }

  @UseGuards(CsrfGuard)
  @Post()
  async create(@CurrentStaff() actor: StaffActor, @Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const role = field(form, 'role', 16);
    const body = { username: field(form, 'username', 80), password: passwordOf(form), role, centerId: role === 'admin' ? undefined : field(form, 'centerId', 40) || undefined };
    const checked = await checkForm(CreateStaffDto, body);
    if (!checked.ok) return this.renderNew(request, reply, actor, typedValues(form), checked.errors, 400);
    try {
      const created = await this.staff.create(actor, checked.value);
      if (!created.totpUri) return void (await reply.redirect(`/admin/staff/${created.id}?done=created`, 303));
      await this.renderMember(request, reply, actor, created, { notice: 'created', totp: await totpOf(created.totpUri) });
    } catch (error) {
      if (!isFormError(error)) throw error;
      // After the DTO's checks the account service refuses one thing only: a clerk or supervisor without a center.
      const problem = error.code === 'validation_failed' ? message('admin:staff.center_required') : fromDomainError(error);
      await this.renderNew(request, reply, actor, typedValues(form), { [FIELD_OF[error.code] ?? 'form']: problem }, error.status);
    }
  }

  @Get(':id')
  async show(@CurrentStaff() actor: StaffActor, @Param('id') id: string, @Query('done') done: string | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.renderMember(request, reply, actor, await this.staff.get(uuidOrNotFound(id)), { notice: done && NOTICES.has(done) ? done : undefined });
  }

  @UseGuards(CsrfGuard)
  @Post(':id/disabled')
  async setDisabled(@CurrentStaff() actor: StaffActor, @Param('id') id: string, @Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const disabled = form.disabled === 'true';
    await this.change(request, reply, actor, uuidOrNotFound(id), { disabled }, disabled ? 'disabled' : 'enabled');
  }

  @UseGuards(CsrfGuard)
  @Post(':id/password')
  async resetPassword(@CurrentStaff() actor: StaffActor, @Param('id') id: string, @Body() form: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.change(request, reply, actor, uuidOrNotFound(id), { password: passwordOf(form) }, 'password');
  }

  @UseGuards(CsrfGuard)
  @Post(':id/totp')
  async resetTotp(@CurrentStaff() actor: StaffActor, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const account = await this.staff.update(actor, uuidOrNotFound(id), { resetTotp: true });
    await this.renderMember(request, reply, actor, account, { totp: await totpOf(account.totpUri!) });
  }

  private async change(request: FastifyRequest, reply: FastifyReply, actor: StaffActor, staffId: string, changes: Record<string, unknown>, done: string): Promise<void> {
    const checked = await checkForm(UpdateStaffDto, changes);
    const refuse = async (errors: FormErrors, status: number): Promise<void> => this.renderMember(request, reply, actor, await this.staff.get(staffId), { errors }, status);
    if (!checked.ok) return refuse(checked.errors, 400);
    try {
      await this.staff.update(actor, staffId, checked.value);
      await reply.redirect(`/admin/staff/${staffId}?done=${done}`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      await refuse({ [done === 'password' ? 'password' : 'form']: fromDomainError(error) }, error.status);
    }
  }

  private async renderNew(request: FastifyRequest, reply: FastifyReply, actor: StaffActor, values: Record<string, string>, errors: FormErrors, status = 200): Promise<void> {
    await this.pages.render(request, reply, 'admin/staff-new', { staff: actor, current: 'staff', centers: await this.centers.list(), roles: STAFF_ROLES, minPassword: MIN_PASSWORD_LENGTH, values, errors }, status);
  }

  private async renderMember(request: FastifyRequest, reply: FastifyReply, actor: StaffActor, account: StaffView, extras: MemberExtras, status = 200): Promise<void> {
    const center = account.centerId ? await this.centers.get(account.centerId) : undefined;
    await this.pages.render(
      request,
      reply,
      'admin/staff-member',
      { staff: actor, current: 'staff', account, accountCenter: center, self: account.id === actor.id, minPassword: MIN_PASSWORD_LENGTH, notice: extras.notice, errors: extras.errors ?? {}, totp: extras.totp },
      status,
    );
  }
}

/** A password as typed: never trimmed, never shown again. */
const passwordOf = (form: Record<string, unknown>): string => (typeof form.password === 'string' ? form.password.slice(0, 300) : '');

async function totpOf(uri: string): Promise<{ uri: string; qr: string }> {
  return { uri, qr: await toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 }) };
}
