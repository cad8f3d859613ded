// Wraps an instance of the compiler program (zxjit: wasm-backend + Binaryen)
// as the object the core's glue expects in Module.jit:
//   compile(requestBytes: Uint8Array) -> Uint8Array (Wasm module bytes)
// Works the same in browsers and Node.
export function wrapCompiler(jitModule) {
  const m = jitModule;
  return {
    module: m,
    compile(request) {
      const ptr = m._malloc(request.length);
      try {
        m.HEAPU8.set(request, ptr);
        const out = m._wb_compile_request(ptr, request.length);
        if (!out) throw new Error(`compile failed: ${m.UTF8ToString(m._wb_last_error())}`);
        return m.HEAPU8.slice(out, out + m._wb_result_size());
      } finally {
        m._free(ptr);
      }
    },
  };
}
