/**
 * The clerk console and the waiting-room display in a real browser (Debian's Chromium through
 * playwright-core): a clerk serves a resident who booked through the API end to end, by
 * keyboard, while a second page shows the display and receives the called ticket live; the
 * queue updates by itself and works without JavaScript; walk-in, phone re-binding and the
 * supervisor's pages; axe on every page; CSRF on the console's forms.
 *
 * UPDATE_SCREENSHOTS=1 saves docs/screenshots/clerk-queue.png; nothing is written otherwise.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { Center } from '../src/centers/center.entity';
import { Service } from '../src/centers/service.entity';
import { I18nService, Language } from '../src/i18n/i18n.service';
import { assertAccessible, browserSkipReason, expectFocus, pathOf, tabTo } from './support/browser';
import { browserSuite } from './support/browser-suite';
import { createCenter, createSlot } from './support/factories';
import { newIdNumber, newPhone } from './support/identities';
import { signIn, SignedInResident } from './support/residents';
import { bookFor, COUNTER_ENV, createStaff, latestCodeFor, maskedId, maskedPhone, StaffAccount, staffLogin, totpCode } from './support/staff';
import { TestClock } from './support/test-clock';
import { TestApp } from './support/test-app';

// Functions given to page.evaluate and waitForFunction run in the browser; the build has no DOM types.
declare const document: any;
declare const window: any;

const SCREENSHOT = join(__dirname, '..', '..', 'docs', 'screenshots', 'clerk-queue.png');
const DESKTOP = { width: 1280, height: 800 };
const BIG_SCREEN = { width: 1920, height: 1080 };
const HOUR = 3600_000;

const i18n = new I18nService();
const tr = (lang: Language, key: string, options?: Record<string, unknown>): string => i18n.t(lang, key, options);

/**
 * The next 10:00 at the centers (Asia/Shanghai, UTC+8), from the real time onwards: the clock
 * runs on from there, so "today" is never near midnight, and session cookies (whose expiry the
 * browser judges by its own time) never look expired.
 */
function untilNextTenAmShanghai(now = Date.now()): number {
  const today = new Date(now);
  let target = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), 2, 0, 0);
  if (target <= now) target += 24 * HOUR;
  return target - now;
}

/** Autofocus is applied once the page has rendered: wait (briefly) for it. */

describe('clerk console and waiting-room display in the browser', { skip: browserSkipReason() }, () => {
  const clock = new TestClock();
  clock.advance(untilNextTenAmShanghai());
  const suite = browserSuite({ clock, env: { SEED_DEMO_DATA: 'false', ...COUNTER_ENV }, viewport: DESKTOP });
  let t: TestApp;
  before(() => {
    t = suite.app;
  });

  const open = (options: { viewport?: { width: number; height: number }; javaScriptEnabled?: boolean; locale?: string } = {}): Promise<Page> => suite.open(options);

  /** A center, a slot at 10:15 today (the clock's), and residents who booked it through the API. */
  async function bookedToday(residents: number): Promise<{ center: Center; service: Service; booked: Array<{ resident: SignedInResident; appointment: Record<string, any> }> }> {
    const { center, service } = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow: 0.25, capacity: 5 });
    const booked = [];
    for (let i = 0; i < residents; i++) {
      const resident = await signIn(t.api);
      booked.push({ resident, appointment: await bookFor(t, resident, slot, service) });
    }
    return { center, service, booked };
  }

  /** The sign-in form, by keyboard: the username field has the focus, Enter submits. */
  async function signInByKeyboard(page: Page, account: StaffAccount, totp?: string): Promise<void> {
    await expectFocus(page, 'username');
    await page.keyboard.type(account.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(account.password);
    if (totp) {
      await page.keyboard.press('Tab');
      await page.keyboard.type(totp);
    }
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/staff/sign-in')), page.keyboard.press('Enter')]);
  }

  async function signInClerk(page: Page, account: StaffAccount, totp?: string): Promise<void> {
    await page.goto('/staff/sign-in');
    await signInByKeyboard(page, account, totp);
  }

  it('a clerk serves a booked resident end to end by keyboard while the display receives the call live', async () => {
    const { center, booked } = await bookedToday(1);
    const { resident, appointment } = booked[0]!;
    const reference = appointment.reference as string;
    const clerk = await createStaff(t, { role: 'clerk', center });
    const page = await open();

    // A lost (here: absent) session goes to the staff sign-in and comes back to the queue.
    await page.goto('/staff');
    assert.equal(pathOf(page), `/staff/sign-in?next=${encodeURIComponent('/staff')}`);
    assert.equal(await page.locator('h1').textContent(), tr('zh-CN', 'staff:sign_in.title'));
    await assertAccessible(page, 'staff sign-in');
    await signInByKeyboard(page, clerk);
    assert.equal(pathOf(page), '/staff');

    // Today's queue: time, reference, masked ID, certificate, status, preparation.
    const row = page.locator('#queue-region tbody tr', { hasText: reference });
    assert.equal(await row.count(), 1);
    const cells = (await row.locator('td').allTextContents()).map((text) => text.trim());
    assert.equal(cells[0], '10:15');
    assert.equal(cells[1], reference);
    assert.equal(cells[2], maskedId(resident.idNumber));
    assert.equal(cells[3], '居住证明');
    assert.equal(cells[4], tr('zh-CN', 'common:status.booked'));
    assert.equal(cells[5], tr('zh-CN', 'common:preparation.pending'));
    assert.ok(!(await page.content()).includes(resident.idNumber), 'the plain ID number is on the page');
    await assertAccessible(page, 'queue');

    // The waiting room's screen, on a second page: nothing called yet, the stream connected.
    const display = await open({ viewport: BIG_SCREEN });
    await display.goto(`/display/${encodeURIComponent(center.code)}`);
    await display.waitForSelector('#board[data-connection="live"]', { timeout: 5000 });
    assert.match((await display.locator('#latest').textContent())!, new RegExp(tr('zh-CN', 'display:none_yet')));
    assert.match((await display.locator('#latest').textContent())!, new RegExp(tr('en', 'display:none_yet')));
    await assertAccessible(display, 'display');

    // A scanner types the reference into the focused search field and presses Enter.
    await expectFocus(page, 'reference');
    await page.keyboard.type(` ${reference.toLowerCase()} `);
    await Promise.all([page.waitForURL(`**/staff/appointments/${reference}`), page.keyboard.press('Enter')]);
    await assertAccessible(page, 'appointment (booked)');

    // Check-in with a counter passcode: Enter sends it, the resident reads it out, Enter checks in.
    await expectFocus(page, 'send-code');
    await Promise.all([page.waitForURL(/done=code_sent/), page.keyboard.press('Enter')]);
    assert.match((await page.locator('.notice.success').textContent())!, new RegExp(maskedPhone(resident.phone).replace(/\*/g, '\\*')));
    await expectFocus(page, 'code');
    await assertAccessible(page, 'appointment (code sent)');
    await page.keyboard.type('000000');
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/check-in')), page.keyboard.press('Enter')]);
    assert.match((await page.locator('#code-error').textContent())!, /4/, 'a wrong code says how many tries are left');
    await assertAccessible(page, 'appointment (wrong code)');
    await expectFocus(page, 'code');
    await page.keyboard.type(await latestCodeFor(t, resident.phone));
    await Promise.all([page.waitForURL(/done=checked_in/), page.keyboard.press('Enter')]);
    assert.match((await page.locator('.notice.success').textContent())!, /A-001/);
    assert.equal((await page.locator('.ticket-number').textContent())!.trim(), 'A-001');
    await display.waitForFunction(() => document.getElementById('waiting')?.textContent === '1', undefined, { timeout: 2000 });

    // Call next for counter 2 (remembered), by keyboard: the display shows it within a second.
    await page.goto('/staff');
    await expectFocus(page, 'reference');
    await tabTo(page, 'counter');
    await page.keyboard.type('2');
    await page.keyboard.press('Tab');
    await expectFocus(page, 'call-next');
    const shown = display.waitForFunction(
      () => {
        const latest = document.getElementById('latest')?.textContent ?? '';
        return latest.includes('A-001') && latest.includes('2 号窗口') && latest.includes('Counter 2');
      },
      undefined,
      { timeout: 1000, polling: 50 },
    );
    await page.keyboard.press('Enter');
    await shown;
    const screen = (await display.locator('body').textContent())!;
    for (const personal of [resident.idNumber, resident.phone, maskedId(resident.idNumber), maskedPhone(resident.phone), reference]) {
      assert.ok(!screen.includes(personal), `the display shows ${personal}`);
    }
    assert.equal(await display.locator('#waiting').textContent(), '0');
    await assertAccessible(display, 'display (called)');

    // The clerk is on the called resident's page, the serial field ready: type it, Enter.
    await page.waitForURL(`**/staff/appointments/${reference}?called=1`);
    assert.match((await page.locator('.notice.success').textContent())!, /A-001.*2/);
    await expectFocus(page, 'serial');
    await assertAccessible(page, 'appointment (called)');
    await page.keyboard.type('GY-2026-000123');
    await Promise.all([page.waitForURL(/done=fulfilled/), page.keyboard.press('Enter')]);
    assert.equal((await page.locator('.badge.status').textContent())!.trim(), tr('zh-CN', 'common:status.fulfilled'));
    await assertAccessible(page, 'appointment (fulfilled)');

    const seen = await t.api.get(`/api/v1/appointments/${appointment.id}`, { token: resident.token });
    assert.equal(seen.status, 200, seen.text);
    assert.equal(seen.body.status, 'fulfilled');
    const [serial] = (await t.dataSource.query('SELECT certificate_serial FROM appointment WHERE id = $1', [appointment.id])) as Array<{ certificate_serial: string }>;
    assert.equal(serial!.certificate_serial, 'GY-2026-000123');

    // "My counter" is remembered on this PC.
    await page.goto('/staff');
    assert.equal(await page.locator('#counter').inputValue(), '2');
  });

  it('proxy pickup: by keyboard, the proxy’s card and the resident’s code, a wrong card shown at its field, axe clean; and without JavaScript', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow: 0.5, capacity: 5 });
    const withProxy = async (): Promise<{ resident: SignedInResident; proxy: string; reference: string; id: string }> => {
      const resident = await signIn(t.api);
      const proxy = newIdNumber();
      const booked = await t.api.post('/api/v1/appointments', { slotId: slot.id, serviceId: service.id, proxyIdNumber: proxy }, { token: resident.token });
      assert.equal(booked.status, 201, booked.text);
      return { resident, proxy, reference: booked.body.reference as string, id: booked.body.id as string };
    };
    const masked = (id: string): RegExp => new RegExp(maskedId(id).replace(/\*/g, '\\*'));
    const first = await withProxy();
    const clerk = await createStaff(t, { role: 'clerk', center });
    const page = await open({ locale: 'en' });
    await signInClerk(page, clerk);

    // The queue and the appointment show the proxy masked, never in plain text.
    assert.match((await page.locator('#queue-region tbody tr', { hasText: first.reference }).textContent())!, masked(first.proxy));
    await page.goto(`/staff/appointments/${first.reference}`);
    assert.match((await page.locator('.facts').textContent())!, masked(first.proxy));
    assert.ok(!(await page.content()).includes(first.proxy), 'the plain proxy ID is on the page');
    await assertAccessible(page, 'appointment with a proxy');

    // The code goes to the resident's phone; the proxy brings it with their own card.
    await expectFocus(page, 'send-code');
    await Promise.all([page.waitForURL(/done=code_sent/), page.keyboard.press('Enter')]);
    await tabTo(page, 'proxyIdNumber');
    await assertAccessible(page, 'appointment with a proxy (code sent)');
    await page.keyboard.type(first.resident.idNumber); // the resident's card is not the proxy's
    await page.keyboard.press('Tab');
    await expectFocus(page, 'proxyCode');
    const code = await latestCodeFor(t, first.resident.phone);
    await page.keyboard.type(code);
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/check-in')), page.keyboard.press('Enter')]);
    assert.equal((await page.locator('#proxyIdNumber-error').textContent())!.trim(), tr('en', 'errors:id_mismatch'));
    assert.equal(await page.locator('#proxyIdNumber').getAttribute('aria-invalid'), 'true');
    await expectFocus(page, 'proxyIdNumber');
    await assertAccessible(page, 'appointment (proxy card refused)');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(first.proxy);
    await page.keyboard.press('Tab');
    await page.keyboard.type(code);
    await Promise.all([page.waitForURL(/done=checked_in/), page.keyboard.press('Enter')]);
    assert.match((await page.locator('.ticket-number').textContent())!, /^A-\d{3}$/);
    const [entry] = (await t.dataSource.query(`SELECT detail FROM audit_entry WHERE action = 'appointment.check_in' AND appointment_id = $1`, [first.id])) as Array<{ detail: Record<string, unknown> }>;
    assert.equal(entry!.detail.method, 'proxy');

    // Without JavaScript: the same plain forms (axe needs JavaScript: the pages are checked above).
    const second = await withProxy();
    const plain = await open({ javaScriptEnabled: false });
    await signInClerk(plain, clerk);
    await plain.goto(`/staff/appointments/${second.reference}`);
    await Promise.all([plain.waitForURL(/done=code_sent/), plain.locator('#send-code').click()]);
    await plain.locator('#proxyIdNumber').fill(second.proxy);
    await plain.locator('#proxyCode').fill(await latestCodeFor(t, second.resident.phone));
    await Promise.all([plain.waitForURL(/done=checked_in/), plain.locator('#proxyCode').press('Enter')]);
    assert.match((await plain.locator('.ticket-number').textContent())!, /^A-\d{3}$/);
  });

  it('the queue updates live without a reload, shows errors next to the field, and works without JavaScript', async () => {
    const { center, booked } = await bookedToday(3);
    const clerk = await createStaff(t, { role: 'clerk', center });
    const page = await open({ locale: 'en' });
    await signInClerk(page, clerk);
    assert.equal(await page.locator('h1').evaluate((h) => h.firstChild?.textContent?.trim()), tr('en', 'staff:queue.title'));
    await page.waitForFunction(() => document.getElementById('live-status')?.textContent !== '', undefined, { timeout: 5000 });
    await page.evaluate(() => (window.marker = 'same page'));

    // Another clerk checks a resident in at the next counter (through the API).
    const other = await staffLogin(t, { role: 'clerk', center, clock });
    const [, second] = booked;
    const checkIn = await t.api.post(`/api/v1/staff/appointments/${second!.appointment.id}/check-in`, { method: 'id-document', idNumber: second!.resident.idNumber }, { token: other.token });
    assert.equal(checkIn.status, 200, checkIn.text);
    const row = page.locator('#queue-region tbody tr', { hasText: second!.appointment.reference });
    await page.waitForFunction(
      ([reference, status]) => [...document.querySelectorAll('#queue-region tbody tr')].some((tr: any) => tr.textContent.includes(reference) && tr.textContent.includes(status)),
      [second!.appointment.reference as string, tr('en', 'common:status.checked_in')],
      { timeout: 3000 },
    );
    assert.match((await row.textContent())!, /A-001/);
    assert.equal(await page.evaluate(() => window.marker), 'same page', 'the page was reloaded');
    assert.equal((await page.locator('#waiting-count').textContent())!.trim(), tr('en', 'staff:call_next.waiting', { count: 1 }));
    await assertAccessible(page, 'queue (updated live)');

    if (process.env.UPDATE_SCREENSHOTS === '1') {
      mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    }

    // Errors from the services show translated, next to the field they concern.
    await page.locator('#reference').fill('ZZZZZZZZZZ');
    await Promise.all([page.waitForURL(/\/staff\/find/), page.keyboard.press('Enter')]);
    assert.equal((await page.locator('#reference-error').textContent())!.trim(), tr('en', 'staff:search.not_found', { reference: 'ZZZZZZZZZZ' }));
    await assertAccessible(page, 'queue (search error)');
    await page.goto(`/staff/appointments/${booked[0]!.appointment.reference}`);
    await page.locator('#idNumber').fill(newIdNumber());
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/check-in')), page.locator('#idNumber').press('Enter')]);
    assert.equal((await page.locator('#idNumber-error').textContent())!.trim(), tr('en', 'errors:id_mismatch'));
    await assertAccessible(page, 'appointment (ID mismatch)');
    await page.locator('#idNumber').fill(booked[0]!.resident.idNumber);
    await Promise.all([page.waitForURL(/done=checked_in/), page.locator('#idNumber').press('Enter')]);
    await page.locator('#serial').fill('no spaces allowed');
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/fulfil')), page.locator('#serial').press('Enter')]);
    assert.equal((await page.locator('#serial-error').textContent())!.trim(), tr('en', 'staff:hand_over.serial_invalid'));

    // Without JavaScript: the same queue, a Refresh button, search and call next as plain forms.
    const plain = await open({ javaScriptEnabled: false });
    await signInClerk(plain, clerk);
    assert.equal(await plain.locator('#queue-region tbody tr').count(), 3);
    assert.equal(await plain.locator('a[role="button"][href="/staff"]').count(), 1);
    // The longest-waiting first: the one the other clerk checked in, then this clerk's.
    for (const ticket of ['A-001', 'A-002']) {
      await plain.goto('/staff');
      await plain.locator('#counter').fill('3');
      await Promise.all([plain.waitForURL(/called=1/), plain.locator('#call-next').click()]);
      assert.equal((await plain.locator('.ticket-number').textContent())!.trim(), ticket);
    }
    await plain.goto('/staff');
    assert.equal(await plain.locator('#counter').inputValue(), '3');
    await Promise.all([plain.waitForURL(/nobody=1/), plain.locator('#call-next').click()]);
    assert.equal((await plain.locator('.notice').first().textContent())!.trim(), tr('zh-CN', 'staff:queue.notice.nobody_waiting'));
    // (axe needs JavaScript in the page: the same pages are checked with it above.)
    const display = await open({ javaScriptEnabled: false, viewport: BIG_SCREEN });
    await display.goto(`/display/${encodeURIComponent(center.code)}`);
    assert.match((await display.locator('#latest').textContent())!, /A-002.*3 号窗口.*Counter 3/s);
    assert.match((await display.locator('#earlier-list').textContent())!, /A-001.*3 号窗口/s);
  });

  it('walk-in, phone re-binding, and for a supervisor the audit trail and the report, all accessible', async () => {
    const { center, service } = await createCenter(t.dataSource);
    await createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow: 0.25, capacity: 2 });
    const supervisor = await createStaff(t, { role: 'supervisor', center });
    const page = await open();
    await page.goto('/staff/sign-in');
    // Without the TOTP code a supervisor is told so next to its field.
    await page.locator('#username').fill(supervisor.username);
    await page.locator('#password').fill(supervisor.password);
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/staff/sign-in')), page.locator('#password').press('Enter')]);
    assert.equal((await page.locator('#totp-error').textContent())!.trim(), tr('zh-CN', 'errors:totp_required'));
    await expectFocus(page, 'totp');
    await assertAccessible(page, 'sign-in (TOTP required)');
    await page.locator('#password').fill(supervisor.password);
    await page.locator('#totp').fill(totpCode(supervisor.totpSecret!, clock));
    await Promise.all([page.waitForURL('**/staff'), page.locator('#totp').press('Enter')]);

    // Walk-in: a wrong ID number first, then the card's; checked in at once with a ticket.
    await page.goto('/staff/walk-in');
    await expectFocus(page, 'idNumber');
    await assertAccessible(page, 'walk-in');
    await page.keyboard.type('520102199013011234'); // month 13: no such birth date
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/staff/walk-in') && r.request().method() === 'POST'), page.keyboard.press('Enter')]);
    assert.equal((await page.locator('#idNumber-error').textContent())!.trim(), tr('zh-CN', 'errors:invalid_id_number'));
    await assertAccessible(page, 'walk-in (error)');
    const walker = { idNumber: newIdNumber(), phone: newPhone() };
    await page.locator('#idNumber').fill(walker.idNumber);
    await page.locator('#phone').fill(walker.phone);
    assert.equal(await page.locator('#serviceId').inputValue(), service.id, 'the only certificate is chosen');
    await Promise.all([page.waitForURL(/done=walk_in/), page.locator('#phone').press('Enter')]);
    assert.match((await page.locator('.notice.success').textContent())!, /A-001/);
    assert.equal((await page.locator('.badge.status').textContent())!.trim(), tr('zh-CN', 'common:status.checked_in'));

    // Phone re-binding needs the "ID card checked" box.
    await page.goto('/staff/phone');
    await expectFocus(page, 'idNumber');
    await assertAccessible(page, 'phone re-binding');
    const newNumber = newPhone();
    await page.keyboard.type(walker.idNumber);
    await page.keyboard.press('Tab');
    await page.keyboard.type(newNumber);
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/staff/phone') && r.request().method() === 'POST'), page.keyboard.press('Enter')]);
    assert.equal((await page.locator('#idCardChecked-error').textContent())!.trim(), tr('zh-CN', 'staff:rebind.card_not_checked'));
    await assertAccessible(page, 'phone re-binding (error)');
    await page.locator('#idCardChecked').focus();
    await page.keyboard.press('Space');
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/staff/phone') && r.request().method() === 'POST'), page.locator('#phone').press('Enter')]);
    assert.equal(
      (await page.locator('.notice.success').textContent())!.trim(),
      tr('zh-CN', 'staff:rebind.done', { idNumber: maskedId(walker.idNumber), phone: maskedPhone(newNumber) }),
    );
    const [bound] = (await t.dataSource.query('SELECT count(*)::int AS n FROM audit_entry WHERE action = $1 AND actor_id = $2', ['resident.phone_rebound', supervisor.staffId])) as Array<{ n: number }>;
    assert.equal(bound!.n, 1);

    // The supervisor's pages.
    await page.goto('/staff/audit');
    await assertAccessible(page, 'audit trail');
    const actions = await page.locator('table.audit tbody tr td:nth-child(4)').allTextContents();
    for (const action of ['resident_phone_rebound', 'appointment_walk_in']) {
      assert.ok(actions.includes(tr('zh-CN', `staff:audit.actions.${action}`)), `${action} not in the trail: ${actions.join(', ')}`);
    }
    assert.ok(!(await page.content()).includes(walker.idNumber), 'the plain ID number is in the audit page');
    await page.goto('/staff/report');
    await assertAccessible(page, 'report');
    const figures = await page.locator('.figures dd').allTextContents();
    assert.equal(figures[0], '1', `booked: ${figures.join(', ')}`);
    await page.goto('/staff/report?from=2026-13-01');
    assert.equal((await page.locator('#from-error').textContent())!.trim(), tr('zh-CN', 'errors:invalid_range'));

    // An administrator works across centers: the console asks which one first.
    const admin = await createStaff(t, { role: 'admin' });
    const adminPage = await open();
    await signInClerk(adminPage, admin, totpCode(admin.totpSecret!, clock));
    assert.equal(pathOf(adminPage), '/admin', 'an admin starts in the administration');
    await Promise.all([adminPage.waitForURL('**/staff'), adminPage.locator('a[href="/staff"]').first().click()]);
    assert.equal(await adminPage.locator('h1').textContent(), tr('zh-CN', 'staff:choose_center.title'));
    await assertAccessible(adminPage, 'choose a center');
    await Promise.all([adminPage.waitForURL('**/staff'), adminPage.locator(`a[href="/staff/center?code=${encodeURIComponent(center.code)}"]`).click()]);
    assert.equal(await adminPage.locator('#queue-region tbody tr').count(), 1);
    assert.match((await adminPage.locator('.who').textContent())!, new RegExp(tr('zh-CN', 'staff:roles.admin')));

    // A clerk has no audit trail; signing out ends the session.
    const clerk = await createStaff(t, { role: 'clerk', center });
    const clerkPage = await open();
    await signInClerk(clerkPage, clerk);
    assert.equal(await clerkPage.locator('a[href="/staff/audit"]').count(), 0);
    const refused = await clerkPage.goto('/staff/audit');
    assert.equal(refused!.status(), 403);
    await clerkPage.goto('/staff');
    await Promise.all([clerkPage.waitForURL(/\/staff\/sign-in\?signed_out=1/), clerkPage.locator('form[action="/staff/sign-out"] button').click()]);
    await clerkPage.goto('/staff/walk-in');
    assert.equal(pathOf(clerkPage), `/staff/sign-in?next=${encodeURIComponent('/staff/walk-in')}`);
  });

  it('a console form posted without its CSRF token is refused with 403', async () => {
    const { center, booked } = await bookedToday(1);
    const clerk = await createStaff(t, { role: 'clerk', center });
    const page = await open();
    await signInClerk(page, clerk);
    const request = page.context().request;
    const post = (path: string, form: Record<string, string>) => request.post(path, { form, maxRedirects: 0 });
    const id = booked[0]!.appointment.id as string;
    const reference = booked[0]!.appointment.reference as string;

    for (const [path, form] of [
      ['/staff/call-next', { counter: '1' }],
      [`/staff/appointments/${id}/check-in`, { method: 'id-document', idNumber: booked[0]!.resident.idNumber, reference }],
      ['/staff/sign-in', { username: clerk.username, password: clerk.password }],
    ] as const) {
      const refused = await post(path, form);
      assert.equal(refused.status(), 403, path);
      const wrongToken = await post(path, { ...form, _csrf: 'not-the-token' });
      assert.equal(wrongToken.status(), 403, path);
    }
    const [row] = (await t.dataSource.query('SELECT status FROM appointment WHERE id = $1', [id])) as Array<{ status: string }>;
    assert.equal(row!.status, 'booked');

    // With the page's token the same post goes through.
    const token = await page.locator('form[action="/staff/call-next"] input[name="_csrf"]').inputValue();
    const accepted = await post('/staff/call-next', { counter: '1', _csrf: token });
    assert.equal(accepted.status(), 303);
  });
});
