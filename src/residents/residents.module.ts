import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MeController } from './me.controller';
import { MeService } from './me.service';
import { RegistryEntry } from './registry-entry.entity';
import { Resident } from './resident.entity';
import { ResidentsService } from './residents.service';
import { PhoneBindingService } from './phone-binding.service';
import { StaffResidentsController } from './staff-residents.controller';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Resident, RegistryEntry])],
  controllers: [MeController, StaffResidentsController],
  providers: [ResidentsService, MeService, PhoneBindingService],
  exports: [ResidentsService, MeService, PhoneBindingService],
})
export class ResidentsModule {}
