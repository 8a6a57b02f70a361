import { Controller, Delete, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig, isProduction } from '../config/app-config';
import { CurrentResident } from '../auth/guards/auth-context';
import { SignedIn } from '../auth/guards/signed-in.decorator';
import { clearSessionCookie } from '../auth/session-cookie';
import { AccessLogEntryView, MeView } from './dto/me.view';
import { MeService } from './me.service';

@ApiTags('resident data')
@SignedIn('resident')
@Controller('api/v1/me')
export class MeController {
  constructor(
    private readonly me: MeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Who you are signed in as (masked)' })
  @ApiResponse({ status: 200, type: MeView })
  get(@CurrentResident() residentId: string): Promise<MeView> {
    return this.me.me(residentId);
  }

  @Get('access-log')
  @ApiOperation({ summary: 'When staff looked at or changed your data' })
  @ApiResponse({ status: 200, type: [AccessLogEntryView] })
  accessLog(@CurrentResident() residentId: string): Promise<AccessLogEntryView[]> {
    return this.me.accessLog(residentId);
  }

  @Get('export')
  @ApiOperation({ summary: 'Everything stored about you, including your plain ID and phone numbers' })
  export(@CurrentResident() residentId: string): Promise<Record<string, unknown>> {
    return this.me.export(residentId);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Erase your data (refused while you hold active appointments)' })
  async erase(@CurrentResident() residentId: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.me.erase(residentId);
    clearSessionCookie(reply, isProduction(this.config));
  }
}
