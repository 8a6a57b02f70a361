import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CentersModule } from '../centers/centers.module';
import { WaitlistOffersModule } from '../waitlist/waitlist-offers.module';
import { Appointment } from './appointment.entity';
import { AppointmentsController } from './appointments.controller';
import { AppointmentsService } from './appointments.service';
import { BookingService } from './booking.service';
import { MyAppointmentsController } from './my-appointments.controller';

@Module({
  imports: [TypeOrmModule.forFeature([Appointment]), CentersModule, WaitlistOffersModule],
  controllers: [AppointmentsController, MyAppointmentsController],
  providers: [AppointmentsService, BookingService],
  exports: [AppointmentsService, BookingService],
})
export class AppointmentsModule {}
