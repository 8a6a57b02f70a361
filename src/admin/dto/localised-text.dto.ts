import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsNotEmpty, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';

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

/** A required field holding one LocalisedTextDto. */
export function LocalisedText(description?: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: LocalisedTextDto, description }),
    IsObject(), // ValidateNested alone lets a missing field or an array through (a 500 from NOT NULL)
    ValidateNested(),
    Type(() => LocalisedTextDto),
  );
}

/** A plain string stands for both languages (an address is often the same in both). */
export function bothLanguages({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  return Object.assign(new LocalisedTextDto(), { zh: value.trim(), en: value.trim() });
}

export const ON_BOOKINGS = ['refuse', 'cancel-and-notify'] as const;
export type OnBookings = (typeof ON_BOOKINGS)[number];
