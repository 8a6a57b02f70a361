import { EntityManager } from 'typeorm';

/** Deletes holds and gives their places back to their slots (`slot.held` follows). */
export async function releaseHolds(manager: EntityManager, holdIds: string[]): Promise<void> {
  await manager.query(
    `WITH gone AS (DELETE FROM slot_hold WHERE id = ANY($1::uuid[]) RETURNING slot_id)
     UPDATE slot SET held = slot.held - g.n FROM (SELECT slot_id, count(*)::int AS n FROM gone GROUP BY slot_id) g WHERE slot.id = g.slot_id`,
    [holdIds],
  );
}

/**
 * Before slots shrink to `capacity` (never below what is booked), the holds that would no
 * longer fit go, newest first; an entry whose offer goes is simply back in line. Runs in the
 * caller's transaction, which holds the slot rows.
 */
export async function trimHolds(manager: EntityManager, slots: ReadonlyArray<{ id: string; capacity: number }>): Promise<void> {
  if (slots.length === 0) return;
  const excess = (await manager.query(
    `SELECT h.id FROM (
       SELECT h.id, h.slot_id, row_number() OVER (PARTITION BY h.slot_id ORDER BY h.created_at DESC, h.id DESC) AS newest
         FROM slot_hold h WHERE h.slot_id = ANY($1::uuid[])
     ) h
     JOIN unnest($1::uuid[], $2::int[]) AS u(id, capacity) ON u.id = h.slot_id
     JOIN slot s ON s.id = h.slot_id
    WHERE h.newest <= s.held - GREATEST(u.capacity - s.booked, 0)`,
    [slots.map((slot) => slot.id), slots.map((slot) => slot.capacity)],
  )) as Array<{ id: string }>;
  if (excess.length > 0) await releaseHolds(manager, excess.map((row) => row.id));
}
