import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Equals, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { IsIdNumber, IsMobilePhone, toIdNumberInput } from '../../identity/validators';

export class QueueQuery {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'Local date at the center (default: today)' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  date?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Admins only: which center' })
  @IsOptional()
  @IsUUID()
  centerId?: string;
}

const CHECK_IN_METHODS = ['otp', 'id-document', 'proxy'] as const;
/** The methods that need the counter passcode sent to the resident's bound phone. */
const needsCode = (o: CheckInDto): boolean => o.method === 'otp' || o.method === 'proxy';

export class CheckInDto {
  @ApiProperty({ enum: CHECK_IN_METHODS, description: 'proxy: the relative the resident named, with their own ID card and the code sent to the resident' })
  @IsIn(CHECK_IN_METHODS)
  method!: (typeof CHECK_IN_METHODS)[number];

  @ApiPropertyOptional({ format: 'uuid', description: 'methods otp and proxy: from POST …/counter-otp' })
  @ValidateIf(needsCode)
  @IsUUID()
  challengeId?: string;

  @ApiPropertyOptional({ example: '123456', description: 'methods otp and proxy: the code sent to the resident\'s bound phone' })
  @ValidateIf(needsCode)
  @IsString()
  @MaxLength(16)
  code?: string;

  @ApiPropertyOptional({ description: 'method id-document: the number typed from the ID card' })
  @ValidateIf((o: CheckInDto) => o.method === 'id-document')
  @Transform(toIdNumberInput)
  @IsIdNumber()
  idNumber?: string;

  @ApiPropertyOptional({ description: "method proxy: the number typed from the proxy's own ID card" })
  @ValidateIf((o: CheckInDto) => o.method === 'proxy')
  @Transform(toIdNumberInput)
  @IsIdNumber()
  proxyIdNumber?: string;
}

export class FulfilDto {
  @ApiProperty({ example: 'GY-2026-000123' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9\-/.]{0,63}$/, { message: 'certificateSerial: 1 to 64 letters, digits, - / .' })
  certificateSerial!: string;
}

export class CallNextDto {
  @ApiProperty({ example: 3 })
  @IsInt()
  @Min(1)
  @Max(99)
  counter!: number;
}

export class WalkInDto {
  @ApiProperty({ description: 'Typed from the ID card the clerk holds' })
  @Transform(toIdNumberInput)
  @IsIdNumber()
  idNumber!: string;

  @ApiPropertyOptional({ description: 'Only if the resident wants SMS (binds it when no phone is bound yet)' })
  @IsOptional()
  @IsMobilePhone()
  phone?: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  serviceId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Admins only: which center' })
  @IsOptional()
  @IsUUID()
  centerId?: string;
}

export class RebindPhoneDto {
  @ApiProperty({ description: 'Typed from the ID card the clerk has checked' })
  @Transform(toIdNumberInput)
  @IsIdNumber()
  idNumber!: string;

  @ApiProperty({ description: 'The new phone to bind' })
  @IsMobilePhone()
  phone!: string;

  @ApiProperty({ description: 'The clerk confirms having checked the physical ID card', example: true })
  @Equals(true)
  idCardChecked!: boolean;
}
