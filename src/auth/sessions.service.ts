import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CryptoService } from '../common/crypto/crypto.service';
import { Clock } from '../common/time/clock';
import { Session, SessionSubject } from './session.entity';

export interface IssuedSession {
  token: string;
  expiresAt: Date;
}

/** Idle expiry is pushed forward at most once a minute, to spare a write per request. */
const TOUCH_INTERVAL_MS = 60_000;

@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
  ) {}

  /** A fresh token at every sign-in; the client gets it once, we keep its hash. */
  async issueForResident(manager: EntityManager, residentId: string): Promise<IssuedSession> {
    const { residentIdleSeconds, residentAbsoluteSeconds } = this.config.sessions;
    return this.issue(manager, 'resident', residentId, residentIdleSeconds, residentAbsoluteSeconds);
  }

  async issueForStaff(manager: EntityManager, staffId: string): Promise<IssuedSession> {
    const { staffIdleSeconds, staffAbsoluteSeconds } = this.config.sessions;
    return this.issue(manager, 'staff', staffId, staffIdleSeconds, staffAbsoluteSeconds);
  }

  async authenticate(token: string): Promise<Session | undefined> {
    if (token.length > 128) return undefined;
    const now = this.clock.now();
    const session = await this.sessions.findOne({ where: { tokenHash: this.crypto.tokenHash(token) }, relations: { staff: true } });
    if (!session || session.revokedAt || session.expiresAt <= now || session.idleExpiresAt <= now) return undefined;
    if (session.subject === 'staff' && (!session.staff || session.staff.disabled)) return undefined;
    const idleSeconds = session.subject === 'staff' ? this.config.sessions.staffIdleSeconds : this.config.sessions.residentIdleSeconds;
    const nextIdle = new Date(Math.min(now.getTime() + idleSeconds * 1000, session.expiresAt.getTime()));
    if (nextIdle.getTime() - session.idleExpiresAt.getTime() > TOUCH_INTERVAL_MS) {
      await this.sessions.update({ id: session.id }, { idleExpiresAt: nextIdle });
    }
    return session;
  }

  async revoke(sessionId: string): Promise<void> {
    await this.sessions.update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }

  private async issue(manager: EntityManager, subject: SessionSubject, ownerId: string, idleSeconds: number, absoluteSeconds: number): Promise<IssuedSession> {
    const now = this.clock.now();
    const { token, hash } = this.crypto.newToken();
    const expiresAt = new Date(now.getTime() + absoluteSeconds * 1000);
    await manager.insert(Session, {
      tokenHash: hash,
      subject,
      residentId: subject === 'resident' ? ownerId : null,
      staffId: subject === 'staff' ? ownerId : null,
      createdAt: now,
      expiresAt,
      idleExpiresAt: new Date(Math.min(now.getTime() + idleSeconds * 1000, expiresAt.getTime())),
    });
    return { token, expiresAt };
  }
}
