import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CentersModule } from '../centers/centers.module';
import { AvailabilityController } from './availability.controller';
import { AvailabilityService } from './availability.service';
import { SlotGeneratorService } from './slot-generator.service';
import { Slot } from './slot.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Slot]), CentersModule],
  controllers: [AvailabilityController],
  providers: [AvailabilityService, SlotGeneratorService],
  exports: [SlotGeneratorService, AvailabilityService, TypeOrmModule],
})
export class SlotsModule {}
