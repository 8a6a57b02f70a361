import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Clock } from '../../src/common/time/clock';
import { ContextOptions, launchBrowser, newContext } from './browser';
import { startTestApp, TestApp } from './test-app';

export interface BrowserSuite {
  /** The application, once the suite's `before` has run. */
  readonly app: TestApp;
  /** A new page in a browser context of its own (its own cookies), closed when the suite ends. */
  open(options?: ContextOptions): Promise<Page>;
}

/**
 * The frame of a browser test file: registers the suite's `before` (the application on its own
 * database, one Chromium) and `after` (every context, the browser and the application closed).
 */
export function browserSuite(options: { clock: Clock; env?: Record<string, string>; viewport: { width: number; height: number } }): BrowserSuite {
  let app: TestApp | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  before(async () => {
    app = await startTestApp({ clock: options.clock, env: options.env });
    browser = await launchBrowser();
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await app?.close();
  });
  return {
    get app(): TestApp {
      assert.ok(app, 'the suite has not started');
      return app;
    },
    async open(contextOptions: ContextOptions = {}): Promise<Page> {
      assert.ok(browser && app, 'the suite has not started');
      const context = await newContext(browser, app.url, { viewport: options.viewport, ...contextOptions });
      contexts.push(context);
      return context.newPage();
    },
  };
}
