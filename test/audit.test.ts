import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { auditHash } from '../src/audit/audit-chain';
import { AuditEntry } from '../src/audit/audit-entry.entity';
import { verifyAuditChain } from '../src/audit/audit-verify';
import { createCenter, createSlot, CenterFixture } from './support/factories';
import { signIn } from './support/residents';
import { bookFor, COUNTER_ENV, postStaffLogin, secretFromUri, staffLogin, StaffSession, TEN_AM_SHANGHAI, totpCode } from './support/staff';
import { TestClock } from './support/test-clock';
import { startTestApp, TestApp } from './support/test-app';

const CLI = join(__dirname, '..', 'src', 'cli.js');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('the audit trail: append-only, hash-chained, verified by the CLI', () => {
  const clock = new TestClock(TEN_AM_SHANGHAI);
  let t: TestApp;
  let fixture: CenterFixture;
  let clerk: StaffSession;
  let checkInSeq: string;

  /** Runs the command line against the test app's database, as `npm run cli -- …` would. */
  function cli(args: string[], input?: string): Promise<CliResult> {
    const env = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      DATABASE_URL: (t.dataSource.options as { url: string }).url,
      APP_SECRET: t.config.appSecret.toString('base64'),
      DATA_KEY: `${t.config.currentKeyId}:${t.config.dataKeys.get(t.config.currentKeyId)!.toString('base64')}`,
      LOG_LEVEL: 'warn',
    };
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(input ?? '');
    });
  }

  /** Runs SQL as the database superuser, with the append-only trigger off for just that transaction's statements. */
  async function tamper(sql: string, params: unknown[]): Promise<void> {
    const client = new Client({ connectionString: (t.dataSource.options as { url: string }).url });
    await client.connect();
    try {
      const { rows } = await client.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
      assert.equal(rows[0]?.rolsuper, true, 'the test needs the superuser');
      await client.query('BEGIN');
      await client.query('ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only');
      await client.query(sql, params);
      await client.query('ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only');
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await client.end();
    }
  }

  const entry = async (seq: string): Promise<AuditEntry> => t.dataSource.manager.findOneByOrFail(AuditEntry, { seq });

  before(async () => {
    t = await startTestApp({ clock, env: COUNTER_ENV });
    fixture = await createCenter(t.dataSource);
    clerk = await staffLogin(t, { role: 'clerk', center: fixture.center, clock });
    const slot = await createSlot(t.dataSource, fixture.center.id, { now: clock.now(), hoursFromNow: 1 });
    for (let i = 0; i < 3; i++) {
      const resident = await signIn(t.api);
      const appointment = await bookFor(t, resident, slot, fixture.service);
      assert.equal((await t.api.get('/api/v1/staff/queue', { token: clerk.token })).status, 200);
      const checkedIn = await t.api.post(`/api/v1/staff/appointments/${appointment.id}/check-in`, { method: 'id-document', idNumber: resident.idNumber }, { token: clerk.token });
      assert.equal(checkedIn.status, 200, checkedIn.text);
    }
    const [row] = (await t.dataSource.query(`SELECT seq FROM audit_entry WHERE action = 'appointment.check_in' ORDER BY seq LIMIT 1 OFFSET 1`)) as Array<{ seq: string }>;
    checkInSeq = String(row!.seq);
  });
  after(() => t.close());

  it('refuses UPDATE, DELETE and TRUNCATE through the app’s own connection: append-only', async () => {
    const count = async () => ((await t.dataSource.query('SELECT count(*)::int AS n FROM audit_entry'))[0].n as number);
    const entries = await count();
    assert.ok(entries >= 6);
    await assert.rejects(t.dataSource.query(`UPDATE audit_entry SET action = 'appointment.lookup' WHERE seq = $1`, [checkInSeq]), /append-only/);
    await assert.rejects(t.dataSource.query('DELETE FROM audit_entry WHERE seq = $1', [checkInSeq]), /append-only/);
    await assert.rejects(t.dataSource.query('TRUNCATE audit_entry'), /append-only/);
    await assert.rejects(
      t.dataSource.transaction((manager) => manager.update(AuditEntry, { seq: checkInSeq }, { detail: { ticket: 'A-999' } })),
      /append-only/,
    );
    assert.equal(await count(), entries);
    assert.equal((await entry(checkInSeq)).action, 'appointment.check_in');
    assert.equal((await verifyAuditChain(t.dataSource, t.config.appSecret)).intact, true);
  });

  it('audit:verify on an intact chain: exit 0, "intact"', async () => {
    const result = await cli(['audit:verify']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /intact/);
    const verdict = await verifyAuditChain(t.dataSource, t.config.appSecret);
    assert.equal(verdict.intact, true);
    assert.ok(result.stdout.includes(`${verdict.entries} entries`), result.stdout);
  });

  it('an entry altered in SQL breaks the chain at that entry: verifyAuditChain and audit:verify (exit 1) name it', async () => {
    const original = await entry(checkInSeq);
    await tamper(`UPDATE audit_entry SET action = 'appointment.lookup' WHERE seq = $1`, [checkInSeq]);
    const verdict = await verifyAuditChain(t.dataSource, t.config.appSecret);
    assert.equal(verdict.intact, false);
    assert.equal(verdict.intact === false && verdict.brokenSeq, checkInSeq);
    assert.equal(verdict.entries, Number(checkInSeq) - 1);
    const result = await cli(['audit:verify']);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, new RegExp(`\\bentry ${checkInSeq}\\b`));
    assert.doesNotMatch(result.stdout, /intact:/);
    // The trigger is back on.
    await assert.rejects(t.dataSource.query('DELETE FROM audit_entry WHERE seq = $1', [checkInSeq]), /append-only/);

    // Put it back: the chain is whole again.
    await tamper('UPDATE audit_entry SET action = $2 WHERE seq = $1', [checkInSeq, original.action]);
    assert.equal((await verifyAuditChain(t.dataSource, t.config.appSecret)).intact, true);
    assert.equal((await cli(['audit:verify'])).code, 0);
  });

  it('a quieter change (the detail) is found too, and so is an altered entry whose own hash was recomputed: at the next link', async () => {
    const original = await entry(checkInSeq);
    await tamper(`UPDATE audit_entry SET detail = jsonb_set(detail, '{ticket}', '"A-777"') WHERE seq = $1`, [checkInSeq]);
    const verdict = await verifyAuditChain(t.dataSource, t.config.appSecret);
    assert.equal(verdict.intact === false && verdict.brokenSeq, checkInSeq);

    // A forger who also recomputes the entry's own hash breaks the link to the next one.
    const forged = { ...original, detail: { ...original.detail, ticket: 'A-777' } };
    const forgedHash = auditHash(original.prevHash, forged);
    await tamper('UPDATE audit_entry SET hash = $2 WHERE seq = $1', [checkInSeq, forgedHash]);
    const next = String(Number(checkInSeq) + 1);
    const relinked = await verifyAuditChain(t.dataSource, t.config.appSecret);
    assert.equal(relinked.intact, false);
    assert.equal(relinked.intact === false && relinked.brokenSeq, next);
    const result = await cli(['audit:verify']);
    assert.equal(result.code, 1);
    assert.match(result.stdout, new RegExp(`\\bentry ${next}\\b`));

    await tamper('UPDATE audit_entry SET detail = $2, hash = $3 WHERE seq = $1', [checkInSeq, original.detail, original.hash]);
    assert.equal((await verifyAuditChain(t.dataSource, t.config.appSecret)).intact, true);
  });

  it('a deleted entry breaks the chain at its place: audit:verify exits 1 naming it', async () => {
    const original = await entry(checkInSeq);
    await tamper('DELETE FROM audit_entry WHERE seq = $1', [checkInSeq]);
    const verdict = await verifyAuditChain(t.dataSource, t.config.appSecret);
    assert.equal(verdict.intact, false);
    assert.equal(verdict.intact === false && verdict.brokenSeq, checkInSeq);
    const result = await cli(['audit:verify']);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, new RegExp(`\\bentry ${checkInSeq}\\b`));

    await tamper(
      `INSERT INTO audit_entry (seq, at, actor_type, actor_id, actor_role, action, center_id, appointment_id, resident_id_hash, detail, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        original.seq,
        original.at,
        original.actorType,
        original.actorId,
        original.actorRole,
        original.action,
        original.centerId,
        original.appointmentId,
        original.residentIdHash,
        original.detail,
        original.prevHash,
        original.hash,
      ],
    );
    assert.equal((await verifyAuditChain(t.dataSource, t.config.appSecret)).intact, true);
  });

  it('staff:create by the CLI: exit 0, and the account signs in through the API', async () => {
    const created = await cli(['staff:create', '--username', 'x.y', '--role', 'clerk', '--center', fixture.center.code, '--password', 'a long enough password']);
    assert.equal(created.code, 0, created.stdout + created.stderr);
    assert.match(created.stdout, /created clerk "x\.y"/);
    const login = await postStaffLogin(t, { username: 'x.y', password: 'a long enough password' });
    assert.equal(login.status, 200, login.text);
    assert.equal(login.body.role, 'clerk');
    assert.equal(login.body.centerId, fixture.center.id);
    const [row] = (await t.dataSource.query(`SELECT password_hash FROM staff WHERE username = 'x.y'`)) as Array<{ password_hash: string }>;
    assert.match(row!.password_hash, /^\$argon2id\$v=19\$m=(19456|[2-9]\d{4,}|1\d{5,}),t=([2-9]|\d{2,}),p=\d+\$/);

    const duplicate = await cli(['staff:create', '--username', 'x.y', '--role', 'clerk', '--center', fixture.center.code, '--password', 'a long enough password']);
    assert.equal(duplicate.code, 1);
    const short = await cli(['staff:create', '--username', 'x.z', '--role', 'clerk', '--center', fixture.center.code, '--password', 'short']);
    assert.notEqual(short.code, 0);
    const noCenter = await cli(['staff:create', '--username', 'x.w', '--role', 'clerk', '--password', 'a long enough password']);
    assert.notEqual(noCenter.code, 0);
    assert.equal((await t.dataSource.query(`SELECT count(*)::int AS n FROM staff WHERE username IN ('x.z', 'x.w')`))[0].n, 0);

    // The password may come on standard input instead of the command line.
    const piped = await cli(['staff:create', '--username', 'x.stdin', '--role', 'clerk', '--center', fixture.center.code], 'piped in password\n');
    assert.equal(piped.code, 0, piped.stdout + piped.stderr);
    assert.equal((await postStaffLogin(t, { username: 'x.stdin', password: 'piped in password' })).status, 200);
  });

  it('staff:totp-enrol prints the otpauth URI a supervisor signs in with; staff:disable ends sign-in', async () => {
    const created = await cli(['staff:create', '--username', 'sup.cli', '--role', 'supervisor', '--center', fixture.center.code, '--password', 'supervisor password']);
    assert.equal(created.code, 0, created.stdout + created.stderr);
    assert.equal((await postStaffLogin(t, { username: 'sup.cli', password: 'supervisor password' })).body.code, 'totp_required');
    const enrolled = await cli(['staff:totp-enrol', '--username', 'sup.cli']);
    assert.equal(enrolled.code, 0, enrolled.stderr);
    const uri = enrolled.stdout.split('\n').find((line) => line.startsWith('otpauth://'));
    assert.ok(uri, enrolled.stdout);
    const login = await postStaffLogin(t, { username: 'sup.cli', password: 'supervisor password', totp: totpCode(secretFromUri(uri), clock) });
    assert.equal(login.status, 200, login.text);
    assert.equal(login.body.role, 'supervisor');

    const disabled = await cli(['staff:disable', '--username', 'sup.cli']);
    assert.equal(disabled.code, 0, disabled.stderr);
    assert.equal((await t.api.get('/api/v1/staff/audit', { token: login.body.token })).status, 401);
  });
});
