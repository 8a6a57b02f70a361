import { ApiProperty } from '@nestjs/swagger';
import { APPOINTMENT_STATUSES, AppointmentStatus, Preparation } from '../appointment.entity';
import { ProxyView } from '../proxy/dto/proxy.view';

export class AppointmentView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'K7QX4M2HRT', description: 'Shown at the counter, encoded in the QR code' })
  reference!: string;

  @ApiProperty({ enum: APPOINTMENT_STATUSES })
  status!: AppointmentStatus;

  @ApiProperty({ enum: ['pending', 'ready'] })
  preparation!: Preparation;

  @ApiProperty({ format: 'uuid' })
  centerId!: string;

  @ApiProperty({ format: 'uuid' })
  serviceId!: string;

  @ApiProperty({ format: 'uuid' })
  slotId!: string;

  @ApiProperty({ format: 'date-time' })
  startsAt!: string;

  @ApiProperty({ format: 'date-time' })
  endsAt!: string;

  @ApiProperty({ nullable: true, example: 'A-012', type: String })
  ticket!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: ProxyView, nullable: true, description: 'The relative named to pick it up (proxy pickup), masked; null when the resident comes in person' })
  proxy!: ProxyView | null;
}
