import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CentersModule } from '../centers/centers.module';
import { WaitlistOffersModule } from '../waitlist/waitlist-offers.module';
import { Appointment } from './appointment.entity';
import { AppointmentsController } from './appointments.controller';
import { AppointmentsService } from './appointments.service';
import { BookingService } from './booking.service';
import { MyAppointmentsController } from './my-appointments.controller';
import { AppointmentProxyController } from './proxy/appointment-proxy.controller';
import { ProxyService } from './proxy/proxy.service';

@Module({
  imports: [TypeOrmModule.forFeature([Appointment]), CentersModule, WaitlistOffersModule],
  controllers: [AppointmentsController, MyAppointmentsController, AppointmentProxyController],
  providers: [AppointmentsService, BookingService, ProxyService],
  exports: [AppointmentsService, BookingService, ProxyService],
})
export class AppointmentsModule {}
