import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig, isProduction } from '../config/app-config';
import { Public } from '../auth/guards/public.decorator';
import { setSessionCookie } from '../auth/session-cookie';
import { StaffLoginDto, StaffSessionView } from './dto/staff-login.dto';
import { StaffAuthService } from './staff-auth.service';

@ApiTags('staff')
@Controller('api/v1/staff')
export class StaffAuthController {
  constructor(
    private readonly auth: StaffAuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Staff sign-in: username + password, and TOTP for supervisors and admins' })
  @ApiResponse({ status: 200, type: StaffSessionView })
  async login(@Body() body: StaffLoginDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<StaffSessionView> {
    const session = await this.auth.login(body.username, body.password, body.totp);
    setSessionCookie(reply, session.token, new Date(session.expiresAt), isProduction(this.config));
    return session;
  }
}
