// Self-modifying code under the dynarec (core/jit/jit_cache.c): code whose
// operands are patched every iteration runs compiled, in the load form
// (the patched operands read from guest memory when they run), with
// invalidations that stop; a program that rewrites many routines with a
// small cache compiles each of them a bounded number of times, because what
// was learnt about a spot (given up, backed off) survives eviction. Both on
// the flat 64K machine of the Wasm test build, with results identical to
// the interpreter's (registers, T-states, instructions, all 64K).
//
// Programs: tests/z80src/smc_blitter.asm, tests/z80src/smc_routines.asm
// (build/z80/*.bin, assembled by make z80bin / tools/assemble.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadTestProgram } from '../../web/node/load-core.mjs';
import { FlatMachine, FLAT_REGS, MODE, repoDir } from './zxtest-helpers.mjs';
import { MACHINE } from '../../web/zx-constants.mjs';
import { createHeadless } from '../../web/node/headless.mjs';
import { sha256, gameSnapshot } from './headless-helpers.mjs';

const zt = await loadTestProgram({ jit: true });
const stats = () => JSON.parse(zt.UTF8ToString(zt._zxw_jit_stats(zt._zxw_jit_shared())));

// Runs `frames` frames of the program on a fresh flat machine; returns the
// final state and the dynarec's statistics after each frame in `marks`.
function run(name, mode, frames, marks = []) {
  const m = new FlatMachine(zt, { mode });
  m.load(0x8000, readFileSync(path.join(repoDir, 'build/z80', `${name}.bin`)));
  m.set('pc', 0x8000);
  const at = {};
  for (let f = 1; f <= frames; f++) {
    m.run(MACHINE.FRAME_T);
    if (marks.includes(f)) at[f] = stats();
  }
  const base = zt._zxt_flat_mem();
  return {
    regs: Object.fromEntries(FLAT_REGS.map((r) => [r, m.get(r)])),
    tstates: m.tstates, instructions: m.instructions,
    memory: Buffer.from(zt.HEAPU8.subarray(base, base + 0x10000)),
    passes: m.peek16(0x8003), at,
  };
}

function assertSame(jit, interp) {
  assert.deepEqual(jit.regs, interp.regs);
  assert.equal(jit.tstates, interp.tstates);
  assert.equal(jit.instructions, interp.instructions);
  assert.ok(jit.memory.equals(interp.memory), 'memory differs from the interpreter\'s');
}

test('a blitter that patches its operands every iteration runs compiled, in the load form, without storms', () => {
  // Entries that run once or twice a pass reach the threshold (200) late:
  // by frame 400 every one has been compiled.
  const WARM = 400, END = 700;
  const interp = run('smc_blitter', MODE.interp, END);
  zt._zxw_jit_shared_configure(200, 8, 0, 0, 0); // the machine's threshold and batch
  const jit = run('smc_blitter', MODE.dynarec, END, [WARM, END]);
  assertSame(jit, interp);
  assert.ok(interp.passes > 500, `only ${interp.passes} passes`);
  const a = jit.at[WARM], b = jit.at[END];
  const share = (b.insnsCompiled - a.insnsCompiled) / (b.insnsTotal - a.insnsTotal);
  const detail = JSON.stringify({ warm: a, end: b });
  assert.ok(a.smcLoadFunctions > 0 && a.smcOperandChanges > 0, detail);
  assert.ok(share >= 0.9, `${(share * 100).toFixed(1)}% of instructions compiled after warm-up; ${detail}`);
  // Bounded: once the patched blocks run in the load form, patching them
  // invalidates nothing and nothing is compiled again (blocks left out of a
  // batch, core/jit/z80/jit_z80.c, are compiled only if the dispatcher
  // reaches them by itself as often as the threshold asks).
  assert.equal(b.invalidations, a.invalidations, detail);
  assert.equal(b.functions, a.functions, detail);
  assert.equal(b.batchCovered, a.batchCovered, detail);
  assert.ok(a.invalidations < 100, detail);
  assert.equal(b.givenUp, 0, detail);
});

test('a program rewriting many routines, with a small cache: compiles stay bounded across evictions', () => {
  const FRAMES = 600, ROUTINES = 64;
  const interp = run('smc_routines', MODE.interp, FRAMES);
  zt._zxw_jit_shared_configure(2, 8, 0, 48, 0);
  const jit = run('smc_routines', MODE.dynarec, FRAMES, [FRAMES / 3, FRAMES]);
  assertSame(jit, interp);
  const a = jit.at[FRAMES / 3], b = jit.at[FRAMES];
  const detail = JSON.stringify({ third: a, end: b, passes: interp.passes });
  assert.ok(interp.passes > 1000, detail);
  assert.ok(b.evictions > 0 && b.spotsRecalled > 0, detail);
  assert.ok(b.backoffs >= ROUTINES && b.smcOtherChanges > 0, detail);
  // The routines do not fit the cache: each is evicted and compiled again
  // on most passes (4 calls, threshold 2) until its changes put it in a
  // back-off longer than its calls per pass. Its changes are learnt when it
  // is evicted invalidated, and remembered for it when it comes back: the
  // compiles stop. Without that the storm goes on for good (before:
  // ~130 compiles a frame, 79,547 in 600 frames, 38 MB of Wasm).
  assert.ok(a.functions < ROUTINES * 40, detail);
  assert.ok(b.functions - a.functions < ROUTINES / 4, detail);
});

test('a routine with more patched operand bytes than 16 (game_smc: 21 a call) goes to the load form, not given up', async () => {
  // tests/z80src/game_smc.asm patches the screen address (2 bytes), sixteen
  // pixel immediates, the attribute address (2) and a colour (1) of one
  // unrolled routine before every call. The entry used to remember at most
  // 16 patched bytes and count the rest as changes of "other" bytes: the
  // routine was backed off, then given up (7 spots, ~25% of the game's
  // instructions interpreted; 56 other changes in 3,000 frames).
  const WARM = 500, END = 1500;
  const finalState = async (jit) => {
    const zx = await createHeadless({ jit });
    zx.load(gameSnapshot('game_smc'), 'game_smc.sna');
    zx.runFrames(WARM);
    const a = jit ? zx.core.stats().jit : null;
    zx.runFrames(END - WARM);
    const b = jit ? zx.core.stats().jit : null;
    return { a, b, hash: sha256(zx.core.ram()), frames: zx.core.ram()[0x8003 - 0x4000] | (zx.core.ram()[0x8004 - 0x4000] << 8) };
  };
  const interp = await finalState(false);
  const jit = await finalState(true);
  assert.equal(jit.hash, interp.hash, 'RAM differs from the interpreter\'s');
  assert.ok(interp.frames > 100, `only ${interp.frames} game frames`);
  const { a, b } = jit;
  const detail = JSON.stringify({ warm: a, end: b });
  assert.equal(b.givenUp, 0, detail);
  assert.equal(b.smcOtherChanges, 0, detail);
  assert.ok(b.smcLoadFunctions > 0, detail);
  // The game waits in HALT for the next frame; those instructions run
  // interpreted (fast-forwarded) and are counted apart. Of the rest, after
  // warm-up, nearly all run compiled (was ~68% with the routine given up).
  const d = (k) => b[k] - a[k];
  assert.ok(d('insnsHalted') > 0, detail);
  const share = d('insnsCompiled') / (d('insnsTotal') - d('insnsHalted'));
  assert.ok(share >= 0.9, `${(100 * share).toFixed(1)}% compiled besides HALT; ${detail}`);
  // Bounded: after warm-up patching invalidates nothing (a few entries
  // that run rarely still reach the threshold late).
  assert.equal(b.invalidations, a.invalidations, detail);
  assert.ok(b.functions - a.functions <= 4, detail);
});

test('lockstep stays silent on the load form: every compiled run of the SMC blitter checked against the interpreter', () => {
  const FRAMES = 300;
  const interp = run('smc_blitter', MODE.interp, FRAMES);
  zt._zxw_jit_shared_configure(20, 8, 2 /* lockstep */, 0, 0);
  const jit = run('smc_blitter', MODE.dynarec, FRAMES, [FRAMES]);
  assertSame(jit, interp);
  const s = jit.at[FRAMES];
  assert.ok(s.smcLoadFunctions > 0 && s.lockstepChecks > 1000, JSON.stringify(s));
  assert.equal(s.lockstepDivergences, 0, zt.UTF8ToString(zt._zxw_jit_shared_report()));
});

test('the statistics carry the self-modifying code counters', () => {
  zt._zxw_jit_shared_configure(0, 1, 0, 0, 0);
  const s = stats();
  for (const k of ['smcLoadFunctions', 'smcOperandChanges', 'smcOtherChanges', 'backoffs', 'givenUp', 'spotsRecalled']) {
    assert.equal(s[k], 0, `${k} in ${JSON.stringify(s)}`);
  }
});
