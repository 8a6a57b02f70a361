/**
 * The waiting-room display on screens from 720p to 4K, in Debian's Chromium: it fits one
 * screen without scrolling, shows a tile per counter and the server's time, shows no empty
 * list before the first call, and follows calls live.
 * UPDATE_SCREENSHOTS=1 saves docs/screenshots/display-720p.png; nothing is written otherwise.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, browserSkipReason } from './support/browser';
import { browserSuite } from './support/browser-suite';
import { createCenter, createSlot } from './support/factories';
import { signIn } from './support/residents';
import { bookFor, COUNTER_ENV, staffLogin, TEN_AM_SHANGHAI } from './support/staff';
import { TestClock } from './support/test-clock';

// Code run in the page by page.evaluate: the browser's globals, which this Node project does not type.
declare const document: any;
declare const window: any;
declare const getComputedStyle: (element: unknown) => { fontSize: string };

const SCREENSHOT = join(__dirname, '..', '..', 'docs', 'screenshots', 'display-720p.png');

const SCREENS = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
];

/** Everything on the board lies inside the screen, and nothing scrolls. */
async function assertFits(page: Page, label: string): Promise<void> {
  const box = await page.evaluate(() => {
    const rect = (selector: string) => document.querySelector(selector)!.getBoundingClientRect();
    return {
      width: window.innerWidth,
      height: window.innerHeight,
      scrollHeight: document.documentElement.scrollHeight,
      scrollWidth: document.documentElement.scrollWidth,
      footerBottom: rect('.board-footer').bottom,
      gridBottom: rect('#counter-grid').bottom,
      latestRight: rect('#latest').right,
      ticketPx: Number.parseFloat(getComputedStyle(document.querySelector('.latest p')!).fontSize),
    };
  });
  assert.ok(box.scrollHeight <= box.height && box.scrollWidth <= box.width, `${label}: the page scrolls (${JSON.stringify(box)})`);
  assert.ok(box.footerBottom <= box.height && box.gridBottom <= box.height, `${label}: the footer or the counters fall off (${JSON.stringify(box)})`);
  assert.ok(box.latestRight <= box.width, `${label}: the latest call is cut off`);
  assert.ok(box.ticketPx >= box.height * 0.04, `${label}: the text is too small to read across the room (${box.ticketPx}px)`);
}

describe('the waiting-room display on any screen', { skip: browserSkipReason() }, () => {
  const clock = new TestClock(TEN_AM_SHANGHAI);
  const suite = browserSuite({ clock, env: { SEED_DEMO_DATA: 'false', ...COUNTER_ENV }, viewport: SCREENS[0]! });

  it('fits 720p, 1080p and 4K; a tile per counter and the server’s clock; no empty list before the first call; calls arrive live', async () => {
    const t = suite.app;
    const { center, service } = await createCenter(t.dataSource);
    const clerk = await staffLogin(t, { role: 'clerk', center, clock });
    const slot = await createSlot(t.dataSource, center.id, { now: clock.now(), hoursFromNow: 0.5, capacity: 9 });
    for (let i = 0; i < 4; i++) {
      const resident = await signIn(t.api);
      const appointment = await bookFor(t, resident, slot, service);
      const checkedIn = await t.api.post(`/api/v1/staff/appointments/${appointment.id}/check-in`, { method: 'id-document', idNumber: resident.idNumber }, { token: clerk.token });
      assert.equal(checkedIn.status, 200, checkedIn.text);
    }

    const page = await suite.open();
    await page.goto(`/display/${encodeURIComponent(center.code)}`);
    await page.waitForSelector('#board[data-connection="live"]', { timeout: 5000 });
    assert.equal(await page.locator('table').count(), 0, 'no table at all');
    assert.equal(await page.locator('#earlier').isVisible(), false, 'no empty list of earlier calls');
    assert.deepEqual(await page.locator('#counter-grid .ticket').allTextContents(), ['—', '—', '—']);
    // The test's clock stands at 10:00 in Shanghai; the browser's own clock does not.
    assert.equal(await page.locator('#clock').textContent(), '10:00');
    for (const screen of SCREENS) {
      await page.setViewportSize(screen);
      await assertFits(page, `${screen.width}×${screen.height} before the first call`);
    }
    await assertAccessible(page, 'display before the first call');

    const tickets: string[] = [];
    for (const counter of [2, 3, 1]) {
      const called = await t.api.post('/api/v1/staff/call-next', { counter }, { token: clerk.token });
      assert.equal(called.status, 200, called.text);
      tickets.push(called.body.ticket as string);
      clock.advance(1000);
    }
    await page.waitForFunction((ticket) => document.querySelector('#latest .ticket')?.textContent === ticket, tickets[2], { timeout: 3000 });
    assert.deepEqual(await page.locator('#counter-grid .ticket').allTextContents(), [tickets[2], tickets[0], tickets[1]]);
    assert.equal(await page.locator('#counter-grid li.fresh').getAttribute('data-counter'), '1', 'the counter just called stands out');
    assert.equal(await page.locator('#earlier').isVisible(), true);
    assert.equal(await page.locator('#earlier-list li').count(), 2);
    for (const screen of SCREENS) {
      await page.setViewportSize(screen);
      await assertFits(page, `${screen.width}×${screen.height} after three calls`);
    }
    await assertAccessible(page, 'display after three calls');
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      await page.setViewportSize(SCREENS[0]!);
      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
    }
  });
});
