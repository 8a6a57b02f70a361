import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NoShowSweepService } from '../src/no-shows/no-show-sweep.service';
import { ReminderJob } from '../src/notifications/reminder-job.service';
import { createCenter, createSlot } from './support/factories';
import { signIn } from './support/residents';
import { bookFor, COUNTER_ENV, outbox } from './support/staff';
import { startTestApp, TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

describe('messages the resident receives', () => {
  // 2026-12-02 17:30 in Guiyang.
  const clock = new TestClock(new Date('2026-12-02T09:30:00Z'));
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ clock, env: { ...COUNTER_ENV, REMINDER_HOUR: '18', OUTBOX_WORKER: 'false' } });
  });
  after(() => t.close());

  it('a reminder the day before, from the configured hour, once whatever runs it', async () => {
    const { center, service } = await createCenter(t.dataSource);
    // Tomorrow 10:00 local.
    const slot = await createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow: 16.5 });
    const resident = await signIn(t.api);
    const appointment = await bookFor(t, resident, slot, service);
    const job = t.app.get(ReminderJob);
    assert.equal(await job.queueDue(), 0, 'not before 18:00');
    clock.advance(40 * 60_000);
    const runs = await Promise.all([job.queueDue(), job.queueDue(), job.queueDue()]);
    assert.equal(runs.reduce((a, b) => a + b, 0) >= 1, true);
    assert.equal(await job.queueDue(), 0, 'nothing new on the next run');
    const [{ reminders }] = await t.dataSource.query(`SELECT count(*)::int AS reminders FROM outbox_message WHERE dedupe_key = $1`, [`reminder:${appointment.id}`]);
    assert.equal(reminders, 1);
    const messages = await outbox(t, resident.phone);
    assert.ok(messages.some((m) => m.text.includes(appointment.reference) && /提醒/.test(m.text) && /reminder/i.test(m.text)));
  });

  it('booking confirmed: one SMS with reference, local time and center, written with the booking; a new time is confirmed again', async () => {
    const { center, service } = await createCenter(t.dataSource);
    // Tomorrow 10:00 and 11:00 local.
    const slot = await createSlot(t.dataSource, center.id, { now: new Date('2026-12-02T09:30:00Z'), hoursFromNow: 16.5 });
    const later = await createSlot(t.dataSource, center.id, { now: new Date('2026-12-02T09:30:00Z'), hoursFromNow: 17.5 });
    const resident = await signIn(t.api);
    const appointment = await bookFor(t, resident, slot, service);
    const confirmations = async () => (await outbox(t, resident.phone)).filter((m) => /booked for/.test(m.text));
    const [confirmed] = await confirmations();
    assert.ok(confirmed, 'a confirmation is in the outbox');
    assert.ok(confirmed.text.includes(appointment.reference) && confirmed.text.includes('2026-12-03 10:00'), confirmed.text);
    assert.match(confirmed.text, new RegExp(`已预约.*${center.nameZh}.*booked for .* at ${center.nameEn}\\.`), confirmed.text);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM outbox_message WHERE dedupe_key = $1 AND template = 'booking-confirmed'`, [`booking-confirmed:${appointment.id}`]);
    assert.equal(n, 1);

    // A refused booking writes no message.
    const refused = await t.api.post('/api/v1/appointments', { slotId: later.id, serviceId: service.id }, { token: resident.token });
    assert.equal(refused.status, 409);
    assert.equal((await confirmations()).length, 1);

    const moved = await t.api.post(`/api/v1/appointments/${appointment.id}/reschedule`, { slotId: later.id }, { token: resident.token });
    assert.equal(moved.status, 200, moved.text);
    const [newest] = await confirmations();
    assert.ok(newest!.text.includes('2026-12-03 11:00') && newest!.text.includes(appointment.reference), newest!.text);
    assert.equal((await confirmations()).length, 2);
  });

  it('a no-show notice, and the restriction when it comes', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const first = await signIn(t.api);
    const references: string[] = [];
    for (let i = 0; i < 3; i++) {
      const slot = await createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow: 1 + i });
      const resident = i === 0 ? first : await signIn(t.api, first.idNumber, first.phone);
      references.push((await bookFor(t, resident, slot, service)).reference as string);
      clock.advance((2 + i) * 3600_000);
      await t.app.get(NoShowSweepService).sweep();
    }
    const texts = (await outbox(t, first.phone)).map((m) => m.text);
    for (const reference of references) assert.ok(texts.some((text) => text.includes(reference) && /missed/.test(text)), reference);
    assert.ok(texts.some((text) => /paused until/.test(text) && /暂停至/.test(text)), 'the restriction is announced');
  });
});
