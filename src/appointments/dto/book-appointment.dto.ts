import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class BookAppointmentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  slotId!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  serviceId!: string;
}

export class RescheduleAppointmentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  slotId!: string;
}
