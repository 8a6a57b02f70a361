import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { MIN_PASSWORD_LENGTH } from '../../staff/password';
import { STAFF_ROLES, StaffRole } from '../../staff/staff.entity';

const USERNAME = /^[A-Za-z0-9._-]{3,64}$/;

export class CreateStaffDto {
  @ApiProperty({ example: 'li.na' })
  @IsString()
  @Matches(USERNAME, { message: 'username: 3 to 64 of a-z 0-9 . _ -' })
  username!: string;

  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(256)
  password!: string;

  @ApiProperty({ enum: STAFF_ROLES })
  @IsIn(STAFF_ROLES)
  role!: StaffRole;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for clerks and supervisors; ignored for admins' })
  @IsOptional()
  @IsUUID()
  centerId?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

export class UpdateStaffDto {
  @ApiPropertyOptional({ example: 'li.na' })
  @IsOptional()
  @IsString()
  @Matches(USERNAME, { message: 'username: 3 to 64 of a-z 0-9 . _ -' })
  username?: string;

  @ApiPropertyOptional({ minLength: MIN_PASSWORD_LENGTH, description: 'A new password (ends the account’s sessions)' })
  @IsOptional()
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH)
  @MaxLength(256)
  password?: string;

  @ApiPropertyOptional({ enum: STAFF_ROLES })
  @IsOptional()
  @IsIn(STAFF_ROLES)
  role?: StaffRole;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @ValidateIf((o: UpdateStaffDto) => o.centerId !== null && o.centerId !== undefined)
  @IsUUID()
  centerId?: string | null;

  @ApiPropertyOptional({ description: 'true ends the account’s sessions' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ description: 'A new TOTP secret (a lost phone): the otpauth URI is in the answer, once' })
  @IsOptional()
  @IsBoolean()
  resetTotp?: boolean;
}
