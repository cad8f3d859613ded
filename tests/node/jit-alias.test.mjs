// Entering a compiled function at any block of its region (core/jit/
// jit_cache.c jit_cache_alias, wasm-backend/wb_flow.c
// wb_flow_render_entries). A loop that a frame's deadline exit or an
// interrupt's return leaves at one of its blocks is re-entered there
// through the function already compiled (an alias sharing its table slot)
// instead of being counted to the threshold and compiled again from that
// block. Checked on the game-like workloads: aliases are made and run,
// each runs a function compiled for a region holding it, every compiled
// run matches the interpreter (lockstep), and the machine ends as the
// interpreter leaves it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createHeadless } from '../../web/node/headless.mjs';
import { startProgram } from './headless-helpers.mjs';

async function run(game, frames, { jit = true, lockstep = false } = {}) {
  const zx = await createHeadless({ jit, lockstep, compile: 'sync', jitOptions: jit ? { threshold: 20 } : null });
  startProgram(zx, { game });
  const h = createHash('sha256');
  for (let f = 0; f < frames; f++) {
    zx.runFrames(1);
    h.update(zx.core.frameBuffer());
  }
  const out = {
    frames: h.digest('hex'), tstates: zx.core.tstates, pc: zx.core.pc,
    ram: createHash('sha256').update(zx.core.ram()).digest('hex'),
    jit: jit ? zx.core.stats().jit : null,
    functions: jit ? zx.jit.functions({ states: ['compiled', 'load-form', 'invalidated'] }) : [],
  };
  zx.destroy();
  return out;
}

for (const [game, frames] of [['game_scroll', 300], ['game_sprites', 300], ['game_logic', 300]]) {
  test(`${game}: blocks of compiled loops are entered through the function already compiled, exactly`, async () => {
    const r = await run(game, frames, { lockstep: true });
    const s = r.jit;
    assert.ok(s.aliases >= 1, `no alias made: ${JSON.stringify(s)}`);
    assert.ok(s.lockstepChecks > 0);
    assert.equal(s.lockstepDivergences, 0, `compiled runs differ from the interpreter: ${JSON.stringify(s)}`);
    const aliases = r.functions.filter((f) => f.alias);
    const owners = r.functions.filter((f) => !f.alias && f.slot >= 0);
    assert.ok(aliases.length >= 1, 'the inspector lists no alias');
    assert.ok(aliases.some((f) => f.runs > 0), 'no alias ran');
    for (const f of aliases) {
      assert.equal(f.bytes, 0, `alias at ${f.pc.toString(16)} counts module bytes`);
      assert.equal(f.compiles, 0, `alias at ${f.pc.toString(16)} was compiled`);
      const owner = owners.find((g) => g.slot === f.slot);
      // its function's entry may have been evicted or compiled again since;
      // while it is there, the alias lies in its region
      if (owner) assert.ok(owner.lo <= f.pc && f.pc <= owner.hi, `alias at ${f.pc.toString(16)} outside ${JSON.stringify(owner)}`);
    }
  });
}

test('game_scroll: the machine ends as the interpreter leaves it, aliases and all', async () => {
  const interp = await run('game_scroll', 300, { jit: false });
  const jit = await run('game_scroll', 300);
  assert.ok(jit.jit.aliases >= 1, JSON.stringify(jit.jit));
  assert.equal(jit.frames, interp.frames, 'frame pictures differ');
  assert.equal(jit.tstates, interp.tstates, 'T-states differ');
  assert.equal(jit.pc, interp.pc, 'PC differs');
  assert.equal(jit.ram, interp.ram, 'RAM differs');
});
