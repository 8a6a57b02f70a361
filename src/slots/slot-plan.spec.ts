import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planSlots } from './slot-plan';

const WEEKDAYS = [1, 2, 3, 4, 5, 6];
const GUIYANG_HOURS = WEEKDAYS.flatMap((weekday) => [
  { weekday, opens: '08:30', closes: '12:00', counters: 3 },
  { weekday, opens: '13:30', closes: '17:30', counters: 3 },
]);

describe('slot planning', () => {
  it('gives 15-minute slots for the morning and afternoon in Asia/Shanghai (UTC+8, no DST)', () => {
    // 2026-12-07 is a Monday.
    const slots = planSlots({ timezone: 'Asia/Shanghai', slotMinutes: 15, hours: GUIYANG_HOURS, closures: new Set(), from: '2026-12-07', to: '2026-12-07' });
    assert.equal(slots.length, 14 + 16);
    assert.equal(slots[0]!.startsAt.toISOString(), '2026-12-07T00:30:00.000Z');
    assert.equal(slots[13]!.endsAt.toISOString(), '2026-12-07T04:00:00.000Z');
    assert.equal(slots[14]!.startsAt.toISOString(), '2026-12-07T05:30:00.000Z');
    assert.equal(slots.at(-1)!.endsAt.toISOString(), '2026-12-07T09:30:00.000Z');
    assert.ok(slots.every((slot) => slot.capacity === 3));
  });

  it('skips closures and days without opening hours', () => {
    // 2026-12-05 Sat, 06 Sun (closed), 07 Mon (closure), 08 Tue.
    const slots = planSlots({ timezone: 'Asia/Shanghai', slotMinutes: 15, hours: GUIYANG_HOURS, closures: new Set(['2026-12-07']), from: '2026-12-05', to: '2026-12-08' });
    const days = new Set(slots.map((slot) => new Date(slot.startsAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10)));
    assert.deepEqual([...days].sort(), ['2026-12-05', '2026-12-08']);
  });

  it('never runs a slot past closing time', () => {
    const slots = planSlots({ timezone: 'Asia/Shanghai', slotMinutes: 20, hours: [{ weekday: 1, opens: '09:00', closes: '10:10', counters: 1 }], closures: new Set(), from: '2026-12-07', to: '2026-12-07' });
    assert.equal(slots.length, 3);
    assert.equal(slots.at(-1)!.endsAt.toISOString(), '2026-12-07T02:00:00.000Z');
  });

  it('plans a 24-hour center up to midnight', () => {
    const slots = planSlots({ timezone: 'Asia/Shanghai', slotMinutes: 15, hours: [{ weekday: 1, opens: '00:00', closes: '24:00', counters: 3 }], closures: new Set(), from: '2026-12-07', to: '2026-12-07' });
    assert.equal(slots.length, 96);
    assert.equal(slots.at(-1)!.endsAt.toISOString(), '2026-12-07T16:00:00.000Z');
  });

  it('uses wall-clock times in a zone with daylight saving', () => {
    // Europe/Berlin switches to summer time on 2026-03-29 (a Sunday).
    const hours = [6, 7].map((weekday) => ({ weekday, opens: '09:00', closes: '09:15', counters: 1 }));
    const slots = planSlots({ timezone: 'Europe/Berlin', slotMinutes: 15, hours, closures: new Set(), from: '2026-03-28', to: '2026-03-29' });
    assert.deepEqual(slots.map((s) => s.startsAt.toISOString()), ['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z']);
  });
});
