import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateBy, ValidationOptions } from 'class-validator';
import { IANAZone } from 'luxon';
import { bothLanguages, LocalisedText, LocalisedTextDto, ON_BOOKINGS, OnBookings } from './localised-text.dto';

export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const CODE_MESSAGE = 'code: 1 to 32 letters, digits, - or _, starting with a letter or digit';

/** An IANA time-zone name the runtime knows, e.g. Asia/Shanghai. */
function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTimeZone',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(value) && IANAZone.isValidZone(value),
        defaultMessage: () => 'timezone must be an IANA time zone such as Asia/Shanghai',
      },
    },
    options,
  );
}

export class CreateCenterDto {
  @ApiProperty({ example: 'GY-NM-HGY' })
  @IsString()
  @Matches(CODE_PATTERN, { message: CODE_MESSAGE })
  code!: string;

  @LocalisedText()
  name!: LocalisedTextDto;

  @LocalisedText('Or one plain string for both languages')
  @Transform(bothLanguages)
  address!: LocalisedTextDto;

  @ApiPropertyOptional({ example: 'Asia/Shanghai', default: 'Asia/Shanghai' })
  @IsOptional()
  @IsTimeZone()
  timezone?: string;

  @ApiPropertyOptional({ example: 15, default: 15, minimum: 5, maximum: 240 })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(240)
  slotMinutes?: number;

  @ApiPropertyOptional({ example: 14, default: 14, minimum: 1, maximum: 90 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  bookingWindowDays?: number;

  @ApiPropertyOptional({ example: '08:00', default: '00:00', description: 'Local time at which the last day of the window opens' })
  @IsOptional()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'releaseTime: HH:MM' })
  releaseTime?: string;
}

export class UpdateCenterDto extends PartialType(CreateCenterDto) {
  @ApiPropertyOptional({
    enum: ON_BOOKINGS,
    default: 'refuse',
    description: 'When a new slot length or time zone moves booked slots: refuse (409 bookings_affected) or cancel them and tell the residents',
  })
  @IsOptional()
  @IsIn(ON_BOOKINGS)
  onBookings?: OnBookings;
}
