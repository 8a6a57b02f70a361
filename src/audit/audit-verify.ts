import { DataSource } from 'typeorm';
import { auditHash, checkpointSignature, GENESIS_HASH } from './audit-chain';
import { AuditCheckpoint } from './audit-checkpoint.entity';
import { AuditEntry } from './audit-entry.entity';

export type ChainVerdict = { intact: true; entries: number } | { intact: false; entries: number; brokenSeq: string; reason: string };

const BATCH = 1000;

/**
 * Walks the chain in order and names the first entry whose link or hash does not hold. Where
 * retention removed the oldest entries, the chain starts from the signed checkpoint.
 */
export async function verifyAuditChain(dataSource: DataSource, checkpointKey: Buffer): Promise<ChainVerdict> {
  let prevHash: Buffer = GENESIS_HASH;
  let expectedSeq = 1n;
  let entries = 0;
  const [checkpoint] = await dataSource.manager.find(AuditCheckpoint, { order: { seq: 'DESC' }, take: 1 });
  if (checkpoint) {
    if (!checkpointSignature(checkpointKey, checkpoint.seq, checkpoint.hash).equals(checkpoint.signature)) {
      return { intact: false, entries, brokenSeq: checkpoint.seq, reason: 'the retention checkpoint is not signed by this app' };
    }
    prevHash = checkpoint.hash;
    expectedSeq = BigInt(checkpoint.seq) + 1n;
  }
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
