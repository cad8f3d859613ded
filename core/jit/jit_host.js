// Emscripten JS library of the core, implementing core/jit/jit_host.h: the
// glue between the C core and the code the dynarec generates at run time.
//
// The compiler is its own Wasm program (build/wasm/*/zxjit.*, Binaryen linked
// in), so the core stays small and loads first. JS hands it to the core as
// Module.jit = { compile(requestBytes) -> Uint8Array moduleBytes } whenever it
// is ready (see web/jit-compiler.mjs); until then compiles fail softly and the
// interpreter runs everything.
//
// A generated module imports the core's own memory and the core's own Wasm
// exports (so generated code calls into the core Wasm-to-Wasm, with no JS on
// the hot path). Its functions are installed in the core's function table and
// the core calls them through plain C function pointers.
mergeInto(LibraryManager.library, {
  // int32_t jit_host_compile(const uint8_t *request, uint32_t len,
  //                          int32_t *slots, uint32_t max_slots,
  //                          jit_host_cost_t *cost)
  // Returns the number of functions installed (slots[i] <- table index of
  // export "f<i>"), -1 when the compile failed, -2 when no compiler is
  // loaded yet. *cost (core/jit/jit_host.h) gets the time of each step and the
  // module size.
  jit_host_compile: function (reqPtr, reqLen, slotsPtr, maxSlots, costPtr) {
    var jit = Module['jit'];
    if (!jit) return -2;
    try {
      var bytes = jit.compile(HEAPU8.subarray(reqPtr, reqPtr + reqLen));
      var cost = jit.lastCost || { buildMs: 0, writeMs: 0 };
      var t1 = performance.now();
      var module = new WebAssembly.Module(bytes);
      var t2 = performance.now();
      var exports = Module['asm'];
      var env = { 'memory': wasmMemory };
      WebAssembly.Module.imports(module).forEach(function (imp) {
        if (imp.kind !== 'function') return;
        var f = exports[imp.name];
        if (typeof f !== 'function') throw new Error('generated code imports unknown core export "' + imp.name + '"');
        env[imp.name] = f;
      });
      var instance = new WebAssembly.Instance(module, { 'env': env });
      var n = 0;
      for (; n < maxSlots; n++) {
        var f = instance.exports['f' + n];
        if (typeof f !== 'function') break;
        HEAP32[(slotsPtr >> 2) + n] = addFunction(f);
      }
      // The JIT inspector (web/jit-inspect.mjs) prints a function's module:
      // each slot keeps a reference to its module's bytes (bounded by the
      // code cache, dropped with the slot).
      var kept = Module['jitModules'] || (Module['jitModules'] = new Map());
      for (var k = 0; k < n; k++) kept.set(HEAP32[(slotsPtr >> 2) + k], { bytes: bytes, index: k });
      // jit_host_cost_t: the offsets are pinned by a _Static_assert in jit_host.h
      HEAPF64[costPtr >> 3] = cost.buildMs;
      HEAPF64[(costPtr >> 3) + 1] = cost.writeMs;
      HEAPF64[(costPtr >> 3) + 2] = t2 - t1;
      HEAPF64[(costPtr >> 3) + 3] = performance.now() - t2;
      HEAPU32[(costPtr >> 2) + 8] = bytes.length;
      return n;
    } catch (e) {
      err('jit: ' + e.message);
      return -1;
    }
  },

  // void jit_host_release(int32_t slot): frees a table slot for reuse.
  jit_host_release: function (slot) {
    removeFunction(slot);
    if (Module['jitModules']) Module['jitModules'].delete(slot);
  },
});
