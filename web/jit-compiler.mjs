// Wraps an instance of the compiler program (zxjit: wasm-backend + Binaryen)
// as the object the core's glue expects in Module.jit:
//   compile(requestBytes: Uint8Array) -> Uint8Array (Wasm module bytes)
//   lastCost -> { buildMs, writeMs } of the last compile: the compiler building
//     the module, then writing its bytes (with the copies in and out)
//   warmUp(rounds, functions) -> ms: compiles a built-in mix of Z80 code
//     (wasm-backend/wb_warmup.c) and throws the result away. The engine
//     compiles the compiler program lazily and optimises it only once it
//     has run a while: cold, a compile costs ~10x a warm one. About 50
//     rounds of 8 functions bring it to its warm speed under V8.
//   compileEntries(exports, heap, ctx), entryScratchBytes: compileEntries
//     below (the core's glue calls it on each new instance in the
//     synchronous mode)
// Works the same in browsers and Node.
export function wrapCompiler(jitModule) {
  const m = jitModule;
  return {
    module: m,
    lastCost: { buildMs: 0, writeMs: 0 },
    compileEntries,
    entryScratchBytes: ENTRY_SCRATCH_BYTES,
    compile(request) {
      const t0 = performance.now();
      const ptr = m._malloc(request.length);
      try {
        m.HEAPU8.set(request, ptr);
        const out = m._wb_compile_request(ptr, request.length);
        if (!out) throw new Error(`compile failed: ${m.UTF8ToString(m._wb_last_error())}`);
        const bytes = m.HEAPU8.slice(out, out + m._wb_result_size());
        const buildMs = m.HEAPF64[m._wb_last_times() >> 3];
        this.lastCost = { buildMs, writeMs: Math.max(0, performance.now() - t0 - buildMs) };
        return bytes;
      } finally {
        m._free(ptr);
      }
    },
    warmUp(rounds = 1, functions = 8) {
      const t0 = performance.now();
      if (!m._wb_warm_up(rounds, functions)) throw new Error('the compiler failed on its own warm-up code');
      return performance.now() - t0;
    },
  };
}

// Bytes of scratch context compileEntries needs at ctx (a generated
// function reads and writes its z80_t there: jit_z80_request_t.cpu_size,
// 232 bytes today; tests/node/jit-entries.test.mjs checks that it fits).
export const ENTRY_SCRATCH_BYTES = 1024;

// V8 compiles a module's functions lazily: WebAssembly.Module only
// validates them, and each is compiled (by Liftoff) the first time it is
// called, on the thread that calls it. For a generated function that is
// the larger part of V8's work: ~190 us at its first call for a typical
// one (3.5 KB) on the test machine, ~30 us to instantiate
// (bench/bench_first_call.mjs; bench/bench_compile.mjs counts it in "Wasm
// compile"). Calling every entry once right away moves that work here:
// into the compile worker in the asynchronous mode, so the emulation
// thread never compiles, and into the compile's measured time in the
// synchronous mode (it would otherwise hide in the guest's run).
//
// Each export "f<n>" is called as f(ctx, 0), on a zeroed context of
// ENTRY_SCRATCH_BYTES at ctx in heap (the instance's memory, as bytes).
// With `until` 0 a generated function leaves at its first block's
// deadline check, which comes before anything else but reading its
// context (wasm-backend/z80/wb_z80.c: every block starts with one), and
// returns JIT_EXIT_DEADLINE having written only that context: the guest's
// state and memory are not touched (tests/node/jit-entries.test.mjs holds
// every generated function to this). The helpers a module keeps for its
// own functions' slow paths are left to compile when first needed (they
// are small).
export function compileEntries(exports, heap, ctx) {
  for (let n = 0; ; n++) {
    const f = exports[`f${n}`];
    if (typeof f !== 'function') return n;
    heap.fill(0, ctx, ctx + ENTRY_SCRATCH_BYTES);
    f(ctx, 0);
  }
}

// Imports for a scratch instance whose entries compileEntries calls (the
// compile worker's; bench/bench_first_call.mjs): a memory of its own (one
// page, the context at 0) and an empty table (a function leaving at its
// deadline check calls nothing through it). One per thread, kept.
let scratch = null;
export function scratchImports() {
  if (!scratch) {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const table = new WebAssembly.Table({ initial: 0, element: 'anyfunc' });
    scratch = { memory, env: { memory, __indirect_function_table: table } };
  }
  return scratch;
}

// The compiler program in a browser thread: its Emscripten glue imported
// from jitUrl, instantiated from jitModule (a WebAssembly.Module compiled
// by the page), wrapped as above. For the emulation's Worker (synchronous
// compiles) and the compile Worker (web/engine/compile-worker.mjs).
// Rejects when the glue or the instance fails.
export function loadCompiler(jitUrl, jitModule, { print, printErr } = {}) {
  return import(jitUrl).then(({ default: createZxJit }) => new Promise((resolve, reject) => {
    createZxJit({
      instantiateWasm(imports, receive) {
        WebAssembly.instantiate(jitModule, imports).then((instance) => receive(instance), reject);
        return {};
      },
      print,
      printErr,
    }).then((m) => resolve(wrapCompiler(m)), reject);
  }));
}

// The compiler's side of an asynchronous request (web/jit-async.mjs), run
// in the compile worker: the request's bytes become a compiled
// WebAssembly.Module, its entries compiled here too (compileEntries;
// entries: how many), or an error. The Module is posted back as it is: it
// crosses to the core's thread without being compiled again, with the code
// compiled here (V8 shares a module's code between threads). cost: the
// worker's own time (buildMs, writeMs) and the engine's compile
// (compileMs: the module and its entries).
export function compileRequest(compiler, { ticket, request }) {
  try {
    const bytes = compiler.compile(request);
    const t0 = performance.now();
    const module = new WebAssembly.Module(bytes);
    // its functions compiled here, off the emulation's thread (compileEntries)
    const { memory, env } = scratchImports();
    const instance = new WebAssembly.Instance(module, { env });
    const entries = compileEntries(instance.exports, new Uint8Array(memory.buffer), 0);
    const cost = { ...compiler.lastCost, compileMs: performance.now() - t0 };
    // moduleBytes: for the JIT inspector's Wasm text (a copy; a few KB)
    return { t: 'result', ticket, module, entries, bytes: bytes.length, moduleBytes: bytes, cost };
  } catch (e) {
    return { t: 'result', ticket, module: null, error: e.message, bytes: 0, cost: null };
  }
}
