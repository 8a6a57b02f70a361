import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { LOGGER } from '../common/logging/logger';
import { Clock } from '../common/time/clock';
import { PeriodicJob } from '../common/time/periodic-job';
import { Center } from '../centers/center.entity';
import { OpeningHours } from '../centers/opening-hours.entity';
import { addDays, localDate, startOfLocalDate } from './booking-window';
import { planSlots } from './slot-plan';
import { affectedSlots, ExistingSlot, overlaps, reconcileSlots, SlotChange } from './slot-reconcile';
import { trimHolds } from '../waitlist/held-places';

const GENERATOR_LOCK = 0x534c4f54; // "SLOT"
const EVERY_HOUR_MS = 3600_000;

/**
 * Called, under row locks on the center's future slots, with the slots whose bookings the new
 * hours no longer fit. It may throw (nothing changes) or cancel appointments, lowering `booked`.
 */
export type OnAffectedSlots = (manager: EntityManager, affected: SlotChange[]) => Promise<void>;

export interface SyncResult {
  created: number;
  removed: number;
  changed: number;
  /** Slots whose bookings did not fit the hours when the sync began. */
  affected: SlotChange[];
}

interface SlotRow {
  id: string;
  starts_at: Date;
  ends_at: Date;
  capacity: number;
  booked: number;
}

/**
 * Keeps slots in step with opening hours and closures for each center's booking window (plus
 * the day that will be released next): creates missing slots, gives the others the capacity
 * the hours say, and removes future slots the hours no longer give, as long as nobody booked
 * them. Slots whose bookings would not fit are the admin's decision (see `syncCenter`): the
 * hourly job leaves them as they are. Several instances may run it; an advisory lock lets one
 * do the work at a time.
 */
@Injectable()
export class SlotGeneratorService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly job: PeriodicJob;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.job = new PeriodicJob('slots generated', logger, () => this.generateAll());
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.job.runSafely();
    this.job.start(EVERY_HOUR_MS);
  }

  onModuleDestroy(): void {
    this.job.stop();
  }

  /** Returns how many slots were created, or undefined when another instance was at it. */
  async generateAll(): Promise<number | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = (await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [GENERATOR_LOCK])) as Array<{ locked: boolean }>;
      if (!locked) return undefined;
      let created = 0;
      for (const center of await manager.find(Center)) created += (await this.syncCenter(manager, center)).created;
      return created;
    });
  }

  /** Waits for the generator lock in the caller's transaction: admin changes and the job never interleave. */
  async lock(manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [GENERATOR_LOCK]);
  }

  /**
   * Brings one center's future slots in step with its hours, closures and settings, in the
   * caller's transaction (which should hold `lock`). Without `onAffected`, slots whose
   * bookings would not fit are left untouched; with it, they are handed over first and then
   * get the new capacity, never below what is still booked.
   */
  async syncCenter(manager: EntityManager, center: Center, onAffected?: OnAffectedSlots): Promise<SyncResult> {
    const now = this.clock.now();
    const from = localDate(now, center.timezone);
    const windowTo = addDays(from, center.bookingWindowDays + 1);
    const rows = (await manager.query(
      `SELECT id, starts_at, ends_at, capacity, booked FROM slot WHERE center_id = $1 AND starts_at > $2 ORDER BY id${onAffected ? ' FOR UPDATE' : ''}`,
      [center.id, now],
    )) as SlotRow[];
    const existing: ExistingSlot[] = rows.map((r) => ({ id: r.id, startsAt: r.starts_at, endsAt: r.ends_at, capacity: r.capacity, booked: r.booked }));
    // Slots beyond the window (it may have shrunk) are compared with the hours too.
    const lastExisting = existing.reduce((last, slot) => {
      const day = localDate(slot.startsAt, center.timezone);
      return day > last ? day : last;
    }, windowTo);
    const hours = await manager.findBy(OpeningHours, { centerId: center.id });
    const closed = (await manager.query('SELECT day::text AS day FROM closure WHERE center_id = $1 AND day BETWEEN $2 AND $3', [center.id, from, lastExisting])) as Array<{ day: string }>;
    const planned = planSlots({ timezone: center.timezone, slotMinutes: center.slotMinutes, hours, closures: new Set(closed.map((c) => c.day)), from, to: lastExisting });
    const { changes, missing } = reconcileSlots(existing, planned.filter((slot) => slot.startsAt > now));

    const affected = affectedSlots(changes);
    if (onAffected && affected.length > 0) await onAffected(manager, affected);
    const untouched = new Set(onAffected ? [] : affected.map((change) => change.slot.id));
    const toApply = changes.filter((change) => !untouched.has(change.slot.id));

    const covered = toApply.filter((change) => change.covered);
    if (covered.length > 0) {
      await trimHolds(manager, covered.map((change) => ({ id: change.slot.id, capacity: change.newCapacity })));
      await manager.query(
        `UPDATE slot s SET capacity = GREATEST(u.capacity, s.booked), ends_at = u.ends_at
           FROM unnest($1::uuid[], $2::int[], $3::timestamptz[]) AS u(id, capacity, ends_at)
          WHERE s.id = u.id`,
        [covered.map((c) => c.slot.id), covered.map((c) => c.newCapacity), covered.map((c) => c.newEndsAt)],
      );
    }
    const gone = toApply.filter((change) => !change.covered).map((change) => change.slot.id);
    let removed = 0;
    if (gone.length > 0) {
      // A slot that an appointment (even a cancelled one) points to stays, without places.
      const deleted = (await manager.query(
        `DELETE FROM slot s WHERE s.id = ANY($1::uuid[]) AND s.booked = 0 AND NOT EXISTS (SELECT 1 FROM appointment a WHERE a.slot_id = s.id) RETURNING s.id`,
        [gone],
      )) as [unknown[], number];
      removed = deleted[0].length;
      await trimHolds(manager, gone.map((id) => ({ id, capacity: 0 })));
      await manager.query('UPDATE slot SET capacity = booked WHERE id = ANY($1::uuid[]) AND capacity <> booked', [gone]);
    }
    // Slots that still hold bookings outside the hours keep their time; no new slot overlaps them.
    const kept = (await manager.query(
      'SELECT starts_at, ends_at FROM slot WHERE id = ANY($1::uuid[]) AND booked > 0',
      [changes.filter((change) => !change.covered).map((change) => change.slot.id)],
    )) as Array<{ starts_at: Date; ends_at: Date }>;
    const windowEnds = startOfLocalDate(addDays(windowTo, 1), center.timezone);
    const toCreate = [...planned.filter((slot) => slot.startsAt <= now), ...missing].filter(
      (slot) => slot.startsAt < windowEnds && !kept.some((k) => overlaps(slot, { startsAt: k.starts_at, endsAt: k.ends_at })),
    );
    let created = 0;
    if (toCreate.length > 0) {
      const inserted = (await manager.query(
        `INSERT INTO slot (center_id, starts_at, ends_at, capacity)
         SELECT $1, s, e, c FROM unnest($2::timestamptz[], $3::timestamptz[], $4::int[]) AS t(s, e, c)
         ON CONFLICT (center_id, starts_at) DO NOTHING
         RETURNING id`,
        [center.id, toCreate.map((p) => p.startsAt), toCreate.map((p) => p.endsAt), toCreate.map((p) => p.capacity)],
      )) as unknown[];
      created = inserted.length;
    }
    return { created, removed, changed: covered.length, affected };
  }
}
