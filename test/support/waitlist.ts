import { DataSource } from 'typeorm';
import { Slot } from '../../src/slots/slot.entity';

/**
 * A waitlist entry for the day of `slot`, made in the database; with `offered`, a place of
 * that slot held for it (as an offer made by the app would hold it).
 */
export async function createWaitlistEntry(
  dataSource: DataSource,
  entry: { residentId: string; centerId: string; serviceId: string; slot: Slot; offered?: boolean; now: Date },
): Promise<string> {
  const dayStartsAt = new Date(entry.slot.startsAt.getTime() - 3600_000);
  const [row] = (await dataSource.query(
    `INSERT INTO waitlist_entry (resident_id, center_id, service_id, day, day_starts_at, day_ends_at, created_at, updated_at)
     VALUES ($1, $2, $3, ($4::timestamptz AT TIME ZONE 'Asia/Shanghai')::date, $4, $5, $6, $6) RETURNING id`,
    [entry.residentId, entry.centerId, entry.serviceId, dayStartsAt, new Date(entry.slot.startsAt.getTime() + 3600_000), entry.now],
  )) as Array<{ id: string }>;
  if (entry.offered) {
    await dataSource.query('UPDATE slot SET held = held + 1 WHERE id = $1', [entry.slot.id]);
    const expiresAt = new Date(entry.now.getTime() + 15 * 60_000);
    await dataSource.query('INSERT INTO slot_hold (slot_id, waitlist_entry_id, expires_at, cool_until, created_at) VALUES ($1, $2, $3, $3, $4)', [entry.slot.id, row!.id, expiresAt, entry.now]);
  }
  return row!.id;
}
