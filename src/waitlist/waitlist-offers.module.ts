import { Module } from '@nestjs/common';
import { WaitlistOffersService } from './waitlist-offers.service';

/** The offers job on its own, so that booking (which frees places) can use it without a cycle. */
@Module({
  providers: [WaitlistOffersService],
  exports: [WaitlistOffersService],
})
export class WaitlistOffersModule {}
