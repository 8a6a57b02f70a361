import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig, isProduction } from '../config/app-config';
import { AuthService } from './auth.service';
import { OtpChallengeView, SessionView } from './dto/otp-challenge.view';
import { RequestOtpDto } from './dto/request-otp.dto';
import { VerifyOtpDto } from './dto/verify-otp.dto';
import { Public } from './guards/public.decorator';
import { clearSessionCookie, setSessionCookie } from './session-cookie';
import { SessionsService } from './sessions.service';

@ApiTags('resident sign-in')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('otp')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a sign-in passcode by SMS (to the bound phone where the ID is bound)' })
  @ApiResponse({ status: 202, type: OtpChallengeView })
  requestCode(@Body() body: RequestOtpDto, @Req() request: FastifyRequest): Promise<OtpChallengeView> {
    return this.auth.requestCode(body.idNumber, body.phone, request.ip);
  }

  @Public()
  @Post('otp/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Check the passcode; answers a session token and sets the session cookie' })
  @ApiResponse({ status: 200, type: SessionView })
  async verifyCode(@Body() body: VerifyOtpDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionView> {
    const session = await this.auth.verifyCode(body.challengeId, body.code);
    setSessionCookie(reply, session.token, session.expiresAt, isProduction(this.config));
    return AuthService.view(session);
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the current session (if any) and clear the cookie' })
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.sessions.endCurrent(request);
    clearSessionCookie(reply, isProduction(this.config));
  }
}
