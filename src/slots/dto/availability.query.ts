import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export class AvailabilityQuery {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  serviceId!: string;

  @ApiPropertyOptional({ example: '2026-12-01', description: 'First local date (default: today)' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-14', description: 'Last local date, at most 31 days after `from` counted inclusively (default: end of the booking window)' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  to?: string;
}
