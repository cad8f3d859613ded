// Shared set-up for browser tests: Debian's Chromium driven by playwright-core
// (never a downloaded browser), against the repo served on 127.0.0.1.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { startServer } from '../../web/serve.mjs';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export async function openBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (make setup does)`);
  }
  const { server, url } = await startServer({ port: 0, quiet: true });
  // Playwright gives every launch a fresh temporary profile.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
      '--autoplay-policy=no-user-gesture-required'],
  }).catch((e) => { server.close(); throw e; });
  return {
    browser,
    url,
    // A page that records console errors and uncaught exceptions.
    async newPage() {
      const page = await browser.newPage();
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

// The Spectrum's screen as text (the page's window.spectrum).
export const screenText = (page) => page.evaluate(() => window.spectrum.screenText().then((rows) => rows.join('\n')));

// Waits until the screen's text matches `pattern`; fails showing the screen.
export async function waitForText(page, pattern, timeout = 20000) {
  const end = Date.now() + timeout;
  let text = '';
  while (Date.now() < end) {
    text = await screenText(page);
    if (pattern.test(text)) return text;
    await page.waitForTimeout(100);
  }
  assert.fail(`screen never matched ${pattern}; it shows:\n${text}`);
}
