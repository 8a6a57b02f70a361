import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CryptoService } from '../common/crypto/crypto.service';
import { Clock } from '../common/time/clock';
import { EntityColumns } from '../database/entity-columns';
import { PreparedStatement, queryPrepared } from '../database/prepared';
import { Staff } from '../staff/staff.entity';
import { sessionTokenFrom } from './session-cookie';
import { Session, SessionSubject } from './session.entity';

export interface IssuedSession {
  token: string;
  expiresAt: Date;
}

/** The statement that finds a session by its token, and the readers of its row (built once). */
interface SessionLookup {
  statement: PreparedStatement;
  session: EntityColumns<Session>;
  staff: EntityColumns<Staff>;
}

/** Idle expiry is pushed forward at most once a minute, to spare a write per request. */
const TOUCH_INTERVAL_MS = 60_000;

@Injectable()
export class SessionsService {
  private lookup?: SessionLookup;

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

  /**
   * Every signed-in request comes here: one hand-written statement on the unique index of
   * `token_hash` (the token's SHA-256, the only key the client can give us), no query builder.
   */
  async authenticate(token: string): Promise<Session | undefined> {
    if (token.length > 128) return undefined;
    const now = this.clock.now();
    const lookup = (this.lookup ??= this.buildLookup());
    const [row] = await queryPrepared(this.sessions.manager.connection, lookup.statement, [this.crypto.tokenHash(token)]);
    const session = row ? lookup.session.read(row) : undefined;
    if (!session || session.revokedAt || session.expiresAt <= now || session.idleExpiresAt <= now) return undefined;
    session.staff = lookup.staff.read(row!);
    if (session.subject === 'staff' && (!session.staff || session.staff.disabled)) return undefined;
    const idleSeconds = session.subject === 'staff' ? this.config.sessions.staffIdleSeconds : this.config.sessions.residentIdleSeconds;
    const nextIdle = new Date(Math.min(now.getTime() + idleSeconds * 1000, session.expiresAt.getTime()));
    if (nextIdle.getTime() - session.idleExpiresAt.getTime() > TOUCH_INTERVAL_MS) {
      await this.sessions.manager.query('UPDATE session SET idle_expires_at = $2 WHERE id = $1', [session.id, nextIdle]);
      session.idleExpiresAt = nextIdle;
    }
    return session;
  }

  private buildLookup(): SessionLookup {
    const session = new EntityColumns(this.sessions.manager.connection, Session, 's');
    const staff = new EntityColumns(this.sessions.manager.connection, Staff, 'st');
    const text = `SELECT ${session.select}, ${staff.select} FROM session s LEFT JOIN staff st ON st.id = s.staff_id WHERE s.token_hash = $1`;
    return { statement: { name: 'civic.session.lookup', text }, session, staff };
  }

  /** Sign-out: ends the session the request carries, if it carries a live one. */
  async endCurrent(request: FastifyRequest): Promise<void> {
    const token = sessionTokenFrom(request);
    const session = token ? await this.authenticate(token) : undefined;
    if (session) await this.revoke(session.id);
  }

  async revoke(sessionId: string): Promise<void> {
    await this.sessions.update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }

  private async issue(manager: EntityManager, subject: SessionSubject, ownerId: string, idleSeconds: number, absoluteSeconds: number): Promise<IssuedSession> {
    const now = this.clock.now();
    const { token, hash } = this.crypto.newToken();
    const expiresAt = new Date(now.getTime() + absoluteSeconds * 1000);
    await manager.query(
      `INSERT INTO session (token_hash, subject, resident_id, staff_id, created_at, expires_at, idle_expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        hash,
        subject,
        subject === 'resident' ? ownerId : null,
        subject === 'staff' ? ownerId : null,
        now,
        expiresAt,
        new Date(Math.min(now.getTime() + idleSeconds * 1000, expiresAt.getTime())),
      ],
    );
    return { token, expiresAt };
  }
}
