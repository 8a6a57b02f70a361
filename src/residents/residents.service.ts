import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { OtpChallenge } from '../auth/otp-challenge.entity';
import { Resident } from './resident.entity';

interface Binding {
  resident_phone: string | null;
  registry_phone: string | null;
}

/** Who a resident is: the binding between an ID number and a phone. */
@Injectable()
export class ResidentsService {
  constructor(
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
  ) {}

  /**
   * The phone a passcode for this ID must go to: the registry's, else the bound one, else
   * the one given. Both look-ups always run, so known and unknown IDs cost the same.
   */
  async passcodePhone(manager: EntityManager, idHash: Buffer, givenPhone: string): Promise<string> {
    const binding = await this.binding(manager, idHash);
    const sealed = binding.registry_phone ?? binding.resident_phone;
    return sealed ? this.crypto.decrypt(sealed) : givenPhone;
  }

  /**
   * After a right sign-in code: the resident, bound now if this is their first sign-in. A
   * code that went to a phone which is no longer the right one (the binding changed since)
   * proves nothing and is refused.
   */
  async bindOnSignIn(manager: EntityManager, challenge: OtpChallenge): Promise<string> {
    const binding = await this.binding(manager, challenge.idHash);
    const expected = binding.registry_phone ?? binding.resident_phone;
    if (expected && !this.crypto.equal(this.crypto.hash('phone', this.crypto.decrypt(expected)), challenge.phoneHash)) {
      throw new DomainError('challenge_expired');
    }
    const now = this.clock.now();
    await manager.query(
      `INSERT INTO resident (id_hash, id_cipher, phone_hash, phone_cipher, bound_at, created_at) VALUES ($1, $2, $3, $4, $5, $5)
       ON CONFLICT (id_hash) DO UPDATE SET phone_hash = EXCLUDED.phone_hash, phone_cipher = EXCLUDED.phone_cipher,
         bound_at = CASE WHEN resident.phone_hash = EXCLUDED.phone_hash THEN resident.bound_at ELSE EXCLUDED.bound_at END`,
      [challenge.idHash, challenge.idCipher, challenge.phoneHash, challenge.phoneCipher, now],
    );
    const resident = await manager.findOneByOrFail(Resident, { idHash: challenge.idHash });
    return resident.id;
  }

  private async binding(manager: EntityManager, idHash: Buffer): Promise<Binding> {
    const [row] = (await manager.query(
      `SELECT r.phone_cipher AS resident_phone, g.phone_cipher AS registry_phone
         FROM (SELECT $1::bytea AS id_hash) q
         LEFT JOIN resident r ON r.id_hash = q.id_hash
         LEFT JOIN registry_entry g ON g.id_hash = q.id_hash`,
      [idHash],
    )) as Binding[];
    return row!;
  }
}
