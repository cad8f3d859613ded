// The playable page (index.html) in headless Chromium, driven like a user:
// real key events, the file input, taps on the touch keyboard.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, typeKeys } from './harness.mjs';
import { screenText, waitForText } from './screen.mjs';
import { helloTap } from './fixtures.mjs';

let env;
before(async () => { env = await openBrowser(); });
after(async () => { await env?.close(); });
// Each test's pages close after it: a page left open keeps its Spectrum
// running, and seven of them at once made the later tests' machine slow.
const opened = [];
afterEach(async () => { for (const page of opened.splice(0)) await page.context().close(); });
async function newPage(options) {
  const page = await env.newPage(options);
  opened.push(page);
  return page;
}

async function openPage(options) {
  const page = await newPage(options);
  await page.goto(env.url);
  await page.waitForFunction(() => window.zxCoreReady === true, null, { timeout: 30000 });
  return page;
}

// Leaves the copyright screen for the editor (the first key press only clears it).
async function toEditor(page) {
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
}

test('the page shows the OpenSE BASIC start-up screen with no console errors', async () => {
  const page = await openPage();
  await waitForText(page, /© 1981 Nine Tiles Networks Ltd/);
  // The canvas itself: light grey paper in the middle, black ink in the copyright line.
  // The canvas shows a frame a little after the machine ran it (the screen text is
  // read from the machine): poll until a drawn frame is there.
  const canvasPixels = () => page.evaluate(() => {
    const c = document.querySelector('.zx-screen canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const at = (x, y) => Array.from(d.slice((y * c.width + x) * 4, (y * c.width + x) * 4 + 3));
    let ink = 0;
    for (let x = 48; x < 304; x++) for (let y = 48 + 23 * 8; y < 48 + 24 * 8; y++) if (at(x, y)[0] < 64) ink++;
    return { size: [c.width, c.height], paper: at(176, 120), border: at(4, 4), ink };
  });
  let px = await canvasPixels();
  for (let i = 0; i < 50 && !(px.paper.every((v) => v > 150) && px.ink > 100); i++) {
    await page.waitForTimeout(100);
    px = await canvasPixels();
  }
  assert.deepEqual(px.size, [352, 296]);
  assert.ok(px.paper.every((v) => v > 150), `paper is light: ${px.paper}`);
  assert.ok(px.ink > 100, `the copyright line has ink pixels: ${px.ink}`);
  assert.deepEqual(page.errors, []);
});

test('the dynarec\'s compiler loads in a Worker of its own, warms up there and compiles; no frame waits on it', async () => {
  const page = await openPage();
  const stats = () => page.evaluate(() => window.spectrum.statistics() ?? null);
  let all = await stats();
  let s = all?.jit;
  for (let i = 0; i < 150 && !(s?.state === 'ready' && s.warmUpMs > 0 && s.core?.asyncInstalled > 0); i++) {
    await page.waitForTimeout(100);
    all = await stats();
    s = all?.jit;
  }
  assert.equal(s?.state, 'ready', JSON.stringify(s));
  assert.equal(s.mode, 'async', JSON.stringify(s));
  assert.ok(s.warmUpMs > 0, `warm-up: ${JSON.stringify(s)}`);
  assert.ok(s.core.functions > 0 && s.core.asyncInstalled > 0 && s.core.compileFailures === 0, JSON.stringify(s.core));
  // Compiled modules arrived from the compiler's Worker; the frames never compiled.
  assert.equal(s.framesWaited, 0, JSON.stringify(s));
  assert.equal(s.core.blockingCompiles, 0, JSON.stringify(s.core));
  assert.ok(Number.isFinite(all.longestFrameMs) && all.longestFrameMs >= all.maxFrameMs, JSON.stringify(all));
  assert.deepEqual(page.errors, []);
});

test('?compile=sync: the compiler runs inside the frame, and the statistics count the frames that waited', async () => {
  const page = await newPage();
  await page.goto(`${env.url}${env.url.includes('?') ? '&' : '?'}compile=sync`);
  await page.waitForFunction(() => window.zxCoreReady === true, null, { timeout: 30000 });
  const jitStats = () => page.evaluate(() => window.spectrum.statistics()?.jit ?? null);
  let s = await jitStats();
  for (let i = 0; i < 150 && !(s?.state === 'ready' && s.core?.functions > 0); i++) {
    await page.waitForTimeout(100);
    s = await jitStats();
  }
  assert.equal(s?.mode, 'sync', JSON.stringify(s));
  assert.ok(s.core.functions > 0 && s.core.asyncRequests === 0, JSON.stringify(s.core));
  assert.ok(s.framesWaited > 0 && s.core.blockingCompiles > 0, JSON.stringify(s));
  assert.deepEqual(page.errors, []);
});

test('typing on the PC keyboard gives PRINT 2+2 and 4', async () => {
  const page = await openPage();
  await toEditor(page);
  // A human's pace: the ROM reads the keyboard 50 times a second.
  await typeKeys(page, 'PRINT 2+2');
  await waitForText(page, /PRINT 2\+2/i);
  await page.keyboard.press('Enter');
  // The ROM prints the result, then the report line: wait for both.
  await waitForText(page, /^4\s*$[\s\S]*OK, 0:1/m);
  assert.deepEqual(page.errors, []);
});

test('a TAP chosen in the file input loads and runs', async () => {
  const page = await openPage();
  await page.setInputFiles('#file', { name: 'hello.tap', mimeType: 'application/octet-stream', buffer: Buffer.from(helloTap('TAPE RAN OK')) });
  await waitForText(page, /TAPE RAN OK/, { timeout: 30000 });
  // The canvas shows a frame a little after the machine ran it: poll.
  const borderPixel = () => page.evaluate(() => Array.from(document.querySelector('.zx-screen canvas').getContext('2d').getImageData(4, 4, 1, 1).data));
  let border = await borderPixel();
  for (let i = 0; i < 50 && !(border[0] > 150 && border[1] < 80); i++) {
    await page.waitForTimeout(100);
    border = await borderPixel();
  }
  assert.ok(border[0] > 150 && border[1] < 80, `BORDER 2 is red: ${border}`);
  assert.deepEqual(page.errors, []);
});

test('a bad file shows an error in plain words and the machine keeps running', async () => {
  const page = await openPage();
  await toEditor(page);
  await typeKeys(page, 'PRINT 6*7');
  await page.keyboard.press('Enter');
  await waitForText(page, /^42\s*$/m);
  const before = await page.evaluate(() => window.spectrum.statistics().frames);
  await page.setInputFiles('#file', { name: 'broken.z80', mimeType: 'application/octet-stream', buffer: Buffer.from([1, 2, 3, 4, 5]) });
  const toast = page.locator('.zx-toast-error');
  await toast.waitFor({ timeout: 10000 });
  assert.match(await toast.textContent(), /Could not load broken\.z80: \S/);
  await page.waitForTimeout(1200);
  const after = await page.evaluate(() => window.spectrum.statistics().frames);
  assert.ok(after - before > 25, `frames went on: ${before} -> ${after}`);
  assert.match(await screenText(page), /^42\s*$/m, 'the program on screen is untouched');
  // Its × dismisses it.
  await toast.getByRole('button', { name: 'Dismiss' }).click();
  await toast.waitFor({ state: 'detached' });
  // Console errors are not expected for a user's bad file.
  assert.deepEqual(page.errors, []);
});

test('the on-screen keyboard types with taps', async () => {
  const page = await openPage({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  if (!(await page.locator('.zx-osk').isVisible())) await page.click('[data-action="keyboard"]');
  const tap = async (key) => {
    await page.locator(`.zx-key[data-key="${key}"]`).tap();
    await page.waitForTimeout(120);
  };
  await tap('ENTER');
  for (const k of ['P', 'R', 'I', 'N', 'T', 'SPACE', '2', 'SYMBOL', 'K', '2']) await tap(k);
  await waitForText(page, /PRINT 2\+2/i);
  await tap('ENTER');
  await waitForText(page, /^4\s*$/m);
  assert.deepEqual(page.errors, []);
});
