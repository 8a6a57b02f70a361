import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AppConfig } from './config/app-config';
import { AdminModule } from './admin/admin.module';
import { AppointmentsModule } from './appointments/appointments.module';
import { WaitlistModule } from './waitlist/waitlist.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { BindingVerificationModule } from './binding-verification/binding-verification.module';
import { CentersModule } from './centers/centers.module';
import { CommonModule } from './common/common.module';
import { ProblemFilter } from './common/errors/problem.filter';
import { Clock } from './common/time/clock';
import { DatabaseModule } from './database/database.module';
import { MetricsModule } from './metrics/metrics.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { DemoModule } from './demo/demo.module';
import { HealthModule } from './health/health.module';
import { I18nModule } from './i18n/i18n.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ResidentsModule } from './residents/residents.module';
import { SlotsModule } from './slots/slots.module';
import { CounterModule } from './counter/counter.module';
import { DisplayModule } from './display/display.module';
import { NoShowsModule } from './no-shows/no-shows.module';
import { StaffModule } from './staff/staff.module';
import { SupervisionModule } from './supervision/supervision.module';
import { WebModule } from './web/web.module';
import { AdminPagesModule } from './web/admin/admin-pages.module';
import { ThrottlingModule } from './throttling/throttling.module';

export interface AppModuleOptions {
  config: AppConfig;
  logger: Logger;
  clock: Clock;
  /** Initialised and migrated by the caller. */
  dataSource: DataSource;
}

@Module({})
export class AppModule {
  static register({ config, logger, clock, dataSource }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CommonModule.register(config, logger, clock),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({}),
          dataSourceFactory: async () => dataSource,
        }),
        DatabaseModule,
        MetricsModule,
        LifecycleModule,
        ThrottlingModule,
        I18nModule,
        AuditModule,
        NotificationsModule.register(config),
        BindingVerificationModule,
        AuthModule,
        ResidentsModule,
        CentersModule,
        SlotsModule,
        AppointmentsModule,
        WaitlistModule,
        StaffModule,
        CounterModule,
        NoShowsModule,
        DisplayModule,
        SupervisionModule,
        AdminModule,
        HealthModule,
        WebModule,
        AdminPagesModule,
        DemoModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}
