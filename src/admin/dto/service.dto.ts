import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { CODE_PATTERN } from './center.dto';
import { bothLanguages, LocalisedText, LocalisedTextDto } from './localised-text.dto';

export class CreateServiceDto {
  @ApiProperty({ example: 'RESIDENCE-CERT' })
  @IsString()
  @Matches(CODE_PATTERN, { message: 'code: 1 to 32 letters, digits, - or _, starting with a letter or digit' })
  code!: string;

  @LocalisedText()
  name!: LocalisedTextDto;

  @ApiPropertyOptional({
    type: 'array',
    items: { oneOf: [{ $ref: '#/components/schemas/LocalisedTextDto' }, { type: 'string', description: 'the same text in both languages' }] },
    description: 'What to bring; each one `{ zh, en }`, or one plain string for both languages',
    default: [],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => LocalisedTextDto)
  @Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value.map((item: unknown) => bothLanguages({ value: item })) : value))
  requiredDocuments?: LocalisedTextDto[];

  @ApiPropertyOptional({ example: 24, default: 24, description: 'Hours between booking and the earliest slot' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(24 * 60)
  leadTimeHours?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateServiceDto extends PartialType(CreateServiceDto) {}
