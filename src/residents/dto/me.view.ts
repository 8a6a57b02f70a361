import { ApiProperty } from '@nestjs/swagger';

export class MeView {
  @ApiProperty({ example: '520***********123X' })
  maskedIdNumber!: string;

  @ApiProperty({ example: '138****5678', nullable: true, type: String, description: 'Null until a phone is bound' })
  maskedPhone!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Booking is refused until then (no-shows)' })
  restrictedUntil!: string | null;
}

export class AccessLogEntryView {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ example: 'appointment.check_in' })
  action!: string;

  @ApiProperty({ example: 'clerk', nullable: true, type: String })
  staffRole!: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  centerId!: string | null;
}
