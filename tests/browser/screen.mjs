// The Spectrum's screen as text, for the browser tests. `who` names the
// page's global that holds the Spectrum: window.spectrum on index.html;
// examples/embed.html has left, right and el.
import assert from 'node:assert/strict';

export const screenText = (page, who = 'spectrum') =>
  page.evaluate((w) => window[w].screenText().then((rows) => rows.join('\n')), who);

// Waits until the screen's text matches `pattern`; fails showing the screen.
export async function waitForText(page, pattern, { timeout = 20000, who = 'spectrum' } = {}) {
  const end = Date.now() + timeout;
  let text = '';
  while (Date.now() < end) {
    text = await screenText(page, who);
    if (pattern.test(text)) return text;
    await page.waitForTimeout(100);
  }
  assert.fail(`${who}'s screen never matched ${pattern}; it shows:\n${text}`);
}
