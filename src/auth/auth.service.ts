import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { maskPhone } from '../common/masking';
import { inTransaction } from '../database/transaction';
import { idNumberScheme } from '../identity/id-number';
import { parseMobilePhone } from '../identity/phone';
import { ResidentsService } from '../residents/residents.service';
import { OtpChallengeView, SessionView } from './dto/otp-challenge.view';
import { IssuedSession, SessionsService } from './sessions.service';
import { OtpService } from './otp.service';

/** Resident sign-in: ID number + a passcode sent to the bound phone. */
@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly crypto: CryptoService,
    private readonly otp: OtpService,
    private readonly residents: ResidentsService,
    private readonly sessions: SessionsService,
  ) {}

  /**
   * The answer is the same whether the ID is new, bound to this phone or bound to another:
   * `sentTo` always masks the phone given, and the code goes where it must.
   */
  async requestCode(idNumberInput: string, phoneInput: string, ip: string): Promise<OtpChallengeView> {
    const idNumber = idNumberScheme().normalise(idNumberInput)!;
    const given = parseMobilePhone(phoneInput)!;
    const issued = await inTransaction(this.dataSource, async (manager) => {
      const phone = await this.residents.passcodePhone(manager, this.crypto.hash('id-number', idNumber), given.e164);
      return this.otp.issue(manager, { purpose: 'login', idNumber, phone, ip });
    });
    return {
      challengeId: issued.challengeId,
      expiresAt: issued.expiresAt.toISOString(),
      resendAfter: issued.resendAfter.toISOString(),
      sentTo: maskPhone(given.national),
    };
  }

  async verifyCode(challengeId: string, code: string): Promise<IssuedSession> {
    const outcome = await inTransaction(this.dataSource, async (manager) => {
      const result = await this.otp.verify(manager, challengeId, code, 'login');
      if (result.failure) return result.failure;
      const residentId = await this.residents.bindOnSignIn(manager, result.challenge);
      return this.sessions.issueForResident(manager, residentId);
    });
    // Thrown only now, after the counted try was committed.
    if (outcome instanceof DomainError) throw outcome;
    return outcome;
  }

  static view(session: IssuedSession): SessionView {
    return { token: session.token, expiresAt: session.expiresAt.toISOString() };
  }
}
