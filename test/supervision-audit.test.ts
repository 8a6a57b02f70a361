/**
 * The audit trail as supervisors read it: filtered by staff account, action and reference,
 * with the account and the reference on each entry, the details in words, a page at a time
 * (newest first) and as CSV that opens in Excel.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Center } from '../src/centers/center.entity';
import { Service } from '../src/centers/service.entity';
import { createCenter, createSlot } from './support/factories';
import { signIn } from './support/residents';
import { assertProblem, bookFor, COUNTER_ENV, staffLogin, StaffSession, TEN_AM_SHANGHAI } from './support/staff';
import { startTestApp, TestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

describe('the audit trail for supervisors', () => {
  const clock = new TestClock(TEN_AM_SHANGHAI);
  let t: TestApp;
  let center: Center;
  let service: Service;
  let first: StaffSession;
  let second: StaffSession;
  let supervisor: StaffSession;
  let reference: string;

  before(async () => {
    t = await startTestApp({ clock, env: COUNTER_ENV });
    ({ center, service } = await createCenter(t.dataSource));
    [first, second, supervisor] = [
      await staffLogin(t, { role: 'clerk', center, clock }),
      await staffLogin(t, { role: 'clerk', center, clock }),
      await staffLogin(t, { role: 'supervisor', center, clock }),
    ];
    const resident = await signIn(t.api);
    const appointment = await bookFor(t, resident, await createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow: 0.5 }), service);
    reference = appointment.reference as string;
    const checkedIn = await t.api.post(`/api/v1/staff/appointments/${appointment.id}/check-in`, { method: 'id-document', idNumber: resident.idNumber }, { token: first.token });
    assert.equal(checkedIn.status, 200, checkedIn.text);
    // The second clerk looks at the queue 60 times: more than a page of the trail.
    for (let i = 0; i < 60; i++) assert.equal((await t.api.get('/api/v1/staff/queue', { token: second.token })).status, 200);
  });
  after(() => t.close());

  const trail = async (query: string): Promise<Array<Record<string, any>>> => {
    const response = await t.api.get(`/api/v1/staff/audit${query}`, { token: supervisor.token });
    assert.equal(response.status, 200, response.text);
    return response.body;
  };

  it('filters by staff account, action and reference; each entry names the account and the appointment’s reference', async () => {
    const byFirst = await trail(`?staffId=${first.staffId}`);
    assert.ok(byFirst.length >= 1);
    assert.ok(byFirst.every((e) => e.actorId === first.staffId && e.actorUsername === first.username), JSON.stringify(byFirst));
    const checkIn = byFirst.find((e) => e.action === 'appointment.check_in');
    assert.equal(checkIn?.reference, reference);

    const views = await trail('?action=queue.view');
    assert.equal(views.filter((e) => e.actorId === second.staffId).length, 60);
    assert.ok(views.every((e) => e.action === 'queue.view'));

    // A reference as a person types it: lower case, with a dash.
    const typed = `${reference.slice(0, 5).toLowerCase()}-${reference.slice(5)}`;
    const aboutIt = await trail(`?reference=${encodeURIComponent(typed)}`);
    assert.ok(aboutIt.length >= 1 && aboutIt.every((e) => e.reference === reference), JSON.stringify(aboutIt));
    assert.deepEqual(await trail('?reference=NOSUCHREF2'), []);

    assertProblem(await t.api.get('/api/v1/staff/audit?staffId=not-a-uuid', { token: supervisor.token }), 400, 'validation_failed');
    assertProblem(await t.api.get('/api/v1/staff/audit?action=DROP%20TABLE', { token: supervisor.token }), 400, 'validation_failed');
  });

  it('the CSV holds the filtered entries with the details in words, a UTF-8 BOM and headers in the reader’s language', async () => {
    const response = await fetch(`${t.url}/api/v1/staff/audit.csv?staffId=${first.staffId}&action=appointment.check_in`, { headers: { authorization: `Bearer ${supervisor.token}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/csv/);
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const [header, line, end] = bytes.subarray(3).toString('utf8').split('\r\n');
    assert.equal(header, '序号,时间,操作人,操作,预约号,详情');
    assert.ok(line?.includes(`${first.username} (窗口工作人员)`) && line.includes(',签到,') && line.includes(reference), line);
    assert.ok(line?.includes('核验方式: 身份证') && line.includes('排队号: A-001'), line);
    assert.equal(end, '');

    const english = await t.api.get(`/api/v1/staff/audit.csv?staffId=${first.staffId}&action=appointment.check_in`, { token: supervisor.token, headers: { 'accept-language': 'en' } });
    const [englishHeader, englishLine] = english.text.split('\r\n');
    assert.equal(englishHeader, 'No.,Time,By,Action,Reference,Details');
    assert.ok(englishLine?.includes('Checked by: ID card'), englishLine);
  });

  it('the page shows 50 entries at a time, newest first, with links to the older and newer ones', async () => {
    const page = async (query: string) => {
      const response = await t.api.get(`/staff/audit${query}`, { token: supervisor.token });
      assert.equal(response.status, 200, response.text.slice(0, 500));
      return response.text;
    };
    const rows = (html: string) => [...html.matchAll(/<tr>\s*<td class="mono">(\d+)<\/td>/g)].map((m) => Number(m[1]));
    const firstPage = await page('');
    const shown = rows(firstPage);
    assert.equal(shown.length, 50);
    assert.deepEqual(shown, [...shown].sort((a, b) => b - a), 'newest first');
    const older = /href="(\/staff\/audit\?[^"]*page=2[^"]*)"/.exec(firstPage)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(older, 'a link to the older entries');
    const secondPage = await page(older.slice('/staff/audit'.length));
    assert.ok(rows(secondPage).length >= 11 && Math.max(...rows(secondPage)) < Math.min(...shown));
    assert.match(secondPage, /rel="prev"/);
    assert.match(firstPage, /role="region"[^>]*tabindex="0"|tabindex="0"[^>]*role="region"/, 'the scrolling table can be reached by keyboard');

    const filtered = await page(`?staffId=${first.staffId}`);
    assert.ok(rows(filtered).length >= 1 && rows(filtered).length < 50);
    assert.ok(filtered.includes(reference) && filtered.includes(first.username));
    assert.doesNotMatch(filtered, /page=2/);
    const refused = await t.api.get('/staff/audit?staffId=nope', { token: supervisor.token });
    assert.equal(refused.status, 400);
    assert.match(refused.text, /id="staffId-error"/);
  });
});
