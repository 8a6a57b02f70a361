/**
 * The waitlist in a real browser (Debian's Chromium): a full day offers "join the waitlist",
 * signing in on the way; the SMS link's page shows the held place with its deadline; the
 * resident books it, or leaves. In English, by keyboard, without JavaScript, axe on each page.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { Clock } from '../src/common/time/clock';
import { I18nService, Language } from '../src/i18n/i18n.service';
import { assertAccessible, browserSkipReason, PHONE_VIEWPORT } from './support/browser';
import { browserSuite } from './support/browser-suite';
import { createCenter, createSlot, CenterFixture } from './support/factories';
import { latestCode, signIn } from './support/residents';
import { newIdNumber, newPhone } from './support/identities';
import { bookFor, outbox } from './support/staff';
import { TestApp } from './support/test-app';

const i18n = new I18nService();
const tr = (lang: Language, key: string, options?: Record<string, unknown>): string => i18n.t(lang, key, options);

describe('the waitlist in the browser', { skip: browserSkipReason() }, () => {
  const suite = browserSuite({ clock: new Clock(), viewport: PHONE_VIEWPORT });
  let t: TestApp;
  before(() => {
    t = suite.app;
  });

  /** A center whose only slot, two days from now, is taken by someone else. */
  async function fullDay(): Promise<{ fixture: CenterFixture; date: string; holder: { token: string; appointmentId: string } }> {
    const fixture = await createCenter(t.dataSource);
    const slot = await createSlot(t.dataSource, fixture.center.id, { hoursFromNow: 48, capacity: 1 });
    const someone = await signIn(t.api);
    const booked = await bookFor(t, someone, slot, fixture.service);
    const date = new Date(slot.startsAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    return { fixture, date, holder: { token: someone.token, appointmentId: booked.id as string } };
  }

  const mainText = async (page: Page): Promise<string> => ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');

  async function press(page: Page, selector: string, to: RegExp): Promise<void> {
    await page.locator(selector).first().focus();
    await Promise.all([page.waitForURL((url) => to.test(`${url.pathname}${url.search}`)), page.keyboard.press('Enter')]);
  }

  for (const javaScriptEnabled of [true, false]) {
    it(`join from the full day, get the offer, book it (${javaScriptEnabled ? 'with' : 'without'} JavaScript, keyboard only)`, async () => {
      const lang: Language = 'en';
      const { fixture, date, holder } = await fullDay();
      const page = await suite.open({ locale: 'en', javaScriptEnabled });
      page.setDefaultTimeout(15_000);
      // axe runs in the page: only where scripts run (the pages are the same either way).
      const accessible = (label: string) => (javaScriptEnabled ? assertAccessible(page, label) : Promise.resolve());
      const who = { idNumber: newIdNumber(), phone: newPhone() };
      await page.goto(`/book/${encodeURIComponent(fixture.center.code)}/${encodeURIComponent(fixture.service.code)}`);
      const join = `a.wait[href*="date=${date}"]`;
      assert.equal(await page.locator(join).count(), 1, 'the full day offers the waitlist');
      await accessible('days with a full one');
      await press(page, join, /^\/sign-in\?next=/);
      await page.locator('#idNumber').fill(who.idNumber);
      await page.locator('#phone').fill(who.phone);
      await press(page, 'form[action="/sign-in"] button[type="submit"]', /^\/sign-in\/code$/);
      await page.locator('#code').fill(await latestCode(t.api, who.phone));
      await press(page, 'form[action="/sign-in/code"] button[type="submit"]', /^\/waitlist\/join\?/);

      assert.equal(await page.locator('main h1').textContent(), tr(lang, 'resident:waitlist.join_title'));
      await accessible('join');
      await press(page, 'form[action="/waitlist/join"] button[type="submit"]', /^\/me\/waitlist\?joined=1$/);
      assert.ok((await mainText(page)).includes(tr(lang, 'resident:waitlist.joined')));
      assert.ok((await mainText(page)).includes(tr(lang, 'resident:waitlist.status.waiting')));
      assert.equal(await page.locator('form[action$="/claim"]').count(), 0, 'nothing to claim yet');
      await accessible('waitlist, waiting');

      // The place frees: the SMS links to this page, which now holds it for the resident.
      assert.equal((await t.api.post(`/api/v1/appointments/${holder.appointmentId}/cancel`, undefined, { token: holder.token })).status, 200);
      const [offer] = (await outbox(t, who.phone)).filter((m) => m.text.includes('/me/waitlist'));
      assert.ok(offer, 'the offer SMS');
      await page.goto('/me/waitlist');
      const text = await mainText(page);
      assert.ok(text.includes(tr(lang, 'resident:waitlist.status.offered')) && text.includes(tr(lang, 'resident:waitlist.held_until')), text);
      await accessible('waitlist, offered');
      await press(page, 'form[action$="/claim"] button[type="submit"]', /^\/appointments\/[0-9a-f-]{36}\/done$/);
      const appointmentId = new URL(page.url()).pathname.split('/')[2]!;
      const [row] = (await t.dataSource.query('SELECT status, slot_id FROM appointment WHERE id = $1', [appointmentId])) as Array<{ status: string }>;
      assert.equal(row?.status, 'booked');
    });
  }

  it('leave the waitlist from its page (Chinese)', async () => {
    const { fixture, date } = await fullDay();
    const resident = await signIn(t.api);
    assert.equal((await t.api.post('/api/v1/waitlist', { centerId: fixture.center.id, serviceId: fixture.service.id, date }, { token: resident.token })).status, 201);
    const page = await suite.open({ locale: 'zh-CN' });
    await page.context().addCookies([{ name: 'civic_session', value: resident.token, url: t.url }]);
    await page.goto('/me/waitlist');
    assert.equal(await page.locator('main h1').textContent(), tr('zh-CN', 'resident:waitlist.title'));
    await press(page, 'form[action$="/leave"] button[type="submit"]', /^\/me\/waitlist\?left=1$/);
    assert.ok((await mainText(page)).includes(tr('zh-CN', 'resident:waitlist.left')));
    const mine = (await t.api.get('/api/v1/me/waitlist', { token: resident.token })).body as Array<{ status: string }>;
    assert.deepEqual(mine.map((e) => e.status), ['left']);
    await assertAccessible(page, 'waitlist, left');
  });
});
