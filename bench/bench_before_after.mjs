import './fresh-code.mjs'; // first: generated code compiled afresh
// bench_before_after.mjs: the interpreter, another checkout's dynarec
// (--before DIR, built there with `make wasm`) and this one's, side by side
// in one Node process: CPU time (process.cpuUsage), synchronous compiles,
// no compiler warm-up (each tree has its own compiler program, equally
// cold). Per workload (bench/machine-workloads.mjs), three rounds: each
// engine's cold window (its first --frames-cold frames, 1,500 by default),
// the engines made in rotating order, then three warm slices of 1,000
// frames each, interleaved. Prints JIT ÷ interpreter for both dynarecs,
// range (median), and after ÷ before on the warm medians.
//
// In one process, V8 optimises one engine's generated code in its own
// threads while the next engine's window runs, so a cold window carries
// some of the one before it; bench/bench_fresh.mjs gives each run a
// process of its own.
//
// Usage: node bench/bench_before_after.mjs --before DIR [--only NAME[,NAME...]]
//          [--frames-cold N]
// Pin it: flock /tmp/bench.lock taskset -c 1 node bench/bench_before_after.mjs --before DIR
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createHeadless } from '../web/node/headless.mjs';
import { startWorkload } from './machine-workloads.mjs';
import { wholeNumber, workloadNames } from './args.mjs';

function parseArgs(argv) {
  const o = { before: null, only: ['game-sprites', 'game-logic', 'game-smc', 'game-scroll'], cold: 1500 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--before') o.before = path.resolve(argv[++i] ?? '');
    else if (a === '--only') o.only = workloadNames(a, argv[++i]);
    else if (a === '--frames-cold') o.cold = wholeNumber(a, argv[++i]);
    else throw new Error(`unknown option ${a} (--before DIR, --only NAME, --frames-cold N)`);
  }
  if (!o.before) throw new Error('--before DIR: the checkout whose dynarec to compare with');
  const probe = path.join(o.before, 'build/wasm/node/zxcore.wasm');
  if (!existsSync(probe)) throw new Error(`--before: ${probe} is missing (run 'make wasm' in ${o.before})`);
  return o;
}

const o = parseArgs(process.argv.slice(2));
const { createHeadless: createBefore } = await import(path.join(o.before, 'web/node/headless.mjs'));
const ENGINES = ['interp', 'before', 'after'];
const make = { interp: () => createHeadless({ jit: false }), before: () => createBefore({ jit: true }), after: () => createHeadless({ jit: true }) };
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const med = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratios = (interp, jit) => {
  const r = jit.map((x, i) => interp[i] / x);
  return `${Math.min(...r).toFixed(2)}-${Math.max(...r).toFixed(2)} (${(med(interp) / med(jit)).toFixed(2)})`;
};

console.log(`Node ${process.version}; one process, CPU time; before: ${o.before}; cold: the first ${o.cold} frames, ` +
  'engines in rotating order, 3 rounds; warm: 1,000-frame slices, interleaved, 9 each; JIT ÷ interpreter, range (median)');
for (const w of o.only) {
  const cold = { interp: [], before: [], after: [] }, warm = { interp: [], before: [], after: [] };
  for (let round = 0; round < 3; round++) {
    const m = {};
    for (let k = 0; k < ENGINES.length; k++) {
      const e = ENGINES[(k + round) % ENGINES.length];
      m[e] = await make[e]();
      startWorkload(m[e], w);
      const t = cpuMs();
      m[e].runFrames(o.cold);
      cold[e].push(cpuMs() - t);
    }
    for (let s = 0; s < 3; s++)
      for (const e of ENGINES) {
        const t = cpuMs();
        m[e].runFrames(1000);
        warm[e].push(cpuMs() - t);
      }
    for (const e of ENGINES) m[e].destroy();
  }
  console.log(`${w}: cold before ${ratios(cold.interp, cold.before)}, after ${ratios(cold.interp, cold.after)}; ` +
    `warm before ${ratios(warm.interp, warm.before)}, after ${ratios(warm.interp, warm.after)}; ` +
    `after ÷ before, warm medians ${(med(warm.before) / med(warm.after)).toFixed(2)}`);
}
process.exit(0);
