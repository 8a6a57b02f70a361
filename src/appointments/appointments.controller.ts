import { Body, Controller, Get, Header, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import QRCode from 'qrcode';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { CurrentResident } from '../auth/guards/auth-context';
import { SignedIn } from '../auth/guards/signed-in.decorator';
import { toAppointmentView } from './appointment-view.mapper';
import { AppointmentsService } from './appointments.service';
import { BookingService } from './booking.service';
import { appointmentCalendar } from './calendar';
import { AppointmentView } from './dto/appointment.view';
import { BookAppointmentDto, RescheduleAppointmentDto } from './dto/book-appointment.dto';
import { ProxyService } from './proxy/proxy.service';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/** ISO/IEC 18004 asks for a quiet zone of 4 modules around the symbol. */
const QR_QUIET_ZONE_MODULES = 4;
const QR_PIXELS = 264;

@ApiTags('resident appointments')
@SignedIn('resident')
@Controller('api/v1/appointments')
export class AppointmentsController {
  constructor(
    private readonly booking: BookingService,
    private readonly appointments: AppointmentsService,
    private readonly proxies: ProxyService,
    private readonly crypto: CryptoService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Book a slot; retries with the same Idempotency-Key answer the same appointment' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Up to 128 printable ASCII characters' })
  @ApiResponse({ status: 201, type: AppointmentView })
  async book(
    @CurrentResident() residentId: string,
    @Body() body: BookAppointmentDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<AppointmentView> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new DomainError('validation_failed', { detail: 'Idempotency-Key must be 1 to 128 printable ASCII characters' });
    }
    return toAppointmentView(await this.booking.book({ residentId, ...body, idempotencyKey }), this.crypto);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of your appointments' })
  @ApiResponse({ status: 200, type: AppointmentView })
  async get(@CurrentResident() residentId: string, @Param('id', ParseUUIDPipe) id: string): Promise<AppointmentView> {
    return toAppointmentView(await this.appointments.getOwn(residentId, id), this.crypto);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel; the place is freed at once' })
  @ApiResponse({ status: 200, type: AppointmentView })
  async cancel(@CurrentResident() residentId: string, @Param('id', ParseUUIDPipe) id: string): Promise<AppointmentView> {
    return toAppointmentView(await this.proxies.fill(await this.booking.cancel(residentId, id)), this.crypto);
  }

  @Post(':id/reschedule')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move to another slot atomically' })
  @ApiResponse({ status: 200, type: AppointmentView })
  async reschedule(
    @CurrentResident() residentId: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RescheduleAppointmentDto,
  ): Promise<AppointmentView> {
    return toAppointmentView(await this.booking.reschedule(residentId, id, body.slotId), this.crypto);
  }

  @Get(':id/calendar.ics')
  @Header('content-type', 'text/calendar; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="civic-desk-appointment.ics"')
  @ApiProduces('text/calendar')
  @ApiOperation({ summary: 'The appointment as an iCalendar event' })
  async calendar(@CurrentResident() residentId: string, @Param('id', ParseUUIDPipe) id: string): Promise<string> {
    return appointmentCalendar(await this.appointments.getOwn(residentId, id), this.config.publicUrl);
  }

  @Get(':id/qr.svg')
  @Header('content-type', 'image/svg+xml')
  @ApiProduces('image/svg+xml')
  @ApiOperation({ summary: 'QR code of the reference, for the counter scanner: a 4-module quiet zone (ISO/IEC 18004), 264 px square' })
  async qr(@CurrentResident() residentId: string, @Param('id', ParseUUIDPipe) id: string): Promise<string> {
    const appointment = await this.appointments.getOwn(residentId, id);
    return QRCode.toString(appointment.reference, { type: 'svg', errorCorrectionLevel: 'M', margin: QR_QUIET_ZONE_MODULES, width: QR_PIXELS });
  }
}
