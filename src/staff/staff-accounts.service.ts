import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { Center } from '../centers/center.entity';
import { isUniqueViolation } from '../database/transaction';
import { hashPassword, MIN_PASSWORD_LENGTH } from './password';
import { ROLES_WITH_TOTP, Staff, STAFF_ROLES, StaffRole } from './staff.entity';
import { newTotpSecret, totpUri } from './totp';

export interface NewStaff {
  username: string;
  password: string;
  role: StaffRole;
  /** Center code or id; required for clerks and supervisors. */
  center?: string;
}

/** What an admin may change on an account; absent fields stay as they are. */
export interface StaffChanges {
  username?: string;
  password?: string;
  role?: StaffRole;
  /** Center id; null only for admins. */
  centerId?: string | null;
  disabled?: boolean;
}

/** Creating and maintaining staff accounts (CLI and the admin API). Never hands out a hash. */
@Injectable()
export class StaffAccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
  ) {}

  /** In the caller's transaction when `manager` is given (the admin API audits in the same one). */
  async create(input: NewStaff, manager: EntityManager = this.dataSource.manager): Promise<Staff> {
    const username = normaliseUsername(input.username);
    if (!STAFF_ROLES.includes(input.role)) throw new DomainError('validation_failed', { detail: `role must be one of ${STAFF_ROLES.join(', ')}` });
    assertPassword(input.password);
    const centerId = input.center ? (await this.findCenter(manager, input.center)).id : null;
    if (input.role !== 'admin' && !centerId) throw new DomainError('validation_failed', { detail: 'clerks and supervisors work at one center: give --center' });
    try {
      return await manager.save(
        manager.create(Staff, { username, passwordHash: await hashPassword(input.password), role: input.role, centerId: input.role === 'admin' ? null : centerId, createdAt: this.clock.now() }),
      );
    } catch (error) {
      if (isUniqueViolation(error, 'staff_username')) throw new DomainError('duplicate_username');
      throw error;
    }
  }

  /**
   * Applies an admin's changes. A new password, a disabled account or another role or center
   * ends the account's sessions: the next request signs in again under the new rules.
   */
  async update(staffId: string, changes: StaffChanges, manager: EntityManager = this.dataSource.manager): Promise<Staff> {
    const staff = await manager.findOne(Staff, { where: { id: staffId }, lock: { mode: 'pessimistic_write' } });
    if (!staff) throw new DomainError('not_found', { detail: 'No such staff account' });
    const role = changes.role ?? staff.role;
    if (!STAFF_ROLES.includes(role)) throw new DomainError('validation_failed', { detail: `role must be one of ${STAFF_ROLES.join(', ')}` });
    const requestedCenter = changes.centerId !== undefined ? changes.centerId : staff.centerId;
    const centerId = role === 'admin' ? null : requestedCenter ? (await this.findCenter(manager, requestedCenter)).id : null;
    if (role !== 'admin' && !centerId) throw new DomainError('validation_failed', { detail: 'clerks and supervisors work at one center: give centerId' });
    const update: Partial<Staff> = {};
    // null, which @IsOptional lets through, leaves a field as it is (as `role ?? staff.role` does).
    if (changes.username != null && normaliseUsername(changes.username) !== staff.username) update.username = normaliseUsername(changes.username);
    if (role !== staff.role) update.role = role;
    if (centerId !== staff.centerId) update.centerId = centerId;
    if (changes.disabled != null && changes.disabled !== staff.disabled) update.disabled = changes.disabled;
    if (changes.password != null) {
      assertPassword(changes.password);
      update.passwordHash = await hashPassword(changes.password);
    }
    if (Object.keys(update).length === 0) return staff;
    try {
      await manager.update(Staff, { id: staff.id }, update);
    } catch (error) {
      if (isUniqueViolation(error, 'staff_username')) throw new DomainError('duplicate_username');
      throw error;
    }
    if (update.disabled === true || update.passwordHash || update.role || 'centerId' in update) await this.endSessions(manager, staff.id);
    if (update.passwordHash) await manager.query('DELETE FROM staff_login_failure WHERE staff_id = $1', [staff.id]);
    return manager.findOneByOrFail(Staff, { id: staff.id });
  }

  async setDisabled(username: string, disabled: boolean): Promise<Staff> {
    const staff = await this.find(username);
    await this.dataSource.manager.update(Staff, { id: staff.id }, { disabled });
    if (disabled) await this.endSessions(this.dataSource.manager, staff.id);
    return { ...staff, disabled };
  }

  async resetPassword(username: string, password: string): Promise<void> {
    assertPassword(password);
    const staff = await this.find(username);
    await this.dataSource.manager.update(Staff, { id: staff.id }, { passwordHash: await hashPassword(password) });
    await this.endSessions(this.dataSource.manager, staff.id);
    await this.dataSource.query('DELETE FROM staff_login_failure WHERE staff_id = $1', [staff.id]);
  }

  /** A new TOTP secret; the otpauth:// URI is shown once and never stored in plain text. */
  async enrolTotp(username: string, manager: EntityManager = this.dataSource.manager): Promise<string> {
    const staff = await this.find(username, manager);
    const secret = newTotpSecret();
    await manager.update(Staff, { id: staff.id }, { totpSecretCipher: this.crypto.encrypt(secret), totpLastStep: null });
    return totpUri(secret, staff.username);
  }

  /** Whether this role signs in with a TOTP code and this account has none yet. */
  needsTotp(staff: Staff): boolean {
    return ROLES_WITH_TOTP.includes(staff.role) && !staff.totpSecretCipher;
  }

  async find(username: string, manager: EntityManager = this.dataSource.manager): Promise<Staff> {
    const staff = await manager.findOneBy(Staff, { username: normaliseUsername(username) });
    if (!staff) throw new DomainError('not_found', { detail: `No staff account "${username}"` });
    return staff;
  }

  private async endSessions(manager: EntityManager, staffId: string): Promise<void> {
    await manager.query(`UPDATE session SET revoked_at = $2 WHERE staff_id = $1 AND revoked_at IS NULL`, [staffId, this.clock.now()]);
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
