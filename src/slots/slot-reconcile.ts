import { PlannedSlot } from './slot-plan';

/** A slot as it is in the database. */
export interface ExistingSlot {
  id: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  booked: number;
}

/** What the opening hours now say about one existing slot. */
export interface SlotChange {
  slot: ExistingSlot;
  /** False when the hours (or a closure) no longer give a slot starting then. */
  covered: boolean;
  /** The capacity the hours give; 0 when not covered. */
  newCapacity: number;
  newEndsAt: Date;
}

export interface Reconciliation {
  /** Existing slots whose capacity or end changes, or which are no longer covered. */
  changes: SlotChange[];
  /** Planned slots with no existing slot starting at the same instant. */
  missing: PlannedSlot[];
}

/**
 * Compares the slots that exist with the ones the hours give now. A slot is matched by its
 * start: the same start keeps the slot (and its bookings), with the planned capacity and end.
 */
export function reconcileSlots(existing: readonly ExistingSlot[], planned: readonly PlannedSlot[]): Reconciliation {
  const byStart = new Map(planned.map((slot) => [slot.startsAt.getTime(), slot]));
  const existingStarts = new Set(existing.map((slot) => slot.startsAt.getTime()));
  const changes: SlotChange[] = [];
  for (const slot of existing) {
    const plan = byStart.get(slot.startsAt.getTime());
    if (!plan) {
      changes.push({ slot, covered: false, newCapacity: 0, newEndsAt: slot.endsAt });
    } else if (plan.capacity !== slot.capacity || plan.endsAt.getTime() !== slot.endsAt.getTime()) {
      changes.push({ slot, covered: true, newCapacity: plan.capacity, newEndsAt: plan.endsAt });
    }
  }
  return { changes, missing: planned.filter((slot) => !existingStarts.has(slot.startsAt.getTime())) };
}

/** Changes that would leave a slot with more bookings than places. */
export function affectedSlots(changes: readonly SlotChange[]): SlotChange[] {
  return changes.filter((change) => change.slot.booked > change.newCapacity);
}

/** Whether two periods overlap (touching ends do not). */
export function overlaps(a: { startsAt: Date; endsAt: Date }, b: { startsAt: Date; endsAt: Date }): boolean {
  return a.startsAt < b.endsAt && b.startsAt < a.endsAt;
}
