// bench_machine.mjs: the whole 48K machine, interpreter against dynarec, in
// one Node process: frames per second of CPU time (process.cpuUsage) in a
// cold window (the first frames of a workload, every compile included) and
// a warm window (the frames after it), their ratio, and where a frame's
// time goes (the frame profile, core/platform/profile.h) in each window.
//
// Workloads: ROM BASIC programs typed through the headless runner (as
// bench_basic.mjs does; the windows start when RUN is entered) and the
// game-like programs in tests/z80src/game_*.asm (assembled by
// `make z80bin`; loaded as a 48K SNA at 8000h on a fresh machine, windows
// from their first instruction): a masked sprite blitter run by an IM 2
// interrupt handler, CALL/RET-heavy logic with a jump table, a
// self-modifying blitter, a full-screen scroller. Every workload runs
// forever and is deterministic: the interpreter's and the dynarec's
// machines must end in the same state (checked: RAM and picture).
//
// The dynarec runs twice: compiling synchronously (in the frame that wants
// the code) and asynchronously (a worker_threads worker beside the
// emulation; results installed at the next run's start). CPU time is the
// process's, so the async figures include the compile worker's CPU: on a
// machine with a spare core the worker's time is off the frame but not
// free. The async columns also give wall-clock frames/s, the worker's own
// compile time (the compiler + Wasm compile, measured in the worker), and the
// frames that waited on a compile (runs that compiled synchronously: 0 in
// async mode).
//
// The timed runs have the profile off; a second pair of runs with it on
// gives the breakdown (the profile reads the clock at every dispatcher
// step, which slows the machine down). The compiler is warmed up first, as
// the page does in idle time.
//
// Usage: node bench/bench_machine.mjs [--frames-cold N (1500)]
//          [--frames-warm N (3000)] [--only NAME[,NAME...]] [--repeat N (1)]
//          [--no-profile] [--compile sync|async|sync,async (both)]
//          [--batch N] [--batch-wait N] [--threshold N] (the dynarec's jitOptions; default: the machine's)
// Pin it for steadier figures: taskset -c 1 node bench/bench_machine.mjs
// (pinned, the compile worker shares the emulation's core: run it unpinned
// too to see what a second core buys).
import './fresh-code.mjs'; // first: generated code compiled afresh by every machine
import { createHash } from 'node:crypto';
import { createHeadless } from '../web/node/headless.mjs';
import { PROFILE_CATEGORIES } from '../web/frame-profile.mjs';
import { BASIC, WORKLOADS, startWorkload } from './machine-workloads.mjs';
import { wholeNumber, workloadNames } from './args.mjs';

const SHOWN = PROFILE_CATEGORIES.filter((k) => k !== 'profiler');

function parseArgs(argv) {
  const o = { cold: 1500, warm: 3000, only: null, repeat: 1, profile: true, compile: ['sync', 'async'], jitOptions: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => wholeNumber(a, argv[++i]);
    if (a === '--frames-cold') o.cold = num();
    else if (a === '--frames-warm') o.warm = num();
    else if (a === '--repeat') o.repeat = num();
    else if (a === '--no-profile') o.profile = false;
    else if (a === '--batch') o.jitOptions.batch = num();
    else if (a === '--batch-wait') o.jitOptions.batchWait = num();
    else if (a === '--threshold') o.jitOptions.threshold = num();
    else if (a === '--compile') {
      o.compile = String(argv[++i] ?? '').split(',').filter(Boolean);
      if (!o.compile.length || o.compile.some((c) => c !== 'sync' && c !== 'async')) throw new Error('--compile: expected sync, async or sync,async');
    }
    else if (a === '--only') o.only = workloadNames(a, argv[++i]);
    else throw new Error(`unknown option ${a} (--frames-cold N, --frames-warm N, --only NAME, --repeat N, --no-profile, --compile sync,async, --batch N, --batch-wait N, --threshold N)`);
  }
  return o;
}

let warmedUp = false;

// A machine at the start of the workload's windows. engine: 'interp',
// 'sync' or 'async' (the compile worker warms up as many rounds before it
// says ready: web/node/async-compiler.mjs).
async function machine(workload, engine, profile, jitOptions) {
  const jit = engine !== 'interp';
  const zx = await createHeadless({ jit, compile: engine === 'async' ? 'async' : 'sync', jitOptions: jit ? jitOptions : null });
  if (engine === 'sync' && !warmedUp) {
    zx.core.module.jit.warmUp(64, 8);
    warmedUp = true;
  }
  startWorkload(zx, workload);
  if (profile) zx.core.profiling = true;
  return zx;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

// Runs n frames; CPU ms and the dynarec's counters over them.
function window(zx, n) {
  const before = zx.core.stats().jit;
  const t0 = cpuMs();
  const w0 = performance.now();
  zx.runFrames(n);
  const ms = cpuMs() - t0;
  const wallMs = performance.now() - w0;
  const after = zx.core.stats().jit;
  const d = (k) => (after && before ? after[k] - before[k] : 0);
  return {
    ms,
    fps: (n * 1000) / ms,
    wallFps: (n * 1000) / wallMs,
    workerMs: d('workerMs'),
    waited: d('runsWaited'),
    installed: d('asyncInstalled'),
    compileMs: d('compileMs'),
    // Of the instructions that are not a HALT waiting for the interrupt
    // (those run interpreted, fast-forwarded: there is nothing to compile).
    compiledShare: after ? d('insnsCompiled') / Math.max(1, d('insnsTotal') - d('insnsHalted')) : 0,
    invalidations: d('invalidations'),
    functions: d('functions'),
    requests: d('requests'),
  };
}

function state(zx) {
  return createHash('sha256').update(zx.core.ram()).update(zx.core.frameBuffer()).digest('hex').slice(0, 12);
}

async function timed(workload, engine, o) {
  const zx = await machine(workload, engine, false, o.jitOptions);
  const jit = engine !== 'interp';
  const setupCompileMs = jit ? zx.core.stats().jit.compileMs : 0;
  const cold = window(zx, o.cold);
  const warm = window(zx, o.warm);
  const s = state(zx);
  zx.destroy();
  return { cold, warm, state: s, setupCompileMs };
}

async function profiled(workload, jit, o) {
  const zx = await machine(workload, jit ? 'sync' : 'interp', true, o.jitOptions);
  zx.runFrames(o.cold);
  const cold = zx.core.stats().profile;
  zx.core.profiling = true; // restart for the warm window
  zx.runFrames(o.warm);
  const warm = zx.core.stats().profile;
  zx.destroy();
  return { cold, warm };
}

const range = (xs, digits = 0) => {
  const lo = Math.min(...xs), hi = Math.max(...xs);
  const f = (x) => x.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return lo === hi || f(lo) === f(hi) ? f(lo) : `${f(lo)}-${f(hi)}`;
};

const o = parseArgs(process.argv.slice(2));
const names = o.only ?? WORKLOADS;
console.log(`Node ${process.version}; the 48K machine, CPU time; cold: the first ${o.cold} frames, warm: the next ${o.warm}; ` +
  `${o.repeat} run${o.repeat > 1 ? 's' : ''} (ranges)` +
  `${Object.keys(o.jitOptions).length ? `; jitOptions ${JSON.stringify(o.jitOptions)}` : ''}`);
const results = new Map();
for (let r = 0; r < o.repeat; r++) {
  for (const w of names) {
    const interp = await timed(w, 'interp', o);
    const jit = o.compile.includes('sync') ? await timed(w, 'sync', o) : null;
    const async = o.compile.includes('async') ? await timed(w, 'async', o) : null;
    if (!results.has(w)) results.set(w, []);
    results.get(w).push({ interp, jit, async });
  }
}

if (o.compile.includes('sync')) {
console.log('\nsynchronous compiles (in the frame that wants the code)');
const head = ['workload', 'interp cold f/s', 'JIT cold f/s', 'cold x', 'interp warm f/s', 'JIT warm f/s', 'warm x',
  'compiled (warm, excl. HALT)', 'compile ms (cold)', 'functions/requests (cold)', 'invalidations (cold+warm)', 'same state'];
const rows = [];
for (const [w, runs] of results) {
  rows.push([
    w,
    range(runs.map((x) => x.interp.cold.fps)),
    range(runs.map((x) => x.jit.cold.fps)),
    range(runs.map((x) => x.jit.cold.fps / x.interp.cold.fps), 2),
    range(runs.map((x) => x.interp.warm.fps)),
    range(runs.map((x) => x.jit.warm.fps)),
    range(runs.map((x) => x.jit.warm.fps / x.interp.warm.fps), 2),
    `${range(runs.map((x) => 100 * x.jit.warm.compiledShare), 1)}%`,
    range(runs.map((x) => x.jit.cold.compileMs)),
    `${range(runs.map((x) => x.jit.cold.functions))}/${range(runs.map((x) => x.jit.cold.requests))}`,
    range(runs.map((x) => x.jit.cold.invalidations + x.jit.warm.invalidations)),
    runs.every((x) => x.interp.state === x.jit.state) ? 'yes' : 'NO',
  ]);
}
printTable(head, rows);
const setup = [...results].filter(([w]) => BASIC[w]).map(([w, runs]) => `${w} ${range(runs.map((x) => x.jit.setupCompileMs))} ms`);
if (setup.length) console.log(`(BASIC: compiled while booting and typing, before the windows: ${setup.join(', ')})`);
}

if (o.compile.includes('async')) {
  console.log('\nasynchronous compiles (a worker beside the emulation; f/s by the process\'s CPU time, the worker\'s included, and by wall clock)');
  const head = ['workload', 'interp cold f/s', 'async cold f/s', 'cold x', 'cold wall f/s interp/sync/async', 'worker ms (cold)',
    'frames waited', 'interp warm f/s', 'async warm f/s', 'warm x', 'compiled (warm)', 'same state'];
  const rows = [];
  for (const [w, runs] of results) {
    rows.push([
      w,
      range(runs.map((x) => x.interp.cold.fps)),
      range(runs.map((x) => x.async.cold.fps)),
      range(runs.map((x) => x.async.cold.fps / x.interp.cold.fps), 2),
      [range(runs.map((x) => x.interp.cold.wallFps)), runs[0].jit ? range(runs.map((x) => x.jit.cold.wallFps)) : '-',
        range(runs.map((x) => x.async.cold.wallFps))].join('/'),
      range(runs.map((x) => x.async.cold.workerMs)),
      range(runs.map((x) => x.async.cold.waited + x.async.warm.waited)),
      range(runs.map((x) => x.interp.warm.fps)),
      range(runs.map((x) => x.async.warm.fps)),
      range(runs.map((x) => x.async.warm.fps / x.interp.warm.fps), 2),
      `${range(runs.map((x) => 100 * x.async.warm.compiledShare), 1)}%`,
      runs.every((x) => x.interp.state === x.async.state) ? 'yes' : 'NO',
    ]);
  }
  printTable(head, rows);
}

if (o.profile) {
  // The profile's clock reads ("profiler") are left out of the shares, so
  // that they describe the machine as it runs without the profile.
  console.log('\nwhere a frame\'s time goes (profile on: separate runs; us per frame and share, the profile\'s own clock reads left out)');
  const prow = [];
  for (const w of names) {
    for (const jit of [false, true]) {
      const p = await profiled(w, jit, o);
      for (const [label, q] of [['cold', p.cold], ['warm', p.warm]]) {
        const net = q.msPerFrame - q.categories.profiler.msPerFrame;
        prow.push([w, jit ? 'JIT' : 'interp', label, (net * 1000).toFixed(0), `${(100 * q.categories.profiler.share).toFixed(0)}%`,
          q.longestFrameMs.toFixed(2),
          ...SHOWN.map((k) => `${(q.categories[k].msPerFrame * 1000).toFixed(0)} ${(100 * q.categories[k].msPerFrame / net).toFixed(0)}%`)]);
      }
    }
  }
  printTable(['workload', 'engine', 'window', 'us/frame', 'profiler', 'longest ms', ...SHOWN], prow);
}

function printTable(head, rows) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
}
