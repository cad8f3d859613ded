// Indirect jumps predicted from a profile (core/jit/jit_internal.h
// jit_cache_note_target, jit_cache_retier; core/jit/z80/jit_region.c;
// wasm-backend/z80/wb_z80.c): game_logic (tests/z80src/game_logic.asm)
// dispatches its 48 entities through a jump table, JP (HL), to eight
// behaviours. The function holding the jump must be compiled again with
// the behaviours inside it, the inspector must say so, the results must
// stay the interpreter's (every compiled run checked in lockstep, and the
// final state compared), and the round trips between compiled functions
// must fall from the ~540 a frame they were without the profile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHeadless } from '../../web/node/headless.mjs';
import { sha256, gameSnapshot } from './headless-helpers.mjs';

// profileExits 256: the recompile in the first frames (the machine's
// default waits for 2^20 such exits, about half a minute of this program).
async function machine(opts) {
  const zx = await createHeadless(opts.jit ? { ...opts, jitOptions: { profileExits: 256 } } : opts);
  zx.load(gameSnapshot('game_logic'), 'game_logic.sna');
  return zx;
}

test('game_logic: the jump table\'s function is compiled again with its targets, and the transitions fall', async () => {
  const zx = await machine({ jit: true });
  zx.runFrames(300);
  const s0 = zx.core.stats().jit;
  zx.runFrames(100);
  const s = zx.core.stats().jit;
  assert.ok(s.retiered >= 1, JSON.stringify(s));
  const profiled = zx.jit.functions({ states: ['compiled'] }).filter((f) => f.profile === 'compiled');
  assert.ok(profiled.length >= 1, JSON.stringify(zx.jit.functions().slice(0, 5)));
  const f = profiled.sort((a, b) => b.runs - a.runs)[0];
  // the behaviours that took an eighth of the jumps (entities change type
  // as the game runs: five of the eight here); all of them in the program
  // (8000h on), and the function grew past the unprofiled limit
  assert.ok(f.targets.length >= 4 && f.targets.length <= 8, JSON.stringify(f));
  assert.ok(f.targets.every((t) => t >= 0x8000 && t < 0x8400), JSON.stringify(f.targets));
  assert.ok(f.blocks > 48, `${f.blocks} blocks`);
  assert.ok(f.indirectExits >= 256, JSON.stringify(f));
  const chained = (s.chained - s0.chained) / 100, normal = (s.exits.normal - s0.exits.normal) / 100;
  assert.ok(chained + normal < 100, `${chained} chained and ${normal} normal exits a frame`);
});

test('game_logic: identical to the interpreter, every compiled run checked in lockstep', async () => {
  const ref = await machine({ jit: false });
  ref.runFrames(150);
  const zx = await machine({ jit: true, lockstep: true });
  zx.runFrames(150);
  const s = zx.core.stats().jit;
  assert.ok(s.retiered >= 1 && s.lockstepChecks > 0, JSON.stringify(s));
  assert.equal(s.lockstepDivergences, 0, JSON.stringify(s.lockstepReports?.[0]));
  assert.equal(sha256(zx.core.ram()), sha256(ref.core.ram()), 'RAM differs');
  assert.equal(sha256(zx.core.saveSnapshot('szx')), sha256(ref.core.saveSnapshot('szx')), 'registers or T-states differ');
});

test('game_logic: by default the recompile waits for 2^20 indirect exits, not 256 (jitOptions.profileExits sets it)', async () => {
  const zx = await createHeadless({ jit: true });
  zx.load(gameSnapshot('game_logic'), 'game_logic.sna');
  zx.runFrames(300);
  const s = zx.core.stats().jit;
  assert.equal(s.retiered, 0, JSON.stringify(s));
  const recording = zx.jit.functions({ states: ['compiled'] }).filter((f) => f.indirectExits > 256 && f.profile === 'recording');
  assert.ok(recording.length >= 1, 'no function went past 256 indirect exits still recording');
  await assert.rejects(createHeadless({ jit: true, jitOptions: { profileExits: -1 } }), /jitOptions\.profileExits/);
  zx.destroy();
});
