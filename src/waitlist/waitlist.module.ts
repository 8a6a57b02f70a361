import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { CentersModule } from '../centers/centers.module';
import { SlotsModule } from '../slots/slots.module';
import { WaitlistController } from './waitlist.controller';
import { WaitlistOffersModule } from './waitlist-offers.module';
import { WaitlistService } from './waitlist.service';

@Module({
  imports: [AppointmentsModule, CentersModule, SlotsModule, WaitlistOffersModule],
  controllers: [WaitlistController],
  providers: [WaitlistService],
  exports: [WaitlistService],
})
export class WaitlistModule {}
