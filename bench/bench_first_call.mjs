// bench_first_call.mjs: what a new module costs the emulation's thread in
// the asynchronous mode, with and without its entries compiled in the
// compile worker (web/jit-compiler.mjs compileEntries).
//
// V8 compiles a module's functions lazily: WebAssembly.Module validates
// them and each is compiled the first time it is called, on the calling
// thread. The benchmark records the modules the dynarec makes for each
// workload (bench/machine-workloads.mjs, synchronous compiles: while the
// workload is set up, a BASIC program typed in, and over its first
// --frames frames), then, --rounds times, has a worker_threads
// worker compile them afresh (WebAssembly.Module, as the compile worker
// does) either alone ("module only") or with every entry called once
// ("entries called"), and post them back. On this thread each module is
// instantiated and each entry called once with `until` 0 on a scratch
// context (it leaves at its first deadline check: what is timed is V8's
// work, not the guest's). Prints µs per function on this thread
// (instantiate, first call) and in the worker, medians over the rounds
// (range), per workload and over all.
//
// Usage: node bench/bench_first_call.mjs [--frames N (1500)] [--rounds N (7)] [--only NAME[,NAME...]]
// Run it unpinned (the worker beside this thread, as in the page):
//   flock /tmp/bench.lock node bench/bench_first_call.mjs
import './fresh-code.mjs'; // first: every module compiled afresh
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createHeadless } from '../web/node/headless.mjs';
import { compileEntries, ENTRY_SCRATCH_BYTES, scratchImports } from '../web/jit-compiler.mjs';
import { WORKLOADS, startWorkload } from './machine-workloads.mjs';
import { wholeNumber, workloadNames } from './args.mjs';
// V8 keeps compiled modules by their bytes: each round's copy gets a custom
// section with a number of its own, numbered here by the main thread.
import { unique } from './compile-replay.mjs';

if (!isMainThread) {
  // The worker: compiles each module it is sent, calling its entries when asked.
  const { memory, env } = scratchImports();
  parentPort.on('message', ({ modules, entries, serial }) => {
    const t0 = performance.now();
    const out = modules.map((bytes, i) => {
      const module = new WebAssembly.Module(unique(bytes, serial + i));
      if (entries) compileEntries(new WebAssembly.Instance(module, { env }).exports, new Uint8Array(memory.buffer), 0);
      return module;
    });
    parentPort.postMessage({ modules: out, workerMs: performance.now() - t0 });
  });
} else {
  const o = { frames: 1500, rounds: 7, only: null };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--frames') o.frames = wholeNumber(a, argv[++i]);
    else if (a === '--rounds') o.rounds = wholeNumber(a, argv[++i]);
    else if (a === '--only') o.only = workloadNames(a, argv[++i]);
    else throw new Error(`unknown option ${a} (--frames N, --rounds N, --only NAME)`);
  }

  // The modules made for a workload (set-up and first frames), once each.
  async function record(workload) {
    const zx = await createHeadless({ jit: true, compile: 'sync' });
    startWorkload(zx, workload);
    zx.runFrames(o.frames);
    const seen = new Set();
    for (const { bytes } of zx.core.module.jitModules?.values() ?? []) seen.add(bytes);
    zx.destroy();
    return [...seen].map((b) => Uint8Array.from(b));
  }

  const worker = new Worker(new URL(import.meta.url));
  let serial = 1;
  const compileThere = (modules, entries) => new Promise((resolve) => {
    worker.once('message', resolve);
    worker.postMessage({ modules, entries, serial });
    serial += modules.length;
  });

  // This thread's part: instantiate, then each entry's first call.
  function firstRun(modules) {
    const { memory, env } = scratchImports();
    const heap = new Uint8Array(memory.buffer);
    let instantiateMs = 0, callMs = 0, functions = 0;
    for (const module of modules) {
      const t0 = performance.now();
      const instance = new WebAssembly.Instance(module, { env });
      const t1 = performance.now();
      functions += compileEntries(instance.exports, heap, 0);
      callMs += performance.now() - t1;
      instantiateMs += t1 - t0;
    }
    return { instantiateMs, callMs, functions };
  }

  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const range = (xs) => `${Math.round(median(xs))} (${Math.round(Math.min(...xs))}-${Math.round(Math.max(...xs))})`;
  const MODES = [['module only', false], ['entries called', true]];
  const rows = [];
  const all = new Map(MODES.map(([name]) => [name, { inst: [], call: [], worker: [] }]));
  const allRounds = [];
  for (const w of o.only ?? WORKLOADS) {
    const modules = await record(w);
    if (!modules.length) continue;
    const per = new Map(MODES.map(([name]) => [name, { inst: [], call: [], worker: [], functions: 0 }]));
    for (let r = 0; r < o.rounds; r++) {
      for (const [name, entries] of r % 2 ? [...MODES].reverse() : MODES) {
        const { modules: compiled, workerMs } = await compileThere(modules, entries);
        const f = firstRun(compiled);
        const p = per.get(name);
        p.functions = f.functions;
        p.inst.push(f.instantiateMs * 1000 / f.functions);
        p.call.push(f.callMs * 1000 / f.functions);
        p.worker.push(workerMs * 1000 / f.functions);
        allRounds.push({ name, r, w, ...f, workerMs });
      }
    }
    for (const [name] of MODES) {
      const p = per.get(name);
      rows.push([w, name, modules.length, p.functions, range(p.inst), range(p.call), range(p.inst.map((x, i) => x + p.call[i])), range(p.worker)]);
    }
  }
  // over all workloads: per round, the sums
  for (const [name] of MODES) {
    const a = all.get(name);
    for (let r = 0; r < o.rounds; r++) {
      const these = allRounds.filter((x) => x.name === name && x.r === r);
      const fns = these.reduce((s, x) => s + x.functions, 0);
      if (!fns) continue;
      a.inst.push(these.reduce((s, x) => s + x.instantiateMs, 0) * 1000 / fns);
      a.call.push(these.reduce((s, x) => s + x.callMs, 0) * 1000 / fns);
      a.worker.push(these.reduce((s, x) => s + x.workerMs, 0) * 1000 / fns);
    }
    if (a.inst.length) rows.push(['all', name, '', '', range(a.inst), range(a.call), range(a.inst.map((x, i) => x + a.call[i])), range(a.worker)]);
  }
  await worker.terminate();

  const head = ['workload', 'compiled in the worker', 'modules', 'functions', 'instantiate', 'first call', 'this thread', 'worker'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i < 2 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(`Node ${process.version}; the modules made for each workload (set-up and first ${o.frames} frames), compiled afresh ${o.rounds} times a mode; µs per function, median (range); scratch context ${ENTRY_SCRATCH_BYTES} bytes`);
  console.log(line(head));
  for (const r of rows) console.log(line(r));
}
