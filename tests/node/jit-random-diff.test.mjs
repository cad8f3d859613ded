// Randomized differential test of the dynarec: seeded random Z80 programs
// (tests/node/z80-random.mjs: every instruction group, undocumented opcodes,
// block ops, I/O, stack, jumps/calls, deliberate self-modifying code), each
// run from the same complete state to the same T-state budget by the
// interpreter (mode 0, the reference) and by the dynarec (mode 1, compiling
// every block at its first execution); registers (MEMPTR, R, IFF, IM, Q,
// halted ...), all 64K, T-states and the bus log (port I/O with its T-state;
// write hook and full trace on some machines) must be identical. Machines
// vary per case (tests/wasm/zxt_diff.c): contention, write hooks, trace,
// /INT and NMI, a ROM page, 1-4 run calls splitting the budget. Some
// programs end in a long block instruction loop, so runs end (and /INT
// and NMI arrive) between its repeat steps, whose flags and MEMPTR differ
// from the final step's; the test checks each of the eight repeating
// opcodes was stopped mid-repeat in some case. Some programs patch the
// operands of a loop every round ('smcLoad'), so the dynarec compiles them
// in its load form (operands read from memory at run time): the test
// checks that such functions were compiled and ran. Some programs dispatch
// through JP (HL), (IX) or (IY) in a loop ('dispatch'), so the dynarec
// records where those go and compiles the loop again with them inside;
// the test checks that happened.
//
// Reproduce or explore (the seed and index identify a case completely):
//     ZX_DIFF_SEED=0x5EED2026 ZX_DIFF_CASE=17 node --test tests/node/jit-random-diff.test.mjs
//     ZX_DIFF_N=5000 ...     more cases
//     ZX_DIFF_MODE=0 ...     interpreter against itself (checks the harness)
//     node tests/node/z80-diff-shrink.mjs 17 0x5EED2026   minimal repro of a case
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { MODE } from './zxtest-helpers.mjs';
import { generateCase, BLOCK_REPEAT_OPS } from './z80-random.mjs';

const SEED = Number(process.env.ZX_DIFF_SEED ?? 0x5eed2026) >>> 0;
const N = Number(process.env.ZX_DIFF_N ?? 500);
const ONLY = process.env.ZX_DIFF_CASE != null ? Number(process.env.ZX_DIFF_CASE) : null;
const MODE_B = Number(process.env.ZX_DIFF_MODE ?? MODE.dynarec);
// A case runs for milliseconds; a worker silent this long is stuck in an
// engine that never returns (a hang guard, not a timing assertion).
const STUCK_MS = Number(process.env.ZX_DIFF_STUCK_MS ?? 5000);
// Loading the programs (with asynchronous compiles also the compiler, in a
// worker of the worker) may take longer on a loaded machine: the first
// case gets this long.
const START_MS = Math.max(STUCK_MS, 60000);
// After this many stuck cases the run stops (each costs STUCK_MS).
const MAX_STUCK = 3;
// Shown in full in the failure message; the rest are listed one line each.
const SHOW_FULL = 3;

const range = (from, n) => Array.from({ length: n }, (_, i) => from + i);
const indices = ONLY != null ? [ONLY] : range(0, N);

// Runs the cases in a worker, restarting it after a stuck case.
// Returns { failures: [{ index, diffs, text }], stats } (stats summed over workers).
async function runCases(cases, modeB, jitFlags = 0, compile = 'sync') {
  const failures = [];
  // Instructions run and run compiled, over the cases that never halt.
  const stats = { total: 0, compiled: 0, functions: 0, midRepeat: {}, pagingCases: 0, pagedExits: 0, smcLoad: 0, retiered: 0, asyncInstalled: 0, dropped: 0 };
  let todo = cases, stuck = 0;
  while (todo.length) {
    const { done, current } = await new Promise((resolve, reject) => {
      const w = new Worker(new URL('./z80-diff-worker.mjs', import.meta.url),
        { workerData: { seed: SEED, indices: todo, modeB, jitFlags, compile } });
      let current = null, timer = null;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => { w.terminate(); resolve({ done: false, current }); }, current == null ? START_MS : STUCK_MS);
      };
      arm();
      w.on('message', (m) => {
        if (m.type === 'start') current = m.index;
        arm(); // after the first case started, a case gets STUCK_MS
        if (m.type === 'fail') failures.push(m);
        else if (m.type === 'stats') {
          if (m.midRepeat != null) stats.midRepeat[m.midRepeat] = (stats.midRepeat[m.midRepeat] ?? 0) + 1;
          if (m.paged != null) { stats.pagingCases++; stats.pagedExits += m.paged; }
          stats.smcLoad += m.smcLoad ?? 0;
          stats.retiered += m.retiered ?? 0;
          stats.asyncInstalled += m.asyncInstalled ?? 0;
          stats.dropped += m.dropped ?? 0;
          if (m.end !== 'halt' && !m.waits) {
            stats.total += m.total; stats.compiled += m.compiled; stats.functions += m.functions;
          }
        }
        else if (m.type === 'done') { clearTimeout(timer); w.terminate(); resolve({ done: true }); }
      });
      w.on('error', (e) => { clearTimeout(timer); reject(e); });
    });
    if (done) break;
    if (current == null) { // stuck before the first case: loading, not an engine
      failures.push({ index: -1, diffs: [`the worker did not start within ${START_MS / 1000} s`], text: '' });
      break;
    }
    failures.push({ index: current, diffs: [`mode ${modeB} did not return (stuck for ${STUCK_MS / 1000} s)`],
      text: `case ${current} of seed 0x${SEED.toString(16)}: mode ${modeB} never returned ` +
        `(rerun: ZX_DIFF_SEED=0x${SEED.toString(16)} ZX_DIFF_CASE=${current})` });
    if (++stuck >= MAX_STUCK) {
      failures.push({ index: Infinity, diffs: [`stopped after ${stuck} stuck cases; later cases not run`], text: '' });
      break;
    }
    todo = todo.slice(todo.indexOf(current) + 1);
  }
  failures.sort((a, b) => a.index - b.index);
  return { failures, stats };
}

function report(failures, total) {
  return [
    `${failures.length} of ${total} random programs differ (seed 0x${SEED.toString(16)}):`,
    ...failures.map((f) => `  case ${f.index}: ${f.diffs[0]}${f.diffs.length > 1 ? ` (+${f.diffs.length - 1})` : ''}`),
    '',
    ...failures.slice(0, SHOW_FULL).map((f) => f.text),
  ].join('\n');
}

test('the generator is a function of (seed, index)', () => {
  const a = generateCase(SEED, 3), b = generateCase(SEED, 3), c = generateCase(SEED, 4);
  assert.deepEqual(a.image, b.image);
  assert.deepEqual(a.regs, b.regs);
  assert.notDeepEqual(a.image, c.image);
});

test('the harness is deterministic: the interpreter agrees with itself', async () => {
  const { failures } = await runCases(ONLY != null ? indices : range(0, 40), MODE.interp);
  assert.equal(failures.length, 0, report(failures, 40));
});

const modeName = MODE_B === MODE.dynarec ? 'the dynarec' : `mode ${MODE_B}`;
test(`${indices.length} random programs: ${modeName} matches the interpreter exactly`, async (t) => {
  const { failures, stats } = await runCases(indices, MODE_B);
  const share = stats.compiled / Math.max(1, stats.total);
  const mid = BLOCK_REPEAT_OPS.map((op) => `ED ${op.toString(16).toUpperCase()} ${stats.midRepeat[op] ?? 0}`);
  if (MODE_B === MODE.dynarec) {
    t.diagnostic(`compiled: ${stats.compiled} of ${stats.total} instructions (${(share * 100).toFixed(1)}%) ` +
      `in the cases that never halt; ${stats.functions} functions`);
    t.diagnostic(`cases stopped between repeat steps: ${mid.join(', ')}`);
    t.diagnostic(`cases with 128K/+3 paging: ${stats.pagingCases}; compiled code left after paging ${stats.pagedExits} times`);
    t.diagnostic(`functions compiled in the load form (patched operands read at run time): ${stats.smcLoad}`);
    t.diagnostic(`functions compiled again with their indirect jumps' targets: ${stats.retiered}`);
  }
  assert.equal(failures.length, 0, report(failures, indices.length));
  // Otherwise the comparison would mostly show the interpreter agreeing with itself.
  if (MODE_B === MODE.dynarec && ONLY == null) {
    assert.ok(share > 0.8, `only ${(share * 100).toFixed(1)}% of instructions ran compiled`);
    if (indices.length >= 200) {
      // the paging machines ran, and their OUTs paged under compiled code
      assert.ok(stats.pagingCases > indices.length / 10 && stats.pagedExits > 0,
        `paging cases ${stats.pagingCases}, paged exits ${stats.pagedExits}`);
      assert.ok(BLOCK_REPEAT_OPS.every((op) => stats.midRepeat[op] > 0),
        `not every repeating block instruction was stopped between repeat steps: ${mid.join(', ')}`);
      assert.ok(stats.smcLoad >= 20, `only ${stats.smcLoad} functions compiled in the load form`);
      // the dispatch loops ran long enough to be compiled with their targets
      assert.ok(stats.retiered >= 10, `only ${stats.retiered} functions compiled with indirect-jump targets`);
    }
  }
});

// Basic blocks only: other block boundaries, so other deadline and exit paths.
test(`${Math.ceil(indices.length / 4)} random programs: the dynarec in single-block mode matches the interpreter`,
  { skip: MODE_B !== MODE.dynarec }, async () => {
    const some = ONLY != null ? indices : range(100000, Math.ceil(indices.length / 4));
    const { failures } = await runCases(some, MODE.dynarec, 1 /* JITW_SINGLE_BLOCK */);
    assert.equal(failures.length, 0, report(failures, some.length));
  });

// Compiles in a worker of their own (core/jit/jit.c, "Asynchronous
// compiles"): requests stay in flight while the interpreter runs on, and
// their functions are installed at the next run's start or when four are
// in flight (mid-run), or dropped when the program rewrote their bytes
// meanwhile (the generator's self-modifying cases).
test(`${Math.ceil(indices.length / 4)} random programs: the dynarec with asynchronous compiles matches the interpreter`,
  { skip: MODE_B !== MODE.dynarec }, async (t) => {
    const some = ONLY != null ? indices : range(200000, Math.ceil(indices.length / 4));
    const { failures, stats } = await runCases(some, MODE.dynarec, 0, 'async');
    t.diagnostic(`functions installed from the worker: ${stats.asyncInstalled}, dropped: ${stats.dropped}; ` +
      `compiled: ${stats.compiled} of ${stats.total} instructions`);
    assert.equal(failures.length, 0, report(failures, some.length));
    if (ONLY == null) {
      assert.ok(stats.asyncInstalled > 0 && stats.compiled > 0, JSON.stringify(stats));
    }
  });
