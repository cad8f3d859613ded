import './fresh-code.mjs'; // first: generated code compiled afresh
// bench_fresh.mjs: the first program after the page loads. Each run is a
// fresh Node process (pinned to one core, as the other benchmarks are)
// that loads the core, warms the compiler up as the page does in idle
// time, starts one workload (bench/machine-workloads.mjs) and measures a
// cold window (the first --frames-cold frames, 1,500 by default) and a
// warm one (the next --frames-warm, 3,000), in CPU time of the whole
// process: V8's compiling and optimising of the core, the compiler and
// the generated code in its own threads included. Nothing is shared
// between engines or runs, so one engine's leftover work never lands in
// another's window (it does when engines take turns in one process).
//
// Engines: the interpreter and the dynarec (synchronous compiles), run in
// rotating order; with --before DIR also the dynarec of another checkout
// of this repository, built (`make wasm`) in DIR, for before/after
// comparisons. Figures: JIT ÷ interpreter per run against the
// interpreter's median, as ranges with the median.
//
// Usage: node bench/bench_fresh.mjs [--runs N (5)] [--only NAME[,NAME...]]
//          [--frames-cold N] [--frames-warm N] [--before DIR]
//          [--after-program NAME] (the process first runs NAME, 3,000
//          frames on the same engine: a page that ran another program)
// Takes ~20 s per workload and engine at 5 runs.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKLOADS } from './machine-workloads.mjs';
import { wholeNumber, workloadName, workloadNames } from './args.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');

function parseArgs(argv) {
  const o = { runs: 5, only: null, cold: 1500, warm: 3000, before: null, afterProgram: null, child: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => wholeNumber(a, argv[++i]);
    if (a === '--runs') o.runs = num();
    else if (a === '--frames-cold') o.cold = num();
    else if (a === '--frames-warm') o.warm = num();
    else if (a === '--before') o.before = path.resolve(argv[++i] ?? '');
    else if (a === '--after-program') o.afterProgram = workloadName(a, argv[++i]);
    else if (a === '--only') o.only = workloadNames(a, argv[++i]);
    else if (a === '--child') o.child = JSON.parse(argv[++i]);
    else throw new Error(`unknown option ${a} (--runs N, --only NAME, --frames-cold N, --frames-warm N, --before DIR, --after-program NAME)`);
  }
  return o;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

// One run, in this (fresh) process: prints { cold, warm } in CPU ms.
async function child({ root, jit, workload, cold, warm, afterProgram }) {
  const { createHeadless } = await import(path.join(root, 'web/node/headless.mjs'));
  const { startWorkload } = await import('./machine-workloads.mjs');
  const make = () => createHeadless({ jit, compile: 'sync' });
  const zx = await make();
  if (jit) zx.core.module.jit.warmUp(64, 8);
  if (afterProgram) {
    const other = await make();
    startWorkload(other, afterProgram);
    other.runFrames(3000);
    other.destroy();
  }
  startWorkload(zx, workload);
  let t = cpuMs();
  zx.runFrames(cold);
  const coldMs = cpuMs() - t;
  t = cpuMs();
  zx.runFrames(warm);
  const warmMs = cpuMs() - t;
  process.stdout.write(JSON.stringify({ cold: coldMs, warm: warmMs }) + '\n');
  process.exit(0);
}

const o = parseArgs(process.argv.slice(2));
if (o.child) {
  await child(o.child);
} else {
  if (o.before) {
    const probe = path.join(o.before, 'build/wasm/node/zxcore.wasm');
    if (!existsSync(probe)) throw new Error(`--before: ${probe} is missing (run 'make wasm' in ${o.before})`);
  }
  const engines = [['interp', repo, false], ['JIT', repo, true]];
  if (o.before) engines.push(['before', o.before, true]);
  const names = o.only ?? WORKLOADS;
  console.log(`Node ${process.version}; each run a fresh process on CPU 1; cold: the first ${o.cold} frames, warm: the next ${o.warm}; ` +
    `${o.runs} runs per engine in rotating order${o.afterProgram ? `; each process ran ${o.afterProgram} first` : ''}` +
    `${o.before ? `; before: ${o.before}` : ''}`);
  const med = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const head = ['workload', 'interp cold ms', 'interp warm ms'];
  for (const [label] of engines.slice(1)) head.push(`${label} cold x`, `${label} warm x`);
  const rows = [head];
  for (const w of names) {
    const got = new Map(engines.map(([label]) => [label, []]));
    for (let r = 0; r < o.runs; r++)
      for (let k = 0; k < engines.length; k++) {
        const [label, root, jit] = engines[(k + r) % engines.length];
        const spec = { root, jit, workload: w, cold: o.cold, warm: o.warm, afterProgram: o.afterProgram && o.afterProgram !== w ? o.afterProgram : null };
        const out = execFileSync('taskset', ['-c', '1', process.execPath, fileURLToPath(import.meta.url), '--child', JSON.stringify(spec)]);
        got.get(label).push(JSON.parse(out.toString()));
      }
    const interp = got.get('interp');
    const ic = med(interp.map((x) => x.cold)), iw = med(interp.map((x) => x.warm));
    const row = [w, ic.toFixed(0), iw.toFixed(0)];
    for (const [label] of engines.slice(1)) {
      for (const [k, i] of [['cold', ic], ['warm', iw]]) {
        const xs = got.get(label).map((x) => i / x[k]);
        row.push(`${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)} (${(i / med(got.get(label).map((x) => x[k]))).toFixed(2)})`);
      }
    }
    rows.push(row);
    console.error(`  ${w} done`);
  }
  const widths = head.map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  for (const r of rows) console.log(r.map((v, c) => (c === 0 ? String(v).padEnd(widths[c]) : String(v).padStart(widths[c]))).join('  '));
}
