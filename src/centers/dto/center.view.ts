import { ApiProperty } from '@nestjs/swagger';

export class LocalisedTextView {
  @ApiProperty({ example: '南明区花果园社区服务中心' })
  zh!: string;

  @ApiProperty({ example: 'Huaguoyuan Community Service Center, Nanming' })
  en!: string;
}

export class CenterView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'GY-NM-HGY' })
  code!: string;

  @ApiProperty({ type: LocalisedTextView })
  name!: LocalisedTextView;

  @ApiProperty({ type: LocalisedTextView })
  address!: LocalisedTextView;

  @ApiProperty({ example: 'Asia/Shanghai' })
  timezone!: string;
}

export class ServiceView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'RESIDENCE-CERT' })
  code!: string;

  @ApiProperty({ type: LocalisedTextView })
  name!: LocalisedTextView;

  @ApiProperty({ description: 'Hours between booking and the earliest slot', example: 24 })
  leadTimeHours!: number;

  @ApiProperty({ type: [LocalisedTextView], description: 'What to bring' })
  requiredDocuments!: LocalisedTextView[];
}
