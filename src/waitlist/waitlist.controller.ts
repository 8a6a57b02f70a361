import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { toAppointmentView } from '../appointments/appointment-view.mapper';
import { AppointmentView } from '../appointments/dto/appointment.view';
import { CurrentResident } from '../auth/guards/auth-context';
import { SignedIn } from '../auth/guards/signed-in.decorator';
import { CryptoService } from '../common/crypto/crypto.service';
import { JoinWaitlistDto } from './dto/join-waitlist.dto';
import { WaitlistEntryView } from './dto/waitlist-entry.view';
import { WaitlistService } from './waitlist.service';

@ApiTags('waitlist')
@SignedIn('resident')
@Controller('api/v1')
export class WaitlistController {
  constructor(
    private readonly waitlist: WaitlistService,
    private readonly crypto: CryptoService,
  ) {}

  @Post('waitlist')
  @HttpCode(201)
  @ApiOperation({ summary: 'Wait for a place on a full day; when one frees, you get an SMS and it is held for you' })
  @ApiResponse({ status: 201, type: WaitlistEntryView })
  join(@CurrentResident() residentId: string, @Body() body: JoinWaitlistDto): Promise<WaitlistEntryView> {
    return this.waitlist.join(residentId, body.centerId, body.serviceId, body.date);
  }

  @Get('me/waitlist')
  @ApiOperation({ summary: 'Your waitlist entries for days not yet over, with any offer held for you' })
  @ApiResponse({ status: 200, type: [WaitlistEntryView] })
  list(@CurrentResident() residentId: string): Promise<WaitlistEntryView[]> {
    return this.waitlist.listOwn(residentId);
  }

  @Post('waitlist/:id/claim')
  @HttpCode(201)
  @ApiOperation({ summary: 'Book the place held for you' })
  @ApiResponse({ status: 201, type: AppointmentView })
  async claim(@CurrentResident() residentId: string, @Param('id', ParseUUIDPipe) id: string): Promise<AppointmentView> {
    return toAppointmentView(await this.waitlist.claim(residentId, id), this.crypto);
  }

  @Delete('waitlist/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Leave the waitlist; a place held for you passes to the next' })
  async leave(@CurrentResident() residentId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.waitlist.leave(residentId, id);
  }
}
