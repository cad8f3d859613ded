// The shared JS wrapper (web/spectrum-core.mjs) on its own: several machines
// on one module, the key tables against the C core's, ROMs, views after
// memory growth, the joystick, and use after destroy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore } from '../../web/node/load-core.mjs';
import { SpectrumCore, KEYS, JOY } from '../../web/spectrum-core.mjs';
import { createHeadless } from '../../web/node/headless.mjs';
import { sha256 } from './headless-helpers.mjs';

const module = await loadCore({ jit: false });

test('several machines share one module independently', () => {
  const a = new SpectrumCore(module);
  const b = new SpectrumCore(module);
  for (let i = 0; i < 30; i++) a.runFrame();
  assert.equal(a.frames, 30);
  assert.equal(b.frames, 0);
  a.poke(0x8000, 0x55);
  assert.equal(a.peek(0x8000), 0x55);
  assert.notEqual(b.peek(0x8000), 0x55);
  a.poke(0x0000, 0x00); // ROM: ignored
  assert.equal(a.peek(0x0000), 0xf3);
  assert.equal(a.width, 352);
  assert.equal(a.height, 296);
  assert.equal(a.frameBuffer().length, 352 * 296 * 4);
  assert.ok([958, 959].includes(a.audio().length), 'one frame of 48 kHz audio');
  a.destroy();
  b.destroy();
  assert.throws(() => a.runFrame(), /used after destroy/);
});

test('KEYS and JOY agree with the C core', () => {
  const core = new SpectrumCore(module);
  assert.deepEqual(core.keysForChar('a'), [KEYS.A]);
  assert.deepEqual(core.keysForChar('A'), [KEYS.CAPS, KEYS.A]);
  assert.deepEqual(core.keysForChar('+'), [KEYS.SYMBOL, KEYS.K]);
  assert.deepEqual(core.keysForChar('"'), [KEYS.SYMBOL, KEYS.P]);
  assert.deepEqual(core.keysForChar('\n'), [KEYS.ENTER]);
  assert.deepEqual(core.keysForChar(' '), [KEYS.SPACE]);
  assert.deepEqual(core.keysForChar('~'), []);
  for (const ch of 'BCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') assert.deepEqual(core.keysForChar(ch.toLowerCase()), [KEYS[ch]], ch);
  assert.deepEqual(JOY, { RIGHT: 1, LEFT: 2, DOWN: 4, UP: 8, FIRE: 16 });
  assert.throws(() => core.keyDown(5), /not a ZX key code: 5/);
  core.destroy();
});

test('a caller-supplied ROM is used; a wrong-sized one is refused', () => {
  const stock = new SpectrumCore(module);
  const rom = stock.rom();
  rom[0x3d00 + 8 * ('!'.charCodeAt(0) - 32) + 1] ^= 0xff; // change a glyph
  const custom = new SpectrumCore(module, { rom });
  assert.equal(custom.peek(0x3d09), rom[0x3d09]);
  assert.notEqual(custom.peek(0x3d09), stock.peek(0x3d09));
  assert.throws(() => new SpectrumCore(module, { rom: new Uint8Array(8192) }), /ROM: the ZX Spectrum 48K takes 16384 bytes, got 8192/);
  stock.destroy();
  custom.destroy();
});

test('views are re-derived after the module memory grows', () => {
  const core = new SpectrumCore(module);
  for (let i = 0; i < 20; i++) core.runFrame();
  const before = sha256(core.frameBuffer());
  const grown = module._malloc(64 << 20); // forces memory.grow: old views detach
  assert.ok(grown);
  assert.equal(sha256(core.frameBuffer()), before);
  module._free(grown);
  core.destroy();
});

test('the Kempston joystick reads back through IN 31', async () => {
  const zx = await createHeadless();
  zx.boot();
  zx.joystick('UP+FIRE');
  zx.type('PRINT IN 31\n');
  assert.equal(zx.screenText()[0].trimEnd(), '24');
  zx.destroy();
});
