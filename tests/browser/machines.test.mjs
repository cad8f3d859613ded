// The 128K family in the page and the embedding API: the machine selector,
// the header, the ROM prompt (sizes checked, ROMs kept in IndexedDB across
// a reload), a 128K program that selects its machine by itself, and the
// 'error' event of an unknown machine (never an uncaught exception).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser } from './harness.mjs';
import { screenText, waitForText } from './screen.mjs';
import { helloTap, screenWithText, z80Snapshot128 } from './fixtures.mjs';
import { createHeadless } from '../../web/node/headless.mjs';

let env;
let opense;
before(async () => {
  env = await openBrowser();
  const zx = await createHeadless();
  opense = zx.core.rom();   // the embedded OpenSE BASIC, as a stand-in 128K ROM pair
  zx.destroy();
});
after(async () => { await env?.close(); });

async function openPage(page, query = '') {
  await page.goto(env.url + query);
  await page.waitForFunction(() => window.zxCoreReady === true, null, { timeout: 30000 });
}

const header = (page) => page.locator('#model').textContent();

async function waitForHeader(page, text) {
  await page.waitForFunction((t) => document.getElementById('model').textContent === t, text, { timeout: 15000 });
}

test('the selector switches machines; the header and title follow; the 128K without ROMs asks for them and checks their sizes', async () => {
  const page = await env.newPage({ viewport: { width: 1280, height: 860 } });
  await openPage(page);
  assert.equal(await header(page), '48K');
  const options = await page.locator('select.machine-select option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  assert.deepEqual(options, [['48k', '48K'], ['128k', '128K'], ['plus2', '+2'], ['plus2a', '+2A'], ['plus3', '+3'], ['pentagon', 'Pentagon 128']]);
  assert.ok(await page.locator('.rom-prompt').isHidden(), 'no ROM prompt on the 48K');

  await page.selectOption('select.machine-select', '128k');
  await waitForHeader(page, '128K');
  assert.equal(await page.title(), 'ZX Spectrum 128K');
  const prompt = page.locator('.rom-prompt');
  await prompt.waitFor({ state: 'visible', timeout: 10000 });
  assert.match(await prompt.textContent(), /128K editor and menu are not available/);
  assert.match(await prompt.textContent(), /2 files of 16 KB \(the 128 editor, then 48 BASIC\) or one 32 KB file/);
  // It runs meanwhile, on OpenSE BASIC in the 48 BASIC slot.
  await waitForText(page, /© 1981 Nine Tiles/);
  assert.equal(await page.evaluate(() => window.spectrum.machine), '128k');
  assert.equal(await page.evaluate(() => window.spectrum.romFallback), true);

  // Wrong ROM files: the prompt says what is wrong and stays.
  const input = page.locator('.rom-prompt-input');
  const rom = (name, size) => ({ name, mimeType: 'application/octet-stream', buffer: Buffer.alloc(size) });
  await input.setInputFiles([rom('a.rom', 16384), rom('b.rom', 16384), rom('c.rom', 16384)]);
  await page.locator('.rom-prompt-error').waitFor({ state: 'visible' });
  assert.match(await page.locator('.rom-prompt-error').textContent(), /The ZX Spectrum 128K needs 2 files of 16 KB .* or one 32 KB file; 3 files were chosen\./);
  await input.setInputFiles([rom('128.rom', 1000)]);
  await page.waitForFunction(() => /128\.rom has 1000 bytes/.test(document.querySelector('.rom-prompt-error').textContent));
  await input.setInputFiles([rom('128-0.rom', 16384), rom('128-1.rom', 8192)]);
  await page.waitForFunction(() => /128-1\.rom has 8 KB, not 16 KB/.test(document.querySelector('.rom-prompt-error').textContent));
  assert.ok(await prompt.isVisible());

  // Look at it (desktop), then at a phone's width.
  await page.screenshot({ path: process.env.ZX_SHOTS ? `${process.env.ZX_SHOTS}/rom-prompt-desktop.png` : undefined });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: process.env.ZX_SHOTS ? `${process.env.ZX_SHOTS}/rom-prompt-phone.png` : undefined });

  // Good ROMs (two 16 KB files): the machine restarts on them; they are kept.
  await input.setInputFiles([
    { name: '128-1.rom', mimeType: 'application/octet-stream', buffer: Buffer.from(opense) },
    { name: '128-0.rom', mimeType: 'application/octet-stream', buffer: Buffer.from(opense) },
  ]);
  await prompt.waitFor({ state: 'hidden', timeout: 10000 });
  await page.waitForFunction(() => window.spectrum.romFallback === false, null, { timeout: 10000 });
  await waitForText(page, /© 1981 Nine Tiles/);

  // A reload remembers the machine (localStorage) and its ROMs (IndexedDB).
  await openPage(page);
  await waitForHeader(page, '128K');
  assert.equal(await page.evaluate(() => window.spectrum.machine), '128k');
  assert.equal(await page.evaluate(() => window.spectrum.romFallback), false);
  assert.ok(await prompt.isHidden(), 'no prompt: the ROMs came from IndexedDB');

  // Pentagon: its own header, and the page's statistics name it.
  await page.selectOption('select.machine-select', 'pentagon');
  await waitForHeader(page, 'Pentagon 128');
  assert.equal(await page.title(), 'Pentagon 128');
  await page.waitForFunction(() => window.spectrum.statistics()?.machine === 'pentagon', null, { timeout: 5000 });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a TAP loads and runs on the 128K (OpenSE in the 48 BASIC slot)', async () => {
  const page = await env.newPage();
  await openPage(page, '?machine=128k');
  await waitForHeader(page, '128K');
  await page.setInputFiles('#file', { name: 'hello.tap', mimeType: 'application/octet-stream', buffer: Buffer.from(helloTap('RAN ON A 128K')) });
  await waitForText(page, /RAN ON A 128K/, { timeout: 30000 });
  assert.equal(await page.evaluate(() => window.spectrum.machine), '128k');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a 128K snapshot selects the 128K by itself, pages its banks and shows the shadow screen; a 48K one goes back to the 48K', async () => {
  const page = await env.newPage();
  await openPage(page);
  assert.equal(await header(page), '48K');
  const font = opense.subarray(0x3d00, 0x4000);
  // Bank 7 holds the screen shown (0x7FFD bit 3) and bank 5 the normal one;
  // the program (DI; JR $ at 0x8000, bank 2) leaves them be.
  const code = new Uint8Array(16384);
  code.set([0xf3, 0x18, 0xfe]);
  const shadow = new Uint8Array(16384);
  shadow.set(screenWithText(font, [[0, 'SHADOW SCREEN IN BANK 7']]));
  const normal = new Uint8Array(16384);
  normal.set(screenWithText(font, [[0, 'NORMAL SCREEN IN BANK 5']]));
  // CHARS (23606) as the ROM sets it, 0x3C00: the screen reader takes the font from there.
  normal.set([0x00, 0x3c], 23606 - 0x4000);
  const bank3 = new Uint8Array(16384).fill(0x33);
  const snap = z80Snapshot128({ pc: 0x8000, sp: 0x8100, port7ffd: 0x08 | 0x03, banks: { 2: code, 3: bank3, 5: normal, 7: shadow } });
  await page.setInputFiles('#file', { name: 'paged.z80', mimeType: 'application/octet-stream', buffer: Buffer.from(snap) });
  await waitForHeader(page, '128K');
  assert.match(await page.locator('.zx-toast').first().textContent(), /Loaded paged\.z80 \(it needs the ZX Spectrum 128K, now running\)/);
  assert.equal(await page.evaluate(() => window.spectrum.machine), '128k');
  await waitForText(page, /^SHADOW SCREEN IN BANK 7/);
  await page.waitForFunction(() => window.spectrum.statistics()?.paging?.port7ffd === 0x0b, null, { timeout: 5000 });
  // Bank 3 is at 0xC000 (0x7FFD bits 0-2), bank 2 at 0x8000 as always.
  assert.deepEqual(await page.evaluate(() => Promise.all([0xc000, 0xffff, 0x8000].map((addr) => window.spectrum.call('peek', { addr })))), [0x33, 0x33, 0xf3]);
  // The ROM prompt: a 128K program without the 128K's ROMs.
  await page.locator('.rom-prompt').waitFor({ state: 'visible', timeout: 5000 });
  // Saved from the page: the core writes the running model's Z80; loaded
  // into a fresh page it brings the 128K back, banks and all.
  const saved = await page.evaluate(() => window.spectrum.snapshot('z80').then((b) => Array.from(b)));
  assert.equal(saved[34], 4, 'Z80 v3 hardware mode 4: 128K');
  // A 48K snapshot returns to the 48K.
  const z48 = await createHeadless();
  z48.boot();
  await page.setInputFiles('#file', { name: 'basic48.z80', mimeType: 'application/octet-stream', buffer: Buffer.from(z48.saveSnapshot('z80')) });
  z48.destroy();
  await waitForHeader(page, '48K');
  await waitForText(page, /© 1981 Nine Tiles/);
  assert.ok(await page.locator('.rom-prompt').isHidden());
  const again = await env.newPage();
  await openPage(again);
  await again.setInputFiles('#file', { name: 'saved.z80', mimeType: 'application/octet-stream', buffer: Buffer.from(saved) });
  await waitForHeader(again, '128K');
  await waitForText(again, /^SHADOW SCREEN IN BANK 7/);
  assert.deepEqual(again.errors, []);
  await again.context().close();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('<zx-spectrum machine="zx81"> and createSpectrum({ machine: "zx81" }) fire error events, with no uncaught exception', async () => {
  const page = await env.newPage();
  await page.goto(env.url + 'tests/browser/blank.html');   // a page of our origin with nothing on it
  const result = await page.evaluate(async () => {
    await import('/web/zx-spectrum-element.mjs');
    const { createSpectrum } = await import('/web/spectrum.mjs');
    const errorOf = (target) => new Promise((resolve) => target.addEventListener('error', (e) => resolve(e.detail.message), { once: true }));
    const el = document.createElement('zx-spectrum');
    el.setAttribute('machine', 'zx81');
    const elementError = errorOf(el);
    document.body.append(el);
    const box = document.createElement('div');
    document.body.append(box);
    const zx = createSpectrum(box, { machine: 'zx81', sound: false, jit: false });
    const apiError = errorOf(zx);
    const ready = await zx.ready.then(() => 'resolved', (e) => `rejected: ${e.message}`);
    // A good element, then switched to an unknown machine by its attribute: error, and it stays on its machine.
    const good = document.createElement('zx-spectrum');
    good.setAttribute('machine', '128k');
    good.setAttribute('jit', 'off');
    document.body.append(good);
    await good.ready;
    const before = good.machine;
    const switchError = errorOf(good);
    good.setAttribute('machine', 'spectrum-next');
    const switchMessage = await switchError;
    good.machine = 'plus2a';
    await new Promise((r) => good.addEventListener('machine', r, { once: true }));
    return { element: await elementError, api: await apiError, ready, before, switchMessage, after: good.machine, name: good.machineName };
  });
  assert.match(result.element, /unknown 'zx81' \(expected one of 48k, 128k, plus2, plus2a, plus3, pentagon\)/);
  assert.match(result.api, /unknown 'zx81'/);
  assert.match(result.ready, /^rejected: .*unknown 'zx81'/);
  assert.equal(result.before, '128k');
  assert.match(result.switchMessage, /unknown 'spectrum-next'/);
  assert.equal(result.after, 'plus2a');
  assert.equal(result.name, 'ZX Spectrum +2A');
  assert.deepEqual(page.errors.filter((e) => !/zx81|spectrum-next/.test(e)), []);
  assert.ok(!page.errors.some((e) => /Uncaught/.test(e)), page.errors.join('\n'));
  await page.context().close();
});
