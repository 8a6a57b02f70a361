import { DataSource } from 'typeorm';
import { auditHash, GENESIS_HASH } from './audit-chain';
import { AuditEntry } from './audit-entry.entity';

export type ChainVerdict = { intact: true; entries: number } | { intact: false; entries: number; brokenSeq: string; reason: string };

const BATCH = 1000;

/** Walks the whole chain in order; names the first entry whose link or hash does not hold. */
export async function verifyAuditChain(dataSource: DataSource): Promise<ChainVerdict> {
  let prevHash: Buffer = GENESIS_HASH;
  let expectedSeq = 1n;
  let entries = 0;
  for (;;) {
    const batch = await dataSource.manager
      .createQueryBuilder(AuditEntry, 'e')
      .where('e.seq >= :from', { from: expectedSeq.toString() })
      .orderBy('e.seq', 'ASC')
      .limit(BATCH)
      .getMany();
    for (const entry of batch) {
      const seq = entry.seq;
      if (BigInt(seq) !== expectedSeq) return { intact: false, entries, brokenSeq: expectedSeq.toString(), reason: `entry ${expectedSeq} is missing` };
      if (!entry.prevHash.equals(prevHash)) return { intact: false, entries, brokenSeq: seq, reason: 'it does not link to the entry before it' };
      if (!auditHash(entry.prevHash, entry).equals(entry.hash)) return { intact: false, entries, brokenSeq: seq, reason: 'its content does not match its hash' };
      prevHash = entry.hash;
      expectedSeq += 1n;
      entries += 1;
    }
    if (batch.length < BATCH) return { intact: true, entries };
  }
}
