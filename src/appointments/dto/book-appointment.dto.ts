import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsUUID } from 'class-validator';
import { IsIdNumber, toIdNumberInput } from '../../identity/validators';

export class BookAppointmentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  slotId!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  serviceId!: string;

  @ApiPropertyOptional({ example: '520102195001020013', description: 'ID number of a relative who picks the certificate up instead of you (proxy pickup)' })
  @IsOptional()
  @Transform(toIdNumberInput)
  @IsIdNumber()
  proxyIdNumber?: string;
}

export class RescheduleAppointmentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  slotId!: string;
}
