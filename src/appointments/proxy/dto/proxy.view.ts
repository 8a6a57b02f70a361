import { ApiProperty } from '@nestjs/swagger';

/** The person named to pick an appointment up: only ever shown masked. */
export class ProxyView {
  @ApiProperty({ example: '520***********0013' })
  maskedIdNumber!: string;
}
