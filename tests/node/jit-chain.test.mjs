// Chaining (core/jit/z80/jit_z80.c jit_chain, wasm-backend/z80/wb_z80_emit.c
// the shared exit): after a normal exit compiled code tail-calls the next
// compiled function through the core's table instead of returning to the
// dispatcher. Results must be the interpreter's with chaining on and off
// (RAM, picture, registers, T-states), on the whole 48K machine running the
// game-like programs of tests/z80src, and the dispatcher must really be
// skipped (each chained exit is a normal exit fewer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHeadless } from '../../web/node/headless.mjs';
import { sha256, gameSnapshot } from './headless-helpers.mjs';

async function finalState(name, { jit, chain = true, frames = 400 }) {
  const zx = await createHeadless({ jit });
  zx.load(gameSnapshot(name), `${name}.sna`);
  if (jit) zx.core.jitChaining = chain;
  zx.runFrames(frames);
  return {
    ram: sha256(zx.core.ram()),
    picture: sha256(zx.core.frameBuffer()),
    // registers, T-state in the frame, ports: all in an SZX snapshot
    snapshot: sha256(zx.core.saveSnapshot('szx')),
    jit: jit ? zx.core.stats().jit : null,
  };
}

for (const name of ['game_logic', 'game_sprites', 'game_smc']) {
  test(`${name}: identical with chaining on, off and the interpreter; chaining replaces the dispatcher's round trips`, async () => {
    const interp = await finalState(name, { jit: false });
    const on = await finalState(name, { jit: true, chain: true });
    const off = await finalState(name, { jit: true, chain: false });
    for (const [label, s] of [['chaining on', on], ['chaining off', off]]) {
      assert.equal(s.ram, interp.ram, `${label}: RAM differs from the interpreter's`);
      assert.equal(s.picture, interp.picture, `${label}: picture differs`);
      assert.equal(s.snapshot, interp.snapshot, `${label}: registers or T-states differ (SZX snapshot)`);
    }
    const detail = JSON.stringify({ on: on.jit, off: off.jit });
    assert.equal(off.jit.chained, 0, detail);
    assert.ok(on.jit.chained > 0, detail);
    // Every chained exit is a normal exit the dispatcher no longer sees (the
    // runs are the same run: each would have returned, then entered the
    // same function).
    assert.equal(on.jit.exits.normal + on.jit.chained, off.jit.exits.normal, detail);
    assert.equal(on.jit.insnsTotal, off.jit.insnsTotal, detail);
  });
}
