import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { CODE_PATTERN } from './center.dto';
import { LocalisedText, LocalisedTextDto } from './localised-text.dto';

export class CreateServiceDto {
  @ApiProperty({ example: 'RESIDENCE-CERT' })
  @IsString()
  @Matches(CODE_PATTERN, { message: 'code: 1 to 32 letters, digits, - or _, starting with a letter or digit' })
  code!: string;

  @LocalisedText()
  name!: LocalisedTextDto;

  @ApiPropertyOptional({ type: [LocalisedTextDto], description: 'What to bring', default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => LocalisedTextDto)
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
