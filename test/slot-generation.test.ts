import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Closure } from '../src/centers/closure.entity';
import { OpeningHours } from '../src/centers/opening-hours.entity';
import { SlotGeneratorService } from '../src/slots/slot-generator.service';
import { createCenter } from './support/factories';
import { startTestApp, TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

describe('slot generation from opening hours', () => {
  // 2026-12-07 10:00 in Guiyang, a Monday.
  const clock = new TestClock(new Date('2026-12-07T02:00:00Z'));
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ clock });
  });
  after(() => t.close());

  it('creates the booking window (and the day released next) once, skipping closures', async () => {
    const { center } = await createCenter(t.dataSource, { bookingWindowDays: 3 });
    await t.dataSource.manager.delete(OpeningHours, { centerId: center.id });
    await t.dataSource.manager.insert(OpeningHours, [1, 2, 3, 4, 5].map((weekday) => ({ centerId: center.id, weekday, opens: '08:30', closes: '12:00', counters: 2 })));
    await t.dataSource.manager.insert(Closure, { centerId: center.id, day: '2026-12-08', reason: 'staff training' });
    const generator = t.app.get(SlotGeneratorService);
    assert.ok((await generator.generateAll())! > 0);

    const days = (await t.dataSource.query(
      `SELECT (starts_at AT TIME ZONE 'Asia/Shanghai')::date::text AS day, count(*)::int AS slots, min(capacity) AS capacity
         FROM slot WHERE center_id = $1 GROUP BY 1 ORDER BY 1`,
      [center.id],
    )) as Array<{ day: string; slots: number; capacity: number }>;
    // Window: today + 3 days + the next day to be released = 07..11; 08 is closed.
    assert.deepEqual(days.map((d) => d.day), ['2026-12-07', '2026-12-09', '2026-12-10', '2026-12-11']);
    assert.ok(days.every((d) => d.slots === 14 && d.capacity === 2));

    assert.equal(await generator.generateAll(), 0, 'a second run creates nothing');
  });

  it('follows changed hours: free slots the hours no longer give go, booked ones stay for the admin to decide', async () => {
    const { center } = await createCenter(t.dataSource, { bookingWindowDays: 3 });
    await t.dataSource.manager.delete(OpeningHours, { centerId: center.id });
    await t.dataSource.manager.insert(OpeningHours, [1, 2, 3, 4, 5].map((weekday) => ({ centerId: center.id, weekday, opens: '08:30', closes: '12:00', counters: 2 })));
    const generator = t.app.get(SlotGeneratorService);
    await generator.generateAll();
    // 2026-12-09 09:00 in Guiyang holds a booking (the counter alone stands for it here).
    await t.dataSource.query(`UPDATE slot SET booked = 1 WHERE center_id = $1 AND starts_at = '2026-12-09T01:00:00Z'`, [center.id]);
    await t.dataSource.query('UPDATE opening_hours SET opens = $2, counters = 1 WHERE center_id = $1', [center.id, '10:00']);
    await generator.generateAll();

    const day = (await t.dataSource.query(
      `SELECT to_char(starts_at AT TIME ZONE 'Asia/Shanghai', 'HH24:MI') AS time, capacity, booked FROM slot
        WHERE center_id = $1 AND (starts_at AT TIME ZONE 'Asia/Shanghai')::date = '2026-12-09' ORDER BY starts_at`,
      [center.id],
    )) as Array<{ time: string; capacity: number; booked: number }>;
    assert.deepEqual(day.map((s) => [s.time, s.capacity, s.booked]), [
      ['09:00', 2, 1],
      ...['10:00', '10:15', '10:30', '10:45', '11:00', '11:15', '11:30', '11:45'].map((time) => [time, 1, 0]),
    ]);
  });

  it('lets only one instance generate at a time', async () => {
    const generator = t.app.get(SlotGeneratorService);
    const results = await Promise.all([generator.generateAll(), generator.generateAll(), generator.generateAll()]);
    assert.ok(results.every((r) => r === undefined || r === 0));
  });
});
