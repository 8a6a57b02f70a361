import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { Center } from '../centers/center.entity';
import { isUniqueViolation } from '../database/transaction';
import { hashPassword, MIN_PASSWORD_LENGTH } from './password';
import { Staff, STAFF_ROLES, StaffRole } from './staff.entity';
import { newTotpSecret, totpUri } from './totp';

export interface NewStaff {
  username: string;
  password: string;
  role: StaffRole;
  /** Center code or id; required for clerks and supervisors. */
  center?: string;
}

/** Creating and maintaining staff accounts (CLI now, admin pages later). */
@Injectable()
export class StaffAccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly crypto: CryptoService,
  ) {}

  async create(input: NewStaff): Promise<Staff> {
    const username = normaliseUsername(input.username);
    if (!STAFF_ROLES.includes(input.role)) throw new DomainError('validation_failed', { detail: `role must be one of ${STAFF_ROLES.join(', ')}` });
    assertPassword(input.password);
    const centerId = input.center ? (await this.findCenter(this.dataSource.manager, input.center)).id : null;
    if (input.role !== 'admin' && !centerId) throw new DomainError('validation_failed', { detail: 'clerks and supervisors work at one center: give --center' });
    try {
      return await this.dataSource.manager.save(
        this.dataSource.manager.create(Staff, { username, passwordHash: await hashPassword(input.password), role: input.role, centerId: input.role === 'admin' ? null : centerId }),
      );
    } catch (error) {
      if (isUniqueViolation(error, 'staff_username')) throw new DomainError('duplicate_username');
      throw error;
    }
  }

  async setDisabled(username: string, disabled: boolean): Promise<Staff> {
    const staff = await this.find(username);
    await this.dataSource.manager.update(Staff, { id: staff.id }, { disabled });
    if (disabled) await this.dataSource.query(`UPDATE session SET revoked_at = now() WHERE staff_id = $1 AND revoked_at IS NULL`, [staff.id]);
    return { ...staff, disabled };
  }

  async resetPassword(username: string, password: string): Promise<void> {
    assertPassword(password);
    const staff = await this.find(username);
    await this.dataSource.manager.update(Staff, { id: staff.id }, { passwordHash: await hashPassword(password) });
    await this.dataSource.query(`UPDATE session SET revoked_at = now() WHERE staff_id = $1 AND revoked_at IS NULL`, [staff.id]);
    await this.dataSource.query('DELETE FROM staff_login_failure WHERE staff_id = $1', [staff.id]);
  }

  /** A new TOTP secret; the otpauth:// URI is shown once and never stored in plain text. */
  async enrolTotp(username: string): Promise<string> {
    const staff = await this.find(username);
    const secret = newTotpSecret();
    await this.dataSource.manager.update(Staff, { id: staff.id }, { totpSecretCipher: this.crypto.encrypt(secret), totpLastStep: null });
    return totpUri(secret, staff.username);
  }

  async find(username: string): Promise<Staff> {
    const staff = await this.dataSource.manager.findOneBy(Staff, { username: normaliseUsername(username) });
    if (!staff) throw new DomainError('not_found', { detail: `No staff account "${username}"` });
    return staff;
  }

  private async findCenter(manager: EntityManager, codeOrId: string): Promise<Center> {
    const isUuid = /^[0-9a-f-]{36}$/i.test(codeOrId);
    const center = await manager.findOneBy(Center, isUuid ? { id: codeOrId } : { code: codeOrId });
    if (!center) throw new DomainError('not_found', { detail: `No center "${codeOrId}"` });
    return center;
  }
}

function normaliseUsername(username: string): string {
  const value = username.trim().toLowerCase();
  if (!/^[a-z0-9._-]{3,64}$/.test(value)) throw new DomainError('validation_failed', { detail: 'username: 3 to 64 of a-z 0-9 . _ -' });
  return value;
}

function assertPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new DomainError('validation_failed', { detail: `password: at least ${MIN_PASSWORD_LENGTH} characters` });
}
