import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { NoShowSweepService } from '../src/no-shows/no-show-sweep.service';
import { cloneDatabase } from './support/database';
import { createCenter, createSlot } from './support/factories';
import { newIdNumber, newPhone } from './support/identities';
import { signIn, SignedInResident } from './support/residents';
import { startTestApp, TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

describe('three instances on one database', () => {
  const clock = new TestClock();
  let database: { url: string; drop: () => Promise<void> };
  let apps: TestApp[];
  before(async () => {
    database = await cloneDatabase();
    // Instances of one deployment share their secrets (and so their keyed hashes).
    const env = {
      APP_SECRET: randomBytes(32).toString('base64'),
      DATA_KEY: `k1:${randomBytes(32).toString('base64')}`,
      OTP_ID_HOURLY_LIMIT: '5',
      OTP_RESEND_SECONDS: '0',
      NO_SHOW_SWEEP_SECONDS: '86400',
    };
    apps = [];
    for (let i = 0; i < 3; i++) apps.push(await startTestApp({ databaseUrl: database.url, env, clock }));
  });
  after(async () => {
    for (const app of apps) await app.close();
    await database.drop();
  });

  it('a rush spread over the instances never books a place twice', async () => {
    const [one] = apps;
    const { center, service } = await createCenter(one!.dataSource);
    const slot = await createSlot(one!.dataSource, center.id, { capacity: 5, now: clock.now() });
    const residents: SignedInResident[] = [];
    for (let i = 0; i < 60; i += 15) residents.push(...(await Promise.all(Array.from({ length: 15 }, (_, j) => signIn(apps[(i + j) % 3]!.api)))));
    const answers = await Promise.all(
      residents.map((resident, n) => apps[n % 3]!.api.post('/api/v1/appointments', { slotId: slot.id, serviceId: service.id }, { token: resident.token })),
    );
    assert.equal(answers.filter((a) => a.status === 201).length, 5);
    assert.equal(answers.filter((a) => a.status === 409 && a.body.code === 'slot_full').length, 55);
    const [row] = await one!.dataSource.query('SELECT booked FROM slot WHERE id = $1', [slot.id]);
    assert.equal(row.booked, 5);
  });

  it('passcode limits hold across the instances (no 3× the codes by spreading requests)', async () => {
    const idNumber = newIdNumber();
    const answers = [];
    for (let i = 0; i < 9; i++) answers.push((await apps[i % 3]!.api.post('/api/v1/auth/otp', { idNumber, phone: newPhone() })).status);
    assert.deepEqual(answers, [202, 202, 202, 202, 202, 429, 429, 429, 429]);
  });

  it('the no-show sweep marks each appointment once, however many instances sweep', async () => {
    const [one] = apps;
    const { center, service } = await createCenter(one!.dataSource);
    const slot = await createSlot(one!.dataSource, center.id, { capacity: 3, now: clock.now(), hoursFromNow: 1 });
    const booked = [];
    for (let i = 0; i < 3; i++) {
      const resident = await signIn(apps[i]!.api);
      booked.push((await apps[i]!.api.post('/api/v1/appointments', { slotId: slot.id, serviceId: service.id }, { token: resident.token })).body.id as string);
    }
    clock.advance(2 * 3600_000);
    const marked = await Promise.all(apps.map((app) => app.app.get(NoShowSweepService).sweep()));
    assert.equal(marked.reduce((a, b) => a + b, 0), 3);
    const [{ entries }] = await one!.dataSource.query(`SELECT count(*)::int AS entries FROM audit_entry WHERE action = 'appointment.no_show' AND appointment_id = ANY($1::uuid[])`, [booked]);
    assert.equal(entries, 3);
  });
});
