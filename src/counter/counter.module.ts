import { Module } from '@nestjs/common';
import { CentersModule } from '../centers/centers.module';
import { NoShowsModule } from '../no-shows/no-shows.module';
import { CheckInProofs } from './check-in-proofs.service';
import { CounterDeskService } from './counter-desk.service';
import { CounterController } from './counter.controller';
import { QueueService } from './queue.service';
import { StaffAppointmentViews } from './staff-appointment-view';
import { WalkInService } from './walk-in.service';

@Module({
  imports: [CentersModule, NoShowsModule],
  controllers: [CounterController],
  providers: [QueueService, CounterDeskService, WalkInService, StaffAppointmentViews, CheckInProofs],
  exports: [QueueService, CounterDeskService, WalkInService],
})
export class CounterModule {}
