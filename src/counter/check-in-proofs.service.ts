import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { Appointment } from '../appointments/appointment.entity';
import { AppointmentProxy } from '../appointments/proxy/appointment-proxy.entity';
import { StaffActor } from '../auth/guards/auth-context';
import { OtpChallenge } from '../auth/otp-challenge.entity';
import { OtpService } from '../auth/otp.service';
import { AuditService } from '../audit/audit.service';
import { Resident } from '../residents/resident.entity';
import { CheckInDto } from './dto/counter.dto';
import { staffAudit } from './staff-scope';

/**
 * What a proof decided: a refusal to commit before it is answered (a passcode try counted, a
 * mismatch audited), or what the check-in's audit entry records about the proof.
 */
export type ProofOutcome = { failure: DomainError } | { detail: Record<string, unknown> };

/**
 * The three ways the person at the counter is checked against an appointment: the resident's
 * counter passcode, the resident's ID card, or — proxy pickup — the named proxy's ID card
 * together with the counter passcode sent to the resident's bound phone.
 */
@Injectable()
export class CheckInProofs {
  constructor(
    private readonly crypto: CryptoService,
    private readonly otp: OtpService,
    private readonly audit: AuditService,
  ) {}

  async check(manager: EntityManager, actor: StaffActor, appointment: Appointment, resident: Resident, proof: CheckInDto): Promise<ProofOutcome> {
    switch (proof.method) {
      case 'otp':
        return this.counterCode(manager, resident, proof.challengeId!, proof.code!);
      case 'id-document':
        return this.idCard(manager, actor, appointment, resident, proof.idNumber!, resident.idHash, 'id-document');
      case 'proxy': {
        const proxy = await manager.findOneBy(AppointmentProxy, { appointmentId: appointment.id });
        if (!proxy) throw new DomainError('no_proxy');
        // The card first: a wrong card changes nothing, and the resident's code stays usable.
        const card = await this.idCard(manager, actor, appointment, resident, proof.proxyIdNumber!, proxy.idHash, 'proxy');
        if ('failure' in card) return card;
        const code = await this.counterCode(manager, resident, proof.challengeId!, proof.code!);
        return 'failure' in code ? code : { detail: { proxyIdHash: proxy.idHash.toString('hex') } };
      }
    }
  }

  /** The number typed from the card in the clerk's hand, against the keyed hash it must match. */
  private async idCard(manager: EntityManager, actor: StaffActor, appointment: Appointment, resident: Resident, typed: string, expected: Buffer, method: CheckInDto['method']): Promise<ProofOutcome> {
    if (this.crypto.equal(this.crypto.hash('id-number', typed), expected)) return { detail: {} };
    await this.audit.append(manager, staffAudit(actor, 'appointment.check_in_refused', appointment, resident.idHash, { method }));
    return { failure: new DomainError('id_mismatch') };
  }

  /** A counter passcode sent to this resident's bound phone (never another resident's challenge). */
  private async counterCode(manager: EntityManager, resident: Resident, challengeId: string, code: string): Promise<ProofOutcome> {
    const challenge = await manager.findOneBy(OtpChallenge, { id: challengeId, purpose: 'counter' });
    if (!challenge || !this.crypto.equal(challenge.idHash, resident.idHash)) throw new DomainError('challenge_expired');
    const verified = await this.otp.verify(manager, challenge.id, code, 'counter');
    return verified.failure ? { failure: verified.failure } : { detail: {} };
  }
}
