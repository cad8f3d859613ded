// The browser half of `bench/bench_compile.mjs --browser`: a module Worker
// in headless Chromium that replays recorded compile requests the way the
// page's own compiler does them (web/engine/compile-worker.mjs running
// web/jit-compiler.mjs compileRequest), then instantiates each module the
// way the emulator's worker installs it (core/jit/jit_host.js), and posts
// back each request's mean time per part. The mean, not the median: a
// page that is not cross-origin isolated reads performance.now() coarsened
// to 100 us with random jitter, so single readings of a part are mostly
// 0 or 100 us while their mean over enough rounds converges (the caller
// asks for 25 or more).
//
// Messages: { t: 'init', warmUp } -> { t: 'ready', warmUpMs, isolated };
// { t: 'replay', requests: [Uint8Array], rounds } -> { t: 'rows', rows:
// [{ bytes, buildMs, writeMs, compileMs, instantiateMs }] } or
// { t: 'failed', error }.
//
// Per round of a request, as in the page:
// - build and write: the compiler (compiler.compile; its lastCost);
// - Wasm compile: new WebAssembly.Module, an instance on the worker's
//   scratch imports and the first call of every entry (compileEntries),
//   which is when V8 compiles a function;
// - instantiate: an instance against a memory and a table the size of the
//   core's (Node 20's V8 charges an instance that imports a table in
//   proportion to the table's length; Chromium 156's did not, measured),
//   its exports set in free slots of that table, then the slots emptied
//   again (the core frees them with the code).
// Each round's module carries a custom section with a serial number of its
// own (bench_compile.mjs unique()): V8 keeps compiled modules by their bytes.
import { loadCompiler, compileEntries, scratchImports } from '/web/jit-compiler.mjs';

const CORE_PAGES = 256;  // 16 MB, the order of the core's memory
const CORE_SLOTS = 512;  // the core's table after its first block of JIT slots (jitHostReserveSlots)

let compiler = null;
let serial = 0;
const core = (() => {
  const memory = new WebAssembly.Memory({ initial: CORE_PAGES });
  const table = new WebAssembly.Table({ initial: CORE_SLOTS, element: 'anyfunc' });
  return { memory, table, env: { memory, __indirect_function_table: table } };
})();

function unique(bytes) {
  const out = new Uint8Array(bytes.length + 8);
  out.set(bytes);
  out.set([0, 6, 1, 0x72], bytes.length); // custom section, 6 bytes, name "r"
  new DataView(out.buffer).setUint32(bytes.length + 4, ++serial, true);
  return out;
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

function replayOne(request, rounds) {
  const parts = { buildMs: [], writeMs: [], compileMs: [], instantiateMs: [] };
  let bytes = 0;
  for (let k = 0; k < rounds; k++) {
    const out = compiler.compile(request);
    bytes = out.length;
    parts.buildMs.push(compiler.lastCost.buildMs);
    parts.writeMs.push(compiler.lastCost.writeMs);
    const t0 = performance.now();
    const module = new WebAssembly.Module(unique(out));
    const { memory, env } = scratchImports();
    const scratch = new WebAssembly.Instance(module, { env });
    compileEntries(scratch.exports, new Uint8Array(memory.buffer), 0);
    const t1 = performance.now();
    const instance = new WebAssembly.Instance(module, { env: core.env });
    const slots = [];
    for (let n = 0; ; n++) {
      const f = instance.exports[`f${n}`];
      if (typeof f !== 'function') break;
      const slot = CORE_SLOTS - 1 - n;
      core.table.set(slot, f);
      slots.push(slot);
    }
    const t2 = performance.now();
    for (const s of slots) core.table.set(s, null);
    parts.compileMs.push(t1 - t0);
    parts.instantiateMs.push(t2 - t1);
  }
  return { bytes, ...Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, mean(v)])) };
}

self.onmessage = async ({ data: msg }) => {
  try {
    if (msg.t === 'init') {
      const jitModule = await WebAssembly.compileStreaming(fetch('/build/wasm/web/zxjit.wasm'));
      compiler = await loadCompiler('/build/wasm/web/zxjit.mjs', jitModule, { print: () => {}, printErr: () => {} });
      const warmUpMs = msg.warmUp ? compiler.warmUp(msg.warmUp, 8) : 0;
      self.postMessage({ t: 'ready', warmUpMs, isolated: self.crossOriginIsolated === true });
    } else if (msg.t === 'replay') {
      self.postMessage({ t: 'rows', rows: msg.requests.map((r) => replayOne(r, msg.rounds)) });
    }
  } catch (e) {
    self.postMessage({ t: 'failed', error: String(e?.stack ?? e) });
  }
};
