import { Inject, Injectable } from '@nestjs/common';
import { randomInt, randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { lockKeys } from '../database/transaction';
import { I18nService } from '../i18n/i18n.service';
import { MetricsService } from '../metrics/metrics.service';
import { OutboxService } from '../notifications/outbox.service';
import { OtpChallenge, OtpPurpose } from './otp-challenge.entity';
import { OtpFailure } from './otp-failure.entity';
import { enforceOtpLimits, refuseIfLocked } from './otp-limits';
import { SignInLock } from './sign-in-lock.entity';

export interface OtpRecipient {
  purpose: OtpPurpose;
  idNumber: string;
  /** E.164 of the phone the code goes to. */
  phone: string;
  ip: string;
}

export interface IssuedChallenge {
  challengeId: string;
  expiresAt: Date;
  resendAfter: Date;
}

/** A wrong code is an outcome, not an exception: its counted try must be committed. */
export type VerifyOutcome = { challenge: OtpChallenge; failure?: undefined } | { challenge?: undefined; failure: DomainError };

const LOCK_WINDOW_MS = 24 * 3600_000;

/**
 * One-time passcodes as DESIGN.md requires: 6 CSPRNG digits, single use, HMAC-stored and
 * compared in constant time, a few tries each, limited per ID, phone and IP, and a lock
 * after repeated failures. All state lives in PostgreSQL so limits hold across instances.
 */
@Injectable()
export class OtpService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
    private readonly outbox: OutboxService,
    private readonly i18n: I18nService,
    private readonly metrics: MetricsService,
  ) {}

  /** Runs inside the caller's transaction. */
  async issue(manager: EntityManager, recipient: OtpRecipient): Promise<IssuedChallenge> {
    const limits = this.config.otp;
    const now = this.clock.now();
    const idHash = this.crypto.hash('id-number', recipient.idNumber);
    const phoneHash = this.crypto.hash('phone', recipient.phone);
    const ipHash = this.crypto.hash('ip', recipient.ip);

    await lockKeys(manager, [idHash, phoneHash, ipHash]);
    // For online sign-in, the ID's sign-in lock first, then the limits (one statement).
    await enforceOtpLimits(manager, { idHash, phoneHash, ipHash, purpose: recipient.purpose }, limits, now);

    // A new code for the same ID and purpose makes every earlier one worthless.
    await manager.query(
      `UPDATE otp_challenge SET killed_at = $3
        WHERE id_hash = $1 AND purpose = $2 AND consumed_at IS NULL AND killed_at IS NULL AND expires_at > $3`,
      [idHash, recipient.purpose, now],
    );
    const id = randomUUID();
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    const expiresAt = new Date(now.getTime() + limits.ttlSeconds * 1000);
    await manager.insert(OtpChallenge, {
      id,
      purpose: recipient.purpose,
      idHash,
      idCipher: this.crypto.encrypt(recipient.idNumber),
      phoneHash,
      phoneCipher: this.crypto.encrypt(recipient.phone),
      ipHash,
      codeHash: this.codeHash(id, code),
      createdAt: now,
      expiresAt,
    });
    const minutes = Math.round(limits.ttlSeconds / 60);
    const template = recipient.purpose === 'login' ? 'otp' : 'otp_counter';
    await this.outbox.enqueue(manager, { channel: 'sms', to: recipient.phone, template: `otp-${recipient.purpose}`, text: this.i18n.bilingual(`sms:${template}`, { code, minutes }) });
    this.metrics.passcodes.inc({ purpose: recipient.purpose, event: 'sent' });
    return { challengeId: id, expiresAt, resendAfter: new Date(now.getTime() + limits.resendSeconds * 1000) };
  }

  /**
   * Spends one try of a challenge. The try is counted before the comparison and committed
   * whatever the outcome; a right code consumes the challenge, so of many parallel tries
   * with the right code exactly one succeeds. The caller commits, then throws any failure.
   */
  async verify(manager: EntityManager, challengeId: string, code: string, purpose: OtpPurpose): Promise<VerifyOutcome> {
    const limits = this.config.otp;
    const now = this.clock.now();
    const peek = await manager.findOneBy(OtpChallenge, { id: challengeId, purpose });
    if (!peek) throw new DomainError('challenge_expired');
    // Same lock order as issue(): the ID's advisory lock first, then the challenge row.
    await lockKeys(manager, [peek.idHash]);
    // The lock is on online sign-in only: a lock-out never keeps a resident from the counter.
    if (purpose === 'login') await this.refuseIfLocked(manager, peek.idHash, now);
    const challenge = await manager.findOne(OtpChallenge, { where: { id: challengeId }, lock: { mode: 'pessimistic_write' } });
    if (!challenge || challenge.consumedAt || challenge.killedAt || challenge.expiresAt <= now || challenge.attempts >= limits.maxAttempts) {
      throw new DomainError('challenge_expired');
    }
    challenge.attempts += 1;
    if (this.crypto.equal(this.codeHash(challenge.id, code), challenge.codeHash)) {
      await manager.update(OtpChallenge, { id: challenge.id }, { attempts: challenge.attempts, consumedAt: now });
      challenge.consumedAt = now;
      this.metrics.passcodes.inc({ purpose, event: 'accepted' });
      return { challenge };
    }
    const exhausted = challenge.attempts >= limits.maxAttempts;
    await manager.update(OtpChallenge, { id: challenge.id }, { attempts: challenge.attempts, killedAt: exhausted ? now : null });
    if (purpose === 'login') await this.recordFailure(manager, challenge.idHash, now);
    this.metrics.passcodes.inc({ purpose, event: 'wrong' });
    return { failure: new DomainError('wrong_code', { extensions: { attemptsRemaining: Math.max(0, limits.maxAttempts - challenge.attempts) } }) };
  }

  private async recordFailure(manager: EntityManager, idHash: Buffer, now: Date): Promise<void> {
    const { lockFailures, lockSeconds } = this.config.otp;
    await manager.insert(OtpFailure, { idHash, at: now });
    const [{ failures }] = (await manager.query('SELECT count(*)::int AS failures FROM otp_failure WHERE id_hash = $1 AND at > $2', [
      idHash,
      new Date(now.getTime() - LOCK_WINDOW_MS),
    ])) as Array<{ failures: number }>;
    if (failures >= lockFailures) {
      await manager.upsert(SignInLock, { idHash, lockedUntil: new Date(now.getTime() + lockSeconds * 1000) }, ['idHash']);
    }
  }

  private async refuseIfLocked(manager: EntityManager, idHash: Buffer, now: Date): Promise<void> {
    refuseIfLocked((await manager.findOneBy(SignInLock, { idHash }))?.lockedUntil, now);
  }

  private codeHash(challengeId: string, code: string): Buffer {
    return this.crypto.hash('otp', `${challengeId}\0${code}`);
  }
}
