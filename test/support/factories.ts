import { DataSource } from 'typeorm';
import { CenterService } from '../../src/centers/center-service.entity';
import { Center } from '../../src/centers/center.entity';
import { OpeningHours } from '../../src/centers/opening-hours.entity';
import { Service } from '../../src/centers/service.entity';
import { Slot } from '../../src/slots/slot.entity';

let counter = 0;
const unique = (prefix: string): string => `${prefix}-${process.pid}-${++counter}`;

export async function createService(dataSource: DataSource, overrides: Partial<Service> = {}): Promise<Service> {
  return dataSource.manager.save(
    dataSource.manager.create(Service, {
      code: unique('SVC'),
      nameZh: '居住证明',
      nameEn: 'Residence certificate',
      leadTimeHours: 0,
      requiredDocuments: [{ zh: '居民身份证原件', en: 'Resident identity card (original)' }],
      active: true,
      ...overrides,
    }),
  );
}

export interface CenterFixture {
  center: Center;
  service: Service;
}

/** A center open every day around the clock, offering one service (lead time 0 by default). */
export async function createCenter(dataSource: DataSource, overrides: Partial<Center> = {}, service?: Service): Promise<CenterFixture> {
  const manager = dataSource.manager;
  const center = await manager.save(
    manager.create(Center, {
      code: unique('C'),
      nameZh: '测试社区服务中心',
      nameEn: 'Test Community Service Center',
      addressZh: '贵阳市测试路 1 号',
      addressEn: '1 Test Road, Guiyang',
      timezone: 'Asia/Shanghai',
      slotMinutes: 15,
      bookingWindowDays: 14,
      releaseTime: '00:00',
      createdAt: new Date(),
      ...overrides,
    }),
  );
  const offered = service ?? (await createService(dataSource));
  await manager.insert(OpeningHours, [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ centerId: center.id, weekday, opens: '00:00', closes: '24:00', counters: 3 })));
  await manager.insert(CenterService, { centerId: center.id, serviceId: offered.id, leadTimeHours: null });
  return { center, service: offered };
}

/** A slot starting `hoursFromNow` hours from now (rounded to the minute). */
export async function createSlot(dataSource: DataSource, centerId: string, options: { hoursFromNow?: number; capacity?: number; minutes?: number; now?: Date } = {}): Promise<Slot> {
  const now = options.now ?? new Date();
  const startsAt = new Date(Math.floor((now.getTime() + (options.hoursFromNow ?? 48) * 3600_000) / 60_000) * 60_000);
  return dataSource.manager.save(
    dataSource.manager.create(Slot, {
      centerId,
      startsAt,
      endsAt: new Date(startsAt.getTime() + (options.minutes ?? 15) * 60_000),
      capacity: options.capacity ?? 3,
      booked: 0,
    }),
  );
}
