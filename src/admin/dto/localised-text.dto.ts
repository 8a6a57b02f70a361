import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** A text in Chinese and English (names, addresses, documents to bring). */
export class LocalisedTextDto {
  @ApiProperty({ example: '南明区花果园社区服务中心' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  zh!: string;

  @ApiProperty({ example: 'Huaguoyuan Community Service Center, Nanming' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  en!: string;
}

/** A plain string stands for both languages (an address is often the same in both). */
export function bothLanguages({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  return Object.assign(new LocalisedTextDto(), { zh: value.trim(), en: value.trim() });
}

export const ON_BOOKINGS = ['refuse', 'cancel-and-notify'] as const;
export type OnBookings = (typeof ON_BOOKINGS)[number];
