import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { CenterService } from './center-service.entity';
import { Center } from './center.entity';
import { CenterView, ServiceView } from './dto/center.view';
import { Service } from './service.entity';

/** A service as one center offers it, with the lead time that applies there. */
export interface Offering {
  center: Center;
  service: Service;
  leadTimeHours: number;
}

@Injectable()
export class CentersService {
  constructor(
    @InjectRepository(Center) private readonly centers: Repository<Center>,
    @InjectRepository(CenterService) private readonly offerings: Repository<CenterService>,
  ) {}

  async list(): Promise<CenterView[]> {
    const centers = await this.centers.find({ order: { code: 'ASC' } });
    return centers.map(toCenterView);
  }

  async get(centerId: string): Promise<Center> {
    const center = await this.centers.findOneBy({ id: centerId });
    if (!center) throw new DomainError('not_found', { detail: 'No such center' });
    return center;
  }

  async byCode(code: string): Promise<Center> {
    const center = await this.centers.findOneBy({ code });
    if (!center) throw new DomainError('not_found', { detail: 'No such center' });
    return center;
  }

  async services(centerId: string): Promise<ServiceView[]> {
    await this.get(centerId);
    const rows = await this.offerings.find({ where: { centerId, service: { active: true } }, relations: { service: true } });
    return rows
      .map((row) => toServiceView(row.service!, row.leadTimeHours ?? row.service!.leadTimeHours))
      .sort((a, b) => a.code.localeCompare(b.code));
  }

  /** The service as offered at this center, or `service_not_offered`. */
  async offering(centerId: string, serviceId: string): Promise<Offering> {
    const row = await this.offerings.findOne({ where: { centerId, serviceId }, relations: { center: true, service: true } });
    if (!row || !row.service!.active) throw new DomainError('service_not_offered');
    return { center: row.center!, service: row.service!, leadTimeHours: row.leadTimeHours ?? row.service!.leadTimeHours };
  }
}

export function toCenterView(center: Center): CenterView {
  return {
    id: center.id,
    code: center.code,
    name: { zh: center.nameZh, en: center.nameEn },
    address: { zh: center.addressZh, en: center.addressEn },
    timezone: center.timezone,
  };
}

function toServiceView(service: Service, leadTimeHours: number): ServiceView {
  return {
    id: service.id,
    code: service.code,
    name: { zh: service.nameZh, en: service.nameEn },
    leadTimeHours,
    requiredDocuments: service.requiredDocuments,
  };
}
