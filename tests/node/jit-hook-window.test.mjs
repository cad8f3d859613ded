// The write-hook window (z80.h hook_window; core/machine/zx/zx_video.c,
// wasm-backend/z80/wb_z80_emit.c wb_write): compiled code stores into the
// screen without calling the core unless a latched, undrawn cell reads the
// byte. The picture must still be the interpreter's, frame by frame, when
// stores race the beam at every phase (tests/z80src/beam_race.asm), and the
// calls saved must be real: the JIT's machine runs the racing program with
// most of its stores inline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHeadless } from '../../web/node/headless.mjs';
import { sha256, gameSnapshot } from './headless-helpers.mjs';

async function pictures(name, { jit, frames }) {
  const zx = await createHeadless({ jit });
  zx.load(gameSnapshot(name), `${name}.sna`);
  const hashes = [];
  for (let f = 0; f < frames; f++) {
    zx.runFrames(1);
    hashes.push(sha256(zx.core.frameBuffer()));
  }
  return { hashes, ram: sha256(zx.core.ram()), snapshot: sha256(zx.core.saveSnapshot('szx')), zx };
}

test('beam_race: every frame\'s picture, RAM and state equal the interpreter\'s', async () => {
  const frames = 300;
  const interp = await pictures('beam_race', { jit: false, frames });
  const jit = await pictures('beam_race', { jit: true, frames });
  const differ = interp.hashes.findIndex((h, i) => h !== jit.hashes[i]);
  assert.equal(differ, -1, `frame ${differ} differs from the interpreter's picture`);
  assert.equal(jit.ram, interp.ram, 'RAM differs');
  assert.equal(jit.snapshot, interp.snapshot, 'registers or T-states differ');
  const s = jit.zx.core.stats().jit;
  const detail = JSON.stringify(s);
  assert.ok(s.insnsCompiled > (s.insnsTotal - s.insnsHalted) * 0.9, `the sweep runs compiled: ${detail}`);
  // 1,000 screen stores a frame; only those a latched, undrawn cell reads
  // (and the first store after the code is compiled) go through the core
  assert.ok(s.coreWrites < frames * 1000 / 4, `most stores are inline: ${detail}`);
});
