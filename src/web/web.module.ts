import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { CentersModule } from '../centers/centers.module';
import { SlotsModule } from '../slots/slots.module';
import { CsrfGuard } from './csrf.guard';
import { CsrfService } from './csrf.service';
import { LanguageController } from './language.controller';
import { PageRenderer } from './page';
import { BookingFlowService } from './resident/booking-flow.service';
import { BookingPagesController } from './resident/booking-pages.controller';
import { MyPagesController } from './resident/my-pages.controller';
import { SignInPagesController } from './resident/sign-in-pages.controller';
import { WebErrorFilter } from './web-error.filter';

/** The server-rendered pages: residents now; the clerk console and the display join here. */
@Module({
  imports: [CentersModule, SlotsModule, AppointmentsModule],
  controllers: [LanguageController, SignInPagesController, MyPagesController, BookingPagesController],
  providers: [PageRenderer, CsrfService, CsrfGuard, WebErrorFilter, BookingFlowService],
  exports: [PageRenderer, CsrfService, CsrfGuard, WebErrorFilter],
})
export class WebModule {}
