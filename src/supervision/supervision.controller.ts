import { Controller, Get, Header, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, StaffActor } from '../auth/guards/auth-context';
import { StaffRoles } from '../auth/guards/signed-in.decorator';
import type { FastifyRequest } from 'fastify';
import { I18nService, Language, LANGUAGE_COOKIE } from '../i18n/i18n.service';
import { AuditEntryView, AuditQuery, PeriodQuery, ReportView } from './dto/supervision.dto';
import { SupervisionService } from './supervision.service';

@ApiTags('supervision')
@StaffRoles('supervisor', 'admin')
@Controller('api/v1/staff')
export class SupervisionController {
  constructor(
    private readonly supervision: SupervisionService,
    private readonly i18n: I18nService,
  ) {}

  @Get('audit')
  @ApiOperation({ summary: 'The audit trail of your center (admins: any, or all), oldest first, at most 5,000 entries; filtered by staff account, action and reference' })
  @ApiResponse({ status: 200, type: [AuditEntryView] })
  audit(@CurrentStaff() actor: StaffActor, @Query() query: AuditQuery): Promise<AuditEntryView[]> {
    return this.supervision.auditTrail(actor, query);
  }

  @Get('audit.csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="civic-desk-audit.csv"')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The filtered audit trail as CSV, details in words: UTF-8 with a BOM, in the caller’s language (Chinese by default)' })
  auditCsv(@CurrentStaff() actor: StaffActor, @Query() query: AuditQuery, @Req() request: FastifyRequest): Promise<string> {
    return this.supervision.auditCsv(actor, query, this.language(request));
  }

  @Get('reports.csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="civic-desk-report.csv"')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The per-day figures as CSV: one line per day and center, UTF-8 with a BOM, headers in the caller’s language (Chinese by default)' })
  reportsCsv(@CurrentStaff() actor: StaffActor, @Query() query: PeriodQuery, @Req() request: FastifyRequest): Promise<string> {
    return this.supervision.reportCsv(actor, query, this.language(request));
  }

  @Get('reports')
  @ApiOperation({ summary: 'Figures for a period: bookings, hand-overs, no-shows, waiting, utilisation' })
  @ApiResponse({ status: 200, type: ReportView })
  reports(@CurrentStaff() actor: StaffActor, @Query() query: PeriodQuery): Promise<ReportView> {
    return this.supervision.report(actor, query);
  }

  private language(request: FastifyRequest): Language {
    return this.i18n.pick(request.cookies[LANGUAGE_COOKIE], request.headers['accept-language']);
  }
}
