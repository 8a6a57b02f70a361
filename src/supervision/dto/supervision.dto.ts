import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches, MaxLength } from 'class-validator';

export class PeriodQuery {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'First local date (default: today; for reports, 29 days before `to`)' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Last local date (default: `from`, or today)' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  to?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Admins only: which center (default: all centers)' })
  @IsOptional()
  @IsUUID()
  centerId?: string;
}

/** The audit trail's filters, besides the period; a page of the newest first when `page` is given. */
export class AuditQuery extends PeriodQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only what this staff account did' })
  @IsOptional()
  @IsUUID()
  staffId?: string;

  @ApiPropertyOptional({ example: 'appointment.check_in', description: 'Only this action' })
  @IsOptional()
  @Matches(/^[a-z_]+(\.[a-z_]+)*$/)
  @MaxLength(48)
  action?: string;

  @ApiPropertyOptional({ example: 'K7M2QX9PTA', description: 'Only entries about the appointment with this reference' })
  @IsOptional()
  @Matches(/^[0-9A-Za-z -]{1,24}$/)
  reference?: string;
}

export class AuditEntryView {
  @ApiProperty({ example: '42' })
  seq!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ enum: ['staff', 'resident', 'system'] })
  actorType!: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  actorId!: string | null;

  @ApiProperty({ nullable: true, type: String })
  actorRole!: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'The staff account, for entries made by staff' })
  actorUsername!: string | null;

  @ApiProperty({ example: 'appointment.check_in' })
  action!: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  centerId!: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  appointmentId!: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'The appointment’s reference (none once retention has anonymised it away)' })
  reference!: string | null;

  @ApiProperty({ type: Object })
  detail!: Record<string, unknown>;

  @ApiProperty({ description: 'SHA-256 of this entry, hex (chained to the previous one)' })
  hash!: string;
}

export class BusyHourView {
  @ApiProperty({ example: 9 })
  hour!: number;

  @ApiProperty()
  appointments!: number;
}

export class DayFiguresView {
  @ApiProperty({ example: '2026-12-01' })
  date!: string;

  @ApiProperty() booked!: number;
  @ApiProperty() fulfilled!: number;
  @ApiProperty() cancelled!: number;
  @ApiProperty() noShows!: number;
}

export class ReportView {
  @ApiProperty({ description: 'Appointments for slots in the period, cancelled ones included' })
  booked!: number;

  @ApiProperty()
  fulfilled!: number;

  @ApiProperty()
  noShows!: number;

  @ApiProperty()
  cancelled!: number;

  @ApiProperty({ description: 'No-shows ÷ appointments not cancelled' })
  noShowRate!: number;

  @ApiProperty({ nullable: true, type: Number, description: 'Median seconds from check-in to call' })
  medianWaitSeconds!: number | null;

  @ApiProperty({ nullable: true, type: Number, description: '90th percentile of seconds from check-in to call' })
  waitP90Seconds!: number | null;

  @ApiProperty({ nullable: true, type: Number, description: 'Median seconds from call to hand-over' })
  medianServiceSeconds!: number | null;

  @ApiProperty({ nullable: true, type: Number, description: '90th percentile of seconds from call to hand-over' })
  serviceP90Seconds!: number | null;

  @ApiProperty({ description: 'Places taken ÷ places offered' })
  utilisation!: number;

  @ApiProperty({ type: [BusyHourView], description: 'The hours with most appointments (local time), busiest first' })
  busiestHours!: BusyHourView[];

  @ApiProperty({ type: [DayFiguresView] })
  days!: DayFiguresView[];
}
