import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIdNumber, IsMobilePhone, toIdNumberInput } from '../../identity/validators';

export class RequestOtpDto {
  @ApiProperty({ example: '11010519491231002X', description: 'ID number (cn-ric); a lower-case x, spaces and full-width characters are accepted' })
  @Transform(toIdNumberInput)
  @IsIdNumber()
  idNumber!: string;

  @ApiProperty({ example: '13812345678', description: 'Mobile number; national numbers are read as mainland China' })
  @IsMobilePhone()
  phone!: string;
}
