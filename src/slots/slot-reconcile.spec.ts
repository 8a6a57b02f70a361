import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { affectedSlots, overlaps, reconcileSlots } from './slot-reconcile';

const at = (time: string): Date => new Date(`2026-12-08T${time}:00+08:00`);
const slot = (id: string, start: string, end: string, capacity: number, booked: number) => ({ id, startsAt: at(start), endsAt: at(end), capacity, booked });
const plan = (start: string, end: string, capacity: number) => ({ startsAt: at(start), endsAt: at(end), capacity });

describe('slot reconciliation', () => {
  it('matches slots by start, changes capacity and end, and lists what the hours no longer give', () => {
    const existing = [slot('a', '09:00', '09:30', 3, 2), slot('b', '09:30', '10:00', 3, 0), slot('c', '10:00', '10:30', 3, 1)];
    const planned = [plan('09:00', '09:30', 1), plan('09:30', '10:00', 3), plan('10:30', '11:00', 1)];
    const { changes, missing } = reconcileSlots(existing, planned);
    assert.deepEqual(
      changes.map((c) => [c.slot.id, c.covered, c.newCapacity]),
      [['a', true, 1], ['c', false, 0]],
      'an unchanged slot is no change',
    );
    assert.deepEqual(missing, [plan('10:30', '11:00', 1)]);
    assert.deepEqual(affectedSlots(changes).map((c) => c.slot.id), ['a', 'c']);
  });

  it('a longer slot keeps the start (and its bookings) with the new end', () => {
    const { changes } = reconcileSlots([slot('a', '09:00', '09:30', 2, 2)], [plan('09:00', '10:00', 2)]);
    assert.deepEqual(changes.map((c) => [c.covered, c.newEndsAt.toISOString()]), [[true, at('10:00').toISOString()]]);
    assert.deepEqual(affectedSlots(changes), []);
  });

  it('periods that only touch do not overlap', () => {
    assert.equal(overlaps(plan('09:00', '09:30', 1), plan('09:30', '10:00', 1)), false);
    assert.equal(overlaps(plan('09:00', '10:00', 1), plan('09:30', '10:00', 1)), true);
  });
});
