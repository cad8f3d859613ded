// The JIT inspector panel on the playable page (web/ui/jit-inspector.mjs):
// opened while a guest loop runs, it lists the loop's function; selecting
// it shows the guest code and the Wasm text with the loop's operations;
// the 64K map selects a function on click; keys typed in the panel never
// reach the Spectrum; the frame profile chart draws bars. Screenshots go
// to /tmp/inspector-*.png for looking at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser } from './harness.mjs';
import { screenText } from './screen.mjs';

let env;
before(async () => { env = await openBrowser(); });
after(async () => { await env?.close(); });

// 8000 DI; LD HL,9000h; 8004 LD B,0; 8006 loop: LD A,(HL); ADD A,B; LD (HL),A; INC L; DJNZ loop; JR 8004
const LOOP = [0xf3, 0x21, 0x00, 0x90, 0x06, 0x00, 0x7e, 0x80, 0x77, 0x2c, 0x10, 0xfa, 0x18, 0xf6];


async function openPage() {
  const page = await env.newPage();
  await page.setViewportSize({ width: 1500, height: 980 });
  await page.goto(env.url);
  await page.waitForFunction(() => window.zxCoreReady === true, null, { timeout: 30000 });
  // the compiler loaded (it loads after the first frame)
  await page.waitForFunction(() => window.spectrum.statistics()?.jit.state === 'ready', null, { timeout: 60000 });
  return page;
}

test('open the inspector while a loop runs: its function, guest code and Wasm text; the map; no keys leak', async () => {
  const page = await openPage();
  await page.keyboard.press('Enter'); // leave the copyright screen
  await page.waitForTimeout(300);

  // Keys typed while the panel has focus stay in the panel.
  await page.click('button[data-action="inspector"]');
  await page.waitForSelector('.jit-inspector:not([hidden]) .ji-table tbody tr', { timeout: 15000 });
  const before = await screenText(page);
  await page.focus('.jit-inspector');
  await page.keyboard.type('PRINT 7');
  await page.keyboard.press('Enter');
  await page.click('.ji-table tbody tr');  // a row has focus now
  await page.waitForTimeout(1300);         // and the table was drawn again since (once a second)
  await page.keyboard.type('xyz');
  await page.waitForTimeout(500);
  assert.equal(await screenText(page), before, 'keys typed in the panel reached the Spectrum');
  await page.getByRole('button', { name: 'Close the JIT inspector' }).click();
  assert.equal(await page.isHidden('.jit-inspector'), true);

  // The loop, started from BASIC.
  await page.evaluate(async (code) => {
    for (let i = 0; i < code.length; i++) await window.spectrum.call('poke', { addr: 0x8000 + i, value: code[i] });
    await window.spectrum.type('RANDOMIZE USR 32768\n');
  }, LOOP);
  await page.waitForFunction(() => window.spectrum.jit.functions({ filter: '8006' }).then((l) => l.some((f) => f.pc === 0x8006 && f.state === 'compiled')),
    null, { timeout: 30000, polling: 500 });

  await page.click('button[data-action="inspector"]');
  await page.fill('.ji-filter', '8006');
  const row = page.locator('.ji-table tbody tr', { has: page.locator('td.c-pc', { hasText: '8006' }) });
  await row.first().waitFor({ timeout: 10000 });
  await row.first().click();
  await page.waitForFunction(() => document.querySelector('.ji-wasm')?.textContent.includes('(func'), null, { timeout: 10000 });
  const wasm = await page.textContent('.ji-wasm');
  for (const op of ['loop', 'i32.load8_u', 'i32.add']) assert.ok(wasm.includes(op), `${op} missing from the Wasm text`);
  // LD (HL),A: inline, or through the module's store helper where the
  // page may be the (hooked) screen's (wasm-backend/z80/wb_z80_emit.c)
  assert.ok(wasm.includes('i32.store8') || wasm.includes('call '), 'no store in the Wasm text');
  const guest = await page.textContent('.ji-guest');
  for (const want of ['LD A,(HL)', 'ADD A,B', 'LD (HL),A', 'DJNZ $8006']) assert.ok(guest.includes(want), `${want} missing from the guest code:\n${guest}`);
  const head = await page.textContent('.ji-detail-head');
  assert.match(head, /\$8006 bank 2 \$0006/);
  assert.match(head, /runs/);
  assert.ok(await page.locator('.ji-exit').count() >= 1, 'no exits shown');

  // the map: coverage mode colours the loop's bytes as compiled
  await page.click('.ji-seg[data-mode="cover"]');
  const px = await page.evaluate(() => {
    const c = document.querySelector('.ji-map');
    const d = c.getContext('2d').getImageData(0x07, 0x80, 1, 1).data; // 8007: x = 07, y = 80
    return Array.from(d.slice(0, 3));
  });
  assert.deepEqual(px, [255, 255, 255], 'the selected function is outlined on the map');
  // clicking the map selects the function there (the ROM's, at 0x0038 + ...)
  await page.fill('.ji-filter', '');
  const target = await page.evaluate(() => window.spectrum.jit.functions({ filter: 'ROM', sort: 'runs' }).then((l) => l.find((f) => f.visible && f.lo >= 0)));
  assert.ok(target, 'no ROM function compiled');
  const box = await page.locator('.ji-map').boundingBox();
  // A cell is ~1 px and the click's coordinates reach the page as whole
  // pixels: click a whole pixel inside the target's cell (its middle,
  // rounded, may fall in the cell before).
  const pixelIn = (start, size, i) => Math.ceil(start + (i * size) / 256);
  await page.mouse.click(pixelIn(box.x, box.width, target.pc & 255), pixelIn(box.y, box.height, target.pc >> 8));
  await page.waitForFunction((pc) => document.querySelector('.ji-detail-head b')?.textContent === '$' + pc.toString(16).toUpperCase().padStart(4, '0'),
    target.pc, { timeout: 10000 });

  // the frame profile chart: bars once a few statistics have arrived
  await page.waitForFunction(() => document.querySelector('.ji-chart-note')?.textContent.startsWith('Last:'), null, { timeout: 15000 });
  await page.click('.ji-seg[data-mode="heat"]');
  await row.first().click().catch(() => {});
  await page.fill('.ji-filter', '');
  await page.waitForTimeout(1500);
  await page.screenshot({ path: '/tmp/inspector-page.png' });
  await page.locator('.jit-inspector').screenshot({ path: '/tmp/inspector-panel.png' });
  await page.locator('.ji-profile').scrollIntoViewIfNeeded();
  await page.locator('.jit-inspector').screenshot({ path: '/tmp/inspector-panel-profile.png' });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('lockstep from the panel: checked runs counted, no divergences', async () => {
  const page = await openPage();
  await page.click('button[data-action="inspector"]');
  await page.waitForSelector('.jit-inspector:not([hidden])');
  await page.check('.ji-check input');
  await page.waitForFunction(() => /Lockstep: [\d,]+ compiled runs checked/.test(document.querySelector('.ji-lock-text')?.textContent ?? '') &&
    !/Lockstep: 0 compiled/.test(document.querySelector('.ji-lock-text').textContent), null, { timeout: 20000 });
  const text = await page.textContent('.ji-lock-text');
  assert.match(text, / 0 divergences/);
  assert.equal(await page.evaluate(() => window.spectrum.jit.lockstep()), true);
  await page.uncheck('.ji-check input');
  await page.waitForFunction(() => window.spectrum.jit.lockstep().then((on) => on === false), null, { timeout: 5000, polling: 200 });
  assert.deepEqual(page.errors, []);
  await page.close();
});
