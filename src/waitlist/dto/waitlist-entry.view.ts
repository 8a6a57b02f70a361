import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const WAITLIST_VIEW_STATUSES = ['waiting', 'offered', 'booked', 'expired', 'left'] as const;
export type WaitlistViewStatus = (typeof WAITLIST_VIEW_STATUSES)[number];

export class WaitlistOfferView {
  @ApiProperty({ format: 'uuid' })
  slotId!: string;

  @ApiProperty({ format: 'date-time' })
  startsAt!: string;

  @ApiProperty({ format: 'date-time' })
  endsAt!: string;

  @ApiProperty({ format: 'date-time', description: 'Claim before this, or the place passes to the next in line' })
  expiresAt!: string;
}

export class WaitlistEntryView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  centerId!: string;

  @ApiProperty({ format: 'uuid' })
  serviceId!: string;

  @ApiProperty({ example: '2026-12-03' })
  date!: string;

  @ApiProperty({ enum: WAITLIST_VIEW_STATUSES, description: '`offered`: a place is held for you (see `offer`)' })
  status!: WaitlistViewStatus;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Place in line while waiting (1 = next)' })
  position!: number | null;

  @ApiPropertyOptional({ type: WaitlistOfferView, nullable: true })
  offer!: WaitlistOfferView | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'The appointment the claimed offer became' })
  appointmentId!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}
