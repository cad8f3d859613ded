// The playable page at phone and desktop sizes: the Spectrum's screen is on
// the page, uncovered and large in both orientations; the touch d-pad drives
// the selected joystick as the guest sees it (a machine-code loop reading
// port 0x1F for Kempston, the keyboard's half-row 6-0 for Sinclair); the touch keyboard folds away; the
// statistics panel fits and shows text, not raw objects, and stands still
// while paused.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser } from './harness.mjs';

let env;
before(async () => { env = await openBrowser(); });
after(async () => { await env?.close(); });
// Each test's pages close after it (a page left open keeps its Spectrum running).
const opened = [];
afterEach(async () => { for (const page of opened.splice(0)) await page.context().close(); });

const PORTRAIT = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 1 };
const LANDSCAPE = { viewport: { width: 844, height: 390 }, hasTouch: true, isMobile: true, deviceScaleFactor: 1 };
const DESKTOP = { viewport: { width: 1280, height: 860 } };

async function openPage(options, query = '') {
  const page = await env.newPage(options);
  opened.push(page);
  await page.goto(env.url + query);
  await page.waitForFunction(() => window.zxCoreReady === true, null, { timeout: 30000 });
  return page;
}

// The canvas's box, the viewport, and what is on top at points across the
// canvas (its centre and near its corners).
function canvasView(page) {
  return page.evaluate(() => {
    const c = document.querySelector('.zx-screen canvas');
    const r = c.getBoundingClientRect();
    const points = [[0.5, 0.5], [0.1, 0.1], [0.9, 0.1], [0.1, 0.9], [0.9, 0.9]];
    const onTop = points.map(([fx, fy]) => {
      const el = document.elementFromPoint(r.left + r.width * fx, r.top + r.height * fy);
      return el === c ? 'canvas' : el ? `${el.tagName.toLowerCase()}.${el.className}` : 'nothing';
    });
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height, vw: innerWidth, vh: innerHeight, onTop };
  });
}

function box(page, selector) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el || el.closest('[hidden]')) return null;
    const r = el.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
  }, selector);
}

const overlaps = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
const inside = (a, v) => a.left >= -0.5 && a.top >= -0.5 && a.right <= v.vw + 0.5 && a.bottom <= v.vh + 0.5;

function assertScreenShown(v, { share, axis }) {
  assert.ok(inside(v, v), `the canvas is inside the viewport: ${JSON.stringify(v)}`);
  assert.deepEqual(v.onTop, Array(5).fill('canvas'), 'nothing covers the canvas');
  const limit = axis === 'width' ? v.vw : v.vh;
  const size = axis === 'width' ? v.width : v.height;
  assert.ok(size >= share * limit, `the canvas's ${axis} ${size.toFixed(0)} px is at least ${share * 100}% of the viewport's ${limit} px`);
}

// The controls the player needs on a phone: on the page, clear of the screen.
async function assertControlsClear(page, v) {
  for (const sel of ['.zx-dpad', '.zx-fire', '.zx-osk']) {
    const b = await box(page, sel);
    assert.ok(b, `${sel} is shown on a touch device`);
    assert.ok(inside(b, v), `${sel} is inside the viewport: ${JSON.stringify(b)}`);
    assert.ok(!overlaps(b, v), `${sel} does not overlap the screen: ${JSON.stringify(b)} vs ${JSON.stringify(v)}`);
  }
  // Every setting can be reached (the toolbar may scroll sideways).
  for (const sel of ['select[aria-label^="Joystick"]', '.tool-check input', '[data-action="dpad"]']) {
    const el = page.locator(sel);
    await el.scrollIntoViewIfNeeded();
    const b = await box(page, sel);
    assert.ok(b && b.width > 0 && inside(b, v), `${sel} can be reached: ${JSON.stringify(b)}`);
  }
}

test('phone portrait (390x844, touch): the screen is uncovered and as wide as the phone, controls below it', async () => {
  const page = await openPage(PORTRAIT);
  const v = await canvasView(page);
  assertScreenShown(v, { share: 0.8, axis: 'width' });
  await assertControlsClear(page, v);
  // Top to bottom: screen, d-pad, keyboard.
  const pad = await box(page, '.zx-dpad');
  const osk = await box(page, '.zx-osk');
  assert.ok(pad.top >= v.bottom && osk.top >= pad.bottom, `screen, then d-pad, then keyboard: ${v.bottom} ${pad.top}-${pad.bottom} ${osk.top}`);
  assert.deepEqual(page.errors, []);
});

test('phone landscape (844x390, touch): the screen keeps the height, d-pad and keyboard beside it', async () => {
  const page = await openPage(LANDSCAPE);
  const v = await canvasView(page);
  assertScreenShown(v, { share: 0.6, axis: 'height' });
  await assertControlsClear(page, v);
  const pad = await box(page, '.zx-dpad');
  const osk = await box(page, '.zx-osk');
  assert.ok(pad.right <= v.left && osk.left >= v.right, `d-pad left of the screen, keyboard right of it: ${JSON.stringify({ pad, v, osk })}`);
  assert.deepEqual(page.errors, []);
});

test('the keyboard panel folds away with its own button and comes back from the toolbar; the screen grows', async () => {
  const page = await openPage(LANDSCAPE);
  const before = await canvasView(page);
  const keyboardButton = page.locator('[data-action="keyboard"]');
  assert.equal(await keyboardButton.getAttribute('aria-pressed'), 'true');
  await page.getByRole('button', { name: 'Hide the keyboard' }).tap();
  await page.locator('.zx-osk').waitFor({ state: 'hidden' });
  assert.equal(await keyboardButton.getAttribute('aria-pressed'), 'false', 'the toolbar button follows');
  const folded = await canvasView(page);
  assertScreenShown(folded, { share: 0.75, axis: 'height' });
  assert.ok(folded.height > before.height + 20, `the screen grew: ${before.height} -> ${folded.height}`);
  // Landscape without the keyboard: the d-pad left of the screen, fire right.
  const pad = await box(page, '.zx-dpad');
  const fire = await box(page, '.zx-fire');
  assert.ok(pad.right <= folded.left && fire.left >= folded.right, `d-pad left, fire right: ${JSON.stringify({ pad, fire, folded })}`);
  await keyboardButton.scrollIntoViewIfNeeded();
  await keyboardButton.tap();
  await page.locator('.zx-osk').waitFor({ state: 'visible' });
  assert.equal(await keyboardButton.getAttribute('aria-pressed'), 'true');
  assertScreenShown(await canvasView(page), { share: 0.6, axis: 'height' });
  assert.deepEqual(page.errors, []);
});

test('desktop (1280x860): the screen fills the stage and the d-pad can be switched on beside it', async () => {
  const page = await openPage(DESKTOP);
  const v = await canvasView(page);
  assertScreenShown(v, { share: 0.65, axis: 'height' });
  assert.equal(await box(page, '.zx-dpad'), null, 'no d-pad without a touch screen');
  assert.equal(await box(page, '.zx-osk'), null, 'no touch keyboard without a touch screen');
  await page.click('[data-action="dpad"]');
  const withPad = await canvasView(page);
  assertScreenShown(withPad, { share: 0.6, axis: 'height' });
  const pad = await box(page, '.zx-dpad');
  assert.ok(pad && !overlaps(pad, withPad), 'the d-pad is beside the screen');
  assert.deepEqual(page.errors, []);
});

// ---- the d-pad as the guest sees it

// A 48K SNA snapshot (27-byte header, then RAM from 0x4000; PC is popped
// from the stack) of a loop that stores what the guest reads from the
// Kempston port (0x1F) at 0x9000 and from the keyboard's half-row of keys
// 6-0 (port 0xEFFE; bit 0 is key 0 ... bit 4 key 6, 0 = pressed) at 0x9001.
function portReaderSna() {
  const sna = new Uint8Array(27 + 0xc000);
  const ram = (addr) => 27 + addr - 0x4000;
  const sp = 0xff00;
  sna[19] = 0;                      // IFF2: interrupts off
  sna[23] = sp & 0xff;
  sna[24] = sp >> 8;
  sna[25] = 1;                      // IM 1
  sna[26] = 7;                      // white border
  sna.fill(0x38, ram(0x5800), ram(0x5b00));
  sna[ram(sp)] = 0x00;              // PC = 0x8000
  sna[ram(sp + 1)] = 0x80;
  sna.set([
    0xf3,                           // 8000 di
    0xaf,                           // 8001 loop: xor a
    0xdb, 0x1f,                     //      in a,(0x1f)
    0x32, 0x00, 0x90,               //      ld (0x9000),a
    0x01, 0xfe, 0xef,               //      ld bc,0xeffe
    0xed, 0x78,                     //      in a,(c)
    0x32, 0x01, 0x90,               //      ld (0x9001),a
    0x18, 0xf0,                     //      jr loop
  ], ram(0x8000));
  return sna;
}

async function runPortReader(page) {
  await page.evaluate((bytes) => window.spectrum.load(new Uint8Array(bytes), 'ports.sna'), [...portReaderSna()]);
}

// What the guest last read: [Kempston port, keys 6-0], from a snapshot of its RAM.
const readPorts = (page) => page.evaluate(async () => {
  const s = await window.spectrum.snapshot('sna');
  return [s[27 + 0x5000], s[27 + 0x5001]];
});

// Waits until the guest's reads satisfy `want` ([kempston, row]); returns them.
async function portsUntil(page, want, what) {
  const end = Date.now() + 15000;
  let got = null;
  while (Date.now() < end) {
    got = await readPorts(page);
    if (want(got)) return got;
    await page.waitForTimeout(50);
  }
  assert.fail(`${what}: the guest reads ${JSON.stringify(got)}`);
}

// Fingers on the touch screen through the DevTools protocol (several at once,
// held down as long as we like).
async function touch(page, cdp, type, points) {
  await cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map(([x, y], id) => ({ x, y, id })) });
  await page.waitForTimeout(30);
}

test('the d-pad drives a Kempston joystick: a diagonal with fire held, as the guest reads port 0x1F', async () => {
  const page = await openPage(PORTRAIT);
  await page.selectOption('select[aria-label^="Joystick"]', 'kempston');
  await runPortReader(page);
  const [idleKempston, idleRow] = await portsUntil(page, ([k, row]) => k === 0 && row !== 0, 'nothing held');
  const pad = await box(page, '.zx-dpad');
  const fire = await box(page, '.zx-fire');
  const cx = pad.left + pad.width / 2;
  const cy = pad.top + pad.height / 2;
  const r = pad.width / 2;
  const cdp = await page.context().newCDPSession(page);
  // Thumb up and to the right (45 degrees), then a second finger on fire.
  await touch(page, cdp, 'touchStart', [[cx + r * 0.6, cy - r * 0.6]]);
  await portsUntil(page, ([k]) => k === 9, 'UP+RIGHT (8+1)');
  await touch(page, cdp, 'touchStart', [[cx + r * 0.6, cy - r * 0.6], [fire.left + fire.width / 2, fire.top + fire.height / 2]]);
  const [k, row] = await portsUntil(page, ([k]) => k === 25, 'UP+RIGHT+FIRE (8+1+16)');
  assert.equal(row, idleRow, 'a Kempston joystick presses no keys');
  // The thumb slides round to straight down, fire still held.
  await touch(page, cdp, 'touchMove', [[cx, cy + r * 0.7], [fire.left + fire.width / 2, fire.top + fire.height / 2]]);
  await portsUntil(page, ([k]) => k === 20, 'DOWN+FIRE (4+16)');
  await touch(page, cdp, 'touchEnd', []);
  await portsUntil(page, ([k]) => k === idleKempston, 'released');
  assert.deepEqual(page.errors, []);
});

test('the d-pad drives a Sinclair joystick: keys 6 (left) and 0 (fire) on port 0xEFFE', async () => {
  const page = await openPage(PORTRAIT);
  await page.selectOption('select[aria-label^="Joystick"]', 'sinclair');
  await runPortReader(page);
  const [, idleRow] = await portsUntil(page, ([k, row]) => k === 0 && (row & 0x1f) === 0x1f, 'nothing held');
  const pad = await box(page, '.zx-dpad');
  const fire = await box(page, '.zx-fire');
  const cdp = await page.context().newCDPSession(page);
  const left = [pad.left + pad.width * 0.15, pad.top + pad.height / 2];
  await touch(page, cdp, 'touchStart', [left, [fire.left + fire.width / 2, fire.top + fire.height / 2]]);
  const [k, row] = await portsUntil(page, ([, row]) => row === (idleRow & ~0x11), 'keys 6 and 0 down');
  assert.equal(k, 0, 'a Sinclair joystick leaves the Kempston port alone');
  await touch(page, cdp, 'touchEnd', []);
  await portsUntil(page, ([, row]) => row === idleRow, 'released');
  assert.deepEqual(page.errors, []);
});

// ---- the statistics panel

test('the statistics panel fits the phone screen, shows text in sections, and stands still while paused', async () => {
  for (const options of [PORTRAIT, LANDSCAPE]) {
    const page = await openPage(options, '?stats');
    const panel = page.locator('.zx-stats');
    await panel.waitFor({ state: 'visible' });
    await page.waitForFunction(() => /Dynarec/.test(document.querySelector('.zx-stats')?.textContent ?? ''), null, { timeout: 10000 });
    // The dynarec's figures (with their nested exit counts) once it compiles.
    await page.waitForFunction(() => /Exits/.test(document.querySelector('.zx-stats').textContent), null, { timeout: 20000 });
    const text = await panel.textContent();
    assert.doesNotMatch(text, /\[object Object\]|undefined|NaN/, 'no raw values');
    for (const section of ['Emulation', 'Frame time', 'Sound', 'Dynarec']) assert.match(text, new RegExp(section), `a ${section} section`);
    assert.match(text, /Longest\s*[\d.]+ ms in the last 5 s/, 'the longest recent frame');
    const p = await box(page, '.zx-stats');
    const screen = await box(page, '.zx-screen');
    const v = { vw: options.viewport.width, vh: options.viewport.height };
    assert.ok(inside(p, v), `the panel is inside the viewport: ${JSON.stringify(p)}`);
    assert.ok(p.bottom <= screen.bottom + 0.5 && p.right <= screen.right + 0.5, 'the panel stays on the screen');
    const scroll = await page.evaluate(() => {
      const b = document.querySelector('.zx-stats-body');
      return { overflowY: getComputedStyle(b).overflowY, scrollHeight: b.scrollHeight, clientHeight: b.clientHeight };
    });
    assert.equal(scroll.overflowY, 'auto', 'what does not fit scrolls inside the panel');

    await page.evaluate(() => window.spectrum.pause());
    await page.waitForFunction(() => /paused/.test(document.querySelector('.zx-stats-state').textContent));
    const frozen = await page.locator('.zx-stats-body').textContent();
    await page.waitForTimeout(1500);
    assert.equal(await page.locator('.zx-stats-body').textContent(), frozen, 'the figures stand still while paused');
    await page.evaluate(() => window.spectrum.resume());
    await page.waitForFunction(() => document.querySelector('.zx-stats-state').textContent === '');

    // Its close button closes it, and the toolbar follows.
    await page.getByRole('button', { name: 'Close the statistics' }).tap();
    await panel.waitFor({ state: 'hidden' });
    assert.equal(await page.locator('[data-action="stats"]').getAttribute('aria-pressed'), 'false');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
