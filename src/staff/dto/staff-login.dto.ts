import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class StaffLoginDto {
  @ApiProperty({ example: 'clerk.wang' })
  @IsString()
  @MaxLength(64)
  username!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(256)
  password!: string;

  @ApiPropertyOptional({ example: '123456', description: 'Required for supervisors and admins' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  totp?: string;
}

export class StaffSessionView {
  @ApiProperty()
  token!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;

  @ApiProperty({ enum: ['clerk', 'supervisor', 'admin'] })
  role!: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  centerId!: string | null;
}
