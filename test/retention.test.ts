import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditService } from '../src/audit/audit.service';
import { verifyAuditChain } from '../src/audit/audit-verify';
import { RetentionService } from '../src/lifecycle/retention.service';
import { NoShowSweepService } from '../src/no-shows/no-show-sweep.service';
import { createCenter, createSlot } from './support/factories';
import { signIn } from './support/residents';
import { bookFor, COUNTER_ENV } from './support/staff';
import { startTestApp, TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

const YEAR = 365 * 24 * 3600_000;

describe('retention', () => {
  const clock = new TestClock(new Date('2026-12-02T02:00:00Z'));
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ clock, env: COUNTER_ENV });
  });
  after(() => t.close());

  it('removes what is no longer needed and keeps audit:verify passing from a signed checkpoint', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const resident = await signIn(t.api);
    const appointment = await bookFor(t, resident, await createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow: 1 }), service);
    const audit = t.app.get(AuditService);
    for (let i = 0; i < 3; i++) await t.dataSource.transaction((m) => audit.append(m, { actorType: 'system', action: 'test.old' }));
    clock.advance(3 * 3600_000);
    await t.app.get(NoShowSweepService).sweep();

    clock.advance(3 * YEAR + 30 * 24 * 3600_000);
    const report = await t.app.get(RetentionService).run();
    assert.ok(report);
    assert.ok(report.challenges >= 1, 'passcodes older than a day are gone');
    assert.ok(report.sessions >= 1, 'dead sessions are gone');
    assert.equal(report.appointmentsAnonymised, 1);
    assert.ok(report.auditEntries >= 4);
    const [row] = await t.dataSource.query('SELECT resident_id FROM appointment WHERE id = $1', [appointment.id]);
    assert.equal(row.resident_id, null, 'the old appointment no longer leads to the resident');
    const [{ left }] = await t.dataSource.query('SELECT count(*)::int AS left FROM otp_challenge');
    assert.equal(left, 0);

    await t.dataSource.transaction((m) => audit.append(m, { actorType: 'system', action: 'test.new' }));
    const verdict = await verifyAuditChain(t.dataSource, t.config.appSecret);
    assert.deepEqual(verdict, { intact: true, entries: 1 });
    assert.equal((await t.app.get(RetentionService).run())!.auditEntries, 0, 'nothing more to remove');
  });

  it('a checkpoint not signed with the app key breaks the chain; deletion outside retention stays refused', async () => {
    await t.dataSource.query(`UPDATE audit_checkpoint SET signature = '\\x00'`);
    const verdict = await verifyAuditChain(t.dataSource, t.config.appSecret);
    assert.equal(verdict.intact, false);
    assert.match((verdict as { reason: string }).reason, /checkpoint/);
    await assert.rejects(t.dataSource.query('DELETE FROM audit_entry'), /append-only/);
    await assert.rejects(
      t.dataSource.transaction(async (m) => {
        await m.query(`SELECT set_config('civic.audit_retention', 'on', true)`);
        await m.query('DELETE FROM audit_entry');
      }),
      /append-only/,
      'entries after the checkpoint cannot be removed even by retention',
    );
  });
});
