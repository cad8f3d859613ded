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
// Works the same in browsers and Node.
export function wrapCompiler(jitModule) {
  const m = jitModule;
  return {
    module: m,
    lastCost: { buildMs: 0, writeMs: 0 },
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
// WebAssembly.Module (posted back as it is: a Module crosses to the core's
// thread without being compiled again), or an error. cost: the worker's
// own time (buildMs, writeMs) and the engine's compile
// (compileMs).
export function compileRequest(compiler, { ticket, request }) {
  try {
    const bytes = compiler.compile(request);
    const t0 = performance.now();
    const module = new WebAssembly.Module(bytes);
    const cost = { ...compiler.lastCost, compileMs: performance.now() - t0 };
    // moduleBytes: for the JIT inspector's Wasm text (a copy; a few KB)
    return { t: 'result', ticket, module, bytes: bytes.length, moduleBytes: bytes, cost };
  } catch (e) {
    return { t: 'result', ticket, module: null, error: e.message, bytes: 0, cost: null };
  }
}
