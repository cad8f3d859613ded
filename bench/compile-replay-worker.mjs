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
// [{ bytes, functions, buildMs, writeMs, compileMs, instantiateMs }] } or
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
// The rounds and the compiler's part are bench/compile-replay.mjs's, as in
// the Node replay.
import { loadCompiler, compileEntries, scratchImports } from '/web/jit-compiler.mjs';
import { replayRequest } from '/bench/compile-replay.mjs';

const CORE_PAGES = 256;  // 16 MB, the order of the core's memory
const CORE_SLOTS = 512;  // the core's table after its first block of JIT slots (jitHostReserveSlots)

let compiler = null;
const core = (() => {
  const memory = new WebAssembly.Memory({ initial: CORE_PAGES });
  const table = new WebAssembly.Table({ initial: CORE_SLOTS, element: 'anyfunc' });
  return { memory, table, env: { memory, __indirect_function_table: table } };
})();

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

// The V8 side of one round: the compile worker's, then the emulator's.
function compileAndInstall(bytes) {
  const t0 = performance.now();
  const module = new WebAssembly.Module(bytes);
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
  return { compileMs: t1 - t0, instantiateMs: t2 - t1, functions: slots.length };
}

self.onmessage = async ({ data: msg }) => {
  try {
    if (msg.t === 'init') {
      const jitModule = await WebAssembly.compileStreaming(fetch('/build/wasm/web/zxjit.wasm'));
      compiler = await loadCompiler('/build/wasm/web/zxjit.mjs', jitModule, { print: () => {}, printErr: () => {} });
      const warmUpMs = msg.warmUp ? compiler.warmUp(msg.warmUp, 8) : 0;
      self.postMessage({ t: 'ready', warmUpMs, isolated: self.crossOriginIsolated === true });
    } else if (msg.t === 'replay') {
      self.postMessage({ t: 'rows', rows: msg.requests.map((r) => replayRequest(compiler, r, msg.rounds, compileAndInstall, mean)) });
    }
  } catch (e) {
    self.postMessage({ t: 'failed', error: String(e?.stack ?? e) });
  }
};
