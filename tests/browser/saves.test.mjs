// Save slots, rewind and ZIP loading in the playable page (index.html),
// driven like a player: real key presses (F2, F4, F8, F9), the slots
// dialog's buttons, the file input and a dropped file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser } from './harness.mjs';
import { screenText, waitForText } from './screen.mjs';
import { helloTap } from './fixtures.mjs';
import { makeZip } from '../node/zip-builder.mjs';

let env;
before(async () => { env = await openBrowser(); });
after(async () => { await env?.close(); });

async function openPage(page, query = '') {
  await page.goto(env.url + query);
  await page.waitForFunction(() => window.zxCoreReady === true && window.zxSaveSlots, null, { timeout: 30000 });
  await waitForText(page, /© 1981 Nine Tiles/);
  await page.locator('.zx-screen').click();   // focus, as a player would
  await page.keyboard.press('Enter');         // the copyright screen gives way to the editor
  await page.waitForTimeout(300);
}

async function typeAndWait(page, text, pattern) {
  await page.evaluate((t) => window.spectrum.type(t), text);
  return waitForText(page, pattern);
}

async function toastText(page, pattern, timeout = 10000) {
  const toast = page.locator('.zx-toast', { hasText: pattern }).last();
  await toast.waitFor({ state: 'visible', timeout });
  return toast.textContent();
}

test('F2 saves to a slot, F4 brings the state back, with a thumbnail, after a reload too', async () => {
  const page = await env.newPage();
  await openPage(page);
  await typeAndWait(page, 'PRINT "SAVED IN SLOT"\n', /SAVED IN SLOT/);
  await page.keyboard.press('F2');
  await toastText(page, /Saved to slot 1/);
  await typeAndWait(page, 'CLS\n', /^(?![\s\S]*SAVED IN SLOT)/);
  await page.keyboard.press('F4');
  await toastText(page, /Loaded slot 1/);
  await waitForText(page, /SAVED IN SLOT/);

  // The dialog (F9): slot 1 has a thumbnail of the screen, the model and the date.
  await page.keyboard.press('F9');
  const card = page.locator('.zx-slot[data-slot="1"]');
  await card.locator('img').waitFor({ state: 'visible', timeout: 5000 });
  const thumb = await card.locator('img').evaluate((img) => ({ src: img.src.slice(0, 22), w: img.naturalWidth, h: img.naturalHeight }));
  assert.deepEqual(thumb, { src: 'data:image/png;base64,', w: 176, h: 148 });
  assert.match(await card.locator('.zx-slot-meta').textContent(), /^48K · .*\d/);
  assert.equal(await page.locator('.zx-slot[data-slot="2"] .zx-slot-pic').textContent(), 'Empty');
  await page.keyboard.press('Escape');   // the dialog closes
  await page.locator('dialog.zx-slots').waitFor({ state: 'hidden' });

  // A reload keeps the slot: F4 at once loads it again.
  await page.reload();
  await page.waitForFunction(() => window.zxCoreReady === true && window.zxSaveSlots, null, { timeout: 30000 });
  await page.locator('.zx-screen').click();
  await page.keyboard.press('F4');
  await waitForText(page, /SAVED IN SLOT/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the slots dialog saves, loads across models and deletes', async () => {
  const page = await env.newPage();
  await openPage(page);
  // slot 3 from a 128K (on the built-in ROM), then back on the 48K
  await page.evaluate(() => window.spectrum.setMachine('128k'));
  await page.waitForFunction(() => window.spectrum.machine === '128k');
  await waitForText(page, /© 1981 Nine Tiles/);
  await page.locator('[data-action="slots"]').click();
  await page.locator('.zx-slot[data-slot="3"] [data-action="save"]').click();
  await page.locator('.zx-slot[data-slot="3"] img').waitFor({ state: 'visible', timeout: 5000 });
  assert.match(await page.locator('.zx-slot[data-slot="3"] .zx-slot-meta').textContent(), /^128K · /);
  assert.ok(await page.locator('.zx-slot[data-slot="3"]').evaluate((el) => el.classList.contains('zx-slot-quick')), 'the slot saved to becomes the quick slot');
  await page.locator('dialog.zx-slots').getByRole('button', { name: 'Close', exact: true }).click();
  await page.locator('dialog.zx-slots').waitFor({ state: 'hidden' });
  await page.evaluate(() => window.spectrum.setMachine('48k'));
  await page.waitForFunction(() => window.spectrum.machine === '48k');

  await page.locator('[data-action="slots"]').click();
  await page.locator('.zx-slot[data-slot="3"] [data-action="load"]').click();
  await page.locator('dialog.zx-slots').waitFor({ state: 'hidden' });   // loading closes it
  await page.waitForFunction(() => window.spectrum.machine === '128k', null, { timeout: 10000 });
  assert.match(await toastText(page, /Loaded slot 3/), /needs the ZX Spectrum 128K, now running/);

  await page.locator('[data-action="slots"]').click();
  await page.locator('.zx-slot[data-slot="3"] [data-action="delete"]').click();
  await page.waitForFunction(() => document.querySelector('.zx-slot[data-slot="3"] .zx-slot-pic')?.textContent === 'Empty');
  assert.equal(await page.locator('.zx-slot[data-slot="3"] [data-action="load"]').isDisabled(), true);
  // an empty quick slot says so
  await page.locator('dialog.zx-slots').getByRole('button', { name: 'Close', exact: true }).click();
  await page.keyboard.press('F4');
  await toastText(page, /Slot 3 is empty/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('holding F8 goes back in time: a BASIC counter shows a smaller value, and counts on after', async () => {
  const page = await env.newPage();
  await openPage(page);
  await page.evaluate(() => window.spectrum.type('10 FOR n=1 TO 1E9: PRINT AT 0,0;n: NEXT n\nRUN\n'));
  const counter = async () => Number.parseInt((await screenText(page)).split('\n')[0], 10);
  await waitForText(page, /^\d+/, { timeout: 30000 });
  await page.waitForFunction(() => window.spectrum.rewindAvailable >= 4, null, { timeout: 20000 });
  await page.waitForTimeout(2000);
  const before = await counter();
  assert.ok(before > 0, `counting: ${before}`);
  await page.keyboard.down('F8');
  await page.waitForFunction(() => window.spectrum.statistics()?.rewind?.rewinding === true, null, { timeout: 5000 });
  // held until the screen shows an earlier count (each step is 0.5 s of play)
  let during = Number.NaN;
  for (let i = 0; i < 60 && !(during < before); i++) {
    await page.waitForTimeout(50);
    during = await counter();
  }
  await page.keyboard.up('F8');
  assert.ok(during < before, `rewound to ${during} from ${before}`);
  await page.waitForFunction(() => window.spectrum.statistics()?.rewind?.rewinding === false, null, { timeout: 5000 });
  await page.waitForTimeout(1000);
  const after = await counter();
  assert.ok(after > during, `counts on after rewinding: ${after} after ${during}`);

  // Paused, the API's hold (zx.rewinding) steps back too, and it stays paused there.
  await page.evaluate(() => window.spectrum.pause());
  await page.waitForTimeout(200);
  const paused = await counter();
  await page.evaluate(() => { window.spectrum.rewinding = true; });
  let scrubbed = Number.NaN;
  for (let i = 0; i < 60 && !(scrubbed < paused); i++) {
    await page.waitForTimeout(50);
    scrubbed = await counter();
  }
  await page.evaluate(() => { window.spectrum.rewinding = false; });
  assert.ok(scrubbed < paused, `paused: rewound to ${scrubbed} from ${paused}`);
  // (a step or two more may land before the release does)
  await page.waitForTimeout(300);
  const frames = await page.evaluate(() => window.spectrum.call('frames'));
  const shown = await screenText(page);
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => window.spectrum.call('frames')), frames, 'still paused');
  assert.equal(await screenText(page), shown);
  assert.ok(!(Number.parseInt(shown, 10) > scrubbed), `no further on: ${shown.split('\n')[0]} after ${scrubbed}`);
  await page.evaluate(() => window.spectrum.resume());

  // The API: rewind(seconds) at once; statistics say how much is kept and its memory.
  await page.waitForTimeout(2500);
  const r = await page.evaluate(() => window.spectrum.rewind(2));
  assert.ok(r.seconds >= 2 && r.seconds < 2.6, `went back ${r.seconds} s`);
  const s = await page.evaluate(() => window.spectrum.statistics().rewind);
  assert.equal(s.maxBytes, 16 * 1024 * 1024);
  assert.ok(s.bytes > 0 && s.bytes <= s.maxBytes);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a ZIP holding a tape loads from the file input and by dropping it; a ZIP with nothing loadable says so', async () => {
  const page = await env.newPage();
  await openPage(page);
  const zip = makeZip([{ name: 'readme.txt', data: Buffer.from('how to play') }, { name: 'GAME.TAP', data: helloTap('ZIP RAN OK'), deflate: true }]);
  await page.setInputFiles('#file', { name: 'game.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) });
  await waitForText(page, /ZIP RAN OK/, { timeout: 30000 });

  const dropped = makeZip([{ name: 'other/HELLO.TAP', data: helloTap('DROPPED ZIP OK'), deflate: true }]);
  const drop = (bytes, name) => page.evaluate(([data, fileName]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(data)], fileName, { type: 'application/zip' }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, [Array.from(bytes), name]);
  await drop(dropped, 'dropped.zip');
  await waitForText(page, /DROPPED ZIP OK/, { timeout: 30000 });

  await drop(makeZip([{ name: 'notes.txt', data: Buffer.from('x') }]), 'notes.zip');
  assert.match(await toastText(page, /notes\.zip/), /notes\.zip: the ZIP archive holds no tape or snapshot .*notes\.txt/);
  await waitForText(page, /DROPPED ZIP OK/);   // the program carries on
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
