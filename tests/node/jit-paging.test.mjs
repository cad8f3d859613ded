// The dynarec's code cache on physical memory: build/z80/jit_paging.bin
// (tests/z80src/jit_paging.asm) on the banked machine of the Wasm test build
// (tests/wasm/zxt_banked.c: RAM bank 5 at 0x4000, and at 0xC000 too when port
// 0xFD pages it there), with the real compiler:
//  - a store through either address invalidates the code compiled through
//    the other, and the rewritten code runs;
//  - paging back and forth flushes nothing: the functions compiled for each
//    bank are reused (cache hits grow, functions compiled do not);
//  - registers, memory and T-states are the interpreter's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadTestProgram } from '../../web/node/load-core.mjs';
import { MODE, FLAT_REGS, repoDir } from './zxtest-helpers.mjs';

const code = readFileSync(path.join(repoDir, 'build/z80/jit_paging.bin'));
const CHUNK = 20000; // T-states per run call (keep calls short: V8 tiers up between calls)
const BANK = 0x4000;
// Results in bank 2 (0x8000; see jit_paging.asm).
const PASSES = 3, RES1 = 5, RES2 = 6, RES3 = 7;

function jitStats(zt, jit) {
  return JSON.parse(zt.UTF8ToString(zt._zxw_jit_stats(jit)));
}

// Power on in `mode`, load the program at 0x8000, PC there.
function start(zt, mode) {
  assert.equal(zt._zxt_banked_reset(mode), 0, `mode ${mode} is not available`);
  const ptr = zt._malloc(code.length);
  zt.HEAPU8.set(code, ptr);
  zt._zxt_banked_load(0x8000, ptr, code.length);
  zt._free(ptr);
  zt._zxt_banked_set(FLAT_REGS.indexOf('pc'), 0x8000);
}

function banks(zt) {
  const p = zt._zxt_banked_mem();
  return zt.HEAPU8.slice(p, p + 8 * BANK);
}

function state(zt) {
  const regs = Object.fromEntries(FLAT_REGS.map((r, i) => [r, zt._zxt_banked_get(i) >>> 0]));
  return { regs, tstates: zt._zxt_banked_tstates(), instructions: zt._zxt_banked_instructions(), mem: banks(zt) };
}

function passes(zt) {
  const m = banks(zt);
  return m[2 * BANK + PASSES] | (m[2 * BANK + PASSES + 1] << 8);
}

function run(zt, chunks) {
  for (let i = 0; i < chunks; i++) zt._zxt_banked_run(CHUNK);
}

test('stores through either address invalidate code compiled through the other; results are the interpreter\'s', async () => {
  const zt = await loadTestProgram({ jit: true });
  start(zt, MODE.interp);
  run(zt, 60);
  const interp = state(zt);
  const ram2 = interp.mem.subarray(2 * BANK);
  // The program itself: the patched routine ran through the other address.
  assert.deepEqual([ram2[RES3], ram2[RES1], ram2[RES2]], [40, 10, 100]);
  assert.ok(passes(zt) > 50, `only ${passes(zt)} passes`);

  for (const [flags, name] of [[0, 'compiled'], [2, 'lockstep']]) {
    const jit = zt._zxw_jit_shared_configure(0, 1, flags, 0, 0);
    start(zt, MODE.dynarec);
    run(zt, 60);
    const s = jitStats(zt, jit);
    const got = state(zt);
    assert.deepEqual(got.regs, interp.regs, `${name}: registers`);
    assert.equal(got.tstates, interp.tstates, `${name}: T-states`);
    assert.equal(got.instructions, interp.instructions, `${name}: instructions`);
    assert.ok(Buffer.from(got.mem).equals(Buffer.from(interp.mem)), `${name}: memory differs`);
    // Each patch invalidates the function compiled at 0x4100 and the one at
    // 0xC100 (one bank, two addresses): both are compiled when it lands.
    assert.ok(s.invalidations >= 4, `${name}: ${JSON.stringify(s)}`);
    assert.equal(s.compileFailures, 0, JSON.stringify(s));
    assert.ok(s.insnsCompiled > 0.5 * s.insnsTotal, `${name}: ${JSON.stringify(s)}`);
    if (flags & 2) {
      assert.ok(s.lockstepChecks > 1000, JSON.stringify(s));
      assert.equal(s.lockstepDivergences, 0, zt.UTF8ToString(zt._zxw_jit_shared_report()));
    }
  }
});

test('paging back and forth flushes nothing: each bank\'s functions are reused', async () => {
  const zt = await loadTestProgram({ jit: true });
  const jit = zt._zxw_jit_shared_configure(0, 1, 0, 0, 0);
  start(zt, MODE.dynarec);
  run(zt, 20); // phase A and the first passes of phase B: everything compiled
  const s0 = jitStats(zt, jit);
  const p0 = passes(zt);
  run(zt, 40);
  const s1 = jitStats(zt, jit);
  const p1 = passes(zt);
  assert.ok(p1 - p0 > 50, `${p1 - p0} passes`);
  assert.equal(s1.flushes, s0.flushes, JSON.stringify(s1));
  // Each pass pages banks 6, 7 and 5 into slot 3 and calls into each: the
  // functions compiled for them come back with their bank.
  assert.equal(s1.functions, s0.functions, `compiled again after paging: ${JSON.stringify(s1)}`);
  assert.equal(s1.evictions, s0.evictions, JSON.stringify(s1));
  assert.ok(s1.cacheHits - s0.cacheHits >= 4 * (p1 - p0), `${s1.cacheHits - s0.cacheHits} hits for ${p1 - p0} passes`);
  assert.ok(s1.insnsCompiled - s0.insnsCompiled > 0.9 * (s1.insnsTotal - s0.insnsTotal), JSON.stringify(s1));
});
