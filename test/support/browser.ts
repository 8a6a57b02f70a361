import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

/** Debian's Chromium; browser tests never download a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Browser tests run where Chromium is installed. On a developer's machine without it they
 * are skipped with a message; in CI (CI=true) a missing Chromium is a failure.
 */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  if (process.env.CI === 'true') throw new Error(`Chromium is required in CI but ${CHROMIUM} does not exist (.ci/run installs it with apt-get)`);
  return `no Chromium at ${CHROMIUM}: browser tests skipped (apt-get install chromium, or set CHROMIUM_PATH)`;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export const PHONE_VIEWPORT = { width: 390, height: 844 };

export interface ContextOptions {
  /** zh-CN or en: what the browser says it prefers (Accept-Language). */
  locale?: string;
  javaScriptEnabled?: boolean;
  viewport?: { width: number; height: number };
}

export function newContext(browser: Browser, baseURL: string, options: ContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    locale: options.locale ?? 'zh-CN',
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: options.viewport ?? PHONE_VIEWPORT,
  });
}

/** axe-core with the WCAG 2.x A/AA tags (2.2 included): no serious or critical violation. */
export async function assertAccessible(page: Page, label = page.url()): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`),
    [],
    `accessibility violations on ${label}`,
  );
}

// Functions given to page.evaluate run in the browser; the build has no DOM types.
declare const document: { activeElement?: { id?: string } | null };

/** The page's path and query, as the tests compare it. */
export function pathOf(page: Page): string {
  const url = new URL(page.url());
  return `${url.pathname}${url.search}`;
}

export const focusedId = (page: Page): Promise<string> => page.evaluate(() => document.activeElement?.id ?? '');

/** Tab (only Tab) until the element with this id has the focus. */
export async function tabTo(page: Page, id: string, maxPresses = 12): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    if ((await focusedId(page)) === id) return;
    await page.keyboard.press('Tab');
  }
  assert.equal(await focusedId(page), id, `Tab never reached #${id}`);
}

/** Fills form fields by id: `{ code: 'X', name_en: 'Y' }`. */
export async function fillFields(page: Page, values: Record<string, string>): Promise<void> {
  for (const [id, value] of Object.entries(values)) await page.locator(`#${id}`).fill(value);
}

/**
 * The element with this id has the focus — or gets it soon: `autofocus` is applied once the
 * page has rendered, a moment after navigation ends, later on a loaded machine.
 */
export async function expectFocus(page: Page, id: string, message = `#${id} should have the focus`): Promise<void> {
  const focused = await page
    .waitForFunction((wanted) => document.activeElement?.id === wanted, id, { timeout: 5000 })
    .then(() => id)
    .catch(() => focusedId(page));
  assert.equal(focused, id, message);
}
