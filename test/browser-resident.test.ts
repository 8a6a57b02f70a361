/**
 * The resident's pages in a real browser (Debian's Chromium through playwright-core): the
 * booking path in Chinese and English on a phone-sized screen, without JavaScript, by
 * keyboard only, with axe on every page; a lost session; field errors; and CSRF on every
 * resident form (that part needs no browser).
 *
 * UPDATE_SCREENSHOTS=1 saves docs/screenshots/resident-done.png; nothing is written otherwise.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Center } from '../src/centers/center.entity';
import { Service } from '../src/centers/service.entity';
import { I18nService, Language } from '../src/i18n/i18n.service';
import { Slot } from '../src/slots/slot.entity';
import { assertAccessible, browserSkipReason, expectFocus, launchBrowser, newContext, PHONE_VIEWPORT } from './support/browser';
import { createCenter, createSlot } from './support/factories';
import { ApiResponse } from './support/http';
import { newIdNumber, newPhone } from './support/identities';
import { latestCode, signIn } from './support/residents';
import { maskedId, maskedPhone, staffLogin } from './support/staff';
import { startTestApp, TestApp } from './support/test-app';

const SCREENSHOT = join(__dirname, '..', '..', 'docs', 'screenshots', 'resident-done.png');
const ZONE = 'Asia/Shanghai';

const i18n = new I18nService();
const tr = (lang: Language, key: string, options?: Record<string, unknown>): string => i18n.t(lang, key, options);

interface Resident {
  idNumber: string;
  phone: string;
}

const newResident = (): Resident => ({ idNumber: newIdNumber(), phone: newPhone() });

/** A center of its own for each test (counters stay the test's), with two slots on two days. */
interface Fixture {
  center: Center;
  service: Service;
  first: Slot;
  second: Slot;
}

async function bookableCenter(t: TestApp): Promise<Fixture> {
  const { center, service } = await createCenter(t.dataSource);
  const first = await createSlot(t.dataSource, center.id, { hoursFromNow: 48, capacity: 3 });
  const second = await createSlot(t.dataSource, center.id, { hoursFromNow: 72, capacity: 3 });
  return { center, service, first, second };
}

const localDay = (slot: Slot): string => DateTime.fromJSDate(slot.startsAt, { zone: ZONE }).toISODate()!;

/** The slots page's heading date, as the page formats it. */
function dayLabel(lang: Language, day: string): string {
  return DateTime.fromISO(`${day}T12:00:00+08:00`, { zone: ZONE })
    .setLocale(lang === 'zh-CN' ? 'zh-CN' : 'en-GB')
    .toFormat(lang === 'en' ? 'cccc d LLLL' : 'M月d日 cccc');
}

const pathOf = (page: Page): string => {
  const url = new URL(page.url());
  return `${url.pathname}${url.search}`;
};

async function bookedCount(t: TestApp, slotId: string): Promise<number> {
  const [row] = (await t.dataSource.query('SELECT booked FROM slot WHERE id = $1', [slotId])) as Array<{ booked: number }>;
  return row!.booked;
}

async function appointmentRow(t: TestApp, id: string): Promise<{ status: string; slot_id: string; reference: string }> {
  const [row] = (await t.dataSource.query('SELECT status, slot_id, reference FROM appointment WHERE id = $1', [id])) as Array<{ status: string; slot_id: string; reference: string }>;
  assert.ok(row, `no appointment ${id}`);
  return row;
}

/** Clicks (or presses) and waits until the browser is on a page whose path and query match. */
async function follow(page: Page, selector: string, to: RegExp): Promise<void> {
  await Promise.all([page.waitForURL((url) => to.test(`${url.pathname}${url.search}`)), page.locator(selector).first().click()]);
}

async function text(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** The page is in this language and has this main heading. */
async function expectPage(page: Page, lang: Language, heading: string): Promise<void> {
  assert.equal(await page.getAttribute('html', 'lang'), lang, `language of ${pathOf(page)}`);
  assert.equal(await text(page, 'main h1'), heading, `heading of ${pathOf(page)}`);
  assert.equal(await page.title(), `${heading} · ${tr(lang, 'common:app_name')}`, `title of ${pathOf(page)}`);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function sessionCookie(context: BrowserContext): Promise<string | undefined> {
  return (await context.cookies()).find((c) => c.name === 'civic_session')?.value;
}

/** With BROWSER_DEBUG_DIR set (debugging only), a full-page screenshot there; nothing otherwise. */
async function debugShot(page: Page, name: string): Promise<void> {
  const dir = process.env.BROWSER_DEBUG_DIR;
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true }).catch(() => undefined);
}

/** A failing page is kept as a screenshot when BROWSER_DEBUG_DIR is set. */
async function onFailure(page: Page, name: string, error: unknown): Promise<never> {
  await debugShot(page, `failed-${name}`);
  throw error;
}

describe('resident pages in the browser', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: Browser;

  before(async () => {
    t = await startTestApp();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(options: Parameters<typeof newContext>[2] = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await newContext(browser, t.url, options);
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    return { context, page };
  }

  /** Home → center → service → day → slot: ends on the sign-in page (or confirm, if signed in). */
  async function walkToSlot(page: Page, lang: Language, f: Fixture, slot: Slot): Promise<void> {
    const c = encodeURIComponent(f.center.code);
    const s = encodeURIComponent(f.service.code);
    await page.goto('/');
    await expectPage(page, lang, tr(lang, 'resident:home.title'));
    await follow(page, `a[href="/book/${c}"]`, new RegExp(`^/book/${escape(c)}$`));
    await expectPage(page, lang, tr(lang, 'resident:services.title'));
    assert.match(await text(page, 'main'), new RegExp(escape(lang === 'en' ? 'Resident identity card (original)' : '居民身份证原件')), 'documents to bring');
    await follow(page, `a[href="/book/${c}/${s}"]`, new RegExp(`^/book/${escape(c)}/${escape(s)}$`));
    await chooseDayAndSlot(page, lang, f, slot);
  }

  /** On the day calendar: the slot's day, then the slot. */
  async function chooseDayAndSlot(page: Page, lang: Language, f: Fixture, slot: Slot, reschedule?: string): Promise<void> {
    const c = encodeURIComponent(f.center.code);
    const s = encodeURIComponent(f.service.code);
    const q = reschedule ? `?reschedule=${reschedule}` : '';
    await expectPage(page, lang, tr(lang, 'resident:days.title'));
    const day = localDay(slot);
    const dayLink = `a.day.open[href="/book/${c}/${s}/${day}${q}"]`;
    assert.equal(await text(page, `${dayLink} .places`), tr(lang, 'resident:days.places', { count: slot.capacity - (await bookedCount(t, slot.id)) }));
    assert.ok((await page.locator('.day.full').count()) > 0, 'days without places are shown as full');
    await follow(page, dayLink, new RegExp(`^/book/${escape(c)}/${escape(s)}/${day}${escape(q)}$`));
    await expectPage(page, lang, tr(lang, 'resident:slots.title', { date: dayLabel(lang, day) }));
    await follow(page, `a.slot[href*="slot=${slot.id}"]`, /^\/(confirm|sign-in)\?/);
  }

  /** On the sign-in page: ID number and phone, the code from the outbox, back where we were. */
  async function signInHere(page: Page, lang: Language, who: Resident, next: RegExp): Promise<void> {
    assert.match(pathOf(page), /^\/sign-in\?next=/);
    await expectPage(page, lang, tr(lang, 'resident:sign_in.title'));
    await page.locator('#idNumber').fill(who.idNumber);
    await page.locator('#phone').fill(who.phone);
    await follow(page, 'form[action="/sign-in"] button[type="submit"]', /^\/sign-in\/code$/);
    await expectPage(page, lang, tr(lang, 'resident:code.title'));
    assert.match(await text(page, 'main'), new RegExp(escape(tr(lang, 'resident:code.sent_to', { phone: maskedPhone(who.phone) }))), 'the masked phone');
    assert.doesNotMatch(await page.content(), new RegExp(who.phone), 'the full phone number is never shown');
    await page.locator('#code').fill(await latestCode(t.api, who.phone));
    await follow(page, 'form[action="/sign-in/code"] button[type="submit"]', next);
  }

  /** On the confirm page: the details, then the button; ends on the done page. */
  async function confirmHere(page: Page, lang: Language, f: Fixture, slot: Slot): Promise<string> {
    await expectPage(page, lang, tr(lang, 'resident:confirm.title'));
    const summary = await text(page, 'main');
    assert.match(summary, new RegExp(escape(lang === 'en' ? f.center.nameEn : f.center.nameZh)));
    assert.match(summary, new RegExp(escape(lang === 'en' ? f.service.nameEn : f.service.nameZh)));
    assert.match(summary, new RegExp(escape(DateTime.fromJSDate(slot.startsAt, { zone: ZONE }).toFormat('HH:mm'))));
    assert.equal(await text(page, 'form[action="/confirm"] button[type="submit"]'), tr(lang, 'resident:confirm.submit'));
    await follow(page, 'form[action="/confirm"] button[type="submit"]', /^\/appointments\/[0-9a-f-]{36}\/done$/);
    return pathOf(page).split('/')[2]!;
  }

  /** On the done page: reference = the API's, the QR image loads, the .ics answers text/calendar. */
  async function checkDonePage(page: Page, context: BrowserContext, lang: Language, appointmentId: string): Promise<string> {
    await expectPage(page, lang, tr(lang, 'resident:done.title'));
    const reference = await text(page, '.reference');
    const token = await sessionCookie(context);
    assert.ok(token, 'the browser holds a session cookie');
    const cookie = (await context.cookies()).find((c) => c.name === 'civic_session')!;
    assert.equal(cookie.httpOnly, true, 'the session cookie is HttpOnly');
    assert.equal(cookie.sameSite, 'Lax', 'the session cookie is SameSite=Lax');
    const mine = await t.api.get('/api/v1/me/appointments', { headers: { cookie: `civic_session=${token}` } });
    assert.equal(mine.status, 200, mine.text);
    const listed = (mine.body as Array<{ id: string; reference: string; status: string }>).find((a) => a.id === appointmentId);
    assert.ok(listed, 'the API lists the appointment');
    assert.equal(reference, listed.reference, 'the reference shown is the one the API answers');
    assert.equal(listed.status, 'booked');
    const qr = page.locator('img.qr');
    assert.equal(await qr.getAttribute('alt'), tr(lang, 'resident:done.qr_alt', { reference }));
    const qrWidth = await qr.evaluate((img: any) => (img.complete ? (img.naturalWidth as number) : 0));
    assert.ok(qrWidth > 0, 'the QR image loads');
    const ics = page.locator('main a[href$="/calendar.ics"]').first();
    assert.equal((await ics.textContent())?.trim(), tr(lang, 'resident:done.add_to_calendar'));
    const calendar = await page.request.get((await ics.getAttribute('href'))!);
    assert.equal(calendar.status(), 200);
    assert.match(calendar.headers()['content-type'] ?? '', /^text\/calendar/);
    const body = await calendar.text();
    assert.match(body, /^BEGIN:VCALENDAR/);
    assert.match(body, new RegExp(reference));
    return reference;
  }

  /**
   * The whole path: book, then change the time through the same day/slot pages, then cancel,
   * checking the pages and the slot counters. `switchLanguage`: start in the browser's
   * language and use the header link, then every later page must stay in `lang`.
   */
  async function bookRescheduleCancel(lang: Language, options: { locale?: string; switchLanguage?: boolean; javaScriptEnabled?: boolean; screenshot?: boolean } = {}): Promise<void> {
    const f = await bookableCenter(t);
    const who = newResident();
    const javaScript = options.javaScriptEnabled ?? true;
    const { context, page } = await open({ locale: options.locale ?? lang, javaScriptEnabled: javaScript });
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void (dialogs.length === 1 ? dialog.dismiss() : dialog.accept());
    });
    try {
      if (options.switchLanguage) {
        await page.goto('/');
        const other: Language = lang === 'en' ? 'zh-CN' : 'en';
        await expectPage(page, other, tr(other, 'resident:home.title'));
        const switchLink = page.locator(`header a[href^="/lang/${lang}"]`);
        assert.equal((await switchLink.textContent())?.trim(), tr(other, 'common:language.switch_to'));
        assert.equal(await switchLink.getAttribute('lang'), lang, 'the switch names the language in that language');
        await follow(page, `header a[href^="/lang/${lang}"]`, /^\/$/);
        await expectPage(page, lang, tr(lang, 'resident:home.title'));
        const remembered = (await context.cookies()).find((c) => c.name === 'civic_lang');
        assert.equal(remembered?.value, lang, 'the choice is kept in a cookie');
        assert.ok(remembered.expires > Date.now() / 1000 + 300 * 86_400, 'for a long time');
      }

      // Book.
      await walkToSlot(page, lang, f, f.first);
      assert.match(pathOf(page), /^\/sign-in\?next=%2Fconfirm%3F/, 'confirming needs a sign-in, which remembers the way back');
      await signInHere(page, lang, who, /^\/confirm\?/);
      assert.equal(pathOf(page), `/confirm?slot=${f.first.id}&service=${f.service.id}`);
      const id = await confirmHere(page, lang, f, f.first);
      const reference = await checkDonePage(page, context, lang, id);
      assert.equal(await bookedCount(t, f.first.id), 1);
      if (options.screenshot && process.env.UPDATE_SCREENSHOTS === '1') {
        mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
        await page.screenshot({ path: SCREENSHOT, fullPage: true });
      }

      // Change the time: My appointments → "change time" → the same day and slot pages.
      await follow(page, 'main a[href="/me/appointments"]', /^\/me\/appointments$/);
      await expectPage(page, lang, tr(lang, 'resident:appointments.title'));
      const card = page.locator('article.appointment', { hasText: reference });
      assert.equal(await card.locator('.badge').first().textContent(), tr(lang, 'common:status.booked'));
      await follow(page, `a[href="/book/${encodeURIComponent(f.center.code)}/${encodeURIComponent(f.service.code)}?reschedule=${id}"]`, /^\/book\/.*\?reschedule=/);
      await chooseDayAndSlot(page, lang, f, f.second, id);
      assert.equal(pathOf(page), `/confirm?slot=${f.second.id}&service=${f.service.id}&reschedule=${id}`);
      await expectPage(page, lang, tr(lang, 'resident:confirm.title'));
      assert.equal(await text(page, 'form[action="/confirm"] button[type="submit"]'), tr(lang, 'resident:confirm.reschedule_submit'));
      await follow(page, 'form[action="/confirm"] button[type="submit"]', /^\/me\/appointments\?rescheduled=1$/);
      await expectPage(page, lang, tr(lang, 'resident:appointments.title'));
      assert.equal(await text(page, '.notice.success'), tr(lang, 'resident:appointments.rescheduled'));
      assert.deepEqual([await bookedCount(t, f.first.id), await bookedCount(t, f.second.id)], [0, 1], 'the old place is freed, the new one taken');
      const moved = await appointmentRow(t, id);
      assert.deepEqual([moved.status, moved.slot_id, moved.reference], ['booked', f.second.id, reference], 'the same appointment, at the new time');
      assert.match(await text(page, `article.appointment`), new RegExp(escape(DateTime.fromJSDate(f.second.startsAt, { zone: ZONE }).toFormat('HH:mm'))));

      // Cancel. With JavaScript the browser asks first; "no" keeps the appointment.
      const cancel = `form[action="/me/appointments/${id}/cancel"] button[type="submit"]`;
      if (javaScript) {
        await page.locator(cancel).click();
        await page.waitForTimeout(300);
        assert.deepEqual(dialogs, [tr(lang, 'resident:appointments.cancel_confirm', { reference })]);
        assert.equal(pathOf(page), '/me/appointments?rescheduled=1', 'dismissing the question keeps the page');
        assert.equal((await appointmentRow(t, id)).status, 'booked');
      }
      await follow(page, cancel, /^\/me\/appointments\?cancelled=1$/);
      assert.equal(dialogs.length, javaScript ? 2 : 0);
      await expectPage(page, lang, tr(lang, 'resident:appointments.title'));
      assert.equal(await text(page, '.notice.success'), tr(lang, 'resident:appointments.cancelled'));
      assert.equal(await text(page, 'article.appointment .badge'), tr(lang, 'common:status.cancelled'));
      assert.equal(await page.locator(cancel).count(), 0, 'a cancelled appointment has no cancel button');
      assert.equal((await appointmentRow(t, id)).status, 'cancelled');
      assert.deepEqual([await bookedCount(t, f.first.id), await bookedCount(t, f.second.id)], [0, 0], 'the place is free again');
    } catch (error) {
      await onFailure(page, `book-${lang}-${javaScript ? 'js' : 'nojs'}`, error);
    } finally {
      await context.close();
    }
  }

  it('(a) books, changes the time and cancels in Chinese on a 390×844 screen', async () => {
    await bookRescheduleCancel('zh-CN', { screenshot: true });
  });

  it('(b) books, changes the time and cancels in English, chosen with the header link and remembered', async () => {
    await bookRescheduleCancel('en', { locale: 'zh-CN', switchLanguage: true });
  });

  it('(b) English from Accept-Language, and the switch back to Chinese is remembered', async () => {
    const { context, page } = await open({ locale: 'en-GB' });
    try {
      await page.goto('/privacy');
      await expectPage(page, 'en', tr('en', 'resident:privacy.title'));
      await follow(page, 'header a[href^="/lang/zh-CN"]', /^\/privacy$/);
      await expectPage(page, 'zh-CN', tr('zh-CN', 'resident:privacy.title'));
      await follow(page, 'header a[href="/"]', /^\/$/);
      await expectPage(page, 'zh-CN', tr('zh-CN', 'resident:home.title'));
      // The choice outlives a new page load and beats Accept-Language.
      await page.goto('/sign-in');
      await expectPage(page, 'zh-CN', tr('zh-CN', 'resident:sign_in.title'));
    } catch (error) {
      await onFailure(page, 'lang-switch', error);
    } finally {
      await context.close();
    }
  });

  it('(c) books with JavaScript disabled, and cancels without a question', async () => {
    await bookRescheduleCancel('zh-CN', { javaScriptEnabled: false });
  });

  it('(c) the code page works without JavaScript: a new code, the old one no longer counts', async () => {
    const f = await bookableCenter(t);
    const who = newResident();
    const { context, page } = await open({ javaScriptEnabled: false });
    try {
      await page.goto(`/confirm?slot=${f.first.id}&service=${f.service.id}`);
      await page.locator('#idNumber').fill(who.idNumber);
      await page.locator('#phone').fill(who.phone);
      await follow(page, 'form[action="/sign-in"] button[type="submit"]', /^\/sign-in\/code$/);
      const oldCode = await latestCode(t.api, who.phone);
      const resend = page.locator('form[action="/sign-in/resend"] button');
      assert.equal(await resend.isDisabled(), false);
      await follow(page, 'form[action="/sign-in/resend"] button', /^\/sign-in\/code\?resent=1$/);
      assert.equal(await text(page, '.notice.success'), tr('zh-CN', 'resident:code.resent'));
      const newCode = await latestCode(t.api, who.phone);
      await page.locator('#code').fill(newCode === oldCode ? '000000' : oldCode);
      await page.locator('form[action="/sign-in/code"] button[type="submit"]').click();
      await page.waitForLoadState();
      assert.equal(await page.locator('#code').getAttribute('aria-invalid'), 'true', 'the old code is refused');
      await page.locator('#code').fill(newCode);
      await follow(page, 'form[action="/sign-in/code"] button[type="submit"]', /^\/confirm\?/);
      await confirmHere(page, 'zh-CN', f, f.first);
    } catch (error) {
      await onFailure(page, 'nojs-resend', error);
    } finally {
      await context.close();
    }
  });

  it('(d) keyboard only: from the start page through sign-in and confirm to the done page', async () => {
    const f = await bookableCenter(t);
    const who = newResident();
    const { context, page } = await open();
    const c = encodeURIComponent(f.center.code);
    const s = encodeURIComponent(f.service.code);
    try {
      await page.goto('/');
      // The first Tab reaches the skip link, visible when focused; Enter moves past the header.
      let at = await press(page, 'Tab');
      assert.equal(at.href, '#main', 'the first stop is the skip link');
      const box = await page.locator('.skip-link').boundingBox();
      assert.ok(box && box.x >= 0 && box.y >= 0 && box.width > 0, 'the skip link shows when focused');
      await press(page, 'Enter');
      await tabTo(page, (e) => e.href === `/book/${c}`, 'the center');
      await debugShot(page, 'keyboard-center-focused');
      await enter(page, new RegExp(`^/book/${escape(c)}$`));
      await tabTo(page, (e) => e.href === `/book/${c}/${s}`, 'the service');
      await enter(page, new RegExp(`^/book/${escape(c)}/${escape(s)}$`));
      await tabTo(page, (e) => e.href === `/book/${c}/${s}/${localDay(f.first)}`, 'the day');
      await debugShot(page, 'keyboard-day-focused');
      await enter(page, /\/\d{4}-\d{2}-\d{2}$/);
      await tabTo(page, (e) => (e.href ?? '').includes(`slot=${f.first.id}`), 'the slot');
      await debugShot(page, 'keyboard-slot-focused');
      await enter(page, /^\/sign-in\?next=/);

      // Sign-in: type into the fields, Enter submits.
      at = await tabTo(page, (e) => e.id === 'idNumber', 'the ID number field');
      await page.keyboard.type(who.idNumber);
      at = await press(page, 'Tab');
      assert.equal(at.id, 'phone', 'Tab goes from the ID number to the phone');
      await page.keyboard.type(who.phone);
      await enter(page, /^\/sign-in\/code$/);
      await expectFocus(page, 'code', 'the code field has the focus');
      at = await focused(page);
      await page.keyboard.type(await latestCode(t.api, who.phone));
      await enter(page, /^\/confirm\?/);

      // Confirm: Shift+Tab from the top wraps to the end of the page and back to the button; Space presses it.
      await expectPage(page, 'zh-CN', tr('zh-CN', 'resident:confirm.title'));
      at = await tabTo(page, (e) => e.tag === 'button' && e.action === '/confirm', 'the confirm button', 'Shift+Tab');
      await debugShot(page, 'keyboard-confirm-focused');
      await Promise.all([page.waitForURL(/\/appointments\/[0-9a-f-]{36}\/done$/), page.keyboard.press('Space')]);
      await expectPage(page, 'zh-CN', tr('zh-CN', 'resident:done.title'));
      assert.equal(await bookedCount(t, f.first.id), 1);
      // And onwards by keyboard: to my appointments.
      await tabTo(page, (e) => e.href === '/me/appointments' && e.inMain, 'my appointments');
      await enter(page, /^\/me\/appointments$/);
      assert.match(await text(page, 'article.appointment'), new RegExp(escape(tr('zh-CN', 'common:status.booked'))));
    } catch (error) {
      await onFailure(page, 'keyboard', error);
    } finally {
      await context.close();
    }
  });

  // Chinese on the narrowest phone the issue names (360 px), English on 390×844.
  for (const [lang, viewport] of [['zh-CN', { width: 360, height: 740 }], ['en', PHONE_VIEWPORT]] as const) {
    it(`(e) axe finds no serious or critical violation on any resident page (${lang}, ${viewport.width}×${viewport.height}), nor a page wider than the screen`, async () => {
      const f = await bookableCenter(t);
      const who = newResident();
      const { context, page } = await open({ locale: lang, viewport });
      const c = encodeURIComponent(f.center.code);
      const s = encodeURIComponent(f.service.code);
      const checked: string[] = [];
      const check = async (heading: string): Promise<void> => {
        await expectPage(page, lang, heading);
        checked.push(pathOf(page).split('?')[0]!);
        await debugShot(page, `${lang}-${String(checked.length).padStart(2, '0')}-${checked.at(-1)!.split('/')[1] || 'home'}`);
        await assertAccessible(page, `${pathOf(page)} (${lang})`);
        const widths = await page.evaluate(() => {
          const root = (globalThis as any).document.documentElement;
          return { scroll: root.scrollWidth as number, client: root.clientWidth as number };
        });
        assert.ok(widths.scroll <= widths.client, `${pathOf(page)} scrolls sideways at ${viewport.width} px (${widths.scroll} > ${widths.client})`);
      };
      try {
        await page.goto('/');
        await check(tr(lang, 'resident:home.title'));
        await page.goto(`/book/${c}`);
        await check(tr(lang, 'resident:services.title'));
        await page.goto(`/book/${c}/${s}`);
        await check(tr(lang, 'resident:days.title'));
        await page.goto(`/book/${c}/${s}/${localDay(f.first)}`);
        await check(tr(lang, 'resident:slots.title', { date: dayLabel(lang, localDay(f.first)) }));
        await page.goto(`/confirm?slot=${f.first.id}&service=${f.service.id}`);
        await check(tr(lang, 'resident:sign_in.title'));
        // The sign-in form with its field errors.
        await page.locator('#idNumber').fill('123');
        await page.locator('#phone').fill('12');
        await page.locator('form[action="/sign-in"] button[type="submit"]').click();
        await page.waitForSelector('#idNumber[aria-invalid="true"]');
        await check(tr(lang, 'resident:sign_in.title'));
        await page.locator('#idNumber').fill(who.idNumber);
        await page.locator('#phone').fill(who.phone);
        await follow(page, 'form[action="/sign-in"] button[type="submit"]', /^\/sign-in\/code$/);
        await check(tr(lang, 'resident:code.title'));
        // The code page with a wrong code.
        const code = await latestCode(t.api, who.phone);
        await page.locator('#code').fill(code === '000000' ? '111111' : '000000');
        await page.locator('form[action="/sign-in/code"] button[type="submit"]').click();
        await page.waitForSelector('#code[aria-invalid="true"]');
        await check(tr(lang, 'resident:code.title'));
        await page.locator('#code').fill(code);
        await follow(page, 'form[action="/sign-in/code"] button[type="submit"]', /^\/confirm\?/);
        await check(tr(lang, 'resident:confirm.title'));
        await follow(page, 'form[action="/confirm"] button[type="submit"]', /\/done$/);
        await check(tr(lang, 'resident:done.title'));
        await page.goto('/me/appointments');
        await check(tr(lang, 'resident:appointments.title'));
        await page.goto('/me/data');
        await check(tr(lang, 'resident:my_data.title'));
        await page.goto('/privacy');
        await check(tr(lang, 'resident:privacy.title'));
        const missing = await page.goto('/book/NO-SUCH-CENTER');
        assert.equal(missing?.status(), 404);
        assert.equal(await text(page, 'main [role="alert"]'), tr(lang, 'errors:not_found'));
        await check(tr(lang, 'common:error_title'));
        // A day without places.
        await page.goto(`/book/${c}/${s}/${DateTime.fromJSDate(f.first.startsAt, { zone: ZONE }).plus({ days: 5 }).toISODate()}`);
        await check(tr(lang, 'resident:slots.title', { date: dayLabel(lang, DateTime.fromJSDate(f.first.startsAt, { zone: ZONE }).plus({ days: 5 }).toISODate()!) }));
        assert.equal(checked.length, 15, checked.join(' '));
      } catch (error) {
        await onFailure(page, `axe-${lang}`, error);
      } finally {
        await context.close();
      }
    });
  }

  it('(f) a lost session: sign in again and come back to the page (session row deleted, then cookie cleared); signing out', async () => {
    const who = newResident();
    const { context, page } = await open();
    try {
      await page.goto('/me/appointments');
      assert.equal(pathOf(page), '/sign-in?next=%2Fme%2Fappointments');
      await signInHere(page, 'zh-CN', who, /^\/me\/appointments$/);
      await expectPage(page, 'zh-CN', tr('zh-CN', 'resident:appointments.title'));

      // The session ends on the server (row deleted).
      const token = await sessionCookie(context);
      assert.ok(token);
      // TypeORM answers a DELETE with [rows, affected].
      const [, deleted] = (await t.dataSource.query('DELETE FROM session WHERE token_hash = $1', [createHash('sha256').update(token).digest()])) as [unknown[], number];
      assert.equal(deleted, 1, 'the session row is found by its token hash');
      await page.goto('/me/appointments');
      assert.equal(pathOf(page), '/sign-in?next=%2Fme%2Fappointments');
      await signInHere(page, 'zh-CN', who, /^\/me\/appointments$/);
      await expectPage(page, 'zh-CN', tr('zh-CN', 'resident:appointments.title'));

      // The cookie is gone from the browser.
      await context.clearCookies({ name: 'civic_session' });
      await page.goto('/me/data');
      assert.equal(pathOf(page), '/sign-in?next=%2Fme%2Fdata');
      await signInHere(page, 'zh-CN', who, /^\/me\/data$/);
      await expectPage(page, 'zh-CN', tr('zh-CN', 'resident:my_data.title'));

      // Signing out (the header button) ends the session on the server too.
      const last = await sessionCookie(context);
      await follow(page, 'header form[action="/sign-out"] button[type="submit"]', /^\/$/);
      assert.equal(await sessionCookie(context), undefined, 'the cookie is gone');
      assert.equal((await t.api.get('/api/v1/me', { headers: { cookie: `civic_session=${last}` } })).status, 401, 'and the session with it');
      assert.equal(await page.locator('header form[action="/sign-out"]').count(), 0, 'no sign-out button when signed out');
    } catch (error) {
      await onFailure(page, 'lost-session', error);
    } finally {
      await context.close();
    }
  });

  it('(f) a session lost on the confirm page: signing in again returns to it, and it books once', async () => {
    const f = await bookableCenter(t);
    const who = newResident();
    const { context, page } = await open();
    try {
      await page.goto(`/confirm?slot=${f.first.id}&service=${f.service.id}`);
      await signInHere(page, 'zh-CN', who, /^\/confirm\?/);
      await expectPage(page, 'zh-CN', tr('zh-CN', 'resident:confirm.title'));
      const token = await sessionCookie(context);
      await t.dataSource.query('DELETE FROM session WHERE token_hash = $1', [createHash('sha256').update(token!).digest()]);
      await follow(page, 'form[action="/confirm"] button[type="submit"]', /^\/sign-in\?next=/);
      assert.equal(pathOf(page), `/sign-in?next=${encodeURIComponent(`/confirm?slot=${f.first.id}&service=${f.service.id}`)}`);
      assert.equal(await bookedCount(t, f.first.id), 0, 'nothing was booked without a session');
      await signInHere(page, 'zh-CN', who, /^\/confirm\?/);
      await confirmHere(page, 'zh-CN', f, f.first);
      assert.equal(await bookedCount(t, f.first.id), 1);
    } catch (error) {
      await onFailure(page, 'lost-session-confirm', error);
    } finally {
      await context.close();
    }
  });

  it('proxy pickup: named on the confirm page (one’s own ID refused at the field), shown masked on My appointments, removed again; axe clean', async () => {
    const f = await bookableCenter(t);
    const who = newResident();
    const proxy = newIdNumber();
    const { context, page } = await open({ locale: 'en' });
    try {
      await page.goto(`/confirm?slot=${f.first.id}&service=${f.service.id}`);
      await signInHere(page, 'en', who, /^\/confirm\?/);
      await page.locator('#proxyIdNumber').fill(who.idNumber);
      await page.locator('form[action="/confirm"] button[type="submit"]').click();
      await page.waitForSelector('#proxyIdNumber-error');
      assert.equal(await text(page, '#proxyIdNumber-error'), tr('en', 'errors:proxy_is_resident'));
      assert.equal(await page.locator('#proxyIdNumber').getAttribute('aria-invalid'), 'true');
      assert.equal(await bookedCount(t, f.first.id), 0, 'nothing was booked');
      await assertAccessible(page, 'confirm (proxy refused)');

      await page.locator('#proxyIdNumber').fill(proxy.toLowerCase());
      await follow(page, 'form[action="/confirm"] button[type="submit"]', /^\/appointments\/[0-9a-f-]{36}\/done$/);
      await page.goto('/me/appointments');
      assert.match(await text(page, 'main'), new RegExp(`${escape(tr('en', 'resident:appointments.proxy'))} ${escape(maskedId(proxy))}`));
      assert.ok(!(await page.content()).includes(proxy), 'the plain proxy ID is on the page');
      await assertAccessible(page, 'my appointments (with a proxy)');
      await follow(page, 'form[action$="/proxy/remove"] button[type="submit"]', /^\/me\/appointments\?proxy_removed=1$/);
      assert.match(await text(page, '.notice.success'), new RegExp(escape(tr('en', 'resident:appointments.proxy_removed'))));
      assert.doesNotMatch(await text(page, 'main'), new RegExp(escape(maskedId(proxy))));
      const [{ n }] = (await t.dataSource.query('SELECT count(*)::int AS n FROM appointment_proxy p JOIN appointment a ON a.id = p.appointment_id WHERE a.slot_id = $1', [f.first.id])) as Array<{ n: number }>;
      assert.equal(n, 0);
    } catch (error) {
      await onFailure(page, 'proxy-pickup', error);
    } finally {
      await context.close();
    }
  });

  it('My data: masked numbers, who looked, the export, and erasing only after ticking "I understand"', async () => {
    const f = await bookableCenter(t);
    const who = newResident();
    const { context, page } = await open();
    page.on('dialog', (dialog) => void dialog.accept());
    try {
      await page.goto(`/confirm?slot=${f.first.id}&service=${f.service.id}`);
      await signInHere(page, 'zh-CN', who, /^\/confirm\?/);
      const id = await confirmHere(page, 'zh-CN', f, f.first);
      const reference = await text(page, '.reference');
      // A clerk looks the appointment up: the resident sees it in the access log.
      const clerk = await staffLogin(t, { role: 'clerk', center: f.center });
      const lookup = await t.api.get(`/api/v1/staff/appointments/by-reference/${reference}`, { token: clerk.token });
      assert.equal(lookup.status, 200, lookup.text);

      await follow(page, 'header a[href="/me/data"]', /^\/me\/data$/);
      await expectPage(page, 'zh-CN', tr('zh-CN', 'resident:my_data.title'));
      const main = await text(page, 'main');
      assert.ok(main.includes(maskedId(who.idNumber)) && main.includes(maskedPhone(who.phone)), 'the masked ID number and phone');
      assert.ok(!main.includes(who.idNumber) && !main.includes(who.phone), 'never the whole numbers');
      const row = await text(page, 'main table tbody tr');
      assert.ok(row.includes(tr('zh-CN', 'resident:my_data.actions.appointment.lookup')) && row.includes(tr('zh-CN', 'resident:my_data.roles.clerk')), `access log: ${row}`);

      const exported = await page.request.get((await page.locator('a[href="/api/v1/me/export"]').getAttribute('href'))!);
      assert.equal(exported.status(), 200);
      assert.match(exported.headers()['content-type'] ?? '', /^application\/json/);
      const data = (await exported.json()) as { resident: { idNumber: string }; appointments: Array<{ reference: string }> };
      assert.equal(data.resident.idNumber, who.idNumber);
      assert.deepEqual(data.appointments.map((a) => a.reference), [reference]);

      // Erasing asks for the tick first: the browser holds the form back, and so does the server.
      const erase = 'form[action="/me/data/erase"] button[type="submit"]';
      await page.locator(erase).click();
      assert.equal(pathOf(page), '/me/data', 'the browser does not send the form without the tick');
      assert.equal(await page.locator('#erase-understood').evaluate((el: any) => el.validity.valueMissing as boolean), true);
      await page.locator('#erase-understood').evaluate((el: any) => el.removeAttribute('required'));
      await follow(page, erase, /^\/me\/data\/erase$/);
      assert.equal(await page.locator('#erase-understood').getAttribute('aria-invalid'), 'true');
      assert.equal(await text(page, '#erase-understood-error'), tr('zh-CN', 'resident:my_data.erase_not_confirmed'));
      await expectFocus(page, 'erase-understood', 'the box to tick has the focus');

      // With an appointment still active, erasing is refused in words.
      await page.locator('#erase-understood').check();
      await follow(page, erase, /^\/me\/data\/erase$/);
      assert.equal(await text(page, 'main .notice.error'), tr('zh-CN', 'errors:active_appointments'));
      assert.equal((await appointmentRow(t, id)).status, 'booked');

      // Cancel it, then erase: back to the start, signed out, the data gone.
      await page.goto('/me/appointments');
      await follow(page, `form[action="/me/appointments/${id}/cancel"] button[type="submit"]`, /cancelled=1$/);
      await page.goto('/me/data');
      await page.locator('#erase-understood').check();
      await follow(page, erase, /^\/\?erased=1$/);
      assert.equal(await text(page, 'main .notice.success'), tr('zh-CN', 'resident:my_data.erased'));
      assert.equal(await sessionCookie(context), undefined, 'signed out');
      const [{ n }] = (await t.dataSource.query('SELECT count(*)::int AS n FROM appointment WHERE id = $1 AND resident_id IS NULL', [id])) as Array<{ n: number }>;
      assert.equal(n, 1, 'the appointment stays only without its resident');
      await page.goto('/me/data');
      assert.equal(pathOf(page), '/sign-in?next=%2Fme%2Fdata');
    } catch (error) {
      await onFailure(page, 'my-data', error);
    } finally {
      await context.close();
    }
  });

  for (const lang of ['zh-CN', 'en'] as const) {
    it(`(h) field errors are translated, next to their field, and marked aria-invalid (${lang})`, async () => {
      const who = newResident();
      const { page, context } = await open({ locale: lang });
      try {
        await page.goto('/sign-in');
        await page.locator('#idNumber').fill('52010219900101123');
        await page.locator('#phone').fill(who.phone);
        const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/sign-in') && r.request().method() === 'POST'), page.locator('form[action="/sign-in"] button[type="submit"]').click()]);
        assert.equal(response.status(), 400);
        await page.waitForLoadState();
        const id = page.locator('#idNumber');
        assert.equal(await id.getAttribute('aria-invalid'), 'true');
        assert.equal(await text(page, '#idNumber-error'), tr(lang, 'errors:invalid_id_number'));
        assert.ok((await id.getAttribute('aria-describedby'))?.split(' ').includes('idNumber-error'), 'the message describes the field');
        assert.equal(await id.inputValue(), '52010219900101123', 'what was typed stays');
        assert.equal(await page.locator('#phone').getAttribute('aria-invalid'), null, 'the valid field is not marked');
        assert.equal(await page.locator('#phone').inputValue(), who.phone);
        // Next to the field: the message directly follows the field and its hint.
        assert.equal(await page.locator('#idNumber ~ #idNumber-error').count(), 1);
        const [fieldBox, errorBox, phoneBox] = [await id.boundingBox(), await page.locator('#idNumber-error').boundingBox(), await page.locator('#phone').boundingBox()];
        assert.ok(fieldBox && errorBox && phoneBox && errorBox.y > fieldBox.y && errorBox.y < phoneBox.y, 'the message is between the field and the next one');
        await expectFocus(page, 'idNumber', 'the first field in error has the focus');
        assert.equal(await page.locator('#idNumber-error').evaluate((el: any) => (globalThis as any).getComputedStyle(el).color as string), 'rgb(164, 22, 26)');
        // Now the phone.
        await id.fill(who.idNumber);
        await page.locator('#phone').fill('12345');
        await page.locator('form[action="/sign-in"] button[type="submit"]').click();
        await page.waitForSelector('#phone[aria-invalid="true"]');
        assert.equal(await text(page, '#phone-error'), tr(lang, 'errors:invalid_phone'));
        assert.equal(await page.locator('#idNumber').getAttribute('aria-invalid'), null);
        await expectFocus(page, 'phone', 'the field in error has the focus');
        assert.equal(await t.api.get(`/dev/outbox?to=${who.phone}`).then((r) => (r.body as unknown[]).length), 0, 'no code was sent');
      } catch (error) {
        await onFailure(page, `field-errors-${lang}`, error);
      } finally {
        await context.close();
      }
    });
  }
});

/** The resend button waits out the cooldown (its own app: a cooldown of 60 s). */
describe('resident code page with a resend cooldown', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: Browser;
  before(async () => {
    t = await startTestApp({ env: { OTP_RESEND_SECONDS: '60' } });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  for (const javaScriptEnabled of [true, false]) {
    it(`shows the masked phone, and the resend button honours the cooldown (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const who = newResident();
      const context = await newContext(browser, t.url, { javaScriptEnabled });
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      try {
        await page.goto('/sign-in');
        await page.locator('#idNumber').fill(who.idNumber);
        await page.locator('#phone').fill(who.phone);
        await follow(page, 'form[action="/sign-in"] button[type="submit"]', /^\/sign-in\/code$/);
        assert.match(await text(page, 'main'), new RegExp(escape(maskedPhone(who.phone))));
        const resend = page.locator('form[action="/sign-in/resend"] button');
        if (javaScriptEnabled) {
          assert.equal(await resend.isDisabled(), true, 'disabled during the cooldown');
          const waiting = (await resend.textContent())?.trim() ?? '';
          const seconds = Number(waiting.match(/\d+/)?.[0]);
          assert.ok(seconds > 50 && seconds <= 60, `counts down from 60: "${waiting}"`);
          assert.equal(waiting, tr('zh-CN', 'resident:code.resend_wait', { seconds }));
          await page.waitForTimeout(1_200);
          assert.ok(Number((await resend.textContent())?.match(/\d+/)?.[0]) < seconds, 'the countdown moves');
        } else {
          // Without JavaScript the button is there; the server refuses an early resend, in words.
          assert.equal(await resend.isDisabled(), false);
          const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/sign-in/resend')), resend.click()]);
          assert.equal(response.status(), 429);
          await page.waitForLoadState();
          await debugShot(page, 'cooldown-nojs-resend-refused');
          assert.equal(await text(page, '#resend-error'), tr('zh-CN', 'errors:too_many_requests'), 'the message is next to the resend button');
          assert.equal(await resend.getAttribute('aria-describedby'), 'resend-error');
          assert.equal(await page.locator('#code').getAttribute('aria-invalid'), null, 'the code field is not blamed');
          assert.match(await text(page, 'main'), new RegExp(escape(tr('zh-CN', 'errors:too_many_requests'))));
          assert.equal((await t.api.get(`/dev/outbox?to=${who.phone}`)).body.length, 1, 'no second code');
        }
        // The first code still signs in.
        await page.locator('#code').fill(await latestCode(t.api, who.phone));
        await follow(page, 'form[action="/sign-in/code"] button[type="submit"]', /^\/$/);
      } catch (error) {
        await onFailure(page, `cooldown-${javaScriptEnabled}`, error);
      } finally {
        await context.close();
      }
    });
  }
});

/** CSRF: every resident form refuses a post without its token, or with a wrong one (no browser needed). */
describe('CSRF on the resident forms', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  /** `name=value; …` from a response's Set-Cookie headers, on top of the cookies given. */
  function cookies(response: ApiResponse, given = ''): string {
    const jar = new Map(given ? given.split('; ').map((pair) => pair.split('=', 2) as [string, string]) : []);
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      jar.set(name, value);
    }
    return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  const tokenIn = (html: string): string => {
    const match = html.match(/name="_csrf" value="([^"]+)"/);
    assert.ok(match, 'the page has a CSRF token');
    return match[1]!;
  };

  /** A form post as a browser sends it, redirects not followed. */
  async function postForm(path: string, fields: Record<string, string>, cookie: string): Promise<ApiResponse<string>> {
    const response = await fetch(`${t.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'accept-language': 'en' },
      body: new URLSearchParams(fields).toString(),
    });
    const body = await response.text();
    return { status: response.status, headers: response.headers, body, text: body };
  }

  function assertRefused(response: ApiResponse, label: string): void {
    assert.equal(response.status, 403, `${label}: ${response.status} ${response.text.slice(0, 200)}`);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/, label);
    assert.ok(response.text.includes(tr('en', 'errors:csrf_failed')), `${label}: the page says why`);
  }

  it('POST /sign-in without _csrf, with a wrong one, or without the cookie: 403 and no code sent', async () => {
    const who = newResident();
    const page = await t.api.get('/sign-in');
    assert.equal(page.status, 200);
    const jar = cookies(page);
    assert.match(jar, /civic_csrf=/);
    const csrfCookie = page.headers.getSetCookie().find((c) => c.startsWith('civic_csrf='))!;
    assert.match(csrfCookie, /HttpOnly/i);
    assert.match(csrfCookie, /SameSite=Lax/i);
    const token = tokenIn(page.text);
    const fields = { idNumber: who.idNumber, phone: who.phone, next: '/' };

    assertRefused(await postForm('/sign-in', fields, jar), 'no token');
    assertRefused(await postForm('/sign-in', { ...fields, _csrf: 'not-a-token' }, jar), 'a wrong token');
    assertRefused(await postForm('/sign-in', { ...fields, _csrf: `${token.slice(0, -2)}xx` }, jar), 'a tampered token');
    const other = await t.api.get('/sign-in');
    assertRefused(await postForm('/sign-in', { ...fields, _csrf: tokenIn(other.text) }, jar), "another browser's token");
    assertRefused(await postForm('/sign-in', { ...fields, _csrf: token }, ''), 'the token without its cookie');
    assert.equal((await t.api.get(`/dev/outbox?to=${who.phone}`)).body.length, 0, 'no code was sent');

    // The same post with the page's token goes through.
    const accepted = await postForm('/sign-in', { ...fields, _csrf: token }, jar);
    assert.equal(accepted.status, 303, accepted.text);
    assert.equal(accepted.headers.get('location'), '/sign-in/code');
    assert.equal((await t.api.get(`/dev/outbox?to=${who.phone}`)).body.length, 1);
  });

  it('POST /confirm without _csrf or with a wrong one: 403 and nothing booked', async () => {
    const f = await bookableCenter(t);
    const resident = await signIn(t.api);
    const session = `civic_session=${resident.token}`;
    const page = await t.api.get(`/confirm?slot=${f.first.id}&service=${f.service.id}`, { headers: { cookie: session } });
    assert.equal(page.status, 200, page.text);
    const jar = cookies(page, session);
    const key = page.text.match(/name="idempotencyKey" value="([^"]+)"/)![1]!;
    const fields = { slotId: f.first.id, serviceId: f.service.id, idempotencyKey: key };

    assertRefused(await postForm('/confirm', fields, jar), 'no token');
    assertRefused(await postForm('/confirm', { ...fields, _csrf: 'wrong' }, jar), 'a wrong token');
    assertRefused(await postForm('/confirm', { ...fields, _csrf: tokenIn((await t.api.get('/sign-in')).text) }, jar), "another browser's token");
    assert.equal(await bookedCount(t, f.first.id), 0, 'the slot counter did not move');
    const mine = await t.api.get('/api/v1/me/appointments', { token: resident.token });
    assert.deepEqual(mine.body, [], 'no appointment was made');
    const [{ n }] = (await t.dataSource.query('SELECT count(*)::int AS n FROM appointment WHERE slot_id = $1', [f.first.id])) as Array<{ n: number }>;
    assert.equal(n, 0);

    const accepted = await postForm('/confirm', { ...fields, _csrf: tokenIn(page.text) }, jar);
    assert.equal(accepted.status, 303, accepted.text);
    assert.match(accepted.headers.get('location') ?? '', /^\/appointments\/[0-9a-f-]{36}\/done$/);
    assert.equal(await bookedCount(t, f.first.id), 1);
  });

  it('every other resident form (code, resend, sign-out, cancel, erase) refuses a post without its token', async () => {
    const f = await bookableCenter(t);
    const resident = await signIn(t.api);
    const booked = await t.api.post('/api/v1/appointments', { slotId: f.first.id, serviceId: f.service.id }, { token: resident.token });
    assert.equal(booked.status, 201, booked.text);
    const session = `civic_session=${resident.token}`;
    const page = await t.api.get('/me/appointments', { headers: { cookie: session } });
    assert.equal(page.status, 200, page.text);
    const jar = cookies(page, session);
    assert.ok(page.text.includes(`/me/appointments/${booked.body.id}/cancel`), 'the page has the cancel form');

    assertRefused(await postForm(`/me/appointments/${booked.body.id}/cancel`, {}, jar), 'cancel');
    assertRefused(await postForm('/me/data/erase', {}, jar), 'erase');
    assertRefused(await postForm('/sign-out', {}, jar), 'sign-out');
    assertRefused(await postForm('/sign-in/code', { code: '123456' }, jar), 'code');
    assertRefused(await postForm('/sign-in/resend', {}, jar), 'resend');
    assert.equal((await appointmentRow(t, booked.body.id)).status, 'booked', 'not cancelled');
    assert.equal(await bookedCount(t, f.first.id), 1);
    const me = await t.api.get('/api/v1/me', { token: resident.token });
    assert.equal(me.status, 200, 'still signed in, data not erased');

    // With the token, the cancel form works.
    const cancelled = await postForm(`/me/appointments/${booked.body.id}/cancel`, { _csrf: tokenIn(page.text) }, jar);
    assert.equal(cancelled.status, 303, cancelled.text);
    assert.equal((await appointmentRow(t, booked.body.id)).status, 'cancelled');
  });
});

// ——— keyboard helpers ———

interface Focused {
  tag: string;
  id: string;
  href: string | null;
  action: string | null;
  text: string;
  inMain: boolean;
  /** A visible focus ring: a solid outline at least 2 px wide. */
  ring: boolean;
}

async function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = (globalThis as any).document.activeElement;
    return {
      tag: String(el?.tagName ?? '').toLowerCase(),
      id: String(el?.id ?? ''),
      href: el?.getAttribute?.('href') ?? null,
      action: el?.form?.getAttribute('action') ?? null,
      text: String(el?.textContent ?? '').trim().slice(0, 60),
      inMain: Boolean(el?.closest?.('main')),
      ring: Boolean(el) && (() => {
        const style = (globalThis as any).getComputedStyle(el);
        return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
      })(),
    };
  });
}

async function press(page: Page, key: string): Promise<Focused> {
  await page.keyboard.press(key);
  return focused(page);
}

/** Presses Tab (or Shift+Tab) until the focused element matches; fails after 60 stops. Every stop shows a focus ring. */
async function tabTo(page: Page, matches: (e: Focused) => boolean, what: string, key = 'Tab'): Promise<Focused> {
  const seen: string[] = [];
  for (let i = 0; i < 60; i += 1) {
    const at = await press(page, key);
    if (at.tag !== 'body') assert.ok(at.ring, `no visible focus ring on ${at.tag} ${at.href ?? at.id} (${pathOf(page)})`);
    if (matches(at)) return at;
    seen.push(at.href ?? `${at.tag}#${at.id}`);
  }
  throw new Error(`${what} is not reachable with ${key} on ${pathOf(page)}; focus went to: ${seen.slice(0, 20).join(', ')}`);
}

/** Enter on the focused element, then the page it leads to. */
async function enter(page: Page, to: RegExp): Promise<void> {
  await Promise.all([page.waitForURL((url) => to.test(`${url.pathname}${url.search}`)), page.keyboard.press('Enter')]);
}
