import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LocalisedTextView } from '../../centers/dto/center.view';
import { STAFF_ROLES, StaffRole } from '../../staff/staff.entity';

export class OpeningPeriodView {
  @ApiProperty({ example: 1 }) weekday!: number;
  @ApiProperty({ example: '08:30' }) opens!: string;
  @ApiProperty({ example: '12:00' }) closes!: string;
  @ApiProperty({ example: 3 }) counters!: number;
}

export class CenterOfferingView {
  @ApiProperty({ format: 'uuid' }) serviceId!: string;
  @ApiProperty({ example: 'RESIDENCE-CERT' }) code!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'This center’s own lead time; null: the service’s' }) leadTimeHours!: number | null;
}

export class ClosureView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '2026-12-24' }) day!: string;
  @ApiProperty({ example: 'Staff training' }) reason!: string;
}

export class AdminCenterView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'GY-NM-HGY' }) code!: string;
  @ApiProperty({ type: LocalisedTextView }) name!: LocalisedTextView;
  @ApiProperty({ type: LocalisedTextView }) address!: LocalisedTextView;
  @ApiProperty({ example: 'Asia/Shanghai' }) timezone!: string;
  @ApiProperty({ example: 15 }) slotMinutes!: number;
  @ApiProperty({ example: 14 }) bookingWindowDays!: number;
  @ApiProperty({ example: '08:00' }) releaseTime!: string;
  @ApiProperty({ type: [OpeningPeriodView] }) hours!: OpeningPeriodView[];
  @ApiProperty({ type: [CenterOfferingView] }) services!: CenterOfferingView[];
  @ApiProperty({ type: [ClosureView], description: 'Closures from today on' }) closures!: ClosureView[];
}

export class ScheduleChangeView {
  @ApiProperty({ type: AdminCenterView }) center!: AdminCenterView;
  @ApiProperty({ example: 0, description: 'Appointments cancelled (cancel-and-notify); each resident was sent an SMS' }) cancelledAppointments!: number;
  @ApiProperty({ example: 120 }) slotsCreated!: number;
  @ApiProperty({ example: 8 }) slotsRemoved!: number;
}

export class AffectedSlotView {
  @ApiProperty({ format: 'uuid' }) slotId!: string;
  @ApiProperty({ example: '2026-12-08T09:00:00.000+08:00' }) startsAt!: string;
  @ApiProperty({ example: 3 }) booked!: number;
  @ApiProperty({ example: 1, description: 'Places the change would leave' }) newCapacity!: number;
}

export class AdminServiceView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'RESIDENCE-CERT' }) code!: string;
  @ApiProperty({ type: LocalisedTextView }) name!: LocalisedTextView;
  @ApiProperty({ type: [LocalisedTextView] }) requiredDocuments!: LocalisedTextView[];
  @ApiProperty({ example: 24 }) leadTimeHours!: number;
  @ApiProperty() active!: boolean;
}

export class StaffView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'li.na' }) username!: string;
  @ApiProperty({ enum: STAFF_ROLES }) role!: StaffRole;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) centerId!: string | null;
  @ApiProperty() disabled!: boolean;
  @ApiProperty({ description: 'A TOTP secret is enrolled' }) totpEnrolled!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ description: 'otpauth:// URI of a TOTP secret enrolled by this request: shown once, never again' }) totpUri?: string;
}
