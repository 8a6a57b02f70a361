import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentStaff, StaffActor } from '../../auth/guards/auth-context';
import { StaffRoles } from '../../auth/guards/signed-in.decorator';
import { Center } from '../../centers/center.entity';
import { addDays } from '../../slots/booking-window';
import { auditAction, auditActor, auditDetail } from '../../supervision/audit-words';
import { AuditEntryView, AuditQuery, PeriodQuery } from '../../supervision/dto/supervision.dto';
import { REPORT_DAYS, SupervisionService } from '../../supervision/supervision.service';
import { checkForm } from '../admin/admin-form';
import { PageRenderer } from '../page';
import { WebErrorFilter } from '../web-error.filter';
import { FormErrors, fromDomainError, isFormError, message } from './form-errors';
import { reportCharts } from './report-charts';
import { StaffConsoleService } from './staff-console.service';

const AUDIT_PAGE_SIZE = 50;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Supervisors (their center) and admins (the center chosen, or all): audit trail and figures. */
@ApiExcludeController()
@StaffRoles('supervisor', 'admin')
@UseFilters(WebErrorFilter)
@Controller('staff')
export class StaffSupervisionController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly console: StaffConsoleService,
    private readonly supervision: SupervisionService,
  ) {}

  /** The trail, newest first, a page at a time; filtered by staff account, action, reference and dates, as the API is. */
  @Get('audit')
  async audit(@CurrentStaff() actor: StaffActor, @Query() query: Record<string, string | undefined>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const center = await this.console.center(actor, request);
    const { period, values, errors } = this.period(query, center, 1);
    const filters = { staffId: query.staffId?.trim() || undefined, action: query.action?.trim() || undefined, reference: query.reference?.trim() || undefined };
    const checked = await checkForm(AuditQuery, { ...period, ...filters }, (field) => (field === 'from' || field === 'to' ? 'from' : field));
    const allErrors = checked.ok ? errors : { ...checked.errors, ...errors };
    const shown = { ...values, staffId: filters.staffId ?? '', action: filters.action ?? '', reference: filters.reference ?? '' };
    const page = Math.max(1, Number.parseInt(query.page ?? '1', 10) || 1);
    const t = this.pages.translator(request);
    const words = { auditActor: (entry: AuditEntryView) => auditActor(t, entry), auditAction: (action: string) => auditAction(t, action), auditDetail: (detail: Record<string, unknown>) => auditDetail(t, detail) };
    const empty = { ...words, staff: actor, center, values: shown, errors: allErrors, entries: [], total: 0, page: 1, pages: 1, choices: { staff: [], actions: [] }, links: {} };
    if (!checked.ok || errors.from) return this.pages.render(request, reply, 'staff/audit', empty, 400);
    try {
      const [{ entries, total }, choices] = await Promise.all([this.supervision.auditPage(actor, checked.value, page, AUDIT_PAGE_SIZE), this.supervision.auditChoices(actor, checked.value)]);
      const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
      const search = (extra: Record<string, string>) =>
        new URLSearchParams(Object.entries({ ...shown, ...(center && actor.role === 'admin' ? { centerId: center.id } : {}), ...extra }).filter(([, value]) => value !== '')).toString();
      const links = {
        newer: page > 1 ? `/staff/audit?${search({ page: String(page - 1) })}` : undefined,
        older: page < pages ? `/staff/audit?${search({ page: String(page + 1) })}` : undefined,
        csv: `/api/v1/staff/audit.csv?${search({})}`,
      };
      await this.pages.render(request, reply, 'staff/audit', { ...words, staff: actor, center, values: shown, errors, entries, total, page, pages, choices, links });
    } catch (error) {
      if (!isFormError(error)) throw error;
      await this.pages.render(request, reply, 'staff/audit', { ...empty, errors: { from: fromDomainError(error) } }, error.status);
    }
  }

  @Get('report')
  async report(@CurrentStaff() actor: StaffActor, @Query() query: Record<string, string | undefined>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const center = await this.console.center(actor, request);
    if (!center) return void (await reply.redirect('/staff', 303));
    const { period, values, errors } = this.period(query, center, REPORT_DAYS);
    if (errors.from) return this.pages.render(request, reply, 'staff/report', { staff: actor, center, values, errors, report: undefined }, 400);
    try {
      const report = await this.supervision.report(actor, period);
      const csvHref = `/api/v1/staff/reports.csv?${new URLSearchParams({ from: values.from, to: values.to, centerId: center.id }).toString()}`;
      await this.pages.render(request, reply, 'staff/report', { staff: actor, center, values, errors, report, charts: reportCharts(report), csvHref });
    } catch (error) {
      if (!isFormError(error)) throw error;
      await this.pages.render(request, reply, 'staff/report', { staff: actor, center, values, errors: { from: fromDomainError(error) }, report: undefined }, error.status);
    }
  }

  /** The dates asked for (default: the last `defaultDays` days up to today at the center); the service checks the range. */
  private period(
    query: Record<string, string | undefined>,
    center: Center | undefined,
    defaultDays: number,
  ): { period: PeriodQuery; values: Record<string, string>; errors: FormErrors } {
    const today = center ? this.console.today(center) : undefined;
    const askedFrom = query.from?.trim();
    const to = query.to?.trim() || askedFrom || today || '';
    const from = askedFrom || (today && DATE.test(to) ? addDays(to, 1 - defaultDays) : to);
    const values = { from, to };
    if ((from && !DATE.test(from)) || (to && !DATE.test(to))) return { period: {}, values, errors: { from: message('errors:invalid_range') } };
    return { period: { from: from || undefined, to: to || undefined, centerId: center?.id }, values, errors: {} };
  }
}
