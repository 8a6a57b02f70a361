import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { SessionsService } from '../auth/sessions.service';
import { StaffSessionView } from './dto/staff-login.dto';
import { verifyAgainstDummy, verifyPassword } from './password';
import { StaffLoginFailure } from './staff-login-failure.entity';
import { ROLES_WITH_TOTP, Staff } from './staff.entity';
import { verifyTotp } from './totp';

const LOCK_FAILURES = 5;
const LOCK_WINDOW_MS = 15 * 60_000;

/**
 * Staff sign-in: username + argon2id password (+ TOTP for supervisors and admins). Unknown
 * user, wrong password, wrong TOTP, disabled or locked account all answer the same
 * `invalid_credentials`, after the same password-hashing work.
 */
@Injectable()
export class StaffAuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
  ) {}

  async login(username: string, password: string, totp?: string): Promise<StaffSessionView> {
    const now = this.clock.now();
    const staff = await this.dataSource.manager.findOneBy(Staff, { username: username.trim().toLowerCase() });
    if (!staff || (await this.isLocked(staff.id, now))) {
      await verifyAgainstDummy(password);
      throw new DomainError('invalid_credentials');
    }
    if (!(await verifyPassword(staff.passwordHash, password)) || staff.disabled) {
      await this.recordFailure(staff.id, now);
      throw new DomainError('invalid_credentials');
    }
    if (ROLES_WITH_TOTP.includes(staff.role)) await this.checkTotp(staff, totp, now);
    const session = await this.dataSource.transaction((manager) => this.sessions.issueForStaff(manager, staff.id));
    return { token: session.token, expiresAt: session.expiresAt.toISOString(), role: staff.role, centerId: staff.centerId };
  }

  private async checkTotp(staff: Staff, totp: string | undefined, now: Date): Promise<void> {
    if (!staff.totpSecretCipher) throw new DomainError('totp_required', { detail: 'Enrol TOTP first (npm run cli -- staff:totp-enrol)' });
    if (!totp) throw new DomainError('totp_required');
    const lastStep = staff.totpLastStep === null ? undefined : Number(staff.totpLastStep);
    const step = verifyTotp(this.crypto.decrypt(staff.totpSecretCipher), totp, now, lastStep);
    // Accept each time step once, even when two sign-ins race with the same code.
    const [, accepted] = step === undefined
      ? [undefined, 0]
      : ((await this.dataSource.query('UPDATE staff SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)', [staff.id, step])) as [unknown, number]);
    if (accepted !== 1) {
      await this.recordFailure(staff.id, now);
      throw new DomainError('invalid_credentials');
    }
  }

  private async isLocked(staffId: string, now: Date): Promise<boolean> {
    const failures = await this.dataSource.query('SELECT count(*)::int AS n FROM staff_login_failure WHERE staff_id = $1 AND at > $2', [staffId, new Date(now.getTime() - LOCK_WINDOW_MS)]);
    return (failures[0].n as number) >= LOCK_FAILURES;
  }

  private async recordFailure(staffId: string, now: Date): Promise<void> {
    await this.dataSource.manager.insert(StaffLoginFailure, { staffId, at: now });
  }
}
