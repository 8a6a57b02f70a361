import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CryptoService } from '../common/crypto/crypto.service';

/** Every column that holds a ciphertext, by table (and the key column to update by). */
export const SEALED_COLUMNS: Array<{ table: string; key: string; columns: string[] }> = [
  { table: 'resident', key: 'id', columns: ['id_cipher', 'phone_cipher'] },
  { table: 'registry_entry', key: 'id_hash', columns: ['phone_cipher'] },
  { table: 'appointment_proxy', key: 'appointment_id', columns: ['id_cipher'] },
  { table: 'otp_challenge', key: 'id', columns: ['id_cipher', 'phone_cipher'] },
  { table: 'staff', key: 'id', columns: ['totp_secret_cipher'] },
  { table: 'outbox_message', key: 'id', columns: ['recipient_cipher', 'subject_cipher', 'body_cipher'] },
];

const BATCH = 500;

/**
 * Re-encrypts every ciphertext still under an older key with the current key (the first of
 * DATA_KEY), in small batches so that the service keeps running; rows in use are skipped
 * and picked up by the next batch.
 */
@Injectable()
export class KeyRotationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly crypto: CryptoService,
  ) {}

  async rotate(onProgress?: (table: string, done: number) => void): Promise<number> {
    let total = 0;
    const current = `${this.crypto.currentKeyId}.`;
    for (const { table, key, columns } of SEALED_COLUMNS) {
      const stale = columns.map((c) => `(${c} IS NOT NULL AND ${c} NOT LIKE $1)`).join(' OR ');
      for (;;) {
        const done = await this.dataSource.transaction(async (manager) => {
          const rows = (await manager.query(
            `SELECT ${key} AS key, ${columns.join(', ')} FROM ${table} WHERE ${stale} LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
            [`${current}%`],
          )) as Array<Record<string, string | null>>;
          for (const row of rows) {
            const sets = columns.map((c, i) => `${c} = $${i + 2}`).join(', ');
            const values = columns.map((c) => (row[c] && !row[c]!.startsWith(current) ? this.crypto.encrypt(this.crypto.decrypt(row[c]!)) : row[c]));
            await manager.query(`UPDATE ${table} SET ${sets} WHERE ${key} = $1`, [row.key, ...values]);
          }
          return rows.length;
        });
        total += done;
        if (done > 0) onProgress?.(table, done);
        if (done < BATCH) break;
      }
    }
    return total;
  }
}
