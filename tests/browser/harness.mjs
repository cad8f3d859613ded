// Shared set-up for browser tests: Debian's Chromium driven by playwright-core
// (never a downloaded browser), against the repo served on 127.0.0.1.
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { startServer } from '../../web/serve.mjs';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// Each new page (a browser context: a window) would also start Chromium's
// WebUI omnibox popup in a renderer of its own, 1-3 s of CPU beside the
// page under test (seen in a trace of bench/web_first_frame.mjs): off.
export const BROWSER_UI_OFF = '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup,PreloadTopChromeWebUI';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  '--autoplay-policy=no-user-gesture-required', BROWSER_UI_OFF];

export async function openBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (make setup does)`);
  }
  const { server, url } = await startServer({ port: 0, quiet: true });
  // Playwright gives every launch a fresh temporary profile.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  }).catch((e) => { server.close(); throw e; });
  return {
    browser,
    url,
    // A page in a fresh context of its own (empty storage; options as
    // browser.newContext's: viewport, touch), recording console errors and
    // uncaught exceptions in page.errors. page.context().close() closes both.
    async newPage(options = {}) {
      const page = await browser.newPage(options);
      page.errors = [];
      page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
      page.on('pageerror', (e) => page.errors.push(String(e)));
      return page;
    },
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}

// Types `text` with real key events at a human's pace. Each key goes down
// and up at once, and the page's key queue (web/engine/key-queue.mjs) holds
// it down for the ROM. Playwright's type(text, { delay }) instead holds each
// key for `delay` ms of this process's clock; on a loaded machine that hold
// stretched past the ROM's key repeat (0.7 s) and PRINT 6*7 came out as
// PRINT 6********7.
export async function typeKeys(page, text, gapMs = 90) {
  for (const c of text) {
    await page.keyboard.press(c);
    await page.waitForTimeout(gapMs);
  }
}
