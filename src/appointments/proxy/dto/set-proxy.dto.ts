import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIdNumber, toIdNumberInput } from '../../../identity/validators';

export class SetProxyDto {
  @ApiProperty({ example: '520102195001020013', description: 'ID number of the relative who picks the certificate up (not your own)' })
  @Transform(toIdNumberInput)
  @IsIdNumber()
  idNumber!: string;
}
