import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { CentersModule } from '../centers/centers.module';
import { CounterModule } from '../counter/counter.module';
import { DisplayModule } from '../display/display.module';
import { SlotsModule } from '../slots/slots.module';
import { StaffModule } from '../staff/staff.module';
import { SupervisionModule } from '../supervision/supervision.module';
import { WaitlistModule } from '../waitlist/waitlist.module';
import { CsrfGuard } from './csrf.guard';
import { CsrfService } from './csrf.service';
import { DisplayPageController } from './display/display-page.controller';
import { LanguageController } from './language.controller';
import { PageRenderer } from './page';
import { BookingFlowService } from './resident/booking-flow.service';
import { BookingPagesController } from './resident/booking-pages.controller';
import { MyPagesController } from './resident/my-pages.controller';
import { SignInPagesController } from './resident/sign-in-pages.controller';
import { WaitlistPagesController } from './resident/waitlist-pages.controller';
import { StaffAppointmentController } from './staff/staff-appointment.controller';
import { StaffConsoleService } from './staff/staff-console.service';
import { StaffDeskFormsController } from './staff/staff-desk-forms.controller';
import { StaffQueueController } from './staff/staff-queue.controller';
import { StaffSignInController } from './staff/staff-sign-in.controller';
import { StaffSupervisionController } from './staff/staff-supervision.controller';
import { WebErrorFilter } from './web-error.filter';

/** The server-rendered pages: residents, the clerk console and the waiting-room display. */
@Module({
  imports: [CentersModule, SlotsModule, AppointmentsModule, WaitlistModule, CounterModule, StaffModule, SupervisionModule, DisplayModule],
  controllers: [
    LanguageController,
    SignInPagesController,
    MyPagesController,
    BookingPagesController,
    WaitlistPagesController,
    StaffSignInController,
    StaffQueueController,
    StaffAppointmentController,
    StaffDeskFormsController,
    StaffSupervisionController,
    DisplayPageController,
  ],
  providers: [PageRenderer, CsrfService, CsrfGuard, WebErrorFilter, BookingFlowService, StaffConsoleService],
  exports: [PageRenderer, CsrfService, CsrfGuard, WebErrorFilter],
})
export class WebModule {}
