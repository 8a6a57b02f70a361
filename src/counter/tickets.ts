import { EntityManager } from 'typeorm';

/** The day's next ticket at a center, e.g. A-012. One counter row, so never the same twice. */
export async function nextTicket(manager: EntityManager, centerId: string, day: string): Promise<string> {
  const [row] = (await manager.query(
    `INSERT INTO ticket_counter (center_id, day, last) VALUES ($1, $2, 1)
     ON CONFLICT (center_id, day) DO UPDATE SET last = ticket_counter.last + 1
     RETURNING last`,
    [centerId, day],
  )) as Array<{ last: number }>;
  return `A-${String(row!.last).padStart(3, '0')}`;
}

/** Tells every instance's display streams that a center's waiting room changed (at commit). */
export async function notifyDisplay(manager: EntityManager, centerId: string): Promise<void> {
  await manager.query(`SELECT pg_notify('display_changed', $1)`, [centerId]);
}
