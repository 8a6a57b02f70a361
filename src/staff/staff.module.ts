import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StaffAccountsService } from './staff-accounts.service';
import { StaffAuthController } from './staff-auth.controller';
import { StaffAuthService } from './staff-auth.service';
import { StaffLoginFailure } from './staff-login-failure.entity';
import { Staff } from './staff.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Staff, StaffLoginFailure])],
  controllers: [StaffAuthController],
  providers: [StaffAuthService, StaffAccountsService],
  exports: [StaffAccountsService, StaffAuthService],
})
export class StaffModule {}
