import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentStaff, StaffActor } from '../../auth/guards/auth-context';
import { StaffRoles } from '../../auth/guards/signed-in.decorator';
import { Center } from '../../centers/center.entity';
import { addDays } from '../../slots/booking-window';
import { PeriodQuery } from '../../supervision/dto/supervision.dto';
import { REPORT_DAYS, SupervisionService } from '../../supervision/supervision.service';
import { PageRenderer } from '../page';
import { WebErrorFilter } from '../web-error.filter';
import { FormErrors, fromDomainError, isFormError, message } from './form-errors';
import { reportCharts } from './report-charts';
import { StaffConsoleService } from './staff-console.service';

const SHOWN_ENTRIES = 500;
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

  @Get('audit')
  async audit(@CurrentStaff() actor: StaffActor, @Query() query: Record<string, string | undefined>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const center = await this.console.center(actor, request);
    const { period, values, errors } = this.period(query, center, 1);
    if (errors.from) return this.pages.render(request, reply, 'staff/audit', { staff: actor, center, values, errors, entries: [], total: 0 }, 400);
    try {
      const entries = await this.supervision.auditTrail(actor, period);
      const newestFirst = entries.reverse();
      await this.pages.render(request, reply, 'staff/audit', { staff: actor, center, values, errors, entries: newestFirst.slice(0, SHOWN_ENTRIES), total: entries.length });
    } catch (error) {
      if (!isFormError(error)) throw error;
      await this.pages.render(request, reply, 'staff/audit', { staff: actor, center, values, errors: { from: fromDomainError(error) }, entries: [], total: 0 }, error.status);
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
