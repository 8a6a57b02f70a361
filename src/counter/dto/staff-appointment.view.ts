import { ApiProperty } from '@nestjs/swagger';
import { AppointmentView } from '../../appointments/dto/appointment.view';

export class StaffAppointmentView extends AppointmentView {
  @ApiProperty({ example: '520***********123X', nullable: true, type: String, description: 'Null once the resident erased their data' })
  maskedIdNumber!: string | null;

  @ApiProperty()
  walkIn!: boolean;

  @ApiProperty({ nullable: true, type: Number, description: 'Counter the ticket was called to' })
  counter!: number | null;
}

export class CalledTicketView {
  @ApiProperty({ example: 'A-012' })
  ticket!: string;

  @ApiProperty({ format: 'uuid' })
  appointmentId!: string;
}

export class CounterChallengeView {
  @ApiProperty({ format: 'uuid' })
  challengeId!: string;

  @ApiProperty({ example: '138****5678', description: 'The bound phone, masked' })
  sentTo!: string;
}
