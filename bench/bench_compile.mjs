// bench_compile.mjs: what a compile costs, end to end, and where the time
// goes. Per workload (bench_machine.mjs's, bench/machine-workloads.mjs) it
// runs the whole 48K machine with synchronous compiles for the cold window
// (the first --frames frames, 1,500 by default), the compiler warmed up
// first (wasm-backend/wb_warmup.c, 64 rounds of 8 functions, as the page
// does in idle time), and records every compile request the core sends.
//
// "live" is what the core measured in that run (jit_stats_t: the compiler's
// build, its write with the copies in and out, the engine's compile:
// WebAssembly.Module and the first call of each entry, which is when V8
// compiles a function (web/jit-compiler.mjs compileEntries), then
// instantiation with the table installs), per function and per request.
// "replay" compiles the same recorded requests again --rounds times each
// (5 by default) the way core/jit/jit_host.js does, and keeps each
// request's median per part: steadier than one live run, and the same
// requests whatever the compiler, so two builds of the compiler compare
// like for like. The replay's instances are thrown away (their table slots
// freed at once). Also per workload: guest instructions and module bytes
// per function, and a least-squares fit of each request's total time
// against its guest instructions (fixed cost per request + cost per guest
// instruction), which tells per-module overhead from per-code cost.
//
// Usage: node bench/bench_compile.mjs [--frames N (1500)] [--rounds N (5)]
//          [--only NAME[,NAME...]] [--batch N] [--batch-wait N] [--threshold N] (jitOptions;
//          default: the machine's)
//          [--rebatch N,N...] (the same functions replayed N to a request)
//          [--requests] (one line per replayed request) [--save FILE] (the requests, for
//          tools that replay them: u32 length + bytes each)
//          [--browser] (the same replays in headless Chromium too, as the page
//          compiles: bench/compile-replay-worker.mjs; needs `make wasm-web`)
// Pin it: flock /tmp/bench.lock taskset -c 1 node bench/bench_compile.mjs
import './fresh-code.mjs'; // first: generated code compiled afresh by every machine
import { writeFileSync } from 'node:fs';
import { createHeadless } from '../web/node/headless.mjs';
import { WORKLOADS, startWorkload } from './machine-workloads.mjs';
import { wholeNumber, workloadNames } from './args.mjs';
import { replayRequest } from './compile-replay.mjs';

function parseArgs(argv) {
  const o = { frames: 1500, rounds: 5, only: null, batch: 0, batchWait: 0, threshold: 0, requests: false, save: null, rebatch: [], browser: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (min) => wholeNumber(a, argv[++i], min);
    if (a === '--frames') o.frames = num(1);
    else if (a === '--rounds') o.rounds = num(1);
    else if (a === '--batch') o.batch = num(1);
    else if (a === '--batch-wait') o.batchWait = num(1);
    else if (a === '--threshold') o.threshold = num(1);
    else if (a === '--requests') o.requests = true;
    else if (a === '--browser') o.browser = true;
    else if (a === '--save') o.save = String(argv[++i] ?? '');
    else if (a === '--rebatch') {
      o.rebatch = String(argv[++i] ?? '').split(',').map(Number);
      if (!o.rebatch.length || o.rebatch.some((n) => !Number.isInteger(n) || n < 1 || n > 64)) throw new Error('--rebatch: expected sizes 1-64, such as 1,8,32');
    }
    else if (a === '--only') o.only = workloadNames(a, argv[++i]);
    else throw new Error(`unknown option ${a} (--frames N, --rounds N, --only NAME, --batch N, --batch-wait N, --threshold N, --requests, --save FILE, --rebatch N,N..., --browser)`);
  }
  return o;
}

// A Z80 compile request's header bytes (core/jit/z80/jit_z80_request.h,
// JIT_Z80_REQUEST_HEADER_BYTES: 24 words, the count last; version 5).
const HEADER = 24 * 4;
const VERSION = 5;

// A Z80 compile request's functions and guest instructions
// (the header, then per entry
// pc, base, len, n_blocks, n_loaded, n_blocks x (start, count with the
// block's flags in its high 16 bits), n_loaded offsets, the window padded
// to 4 bytes).
function requestShape(req) {
  const dv = new DataView(req.buffer, req.byteOffset, req.byteLength);
  const word = (i) => dv.getUint32(i, true);
  if (req.length < HEADER || word(0) !== 2 || word(4) !== VERSION) throw new Error(`not a version ${VERSION} Z80 compile request (${req.length} bytes)`);
  const count = word(HEADER - 4);
  let p = HEADER, insns = 0;
  for (let f = 0; f < count; f++) {
    const len = word(p + 8), nBlocks = word(p + 12), nLoaded = word(p + 16);
    p += 20;
    for (let b = 0; b < nBlocks; b++) insns += word(p + 8 * b + 4) & 0xffff;
    p += 8 * nBlocks + 4 * nLoaded + ((len + 3) & ~3);
  }
  return { functions: count, insns };
}

// A request's header (its words but the last, the count) and
// its entries' bytes, each a slice that can be put in another request of
// the same header.
function requestEntries(req) {
  const dv = new DataView(req.buffer, req.byteOffset, req.byteLength);
  const word = (i) => dv.getUint32(i, true);
  const count = word(HEADER - 4);
  const entries = [];
  let p = HEADER;
  for (let f = 0; f < count; f++) {
    const q = p;
    const len = word(p + 8), nBlocks = word(p + 12), nLoaded = word(p + 16);
    p += 20 + 8 * nBlocks + 4 * nLoaded + ((len + 3) & ~3);
    entries.push(req.subarray(q, p));
  }
  return { header: req.subarray(0, HEADER - 4), entries };
}

// The recorded requests' entries regrouped n at a time (requests of the
// same header only: a request is built against one machine configuration).
function rebatch(requests, n) {
  const groups = new Map();
  for (const req of requests) {
    const { header, entries } = requestEntries(req);
    const key = Buffer.from(header).toString('hex');
    if (!groups.has(key)) groups.set(key, { header, entries: [] });
    groups.get(key).entries.push(...entries);
  }
  const out = [];
  for (const { header, entries } of groups.values()) {
    for (let i = 0; i < entries.length; i += n) {
      const part = entries.slice(i, i + n);
      const req = new Uint8Array(HEADER + part.reduce((s, e) => s + e.length, 0));
      req.set(header);
      new DataView(req.buffer).setUint32(HEADER - 4, part.length, true);
      let p = HEADER;
      for (const e of part) { req.set(e, p); p += e.length; }
      out.push(req);
    }
  }
  return out;
}

// What core/jit/jit_host.js does with a module's bytes, timed per part:
// WebAssembly.Module and the first call of every entry, which is when V8
// compiles a function (web/jit-compiler.mjs compileEntries), then the
// instance against the core (its memory, table and exports) with every
// export installed in the table.
let scratch = 0;
function compileAndInstall(M, compiler, bytes) {
  const t0 = performance.now();
  const module = new WebAssembly.Module(bytes);
  const t1 = performance.now();
  const exports = M.asm;
  const env = { memory: exports.memory, __indirect_function_table: exports.__indirect_function_table };
  const instance = new WebAssembly.Instance(module, { env });
  const t2 = performance.now();
  scratch ||= M._malloc(compiler.entryScratchBytes);
  compiler.compileEntries(instance.exports, M.HEAPU8, scratch);
  const t3 = performance.now();
  const slots = [];
  for (let n = 0; ; n++) {
    const f = instance.exports[`f${n}`];
    if (typeof f !== 'function') break;
    slots.push(M.addFunction(f));
  }
  const t4 = performance.now();
  for (const s of slots) M.removeFunction(s);
  return { compileMs: (t1 - t0) + (t3 - t2), instantiateMs: (t2 - t1) + (t4 - t3), functions: slots.length };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };

// Least squares y = a + b x.
function fit(xs, ys) {
  const n = xs.length;
  if (n < 2) return { a: n ? ys[0] : 0, b: 0 };
  const mx = xs.reduce((s, x) => s + x, 0) / n, my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) { sxy += (xs[i] - mx) * (ys[i] - my); sxx += (xs[i] - mx) ** 2; }
  const b = sxx ? sxy / sxx : 0;
  return { a: my - b * mx, b };
}

// Compiles each request rounds times as the core would (the compiler, then
// the engine, then the instance and the table installs); each request's
// medians per part.
function replay(workload, compiler, M, requests, rounds) {
  const rows = [];
  for (const request of requests) {
    const r = replayRequest(compiler, request, rounds, (bytes) => compileAndInstall(M, compiler, bytes), median);
    rows.push(replayed(workload, request, r));
  }
  return rows;
}

// A replayed request's row: its shape, the module's bytes and the parts
// (checked: the module exported the functions the request asked for).
function replayed(workload, request, r) {
  const shape = requestShape(request);
  if (r.functions !== shape.functions) throw new Error(`${workload}: a module exported ${r.functions} functions for ${shape.functions}`);
  return { ...shape, bytes: r.bytes, buildMs: r.buildMs, writeMs: r.writeMs, compileMs: r.compileMs, instantiateMs: r.instantiateMs,
    totalMs: r.buildMs + r.writeMs + r.compileMs + r.instantiateMs };
}

let warmUpMs = null;

async function measure(workload, o) {
  const jitOptions = {};
  if (o.batch) jitOptions.batch = o.batch;
  if (o.batchWait) jitOptions.batchWait = o.batchWait;
  if (o.threshold) jitOptions.threshold = o.threshold;
  const zx = await createHeadless({ jit: true, compile: 'sync', jitOptions });
  const M = zx.core.module;
  const compiler = M.jit;
  if (warmUpMs === null) warmUpMs = compiler.warmUp(64, 8);
  startWorkload(zx, workload);
  // Record the requests of the window (the core calls Module.jit.compile
  // and reads its lastCost: core/jit/jit_host.js).
  const recorded = [];
  M.jit = {
    lastCost: compiler.lastCost,
    entryScratchBytes: compiler.entryScratchBytes,
    compileEntries(...args) {
      const t0 = performance.now();
      const n = compiler.compileEntries(...args);
      if (recorded.length) recorded[recorded.length - 1].compileMs += performance.now() - t0;
      return n;
    },
    compile(request) {
      const bytes = compiler.compile(request);
      this.lastCost = compiler.lastCost;
      recorded.push({ request: request.slice(), bytes: bytes.length, buildMs: compiler.lastCost.buildMs,
        writeMs: compiler.lastCost.writeMs, compileMs: 0, instantiateMs: 0 });
      return bytes;
    },
  };
  // ... and time the engine's part of each (the glue constructs
  // WebAssembly.Module and WebAssembly.Instance once per request).
  const { Module: WasmModule, Instance: WasmInstance } = WebAssembly;
  const timing = (Target, key) => new Proxy(Target, {
    construct(target, args) {
      const t0 = performance.now();
      const made = Reflect.construct(target, args);
      if (recorded.length) recorded[recorded.length - 1][key] += performance.now() - t0;
      return made;
    },
  });
  WebAssembly.Module = timing(WasmModule, 'compileMs');
  WebAssembly.Instance = timing(WasmInstance, 'instantiateMs');
  const before = zx.core.stats().jit;
  try {
    zx.runFrames(o.frames);
  } finally {
    WebAssembly.Module = WasmModule;
    WebAssembly.Instance = WasmInstance;
  }
  const after = zx.core.stats().jit;
  M.jit = compiler;
  const d = (k) => after[k] - before[k];
  const live = {
    functions: d('functions'), requests: d('requests'), bytes: d('bytesGenerated'),
    buildMs: d('buildMs'), writeMs: d('writeMs'), wasmCompileMs: d('wasmCompileMs'), instantiateMs: d('instantiateMs'),
    compileMs: d('compileMs'),
    compiledShare: d('insnsCompiled') / Math.max(1, d('insnsTotal') - d('insnsHalted')),
  };

  zx.destroy();
  return { live, recorded, compiler, M };
}

// The replays come after every live window: each replayed module is
// instantiated against the core's table, and the table's cost grows with
// the instances that import it (core/jit/jit_host.js), so replaying first
// would slow the next workload's live window down.
function replayAll(w, m, o) {
  const requests = m.recorded.map((r) => r.request);
  m.rows = replay(w, m.compiler, m.M, requests, o.rounds);
  m.batches = o.rebatch.map((n) => [n, replay(w, m.compiler, m.M, rebatch(requests, n), o.rounds)]);
}

// A page that is not cross-origin isolated reads performance.now() coarsened
// to 100 us with jitter: the browser replay averages each part over this
// many rounds of a request (compile-replay-worker.mjs).
const BROWSER_ROUNDS = 25;

// The same requests (and regroupings) replayed in headless Chromium, in a
// module Worker doing what the page's compiler and the emulator's worker
// do with each (bench/compile-replay-worker.mjs). The browser is where
// most people run the emulator, and its engine is newer than Node's.
async function browserReplayAll(results, o) {
  const { openBrowser } = await import('../tests/browser/harness.mjs');
  const env = await openBrowser();
  try {
    const page = await env.newPage();
    await page.goto(env.url + 'tests/browser/blank.html');
    const version = env.browser.version();
    const ready = await page.evaluate(() => new Promise((resolve, reject) => {
      const worker = new Worker('/bench/compile-replay-worker.mjs', { type: 'module' });
      worker.onerror = (e) => reject(new Error(`the replay worker failed to start: ${e.message}`));
      let pending = null;
      worker.onmessage = ({ data }) => {
        if (data.t === 'ready') resolve({ warmUpMs: data.warmUpMs, isolated: data.isolated });
        else if (data.t === 'failed') (pending?.reject ?? reject)(new Error(data.error));
        else if (data.t === 'rows') pending.resolve(data.rows);
      };
      window.replay = (requests, rounds) => new Promise((res, rej) => {
        pending = { resolve: res, reject: rej };
        worker.postMessage({ t: 'replay', requests: requests.map((r) => Uint8Array.from(r)), rounds });
      });
      worker.postMessage({ t: 'init', warmUp: 64 });
    }));
    const run = async (w, requests) => {
      const rows = await page.evaluate(([reqs, rounds]) => window.replay(reqs, rounds),
        [requests.map((r) => Array.from(r)), BROWSER_ROUNDS]);
      return rows.map((r, i) => replayed(w, requests[i], r));
    };
    for (const [w, m] of results) {
      const requests = m.recorded.map((r) => r.request);
      m.browserRows = await run(w, requests);
      m.browserBatches = [];
      for (const n of o.rebatch) m.browserBatches.push([n, await run(w, rebatch(requests, n))]);
    }
    if (page.errors.length) throw new Error(`the replay page reported errors: ${page.errors.join('; ')}`);
    return `${version}, compiler warm-up ${ready.warmUpMs.toFixed(0)} ms, ${ready.isolated ? '5 us' : '100 us (jittered)'} timer`;
  } finally {
    await env.close();
  }
}

const o = parseArgs(process.argv.slice(2));
const names = o.only ?? WORKLOADS;
const results = [];
for (const w of names) results.push([w, await measure(w, o)]);
for (const [w, m] of results) replayAll(w, m, o);
const browserVersion = o.browser ? await browserReplayAll(results, o) : null;
if (o.save) {
  // The recorded requests, each as a little-endian u32 length and its
  // bytes, for replaying them elsewhere (a native profile of the compiler).
  const parts = [];
  for (const [, { recorded }] of results) {
    for (const r of recorded) {
      const len = new Uint8Array(4);
      new DataView(len.buffer).setUint32(0, r.request.length, true);
      parts.push(len, r.request);
    }
  }
  writeFileSync(o.save, Buffer.concat(parts));
}

console.log(`Node ${process.version}; the 48K machine, the first ${o.frames} frames, synchronous compiles; ` +
  `batch ${o.batch || 'default'}, batch wait ${o.batchWait || 'default'}, threshold ${o.threshold || 'default'}; compiler warm-up ${warmUpMs.toFixed(0)} ms (64 x 8 functions); ` +
  `replay: median of ${o.rounds} rounds per request`);
const us = (ms) => (ms * 1000).toFixed(0);
const sum = (rows, k) => rows.reduce((s, r) => s + r[k], 0);

console.log('\nlive (the core\'s jit_stats_t over the window): us per function (per request)');
printTable(['workload', 'compiled insns', 'functions', 'requests', 'bytes/fn', 'build', 'write', 'Wasm compile', 'instantiate', 'sum of parts', 'whole (C side)'],
  results.map(([w, { live: l }]) => {
    const per = (ms) => (l.functions ? `${us(ms / l.functions)} (${us(ms / Math.max(1, l.requests))})` : '-');
    return [w, `${(100 * l.compiledShare).toFixed(1)}%`, l.functions, l.requests, l.functions ? (l.bytes / l.functions).toFixed(0) : '-', per(l.buildMs), per(l.writeMs),
      per(l.wasmCompileMs), per(l.instantiateMs), per(l.buildMs + l.writeMs + l.wasmCompileMs + l.instantiateMs), per(l.compileMs)];
  }));

console.log('\nlive, per request (ms: compiler build + write, Wasm compile, instantiate without the table installs): median, slowest');
printTable(['workload', 'requests', 'median total', 'median split', 'slowest total', 'slowest split', 'slowest functions'],
  results.map(([w, { recorded }]) => {
    const tot = (r) => r.buildMs + r.writeMs + r.compileMs + r.instantiateMs;
    const byTotal = [...recorded].sort((a, b) => tot(a) - tot(b));
    if (!byTotal.length) return [w, 0, '-', '-', '-', '-', '-'];
    const split = (r) => [r.buildMs + r.writeMs, r.compileMs, r.instantiateMs].map((x) => x.toFixed(2)).join(' / ');
    const med = byTotal[byTotal.length >> 1], max = byTotal[byTotal.length - 1];
    return [w, recorded.length, tot(med).toFixed(2), split(med), tot(max).toFixed(2), split(max), requestShape(max.request).functions];
  }));

printReplay('replay (the same requests again, warm)', 'rows', 'batches');
if (browserVersion) {
  printReplay(`browser replay (Chromium ${browserVersion}; headless, in a module Worker as the page compiles; ` +
    `mean of ${BROWSER_ROUNDS} rounds per request; instantiate: against a 16 MB memory and a 512-slot table, as the core's)`,
  'browserRows', 'browserBatches');
}

function printReplay(title, rowsKey, batchesKey) {
  console.log(`\n${title}: us per function (per request); fit: us per request = fixed + per guest instruction`);
  const all = [];
  printTable(['workload', 'functions', 'insns/fn', 'bytes/fn', 'build', 'write', 'Wasm compile', 'instantiate', 'total', 'us/insn', 'fit: fixed + per insn'],
    results.map(([w, m]) => {
      all.push(...m[rowsKey]);
      return replayRow(w, m[rowsKey]);
    }).concat(names.length > 1 ? [replayRow('all', all)] : []));
  if (!o.rebatch.length) return;
  console.log('\nthe same functions regrouped N to a request (replayed): us per function');
  const head = ['workload', ...o.rebatch.flatMap((n) => [`N=${n} requests`, `N=${n} build+write`, `N=${n} compile+inst`, `N=${n} total`])];
  const rowsAll = new Map(o.rebatch.map((n) => [n, []]));
  const line = (w, per) => [w, ...o.rebatch.flatMap((n) => {
    const rows = per.get(n), fns = sum(rows, 'functions');
    return [rows.length, us((sum(rows, 'buildMs') + sum(rows, 'writeMs')) / fns), us((sum(rows, 'compileMs') + sum(rows, 'instantiateMs')) / fns),
      us(sum(rows, 'totalMs') / fns)];
  })];
  const table = [];
  for (const [w, m] of results) {
    const batches = m[batchesKey];
    const per = new Map(batches);
    for (const [n, rows] of batches) rowsAll.get(n).push(...rows);
    if (sum(batches[0][1], 'functions')) table.push(line(w, per));
  }
  if (names.length > 1) table.push(line('all', rowsAll));
  printTable(head, table);
}

function replayRow(w, rows) {
  const fns = sum(rows, 'functions'), n = rows.length;
  if (!fns) return [w, 0, '-', '-', '-', '-', '-', '-', '-', '-', '-'];
  const per = (k) => `${us(sum(rows, k) / fns)} (${us(sum(rows, k) / n)})`;
  const f = fit(rows.map((r) => r.insns), rows.map((r) => r.totalMs * 1000));
  return [w, fns, (sum(rows, 'insns') / fns).toFixed(1), (sum(rows, 'bytes') / fns).toFixed(0), per('buildMs'), per('writeMs'),
    per('compileMs'), per('instantiateMs'), per('totalMs'), (sum(rows, 'totalMs') * 1000 / sum(rows, 'insns')).toFixed(2),
    `${f.a.toFixed(0)} + ${f.b.toFixed(2)}`];
}

if (o.requests) {
  console.log('\nper request (replay medians, us)');
  for (const [w, { rows }] of results) {
    printTable(['workload', 'request', 'functions', 'insns', 'bytes', 'build', 'write', 'Wasm compile', 'instantiate', 'total'],
      rows.map((r, i) => [w, i, r.functions, r.insns, r.bytes, us(r.buildMs), us(r.writeMs), us(r.compileMs), us(r.instantiateMs), us(r.totalMs)]));
  }
}

function printTable(head, rows) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
}
