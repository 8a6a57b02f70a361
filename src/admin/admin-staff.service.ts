import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { StaffActor } from '../auth/guards/auth-context';
import { AuditService } from '../audit/audit.service';
import { inTransaction } from '../database/transaction';
import { StaffAccountsService } from '../staff/staff-accounts.service';
import { Staff } from '../staff/staff.entity';
import { adminAudit } from './admin-audit';
import { StaffView } from './dto/admin.views';
import { CreateStaffDto, UpdateStaffDto } from './dto/staff.dto';

/**
 * Staff accounts through the admin API, on top of the CLI's account service. Answers never
 * carry a password hash or a TOTP secret cipher; a TOTP secret enrolled by the request comes
 * back once, as an otpauth:// URI, for the new user's authenticator app.
 */
@Injectable()
export class AdminStaffService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: StaffAccountsService,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<StaffView[]> {
    const staff = await this.dataSource.manager.find(Staff, { order: { username: 'ASC' } });
    return staff.map((s) => toStaffView(s));
  }

  async get(staffId: string): Promise<StaffView> {
    const staff = await this.dataSource.manager.findOneBy(Staff, { id: staffId });
    if (!staff) throw new DomainError('not_found', { detail: 'No such staff account' });
    return toStaffView(staff);
  }

  create(actor: StaffActor, input: CreateStaffDto): Promise<StaffView> {
    return inTransaction(this.dataSource, async (manager) => {
      let staff = await this.accounts.create({ username: input.username, password: input.password, role: input.role, center: input.role === 'admin' ? undefined : input.centerId }, manager);
      if (input.disabled) staff = await this.accounts.update(staff.id, { disabled: true }, manager);
      const totpUri = await this.enrolIfNeeded(manager, staff, false);
      await this.audit.append(manager, adminAudit(actor, 'admin.staff.create', staff.centerId, { staffId: staff.id, role: staff.role }));
      return toStaffView(await manager.findOneByOrFail(Staff, { id: staff.id }), totpUri);
    });
  }

  update(actor: StaffActor, staffId: string, input: UpdateStaffDto): Promise<StaffView> {
    if (staffId === actor.id && (input.disabled === true || (input.role !== undefined && input.role !== 'admin'))) {
      throw new DomainError('validation_failed', { detail: 'You cannot disable your own account or give up your own admin role' });
    }
    return inTransaction(this.dataSource, async (manager) => {
      const { resetTotp, ...changes } = input;
      const staff = await this.accounts.update(staffId, changes, manager);
      const totpUri = await this.enrolIfNeeded(manager, staff, resetTotp === true);
      const fields = Object.keys(input).filter((key) => key !== 'password').sort();
      await this.audit.append(
        manager,
        adminAudit(actor, 'admin.staff.update', staff.centerId, { staffId, fields, passwordReset: input.password !== undefined, role: staff.role, disabled: staff.disabled }),
      );
      return toStaffView(await manager.findOneByOrFail(Staff, { id: staffId }), totpUri);
    });
  }

  /** Supervisors and admins sign in with TOTP: a secret is enrolled when the account has none (or on request). */
  private async enrolIfNeeded(manager: EntityManager, staff: Staff, reset: boolean): Promise<string | undefined> {
    if (!reset && !this.accounts.needsTotp(staff)) return undefined;
    return this.accounts.enrolTotp(staff.username, manager);
  }
}

function toStaffView(staff: Staff, totpUri?: string): StaffView {
  return {
    id: staff.id,
    username: staff.username,
    role: staff.role,
    centerId: staff.centerId,
    disabled: staff.disabled,
    totpEnrolled: staff.totpSecretCipher !== null,
    createdAt: staff.createdAt.toISOString(),
    ...(totpUri ? { totpUri } : {}),
  };
}
