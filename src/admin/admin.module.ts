import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { CentersModule } from '../centers/centers.module';
import { SlotsModule } from '../slots/slots.module';
import { StaffModule } from '../staff/staff.module';
import { AdminCentersController } from './admin-centers.controller';
import { AdminCentersService } from './admin-centers.service';
import { AdminRegistryController } from './admin-registry.controller';
import { AdminServicesController } from './admin-services.controller';
import { AdminServicesService } from './admin-services.service';
import { AdminStaffController } from './admin-staff.controller';
import { AdminStaffService } from './admin-staff.service';
import { CenterCancellationsService } from './center-cancellations.service';
import { registerCsvBodies } from './csv-body';
import { RegistryImportService } from './registry-import.service';
import { ScheduleChangeService } from './schedule-change.service';

/** The administration API: centers, services, hours, closures, staff and the registry import (admins with TOTP only). */
@Module({
  imports: [CentersModule, SlotsModule, StaffModule],
  controllers: [AdminCentersController, AdminServicesController, AdminStaffController, AdminRegistryController],
  providers: [AdminCentersService, AdminServicesService, AdminStaffService, ScheduleChangeService, CenterCancellationsService, RegistryImportService],
  exports: [AdminCentersService, AdminServicesService, AdminStaffService, RegistryImportService],
})
export class AdminModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    registerCsvBodies(this.adapterHost.httpAdapter.getInstance<FastifyInstance>());
  }
}
