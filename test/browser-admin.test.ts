/**
 * The administration pages in a real browser (Debian's Chromium through playwright-core): an
 * admin signs in with password + TOTP and sets up a new center from nothing — certificate,
 * center, what it offers, opening hours, a clerk — after which the public API offers bookable
 * times; a closure that would leave a booked resident without a place is refused first and
 * then, as an explicit second step, made with "cancel and notify"; the registry upload counts
 * a mixed file's lines; the report page draws its charts. axe on every page; clerks and
 * supervisors get 403; residents and anonymous visitors the staff sign-in; no form goes
 * through without its CSRF token.
 *
 * UPDATE_SCREENSHOTS=1 saves docs/screenshots/admin-center.png; nothing is written otherwise.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { OutboxService } from '../src/notifications/outbox.service';
import { I18nService, Language } from '../src/i18n/i18n.service';
import { assertAccessible, browserSkipReason, fillFields, focusedId, pathOf, tabTo } from './support/browser';
import { browserSuite } from './support/browser-suite';
import { createCenter, createSlot } from './support/factories';
import { newIdNumber, newPhone } from './support/identities';
import { signIn } from './support/residents';
import { bookFor, COUNTER_ENV, createStaff, maskedPhone, outbox, postStaffLogin, secretFromUri, StaffAccount, STAFF_PASSWORD, totpCode } from './support/staff';
import { TestClock } from './support/test-clock';
import { TestApp } from './support/test-app';

// Functions given to page.evaluate run in the browser; the build has no DOM types.
declare const document: any;

const DESKTOP = { width: 1280, height: 900 };
const SCREENSHOT = join(__dirname, '..', '..', 'docs', 'screenshots', 'admin-center.png');
const i18n = new I18nService();
const tr = (lang: Language, key: string, options?: Record<string, unknown>): string => i18n.t(lang, key, options);

/** Submits the form of this field by pressing Enter in it, and waits for the answer to that post. */
async function enterIn(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.locator(selector).press('Enter')]);
  await page.waitForLoadState();
}

async function clickAndWait(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.locator(selector).click()]);
  await page.waitForLoadState();
}

const text = async (page: Page, selector: string): Promise<string> => ((await page.locator(selector).textContent()) ?? '').trim();

describe('administration pages in the browser', { skip: browserSkipReason() }, () => {
  const clock = new TestClock();
  const suite = browserSuite({ clock, env: { SEED_DEMO_DATA: 'false', ...COUNTER_ENV }, viewport: DESKTOP });
  let t: TestApp;
  before(() => {
    t = suite.app;
  });

  async function open(options: { locale?: string; javaScriptEnabled?: boolean } = {}): Promise<Page> {
    const page = await suite.open(options);
    // "Cancel and notify" and other destructive buttons ask first (confirm-actions.js): yes.
    page.on('dialog', (dialog) => void dialog.accept());
    return page;
  }

  /** The staff sign-in by keyboard: username, Tab, password, Tab, TOTP code, Enter. */
  async function signInAdmin(page: Page, admin: StaffAccount, next = ''): Promise<void> {
    if (!page.url().includes('/staff/sign-in')) await page.goto(`/staff/sign-in${next}`);
    await page.locator('#username').focus();
    await page.keyboard.type(admin.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(admin.password);
    await page.keyboard.press('Tab');
    await page.keyboard.type(totpCode(admin.totpSecret!, clock));
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/staff/sign-in')), page.keyboard.press('Enter')]);
  }

  /** Each admin signs in once: a TOTP code is good for one sign-in per 30 seconds. */
  async function adminPage(locale = 'zh-CN', javaScriptEnabled = true): Promise<Page> {
    const admin = await createStaff(t, { role: 'admin' });
    const page = await open({ locale, javaScriptEnabled });
    await signInAdmin(page, admin);
    assert.equal(pathOf(page), '/admin');
    return page;
  }

  it('an admin signs in with password + TOTP and sets up a new center from nothing, which then has bookable times', async () => {
    const admin = await createStaff(t, { role: 'admin' });
    const page = await open({ locale: 'en' });

    // Anonymous: the staff sign-in, and back to /admin afterwards.
    await page.goto('/admin');
    assert.equal(pathOf(page), `/staff/sign-in?next=${encodeURIComponent('/admin')}`);
    await signInAdmin(page, admin);
    assert.equal(pathOf(page), '/admin');
    assert.equal(await text(page, 'h1'), tr('en', 'admin:home.title'));
    await assertAccessible(page, 'admin home');

    // 1. A certificate. An empty form first: each refusal next to its field, nothing saved.
    await Promise.all([page.waitForURL('**/admin/services/new'), page.locator('.setup-steps a[href="/admin/services/new"]').click()]);
    await assertAccessible(page, 'new certificate');
    await enterIn(page, '#code');
    assert.equal(await text(page, '#code-error'), tr('en', 'admin:invalid.code'));
    assert.equal(await text(page, '#name_zh-error'), tr('en', 'admin:invalid.name_zh'));
    assert.equal(await page.locator('#code').getAttribute('aria-invalid'), 'true');
    await assertAccessible(page, 'new certificate (errors)');
    const serviceCode = `CERT-${process.pid}`;
    await fillFields(page, {
      code: serviceCode,
      name_zh: '无犯罪记录证明',
      name_en: 'No-criminal-record certificate',
      documents_zh: '居民身份证原件\n户口簿',
      documents_en: 'Resident identity card (original)',
      leadTimeHours: '0',
    });
    await enterIn(page, '#leadTimeHours');
    assert.equal(await text(page, '#documents_en-error'), tr('en', 'admin:invalid.documents_count', { zh: 2, en: 1 }));
    assert.equal(await page.locator('#documents_zh').inputValue(), '居民身份证原件\n户口簿', 'what was typed stays');
    await page.locator('#documents_en').fill('Resident identity card (original)\nHousehold register');
    await enterIn(page, '#leadTimeHours');
    assert.equal(pathOf(page), '/admin/services?done=created');
    assert.equal(await page.locator('tbody tr', { hasText: serviceCode }).count(), 1);
    await assertAccessible(page, 'certificates');

    // 2. The center, its code taken once by mistake.
    const taken = await createCenter(t.dataSource);
    await page.goto('/admin/centers/new');
    await assertAccessible(page, 'new center');
    const code = `NEW-${process.pid}`;
    await fillFields(page, {
      code: taken.center.code,
      name_zh: '南明区新华路社区服务中心',
      name_en: 'Xinhua Road Community Service Center',
      address_zh: '贵阳市南明区新华路 1 号',
      address_en: '1 Xinhua Road, Nanming, Guiyang',
      slotMinutes: '20',
    });
    await enterIn(page, '#slotMinutes');
    assert.equal(await text(page, '#code-error'), tr('en', 'errors:duplicate_code'));
    assert.equal(await page.locator('#name_en').inputValue(), 'Xinhua Road Community Service Center');
    await page.locator('#code').fill(code);
    await enterIn(page, '#code');
    assert.match(pathOf(page), /^\/admin\/centers\/[0-9a-f-]{36}\?done=created/);
    const centerId = new URL(page.url()).pathname.split('/').pop()!;
    assert.equal(await text(page, '.notice.success'), tr('en', 'admin:center.done.created'));
    await assertAccessible(page, 'center page');

    // 3. What it offers, by keyboard: Tab to the certificate, Space, Tab, Enter.
    const service = await serviceId(serviceCode);
    await page.locator('#slotMinutes').focus();
    await tabTo(page, `service_${service}`, 40);
    await page.keyboard.press('Space');
    await tabTo(page, 'save-services', 40);
    await Promise.all([page.waitForURL(/done=services/), page.keyboard.press('Enter')]);

    // 4. Opening hours: a wrong time first, then Monday to Sunday around the clock, 2 counters.
    await fillFields(page, { opens_1_0: '8h30', closes_1_0: '12:00', counters_1_0: '2' });
    await enterIn(page, '#counters_1_0');
    assert.equal(await text(page, '#opens_1_0-error'), tr('en', 'admin:invalid.hours_opens'));
    await assertAccessible(page, 'center page (hours error)');
    await fillFields(page, { opens_1_0: '13:00', closes_1_0: '09:00' });
    await enterIn(page, '#counters_1_0');
    assert.equal(await text(page, '#hours-heading ~ .notice.error'), tr('en', 'admin:hours.invalid_periods'));
    for (let weekday = 1; weekday <= 7; weekday++) {
      await fillFields(page, { [`opens_${weekday}_0`]: '00:00', [`closes_${weekday}_0`]: '24:00', [`counters_${weekday}_0`]: '2' });
    }
    await enterIn(page, '#counters_7_0');
    assert.match(pathOf(page), /done=hours/);
    assert.equal(await page.locator('#closes_3_0').inputValue(), '24:00');
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    }

    // 5. A clerk for the center.
    await page.goto('/admin/staff/new');
    await assertAccessible(page, 'new account');
    const clerkName = `clerk.new.${process.pid}`;
    await page.locator('#username').fill(clerkName);
    await page.locator('#password').fill(STAFF_PASSWORD);
    await page.locator('#role').selectOption('clerk');
    await enterIn(page, '#password');
    assert.equal(await text(page, '#centerId-error'), tr('en', 'admin:staff.center_required'));
    assert.equal(await page.locator('#password').inputValue(), '', 'a password is never sent back');
    await page.locator('#password').fill(STAFF_PASSWORD);
    await page.locator('#centerId').selectOption(centerId);
    await enterIn(page, '#password');
    assert.match(pathOf(page), /^\/admin\/staff\/[0-9a-f-]{36}\?done=created$/);
    await assertAccessible(page, 'account');

    // The public API: the center, its certificate, and times to book.
    const centers = await t.api.get<Array<{ id: string; code: string }>>('/api/v1/centers');
    assert.ok(centers.body.some((c) => c.id === centerId && c.code === code));
    const offered = await t.api.get<Array<{ id: string; code: string }>>(`/api/v1/centers/${centerId}/services`);
    assert.deepEqual(offered.body.map((s) => s.code), [serviceCode]);
    const availability = await t.api.get<Array<{ slotId: string; startsAt: string; endsAt: string; remaining: number }>>(`/api/v1/centers/${centerId}/availability?serviceId=${service}`);
    assert.equal(availability.status, 200, availability.text);
    assert.ok(availability.body.length > 0, 'no bookable time');
    assert.equal(availability.body[0]!.remaining, 2);
    assert.equal((Date.parse(availability.body[0]!.endsAt) - Date.parse(availability.body[0]!.startsAt)) / 60_000, 20);

    // The lists lead to what was made; a certificate can be changed (here: no longer bookable).
    await page.goto('/admin/centers');
    await assertAccessible(page, 'centers');
    await Promise.all([page.waitForURL(`**/admin/centers/${centerId}`), page.locator(`a[href="/admin/centers/${centerId}"]`).click()]);
    await page.goto('/admin/services');
    await Promise.all([page.waitForURL(`**/admin/services/${service}`), page.locator(`a[href="/admin/services/${service}"]`).click()]);
    assert.equal(await page.locator('#documents_en').inputValue(), 'Resident identity card (original)\nHousehold register');
    await assertAccessible(page, 'change a certificate');
    await page.locator('#active').uncheck();
    await enterIn(page, '#leadTimeHours');
    assert.equal(pathOf(page), '/admin/services?done=updated');
    assert.equal(await text(page, `tbody tr:has(a[href="/admin/services/${service}"]) td:last-child`), tr('en', 'admin:services.inactive'));

    // The new clerk signs in and lands in the console of the new center.
    const clerkPage = await open();
    await clerkPage.goto('/staff/sign-in');
    await clerkPage.locator('#username').fill(clerkName);
    await clerkPage.locator('#password').fill(STAFF_PASSWORD);
    await Promise.all([clerkPage.waitForURL('**/staff'), clerkPage.locator('#password').press('Enter')]);
    assert.match(await text(clerkPage, '.who'), /南明区新华路社区服务中心/);
  });

  async function serviceId(code: string): Promise<string> {
    const [row] = (await t.dataSource.query('SELECT id FROM service WHERE code = $1', [code])) as Array<{ id: string }>;
    assert.ok(row, `no service ${code}`);
    return row.id;
  }

  it('a closure over a booked day is refused with the slots shown; "cancel and notify" is an explicit second step', async () => {
    const { center, service } = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow: 48, capacity: 3 });
    const resident = await signIn(t.api);
    const appointment = await bookFor(t, resident, slot, service);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(slot.startsAt);
    const page = await adminPage();

    await page.goto(`/admin/centers/${center.id}`);
    await page.locator('#from').fill(day);
    await page.locator('#reason').fill('设备检修');
    await enterIn(page, '#reason');
    assert.equal(await text(page, '#affected-heading'), tr('zh-CN', 'admin:affected.heading'));
    const rows = await page.locator('.affected tbody tr').allTextContents();
    assert.equal(rows.length, 1);
    const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }).format(slot.startsAt);
    assert.match(rows[0]!, new RegExp(local.replace(/\s+/, '\\s*')));
    assert.equal(await page.locator('.admin-section table tbody tr', { hasText: '设备检修' }).count(), 0, 'nothing changed yet');
    let seen = await t.api.get(`/api/v1/appointments/${appointment.id}`, { token: resident.token });
    assert.equal(seen.body.status, 'booked');
    assert.equal(await focusedId(page), 'cancel-and-notify');
    await assertAccessible(page, 'center page (bookings affected)');

    // The second step, by keyboard: the button has the focus.
    await Promise.all([page.waitForURL(/done=closure/), page.keyboard.press('Enter')]);
    assert.match(await text(page, '.notice.success'), new RegExp(tr('zh-CN', 'admin:affected.cancelled', { count: 1 })));
    assert.equal(await page.locator('.admin-section tbody tr', { hasText: '设备检修' }).count(), 1);
    seen = await t.api.get(`/api/v1/appointments/${appointment.id}`, { token: resident.token });
    assert.equal(seen.body.status, 'cancelled');
    const messages = await outbox(t, resident.phone);
    assert.ok(messages.some((m) => m.text.includes(appointment.reference as string)), 'the resident was not told');
    await assertAccessible(page, 'center page (closure added)');

    // And the day opens again.
    await clickAndWait(page, `form[action$="/delete"] button`);
    assert.match(pathOf(page), /done=closure_removed/);
    assert.equal(await page.locator('.admin-section tbody tr', { hasText: '设备检修' }).count(), 0);
  });

  it('the registry upload counts a mixed file: imported entries and each rejected line with its reason; all or nothing imports nothing', async () => {
    const page = await adminPage('en');
    await page.goto('/admin/registry');
    await assertAccessible(page, 'registry import');

    // Without a file: told so next to the field.
    await clickAndWait(page, '#upload');
    assert.equal(await text(page, '#file-error'), tr('en', 'admin:registry.file_required'));

    const valid = [newIdNumber(), newIdNumber()];
    const csv = ['idNumber,phone', `${valid[0]},${newPhone()}`, '110105194912310021,13812345678', `${valid[1]},${newPhone()}`, `${newIdNumber()},12345`, `${valid[0]},${newPhone()}`, 'just one field', ''].join('\n');
    const file = { name: 'registry.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) };
    const before = await registryCount();

    await page.locator('#mode-all-or-nothing').check();
    await page.locator('#file').setInputFiles(file);
    await clickAndWait(page, '#upload');
    assert.equal(await text(page, '#import-summary'), tr('en', 'admin:registry.refused', { count: 0, rejected: 4 }));
    assert.equal(await registryCount(), before, 'all or nothing imported something');
    assert.ok(await page.locator('#mode-all-or-nothing').isChecked(), 'the choice stays');

    await page.locator('#mode-valid-lines').check();
    await page.locator('#file').setInputFiles(file);
    await clickAndWait(page, '#upload');
    assert.equal(await text(page, '#import-summary'), tr('en', 'admin:registry.imported', { count: 2, rejected: 4 }));
    const rejected = await page.locator('table.rejected tbody tr').evaluateAll((rows: any[]) => rows.map((row) => [...row.cells].map((cell: any) => cell.textContent.trim()).join(' ')));
    assert.deepEqual(rejected, [
      `3 ${tr('en', 'admin:registry.codes.invalid_id_number')}`,
      `5 ${tr('en', 'admin:registry.codes.invalid_phone')}`,
      `6 ${tr('en', 'admin:registry.codes.duplicate')}`,
      `7 ${tr('en', 'admin:registry.codes.invalid_line')}`,
    ]);
    assert.equal(await registryCount(), before + 2);
    assert.ok(!(await page.content()).includes(valid[0]!), 'an ID number is on the page');
    await assertAccessible(page, 'registry import (result)');

    // Without JavaScript the upload is the same plain form.
    const plain = await adminPage('en', false);
    await plain.goto('/admin/registry');
    await plain.locator('#file').setInputFiles({ name: 'one.csv', mimeType: 'text/csv', buffer: Buffer.from(`${newIdNumber()},${newPhone()}\r\n`) });
    await clickAndWait(plain, '#upload');
    assert.equal(await text(plain, '#import-summary'), tr('en', 'admin:registry.imported', { count: 1, rejected: 0 }));
    assert.equal(await registryCount(), before + 3);
  });

  async function registryCount(): Promise<number> {
    const [row] = (await t.dataSource.query('SELECT count(*)::int AS n FROM registry_entry')) as Array<{ n: number }>;
    return row!.n;
  }

  it('staff accounts: a supervisor gets a TOTP key shown once (QR and URI) that signs in; disable, enable, new password, new key', async () => {
    const { center } = await createCenter(t.dataSource);
    const page = await adminPage();
    await page.goto('/admin/staff/new');
    const username = `sup.${process.pid}.${Date.now() % 100_000}`;
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(STAFF_PASSWORD);
    await page.locator('#role').selectOption('supervisor');
    await page.locator('#centerId').selectOption(center.id);
    await enterIn(page, '#password');
    assert.equal(await text(page, '#totp-heading'), tr('zh-CN', 'admin:staff.totp_heading'));
    assert.match((await page.locator('img.qr').getAttribute('src'))!, /^data:image\/png;base64,/);
    const uri = await page.locator('#totp-uri').inputValue();
    assert.match(uri, /^otpauth:\/\/totp\//);
    assert.equal(await page.evaluate(() => document.querySelectorAll('[style]').length), 0, 'inline styles');
    await assertAccessible(page, 'account (TOTP shown once)');
    const login = await postStaffLogin(t, { username, password: STAFF_PASSWORD, totp: totpCode(secretFromUri(uri), clock) });
    assert.equal(login.status, 200, login.text);
    assert.equal(login.body.role, 'supervisor');

    // Shown once: the account's page does not show it again.
    const accountPath = `/admin/staff/${await staffIdOf(username)}`;
    await page.goto(accountPath);
    assert.equal(await page.locator('#totp-uri').count(), 0);
    await page.goto('/admin/staff');
    await assertAccessible(page, 'staff list');
    assert.equal(await page.locator('tbody tr', { hasText: username }).count(), 1);

    // Disable (its session ends), enable, a too-short password refused, a new one, a new key.
    await page.goto(accountPath);
    await clickAndWait(page, '#toggle-disabled');
    assert.equal(await text(page, '#account-state'), tr('zh-CN', 'admin:staff.disabled'));
    const me = await t.api.get('/api/v1/staff/queue', { token: login.body.token as string });
    assert.equal(me.status, 401, 'the disabled account is still signed in');
    await clickAndWait(page, '#toggle-disabled');
    assert.equal(await text(page, '#account-state'), tr('zh-CN', 'admin:staff.enabled'));
    await page.locator('#password').fill('short');
    await enterIn(page, '#password');
    assert.equal(await text(page, '#password-error'), tr('zh-CN', 'admin:invalid.password'));
    await page.locator('#password').fill('another long enough password');
    await enterIn(page, '#password');
    assert.match(pathOf(page), /done=password/);
    await clickAndWait(page, '#reset-totp');
    const newUri = await page.locator('#totp-uri').inputValue();
    assert.notEqual(secretFromUri(newUri), secretFromUri(uri));
  });

  async function staffIdOf(username: string): Promise<string> {
    const [row] = (await t.dataSource.query('SELECT id FROM staff WHERE username = $1', [username])) as Array<{ id: string }>;
    return row!.id;
  }

  it('parked messages are listed masked, and the report page draws its charts with the same figures as a table', async () => {
    const phone = newPhone();
    const dedupeKey = `parked-${process.pid}`;
    await t.dataSource.transaction((manager) => t.app.get(OutboxService).enqueue(manager, { channel: 'sms', to: phone, template: 'reminder', text: 'secret text', dedupeKey }));
    // Parked as the worker parks a message after its last try (whether or not it has picked this one up meanwhile).
    await t.dataSource.query(`UPDATE outbox_message SET failed_at = now(), sent_at = NULL, attempts = 8, last_error = 'gateway said no' WHERE dedupe_key = $1`, [dedupeKey]);
    const page = await adminPage('en');
    await page.goto('/admin/outbox');
    await assertAccessible(page, 'unsent messages');
    const row = page.locator('tbody tr', { hasText: maskedPhone(phone) });
    assert.equal(await row.count(), 1);
    assert.ok(!(await page.content()).includes(phone), 'the plain phone is on the page');
    assert.ok(!(await page.content()).includes('secret text'), 'the text is on the page');

    // The report: bookings per day and the busiest hours, as SVG and as tables.
    const { center, service } = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow: 2, capacity: 3 });
    for (let i = 0; i < 2; i++) await bookFor(t, await signIn(t.api), slot, service);
    await page.goto(`/staff/center?code=${encodeURIComponent(center.code)}`);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(slot.startsAt);
    await page.goto(`/staff/report?from=${day}&to=${day}`);
    await assertAccessible(page, 'report with charts');
    const charts = page.locator('svg[role="img"]');
    assert.equal(await charts.count(), 2);
    for (const chart of await charts.all()) {
      assert.ok(await chart.getAttribute('aria-labelledby'), 'a chart without a name');
      assert.ok((await chart.locator('title').count()) > 0);
    }
    assert.equal(await page.locator('svg.chart-days rect.bar-booked').count(), 1);
    assert.equal(await page.locator('#days-table tbody tr').count(), 1);
    assert.match(await text(page, '#days-table tbody tr'), new RegExp(`${day}\\s*2\\s*0\\s*0\\s*0`));
    assert.match(await text(page, '#hours-table tbody'), /2/);
    const csv = page.locator('a[href*="/api/v1/staff/reports.csv"]');
    assert.equal(await csv.count(), 1);
    const download = await page.context().request.get((await csv.getAttribute('href'))!);
    assert.equal(download.status(), 200);
    assert.match(await download.text(), new RegExp(`\\r\\n${day},[^,]+,2,0,0,0\\r\\n`));
  });

  it('clerks and supervisors get 403 on /admin; residents and anonymous visitors get the staff sign-in', async () => {
    const { center } = await createCenter(t.dataSource);
    for (const role of ['clerk', 'supervisor'] as const) {
      const account = await createStaff(t, { role, center });
      const page = await open();
      await page.goto('/staff/sign-in');
      await page.locator('#username').fill(account.username);
      await page.locator('#password').fill(account.password);
      if (account.totpSecret) await page.locator('#totp').fill(totpCode(account.totpSecret, clock));
      await Promise.all([page.waitForURL('**/staff'), page.locator('#password').press('Enter')]);
      assert.equal(await page.locator('a[href="/admin"]').count(), 0, `${role} sees a link to the administration`);
      for (const path of ['/admin', '/admin/centers', `/admin/centers/${center.id}`, '/admin/registry']) {
        const refused = await page.goto(path);
        assert.equal(refused!.status(), 403, `${role} ${path}`);
        assert.equal(await text(page, '.notice.error'), tr('zh-CN', 'errors:forbidden'));
      }
      await assertAccessible(page, `403 for a ${role}`);
    }

    const resident = await signIn(t.api);
    const page = await open();
    await page.context().addCookies([{ name: 'civic_session', value: resident.token, url: t.url }]);
    for (const path of ['/staff', '/admin']) {
      const answer = await page.goto(path);
      assert.equal(answer!.status(), 200, path);
      assert.equal(pathOf(page), `/staff/sign-in?next=${encodeURIComponent(path)}`);
      assert.equal(await text(page, 'h1'), tr('zh-CN', 'staff:sign_in.title'));
    }
  });

  it('admin forms posted without their CSRF token are refused with 403 and change nothing', async () => {
    const { center } = await createCenter(t.dataSource);
    const clerk = await createStaff(t, { role: 'clerk', center });
    const page = await adminPage();
    await page.goto(`/admin/centers/${center.id}`);
    const request = page.context().request;
    const centersBefore = await count('center');
    const registryBefore = await count('registry_entry');
    const code = `CSRF-${process.pid}`;
    const forms: Array<[string, Record<string, string>]> = [
      ['/admin/centers', { code, name_zh: '中心', name_en: 'Center', address_zh: '地址', address_en: 'Address', slotMinutes: '15', bookingWindowDays: '14' }],
      [`/admin/centers/${center.id}`, { code: center.code, name_zh: 'x', name_en: 'x', address_zh: 'x', address_en: 'x', slotMinutes: '30', bookingWindowDays: '14' }],
      [`/admin/centers/${center.id}/hours`, { opens_1_0: '08:00', closes_1_0: '09:00', counters_1_0: '1' }],
      [`/admin/centers/${center.id}/closures`, { from: '2099-01-01', reason: 'x' }],
      ['/admin/services', { code, name_zh: 'x', name_en: 'x', leadTimeHours: '0' }],
      ['/admin/staff', { username: `csrf.${process.pid}`, password: STAFF_PASSWORD, role: 'admin' }],
      [`/admin/centers/${center.id}/services`, {}],
      [`/admin/staff/${clerk.staffId}/disabled`, { disabled: 'true' }],
      [`/admin/staff/${clerk.staffId}/password`, { password: 'a new password for the clerk' }],
    ];
    for (const [path, form] of forms) {
      assert.equal((await request.post(path, { form, maxRedirects: 0 })).status(), 403, path);
      assert.equal((await request.post(path, { form: { ...form, _csrf: 'not-the-token' }, maxRedirects: 0 })).status(), 403, `${path} (wrong token)`);
    }
    const upload = await request.post('/admin/registry', { multipart: { mode: 'valid-lines', file: { name: 'r.csv', mimeType: 'text/csv', buffer: Buffer.from(`${newIdNumber()},${newPhone()}\n`) } }, maxRedirects: 0 });
    assert.equal(upload.status(), 403, 'registry upload');
    assert.equal(await count('center'), centersBefore);
    assert.equal(await count('service', `code = '${code}'`), 0);
    assert.equal(await count('staff', `username = 'csrf.${process.pid}'`), 0);
    assert.equal(await count('opening_hours', `center_id = '${center.id}'`), 7, 'the hours changed');
    assert.equal(await count('center_service', `center_id = '${center.id}'`), 1, 'the services offered changed');
    assert.equal((await postStaffLogin(t, { username: clerk.username, password: clerk.password })).status, 200, 'the clerk was disabled or got a new password');
    assert.equal(await count('registry_entry'), registryBefore, 'the upload imported');
    const [slotMinutes] = (await t.dataSource.query('SELECT slot_minutes FROM center WHERE id = $1', [center.id])) as Array<{ slot_minutes: number }>;
    assert.equal(slotMinutes!.slot_minutes, 15);

    // With the page's token the same post goes through.
    const token = await page.locator('form[action$="/closures"] input[name="_csrf"]').inputValue();
    const accepted = await request.post(`/admin/centers/${center.id}/closures`, { form: { from: '2099-01-01', reason: 'x', _csrf: token }, maxRedirects: 0 });
    assert.equal(accepted.status(), 303);
  });

  async function count(table: string, where = 'true'): Promise<number> {
    const [row] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`)) as Array<{ n: number }>;
    return row!.n;
  }
});
