import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { StaffActor } from '../auth/guards/auth-context';
import { AuditService } from '../audit/audit.service';
import { Service } from '../centers/service.entity';
import { inTransaction, isUniqueViolation } from '../database/transaction';
import { adminAudit } from './admin-audit';
import { AdminServiceView } from './dto/admin.views';
import { CreateServiceDto, UpdateServiceDto } from './dto/service.dto';

/** The certificates centers hand out: names, documents to bring, lead time, active or not. */
@Injectable()
export class AdminServicesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<AdminServiceView[]> {
    const services = await this.dataSource.manager.find(Service, { order: { code: 'ASC' } });
    return services.map(toServiceView);
  }

  async get(serviceId: string): Promise<AdminServiceView> {
    const service = await this.dataSource.manager.findOneBy(Service, { id: serviceId });
    if (!service) throw new DomainError('not_found', { detail: 'No such service' });
    return toServiceView(service);
  }

  create(actor: StaffActor, input: CreateServiceDto): Promise<AdminServiceView> {
    return inTransaction(this.dataSource, async (manager) => {
      const service = await this.save(manager, manager.create(Service, serviceColumns(input)));
      await this.audit.append(manager, adminAudit(actor, 'admin.service.create', null, { serviceId: service.id, code: service.code }));
      return toServiceView(await manager.findOneByOrFail(Service, { id: service.id }));
    });
  }

  update(actor: StaffActor, serviceId: string, input: UpdateServiceDto): Promise<AdminServiceView> {
    return inTransaction(this.dataSource, async (manager) => {
      const service = await manager.findOne(Service, { where: { id: serviceId }, lock: { mode: 'pessimistic_write' } });
      if (!service) throw new DomainError('not_found', { detail: 'No such service' });
      await this.save(manager, Object.assign(service, serviceColumns(input)));
      await this.audit.append(manager, adminAudit(actor, 'admin.service.update', null, { serviceId, fields: Object.keys(input).sort() }));
      return toServiceView(await manager.findOneByOrFail(Service, { id: serviceId }));
    });
  }

  private async save(manager: EntityManager, service: Service): Promise<Service> {
    try {
      return await manager.save(Service, service);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('duplicate_code', { detail: `A service with code "${service.code}" exists` });
      throw error;
    }
  }
}

/** Absent fields stay absent; so do nulls, which @IsOptional lets through (the columns are NOT NULL). */
function serviceColumns(input: UpdateServiceDto): Partial<Service> {
  const columns: Partial<Service> = {};
  if (input.code != null) columns.code = input.code;
  if (input.name) Object.assign(columns, { nameZh: input.name.zh, nameEn: input.name.en });
  if (input.requiredDocuments) columns.requiredDocuments = input.requiredDocuments.map((d) => ({ zh: d.zh, en: d.en }));
  if (input.leadTimeHours != null) columns.leadTimeHours = input.leadTimeHours;
  if (input.active != null) columns.active = input.active;
  return columns;
}

export function toServiceView(service: Service): AdminServiceView {
  return {
    id: service.id,
    code: service.code,
    name: { zh: service.nameZh, en: service.nameEn },
    requiredDocuments: service.requiredDocuments,
    leadTimeHours: service.leadTimeHours,
    active: service.active,
  };
}
