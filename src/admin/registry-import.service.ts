import { Injectable } from '@nestjs/common';
import { parse } from 'csv-parse';
import { pipeline, Readable, Transform } from 'node:stream';
import { DataSource, QueryRunner } from 'typeorm';
import { CryptoService } from '../common/crypto/crypto.service';
import { DomainError } from '../common/errors/domain-error';
import { Clock } from '../common/time/clock';
import { StaffActor } from '../auth/guards/auth-context';
import { AuditService } from '../audit/audit.service';
import { adminAudit } from './admin-audit';
import { ImportMode, RegistryImportView, RejectedLineView } from './dto/registry.dto';
import { checkLine, isHeader } from './registry-lines';

/** 100,000 lines are about 3 MB; this leaves room for quoting and a header. */
export const REGISTRY_MAX_BYTES = 16 * 1024 * 1024;
const BATCH_SIZE = 5_000;
const MAX_LISTED_REJECTIONS = 10_000;

interface Row {
  idHash: Buffer;
  phoneHash: Buffer;
  phoneCipher: string;
}

/**
 * Imports ID ↔ phone bindings from the registration office. The CSV is read as it arrives
 * (never held whole), each line validated, and the valid ones upserted in batches inside one
 * transaction. "all-or-nothing" rolls everything back when any line is rejected. The audit
 * entry records counts only, never a number.
 */
@Injectable()
export class RegistryImportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly crypto: CryptoService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async import(actor: StaffActor, body: Readable, mode: ImportMode): Promise<RegistryImportView> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const rejected: RejectedLineView[] = [];
    let rejectedTotal = 0;
    let imported = 0;
    let writing: Promise<number> | undefined;
    try {
      await runner.startTransaction();
      const now = this.clock.now();
      const seen = new Set<string>();
      let batch: Row[] = [];
      let first = true;
      const reject = (line: number, code: RejectedLineView['code']): void => {
        rejectedTotal += 1;
        if (rejected.length < MAX_LISTED_REJECTIONS) rejected.push({ line, code });
      };
      const records = readCsv(body, (line) => reject(line, 'invalid_line'));
      for await (const { record, info } of records as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        if (first && isHeader(record)) {
          first = false;
          continue;
        }
        first = false;
        const verdict = checkLine(record, seen, now);
        if (!verdict.ok) {
          reject(info.lines, verdict.code);
          continue;
        }
        if (mode === 'all-or-nothing' && rejectedTotal > 0) continue; // nothing will be written: only validate
        batch.push({
          idHash: this.crypto.hash('id-number', verdict.entry.idNumber),
          phoneHash: this.crypto.hash('phone', verdict.entry.phone),
          phoneCipher: this.crypto.encrypt(verdict.entry.phone),
        });
        if (batch.length >= BATCH_SIZE) {
          // The database writes one batch while the next is read and hashed.
          if (writing) imported += await writing;
          writing = upsert(runner, batch, now);
          void writing.catch(() => undefined); // awaited below: never an unhandled rejection
          batch = [];
        }
      }
      if (writing) imported += await writing;
      rejected.sort((a, b) => a.line - b.line);
      if (mode === 'all-or-nothing' && rejectedTotal > 0) {
        await runner.rollbackTransaction();
        await this.dataSource.transaction((manager) =>
          this.audit.append(manager, adminAudit(actor, 'admin.registry.import', null, { mode, imported: 0, rejected: rejectedTotal, refused: true })),
        );
        return { imported: 0, rejected, rejectedTotal };
      }
      imported += await upsert(runner, batch, now);
      await this.audit.append(runner.manager, adminAudit(actor, 'admin.registry.import', null, { mode, imported, rejected: rejectedTotal }));
      await runner.commitTransaction();
      return { imported, rejected, rejectedTotal };
    } catch (error) {
      await writing?.catch(() => undefined);
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }
}

/**
 * Records with their line numbers; more than the limit fails with 413. IDs and phones never
 * hold a comma, so quotes are not special (a quoted field is unquoted later) and every line
 * is one record, with its true line number.
 */
function readCsv(body: Readable, onBadLine: (line: number) => void): Readable {
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > REGISTRY_MAX_BYTES) done(new DomainError('payload_too_large', { detail: `A registry file may have at most ${REGISTRY_MAX_BYTES} bytes` }));
      else done(null, chunk);
    },
  });
  const parser = parse({
    bom: true,
    trim: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    quote: false,
    record_delimiter: ['\r\n', '\n', '\r'],
    // An over-long line is skipped by the parser and reported as invalid.
    max_record_size: 4096,
    skip_records_with_error: true,
  });
  parser.on('skip', (error: { lines?: number }) => onBadLine(error.lines ?? 0));
  return pipeline(body, limit, parser, () => undefined);
}

async function upsert(runner: QueryRunner, rows: Row[], now: Date): Promise<number> {
  if (rows.length === 0) return 0;
  await runner.query(
    `INSERT INTO registry_entry (id_hash, phone_hash, phone_cipher, imported_at)
     SELECT i, p, c, $4 FROM unnest($1::bytea[], $2::bytea[], $3::text[]) AS t(i, p, c)
     ON CONFLICT (id_hash) DO UPDATE SET phone_hash = EXCLUDED.phone_hash, phone_cipher = EXCLUDED.phone_cipher, imported_at = EXCLUDED.imported_at`,
    [rows.map((r) => r.idHash), rows.map((r) => r.phoneHash), rows.map((r) => r.phoneCipher), now],
  );
  return rows.length;
}
