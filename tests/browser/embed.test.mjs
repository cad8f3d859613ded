// examples/embed.html: a <zx-spectrum> element and a createSpectrum()
// instance on one page, each with its own machine, keys and clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser } from './harness.mjs';

let env;
before(async () => { env = await openBrowser(); });
after(async () => { await env?.close(); });

const text = (page, who) => page.evaluate((w) => window[w].screenText().then((r) => r.join('\n')), who);

async function waitFor(page, who, pattern, timeout = 15000) {
  const end = Date.now() + timeout;
  let t = '';
  while (Date.now() < end) {
    t = await text(page, who);
    if (pattern.test(t)) return t;
    await page.waitForTimeout(100);
  }
  assert.fail(`${who} never showed ${pattern}:\n${t}`);
}

test('two Spectrums on one page run independently', async () => {
  const page = await env.newPage();
  await page.goto(env.url + 'examples/embed.html');
  await page.waitForFunction(() => window.left?.spectrum && window.right, null, { timeout: 30000 });
  await page.evaluate(() => Promise.all([window.left.ready, window.right.ready]));

  // Keys go to the focused one only.
  await page.click('#left');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  await page.keyboard.type('PRINT 6*7', { delay: 90 });
  await page.keyboard.press('Enter');
  await waitFor(page, 'left', /^42\s*$/m);
  assert.match(await text(page, 'right'), /© 1981 Nine Tiles/, 'the right one saw no keys');

  // Pausing one leaves the other running.
  await page.evaluate(() => window.right.pause());
  await page.waitForTimeout(300);
  const f0 = await page.evaluate(() => [window.left.statistics().frames, window.right.statistics().frames]);
  await page.waitForTimeout(1200);
  const f1 = await page.evaluate(() => [window.left.statistics().frames, window.right.statistics().frames]);
  assert.ok(f1[0] - f0[0] > 25, `left kept running: ${f0[0]} -> ${f1[0]}`);
  assert.equal(f1[1], f0[1], 'right is paused');

  // The API types into the right one; the left one's screen stays.
  await page.evaluate(() => { window.right.resume(); return window.right.type('\nPRINT 1+1\n'); });
  await waitFor(page, 'right', /^2\s*$/m);
  assert.match(await text(page, 'left'), /^42\s*$/m);
  assert.deepEqual(page.errors, []);
});
