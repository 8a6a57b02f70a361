import { ApiProperty } from '@nestjs/swagger';
import { IsMobilePhone } from '../identity/validators';

export class DevOutboxQuery {
  @ApiProperty({ example: '13812345678', description: 'The phone the messages were sent to' })
  @IsMobilePhone()
  to!: string;
}
