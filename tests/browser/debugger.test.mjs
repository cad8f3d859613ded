// The debugger panel on the playable page (web/ui/debugger.mjs), driven like
// a user: a breakpoint on a ROM routine set in the panel, hit, a step, a
// register edited, resume; keys typed into the panel never reach the
// Spectrum; run to cursor; and a breakpoint inside hot compiled code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser } from './harness.mjs';
import { screenText } from './screen.mjs';

let env;
before(async () => { env = await openBrowser(); });
after(async () => { await env?.close(); });

async function openPage() {
  const page = await env.newPage();
  await page.goto(env.url);
  await page.waitForFunction(() => window.zxCoreReady === true, null, { timeout: 30000 });
  // The panel is loaded after the first frame (web/ui/app.mjs).
  await page.waitForSelector('.dbg', { state: 'attached', timeout: 10000 });
  await page.waitForTimeout(500);
  return page;
}

const regValue = (page, name) => page.$eval(`.dbg-reg[aria-label="${name}"]`, (e) => e.value);
const status = (page) => page.$eval('.dbg-status', (e) => e.textContent);
const frames = (page) => page.evaluate(() => window.spectrum.debug.position().then((p) => p.frame));

test('the panel: a breakpoint on the ROM\'s interrupt routine, hit, step, edit a register, resume', async () => {
  const page = await openPage();
  assert.equal(await page.$eval('.dbg', (e) => e.hidden), true, 'off by default');
  await page.click('[data-action="debugger"]');
  assert.equal(await page.$eval('.dbg', (e) => e.hidden), false);
  assert.match(await status(page), /Running/);

  await page.selectOption('.dbg-select', 'pc');
  await page.fill('.dbg-wide', '0038');
  await page.press('.dbg-wide', 'Enter');
  await page.waitForSelector('.dbg-broken', { timeout: 5000 });
  assert.match(await status(page), /Stopped: breakpoint 1/);
  assert.equal(await regValue(page, 'PC'), '0038');
  assert.equal(await page.$eval('.dbg-pc', (e) => Number(e.dataset.addr)), 0x38, 'the code view shows PC');
  assert.match(await page.$eval('.dbg-bps', (e) => e.textContent), /pc\s*0038\s*1×/);

  const first = await page.$eval('.dbg-pc .dbg-t', (e) => e.textContent);
  await page.click('.dbg-btn[title^="Step into"]');
  await page.waitForFunction(() => document.querySelector('.dbg-reg[aria-label="PC"]').value !== '0038');
  assert.equal(await regValue(page, 'PC'), '0039', `stepped over ${first}`);
  assert.match(await status(page), /Stopped: step/);

  await page.click('.dbg-reg[aria-label="BC"]');
  await page.fill('.dbg-reg[aria-label="BC"]', '1234');
  await page.press('.dbg-reg[aria-label="BC"]', 'Enter');
  await page.waitForFunction(() => document.querySelector('.dbg-reg[aria-label="BC"]').value === '1234');
  const regs = await page.evaluate(() => window.spectrum.debug.registers());
  assert.equal(regs.BC, 0x1234, 'the machine has the new BC');
  await page.click('.dbg-flag:has-text("C")');
  await page.waitForFunction((was) => document.querySelectorAll('.dbg-flag')[7].getAttribute('aria-pressed') === String(!was), regs.flags.C);
  const f = (await page.evaluate(() => window.spectrum.debug.registers())).flags.C;
  assert.equal(f, !regs.flags.C, 'clicking the C flag flips it');

  // Continue: the breakpoint is still there, so the next interrupt stops again
  const frame = await frames(page);
  await page.click('.dbg-btn.dbg-primary');
  await page.waitForFunction(() => document.querySelector('.dbg-reg[aria-label="PC"]').value === '0038' &&
    document.querySelector('.dbg-status').textContent.includes('breakpoint'), null, { timeout: 5000 });
  assert.ok(await frames(page) > frame, 'it ran on to the next frame\'s interrupt');
  assert.match(await page.$eval('.dbg-bps', (e) => e.textContent), /2×/);

  // The gutter removes it; Continue runs freely
  await page.click('.dbg-pc .dbg-gutter');
  await page.waitForFunction(() => document.querySelector('.dbg-bps .dbg-empty') !== null);
  await page.click('.dbg-btn.dbg-primary');
  await page.waitForFunction(() => document.querySelector('.dbg-status').textContent === 'Running');
  const f0 = await frames(page);
  await page.waitForTimeout(400);
  assert.ok(await frames(page) > f0 + 5, 'running at full speed again');
  await page.getByRole('button', { name: 'Close the debugger' }).click();
  assert.equal(await page.$eval('.dbg', (e) => e.hidden), true, 'its × closes it');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('keys typed into the panel never reach the Spectrum', async () => {
  const page = await openPage();
  await page.keyboard.press('Enter');      // leave the copyright screen for the editor
  await page.waitForTimeout(400);
  await page.click('[data-action="debugger"]');
  const before = await screenText(page);
  await page.click('.dbg-wide');
  await page.keyboard.type('qwerty', { delay: 40 });
  await page.click('.dbg-reg[aria-label="HL"]');   // a read-only register while running: still the panel's
  await page.keyboard.type('zxcv', { delay: 40 });
  await page.waitForTimeout(400);
  assert.equal(await screenText(page), before, 'the Spectrum saw none of it');
  assert.equal(await page.$eval('.dbg-wide', (e) => e.value), 'qwerty');
  // the same keys with the focus on the page do reach it (the check can fail)
  await page.click('.zx-screen canvas');
  await page.keyboard.type('qwerty', { delay: 60 });
  await page.waitForTimeout(400);
  assert.notEqual(await screenText(page), before);
  await page.close();
});

test('run to cursor: click a line of the code; F5 breaks and continues', async () => {
  const page = await openPage();
  await page.click('[data-action="debugger"]');
  await page.keyboard.press('F5');   // break where it is
  await page.waitForSelector('.dbg-broken', { timeout: 5000 });
  assert.match(await status(page), /Stopped: break/);
  // the ROM's interrupt routine is entered every frame: run to its second instruction
  await page.fill('.dbg-addr[aria-label="Show code at address"]', '0038');
  await page.press('.dbg-addr[aria-label="Show code at address"]', 'Enter');
  await page.waitForSelector('.dbg-line[data-addr="57"]');
  await page.click('.dbg-line[data-addr="57"] .dbg-t');
  await page.waitForFunction(() => document.querySelector('.dbg-status').textContent.startsWith('Stopped: reached'), null, { timeout: 5000 });
  assert.equal(await regValue(page, 'PC'), '0039');
  // the memory view goes where it is told; what is not an address is said so
  const mem = '.dbg-addr[aria-label="Memory address"]';
  await page.fill(mem, 'zz');
  await page.press(mem, 'Enter');
  await page.waitForSelector('.dbg-error:not([hidden])');
  assert.equal(await page.textContent('.dbg-error'), "'zz' is not an address (hex, e.g. 4000)");
  await page.fill(mem, '5c3a');
  await page.press(mem, 'Enter');
  await page.waitForFunction(() => document.querySelector('.dbg-mem .dbg-a')?.textContent === '5C3A');
  assert.equal(await page.$eval(mem, (e) => e.value), '5C3A');
  await page.keyboard.press('F5');
  await page.waitForFunction(() => document.querySelector('.dbg-status').textContent === 'Running');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('with the dynarec: a breakpoint inside a hot compiled loop stops on each pass', async () => {
  const page = await openPage();
  await page.waitForFunction(() => window.spectrum.statistics()?.jit.state === 'ready', null, { timeout: 30000 });
  // 8000 DI / LD SP,$FF00 / LD HL,$9000 / LD DE,0 / LD A,0; 800C loop: LD (HL),A / INC L / INC DE / ADD A,E / JP $800C
  const result = await page.evaluate(async () => {
    const d = window.spectrum.debug;
    await d.break();
    await d.poke(0x8000, [0xf3, 0x31, 0x00, 0xff, 0x21, 0x00, 0x90, 0x11, 0x00, 0x00, 0x3e, 0x00, 0x77, 0x2c, 0x13, 0x83, 0xc3, 0x0c, 0x80]);
    await d.setRegisters({ PC: 0x8000 });
    await d.continue();
    // Wait for the loop to run compiled: a half-second window (the figures
    // come twice a second) in which most instructions ran compiled. A fixed
    // 1.5 s was too short on a loaded machine, where the compiler's Worker
    // took up to 0.8 s to install the loop and fewer frames ran.
    const core = () => window.spectrum.statistics().jit.core;
    let jit = core();
    let share = 0;
    for (let i = 0; i < 40 && !(share > 0.5); i++) {
      await new Promise((r) => setTimeout(r, 500));
      const now = core();
      share = (now.insnsCompiled - jit.insnsCompiled) / Math.max(1, now.insnsTotal - jit.insnsTotal);
      jit = now;
    }
    const breaks = [];
    const hit = () => new Promise((resolve) => window.spectrum.addEventListener('break', (e) => resolve(e.detail), { once: true }));
    let next = hit();
    await d.addBreakpoint({ pc: 0x800f });
    for (let i = 0; i < 5; i++) {
      const v = await next;
      breaks.push({ pc: v.registers.PC, de: v.registers.DE, reason: v.stop.reason });
      next = hit();
      await d.continue();
    }
    return { jit, share, breaks };
  });
  assert.ok(result.share > 0.5, `the loop ran compiled (share ${result.share}): ${JSON.stringify(result.jit)}`);
  for (const b of result.breaks) assert.deepEqual([b.pc, b.reason], [0x800f, 'breakpoint']);
  const des = result.breaks.map((b) => b.de);
  for (let i = 1; i < des.length; i++) assert.equal(des[i], (des[i - 1] + 1) & 0xffff, `one pass of the loop per break: ${des}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});
