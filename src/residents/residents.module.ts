import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MeController } from './me.controller';
import { MeService } from './me.service';
import { RegistryEntry } from './registry-entry.entity';
import { Resident } from './resident.entity';
import { ResidentsService } from './residents.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Resident, RegistryEntry])],
  controllers: [MeController],
  providers: [ResidentsService, MeService],
  exports: [ResidentsService],
})
export class ResidentsModule {}
