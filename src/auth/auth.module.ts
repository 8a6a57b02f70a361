import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { SessionGuard } from './guards/session.guard';
import { OtpChallenge } from './otp-challenge.entity';
import { OtpService } from './otp.service';
import { Session } from './session.entity';
import { SessionsService } from './sessions.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Session, OtpChallenge])],
  controllers: [AuthController],
  providers: [AuthService, OtpService, SessionsService, { provide: APP_GUARD, useClass: SessionGuard }],
  exports: [OtpService, SessionsService, AuthService],
})
export class AuthModule {}
