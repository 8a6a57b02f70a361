import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export const IMPORT_MODES = ['valid-lines', 'all-or-nothing'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export class RegistryImportQuery {
  @ApiPropertyOptional({ enum: IMPORT_MODES, default: 'valid-lines', description: 'all-or-nothing: import nothing when any line is rejected' })
  @IsOptional()
  @IsIn(IMPORT_MODES)
  mode?: ImportMode;
}

export const LINE_CODES = ['invalid_id_number', 'invalid_phone', 'duplicate', 'invalid_line'] as const;
export type LineCode = (typeof LINE_CODES)[number];

export class RejectedLineView {
  @ApiProperty({ example: 3, description: 'Line number in the file, counting the header' })
  line!: number;

  @ApiProperty({ enum: LINE_CODES })
  code!: LineCode;
}

export class RegistryImportView {
  @ApiProperty({ example: 99_998, description: 'Entries written (new or replaced)' })
  imported!: number;

  @ApiProperty({ type: [RejectedLineView], description: 'At most the first 10,000 rejected lines' })
  rejected!: RejectedLineView[];

  @ApiProperty({ example: 2, description: 'All rejected lines, also those beyond the list' })
  rejectedTotal!: number;
}
