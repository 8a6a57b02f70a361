import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { LOGGER } from '../common/logging/logger';
import { Clock } from '../common/time/clock';
import { CenterService } from '../centers/center-service.entity';
import { Center } from '../centers/center.entity';
import { OpeningHours } from '../centers/opening-hours.entity';
import { Service } from '../centers/service.entity';
import { DEMO_CENTERS, DEMO_SERVICES } from './demo-data';

const SEED_LOCK = 0x44454d4f; // "DEMO"

/** Demo centers and services for development, written once into an empty database. */
@Injectable()
export class DemoSeedService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.seedDemoData && (await this.seedIfEmpty())) this.logger.info('demo centers and services created');
  }

  /** True when it seeded; false when there were data already. */
  async seedIfEmpty(): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
      if ((await manager.count(Center)) > 0) return false;
      await seed(manager, this.clock.now());
      return true;
    });
  }
}

async function seed(manager: EntityManager, now: Date): Promise<void> {
  const services = await manager.save(
    DEMO_SERVICES.map((s) => manager.create(Service, { ...s, active: true })),
  );
  for (const demo of DEMO_CENTERS) {
    const center = await manager.save(
      manager.create(Center, {
        code: demo.code,
        nameZh: demo.nameZh,
        nameEn: demo.nameEn,
        addressZh: demo.addressZh,
        addressEn: demo.addressEn,
        timezone: 'Asia/Shanghai',
        slotMinutes: 15,
        bookingWindowDays: 14,
        releaseTime: demo.releaseTime,
        createdAt: now,
      }),
    );
    await manager.insert(
      OpeningHours,
      demo.hours.flatMap(([weekdays, opens, closes]) => weekdays.map((weekday) => ({ centerId: center.id, weekday, opens, closes, counters: demo.counters }))),
    );
    await manager.insert(
      CenterService,
      services.map((service) => ({ centerId: center.id, serviceId: service.id, leadTimeHours: demo.leadTimeHours ?? null })),
    );
  }
}
