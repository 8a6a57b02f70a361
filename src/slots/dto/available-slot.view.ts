import { ApiProperty } from '@nestjs/swagger';

export class AvailableSlotView {
  @ApiProperty({ format: 'uuid' })
  slotId!: string;

  @ApiProperty({ format: 'date-time' })
  startsAt!: string;

  @ApiProperty({ format: 'date-time' })
  endsAt!: string;

  @ApiProperty({ example: 2 })
  remaining!: number;
}
