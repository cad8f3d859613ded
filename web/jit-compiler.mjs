// Wraps an instance of the compiler program (zxjit: wasm-backend + Binaryen)
// as the object the core's glue expects in Module.jit:
//   compile(requestBytes: Uint8Array) -> Uint8Array (Wasm module bytes)
//   lastCost -> { buildMs, writeMs } of the last compile: Binaryen building
//     the module, then writing its bytes (with the copies in and out)
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
  };
}
