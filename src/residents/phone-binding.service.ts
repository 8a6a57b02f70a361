import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CryptoService } from '../common/crypto/crypto.service';
import { maskIdNumber, maskPhone } from '../common/masking';
import { Clock } from '../common/time/clock';
import { StaffActor } from '../auth/guards/auth-context';
import { AuditService } from '../audit/audit.service';
import { inTransaction } from '../database/transaction';
import { parseMobilePhone } from '../identity/phone';
import { Resident } from './resident.entity';

export interface BindingView {
  maskedIdNumber: string;
  maskedPhone: string;
}

/**
 * A clerk, with the resident and their ID card in front of them, binds a new phone. The
 * resident's sessions end (whoever held the old phone is signed out) and the change is audited.
 */
@Injectable()
export class PhoneBindingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly crypto: CryptoService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async rebind(actor: StaffActor, idNumber: string, phoneInput: string): Promise<BindingView> {
    const phone = parseMobilePhone(phoneInput)!;
    const idHash = this.crypto.hash('id-number', idNumber);
    const phoneHash = this.crypto.hash('phone', phone.e164);
    const phoneCipher = this.crypto.encrypt(phone.e164);
    return inTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      await manager.query(
        `INSERT INTO resident (id_hash, id_cipher, phone_hash, phone_cipher, bound_at, created_at) VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT (id_hash) DO UPDATE SET phone_hash = EXCLUDED.phone_hash, phone_cipher = EXCLUDED.phone_cipher, bound_at = EXCLUDED.bound_at`,
        [idHash, this.crypto.encrypt(idNumber), phoneHash, phoneCipher, now],
      );
      // The counter's check of the card outranks an imported registry binding.
      await manager.query('UPDATE registry_entry SET phone_hash = $2, phone_cipher = $3 WHERE id_hash = $1', [idHash, phoneHash, phoneCipher]);
      const resident = await manager.findOneByOrFail(Resident, { idHash });
      await manager.query(`UPDATE session SET revoked_at = $2 WHERE resident_id = $1 AND revoked_at IS NULL`, [resident.id, now]);
      await manager.query(`UPDATE otp_challenge SET killed_at = $2 WHERE id_hash = $1 AND consumed_at IS NULL AND killed_at IS NULL`, [idHash, now]);
      await this.audit.append(manager, { actorType: 'staff', actorId: actor.id, actorRole: actor.role, action: 'resident.phone_rebound', centerId: actor.centerId, residentIdHash: idHash });
      return { maskedIdNumber: maskIdNumber(idNumber), maskedPhone: maskPhone(phone.national) };
    });
  }
}
