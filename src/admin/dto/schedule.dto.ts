import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ON_BOOKINGS, OnBookings } from './localised-text.dto';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export class OpeningPeriodDto {
  @ApiProperty({ minimum: 1, maximum: 7, description: '1 = Monday … 7 = Sunday', example: 1 })
  @IsInt()
  @Min(1)
  @Max(7)
  weekday!: number;

  @ApiProperty({ example: '08:30' })
  @Matches(TIME, { message: 'opens: HH:MM' })
  opens!: string;

  @ApiProperty({ example: '12:00', description: '"24:00" is the end of the day' })
  @Matches(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: 'closes: HH:MM or 24:00' })
  closes!: string;

  @ApiProperty({ example: 3, description: 'Counters open: the places in each slot' })
  @IsInt()
  @Min(1)
  @Max(99)
  counters!: number;
}

export class OpeningHoursDto {
  @ApiProperty({ type: [OpeningPeriodDto], description: 'Replaces all of the center’s opening hours' })
  @IsArray()
  @ArrayMaxSize(70)
  @ValidateNested({ each: true })
  @Type(() => OpeningPeriodDto)
  hours!: OpeningPeriodDto[];

  @ApiPropertyOptional({ enum: ON_BOOKINGS, default: 'refuse', description: 'What to do when booked appointments no longer fit' })
  @IsOptional()
  @IsIn(ON_BOOKINGS)
  onBookings?: OnBookings;
}

export class ClosureDto {
  @ApiProperty({ example: '2026-12-24', description: 'First closed day (local date)' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from: YYYY-MM-DD' })
  from!: string;

  @ApiPropertyOptional({ example: '2026-12-26', description: 'Last closed day (default: from)' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to: YYYY-MM-DD' })
  to?: string;

  @ApiProperty({ example: 'Staff training' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  reason!: string;

  @ApiPropertyOptional({ enum: ON_BOOKINGS, default: 'refuse', description: 'What to do with appointments booked on those days' })
  @IsOptional()
  @IsIn(ON_BOOKINGS)
  onBookings?: OnBookings;
}

export class CenterServicesDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'Every service the center offers from now on' })
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  serviceIds!: string[];
}
