import { Body, Controller, Delete, HttpCode, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentResident } from '../../auth/guards/auth-context';
import { SignedIn } from '../../auth/guards/signed-in.decorator';
import { CryptoService } from '../../common/crypto/crypto.service';
import { toAppointmentView } from '../appointment-view.mapper';
import { AppointmentView } from '../dto/appointment.view';
import { SetProxyDto } from './dto/set-proxy.dto';
import { ProxyService } from './proxy.service';

/** Proxy pickup: who comes to the counter instead of the resident. */
@ApiTags('resident appointments')
@SignedIn('resident')
@Controller('api/v1/appointments/:id/proxy')
export class AppointmentProxyController {
  constructor(
    private readonly proxies: ProxyService,
    private readonly crypto: CryptoService,
  ) {}

  @Put()
  @HttpCode(200)
  @ApiOperation({ summary: 'Name or change the relative who picks this booked appointment up' })
  @ApiResponse({ status: 200, type: AppointmentView })
  async set(@CurrentResident() residentId: string, @Param('id', ParseUUIDPipe) id: string, @Body() body: SetProxyDto): Promise<AppointmentView> {
    return toAppointmentView(await this.proxies.set(residentId, id, body.idNumber), this.crypto);
  }

  @Delete()
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove the proxy: you pick the appointment up yourself' })
  @ApiResponse({ status: 200, type: AppointmentView })
  async remove(@CurrentResident() residentId: string, @Param('id', ParseUUIDPipe) id: string): Promise<AppointmentView> {
    return toAppointmentView(await this.proxies.remove(residentId, id), this.crypto);
  }
}
