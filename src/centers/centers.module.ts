import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CenterService } from './center-service.entity';
import { Center } from './center.entity';
import { CentersController } from './centers.controller';
import { CentersService } from './centers.service';
import { Closure } from './closure.entity';
import { OpeningHours } from './opening-hours.entity';
import { Service } from './service.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Center, Service, CenterService, OpeningHours, Closure])],
  controllers: [CentersController],
  providers: [CentersService],
  exports: [CentersService, TypeOrmModule],
})
export class CentersModule {}
