// examples/embed.html: a <zx-spectrum> element and a createSpectrum()
// instance on one page, each with its own machine, keys and clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, typeKeys } from './harness.mjs';
import { screenText, waitForText } from './screen.mjs';

let env;
before(async () => { env = await openBrowser(); });
after(async () => { await env?.close(); });

test('two Spectrums on one page run independently', async () => {
  const page = await env.newPage();
  await page.goto(env.url + 'examples/embed.html');
  await page.waitForFunction(() => window.left?.spectrum && window.right, null, { timeout: 30000 });
  await page.evaluate(() => Promise.all([window.left.ready, window.right.ready]));

  // Keys go to the focused one only.
  await page.click('#left');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  await typeKeys(page, 'PRINT 6*7');
  await page.keyboard.press('Enter');
  await waitForText(page, /^42\s*$/m, { who: 'left' });
  assert.match(await screenText(page, 'right'), /© 1981 Nine Tiles/, 'the right one saw no keys');

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
  await waitForText(page, /^2\s*$/m, { who: 'right' });
  assert.match(await screenText(page, 'left'), /^42\s*$/m);
  assert.deepEqual(page.errors, []);
});

// A page of its own with just the element (served, so modules load).
async function elementPage(html) {
  const page = await env.newPage();
  await page.goto(env.url + 'tests/browser/blank.html');
  await page.evaluate(async (h) => {
    await import('/web/zx-spectrum-element.mjs');
    window.heard = [];
    document.body.innerHTML = h;
    const el = document.querySelector('zx-spectrum');
    for (const t of ['ready', 'error', 'typed', 'machine']) el.addEventListener(t, (e) => window.heard.push({ type: t, detail: e.detail }));
    window.el = el;
  }, html);
  return page;
}

test('<zx-spectrum machine="128k"> without the 128K ROMs runs (OpenSE BASIC in every slot); type() resolves once the line has run', async () => {
  const page = await elementPage('<zx-spectrum machine="128k"></zx-spectrum>');
  await page.evaluate(() => window.el.ready);
  assert.deepEqual(await page.evaluate(() => [window.el.machine, window.el.romFallback]), ['128k', true]);
  await waitForText(page, /© 1981 Nine Tiles/, { who: 'el' });
  await page.waitForTimeout(300);
  const r = await page.evaluate(async () => {
    const typed = new Promise((resolve) => window.el.addEventListener('typed', (e) => resolve(e.detail), { once: true }));
    const result = await window.el.type('PRINT 6*7\n');
    // Read at once: no waiting after the promise.
    const screen = (await window.el.screenText()).join('\n');
    return { result, detail: await typed, screen };
  });
  assert.match(r.screen, /^42\s*$/m, `the result is on screen when type() resolves:\n${r.screen}`);
  assert.equal(r.result.text, 'PRINT 6*7\n');
  assert.equal(r.result.strokes, 10);
  assert.equal(r.result.keywords, false);
  assert.deepEqual(r.detail, r.result, "the 'typed' event carries the same");
  // Two texts queue; the second resolves after the first.
  const order = await page.evaluate(async () => {
    const order = [];
    await Promise.all([window.el.type('PRINT 1\n').then(() => order.push(1)), window.el.type('PRINT 2\n').then(() => order.push(2))]);
    return order;
  });
  assert.deepEqual(order, [1, 2]);
  // Untypeable text rejects at once.
  const bad = await page.evaluate(() => window.el.type('PRINT "€"').then(() => 'resolved', (e) => e.message));
  assert.match(bad, /cannot type "€"/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('<zx-spectrum> with an unknown machine fires error; a stopped element fires error from its methods and never throws', async () => {
  const page = await elementPage('<zx-spectrum machine="zx81"></zx-spectrum>');
  const ready = await page.evaluate(() => window.el.ready.then(() => 'resolved', (e) => e.message));
  assert.match(ready, /unknown 'zx81'/);
  await page.waitForFunction(() => window.heard.some((h) => h.type === 'error'));
  const r = await page.evaluate(async () => {
    const el = document.createElement('zx-spectrum'); // never connected
    const errors = [];
    el.addEventListener('error', (e) => errors.push(e.detail.message));
    const outcomes = [];
    for (const call of [() => el.type('x'), () => el.setMachine('128k'), () => el.screenText()]) {
      outcomes.push(await call().then(() => 'resolved', (e) => e.message));
    }
    el.keyDown('A');
    el.pause();
    el.reset();
    await new Promise((r) => setTimeout(r, 50));
    return { outcomes, errors, paused: el.paused, stats: el.statistics() };
  });
  assert.equal(r.outcomes.length, 3);
  for (const o of r.outcomes) assert.match(o, /is not running/);
  assert.equal(r.errors.length, 6, r.errors.join('\n'));
  assert.match(r.errors[0], /^type: this <zx-spectrum> is not running \(it is not in the document\)/);
  assert.equal(r.paused, false);
  assert.equal(r.stats, null);
  assert.deepEqual(page.errors, [], 'no uncaught exception');
  await page.close();
});
