import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CryptoService } from '../common/crypto/crypto.service';
import { CurrentResident } from '../auth/guards/auth-context';
import { SignedIn } from '../auth/guards/signed-in.decorator';
import { toAppointmentView } from './appointment-view.mapper';
import { AppointmentsService } from './appointments.service';
import { AppointmentView } from './dto/appointment.view';

@ApiTags('resident appointments')
@SignedIn('resident')
@Controller('api/v1/me/appointments')
export class MyAppointmentsController {
  constructor(
    private readonly appointments: AppointmentsService,
    private readonly crypto: CryptoService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Your appointments, newest first' })
  @ApiResponse({ status: 200, type: [AppointmentView] })
  async list(@CurrentResident() residentId: string): Promise<AppointmentView[]> {
    return (await this.appointments.listOwn(residentId)).map((a) => toAppointmentView(a, this.crypto));
  }
}
