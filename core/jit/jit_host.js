// Emscripten JS library of the core, implementing core/jit/jit_host.h: the
// glue between the C core and the code the dynarec generates at run time.
//
// The compiler is its own Wasm program (build/wasm/*/zxjit.*, Binaryen linked
// in), so the core stays small and loads first. JS hands it to the core as
// Module.jit = { compile(requestBytes) -> Uint8Array moduleBytes } whenever it
// is ready (see web/jit-compiler.mjs); until then compiles fail softly and the
// interpreter runs everything.
//
// A generated module imports the core's own memory and function table, and
// calls the core's functions through the table (Wasm to Wasm, with no JS on
// the hot path, and no function imports, which V8 charges per module). Its
// functions are installed in the core's function table and the core calls
// them through plain C function pointers.
//
// Asynchronous mode (core/jit/jit.c, "Asynchronous compiles"): with
// Module.jitAsync attached (web/jit-async.mjs: a compiler in its own Worker
// or worker_threads worker), requests are posted with a ticket and the
// emulation goes on; the modules come back compiled (WebAssembly.Module)
// and jit_host_poll, called by the core between guest instructions,
// instantiates them and hands the slots to the core's jit_async_install,
// which installs or drops each function.
mergeInto(LibraryManager.library, {
  // Makes sure n table slots are free for generated functions. Emscripten's
  // addFunction grows the table by one slot whenever its free list is
  // empty, and under V8 growing (or setting) the core's table costs time in
  // proportion to the instances that import it, each of which keeps its own
  // copy sized to the table: every generated module imports it (chaining).
  // Measured in Node 20: with 1,000 such instances one grow(1) of a
  // 5,400-slot table took ~25 ms, with none 8 us. So the table grows in
  // blocks (doubling, at least 256 slots) and the new slots go on the free
  // list that addFunction takes from: a grow is rare, and the first happens
  // before any generated instance exists.
  $jitHostReserveSlots: function (n) {
    if (typeof freeTableIndexes === 'undefined' || freeTableIndexes.length >= n) return;
    var first = wasmTable.length;
    var more = Math.max(256, first, n);
    wasmTable.grow(more);
    for (var i = first + more - 1; i >= first; i--) freeTableIndexes.push(i); // popped lowest first
  },

  // Instantiates a generated module against the core: its memory and
  // function table, all a generated module imports (compiled code calls the
  // core's functions and tail-calls compiled code through the table:
  // core/jit/z80/jit_z80_request.h, JIT_Z80_CALL_*).
  $jitHostInstance: function (module) {
    var env = { 'memory': wasmMemory, '__indirect_function_table': wasmTable };
    return new WebAssembly.Instance(module, { 'env': env });
  },

  // Installs an instance's functions "f0".. "f(max-1)" in the table;
  // returns their slots. bytes: the module's bytes, kept per slot for the
  // JIT inspector (web/jit-inspect.mjs prints a function's module; bounded
  // by the code cache, dropped with the slot).
  $jitHostInstall__deps: ['$jitHostReserveSlots'],
  $jitHostInstall: function (instance, max, bytes) {
    jitHostReserveSlots(max);
    var slots = [];
    for (var n = 0; n < max; n++) {
      var f = instance.exports['f' + n];
      if (typeof f !== 'function') break;
      slots.push(addFunction(f));
    }
    if (bytes) {
      var kept = Module['jitModules'] || (Module['jitModules'] = new Map());
      for (var k = 0; k < slots.length; k++) kept.set(slots[k], { bytes: bytes, index: k });
    }
    return slots;
  },

  // Writes jit_host_cost_t (its offsets are pinned by a _Static_assert in jit_host.h).
  $jitHostWriteCost: function (costPtr, buildMs, writeMs, compileMs, instantiateMs, bytes) {
    HEAPF64[costPtr >> 3] = buildMs;
    HEAPF64[(costPtr >> 3) + 1] = writeMs;
    HEAPF64[(costPtr >> 3) + 2] = compileMs;
    HEAPF64[(costPtr >> 3) + 3] = instantiateMs;
    HEAPU32[(costPtr >> 2) + 8] = bytes;
  },

  // A context in the core's memory for jit.compileEntries
  // (web/jit-compiler.mjs: each new function is called once with `until` 0,
  // so that V8 compiles it now; it reads and writes only this context).
  $jitHostScratch: 0,

  // int32_t jit_host_compile(const uint8_t *request, uint32_t len,
  //                          int32_t *slots, uint32_t max_slots,
  //                          jit_host_cost_t *cost)
  // Returns the number of functions installed (slots[i] <- table index of
  // export "f<i>"), -1 when the compile failed, -2 when no compiler is
  // loaded yet. *cost (core/jit/jit_host.h) gets the time of each step and the
  // module size: the Wasm compile is the module's and its entries' (when the
  // compiler provides compileEntries), the instantiation the instance's and
  // the table installs'.
  jit_host_compile__deps: ['$jitHostInstance', '$jitHostInstall', '$jitHostWriteCost', '$jitHostScratch'],
  jit_host_compile: function (reqPtr, reqLen, slotsPtr, maxSlots, costPtr) {
    var jit = Module['jit'];
    if (!jit) return -2;
    try {
      var bytes = jit.compile(HEAPU8.subarray(reqPtr, reqPtr + reqLen));
      var cost = jit.lastCost || { buildMs: 0, writeMs: 0 };
      var t1 = performance.now();
      var module = new WebAssembly.Module(bytes);
      var t2 = performance.now();
      var instance = jitHostInstance(module);
      var t3 = performance.now();
      if (jit.compileEntries) {
        if (!jitHostScratch) jitHostScratch = _malloc(jit.entryScratchBytes);
        if (!jitHostScratch) throw new Error('no memory for a scratch context');
        jit.compileEntries(instance.exports, HEAPU8, jitHostScratch);
      }
      var t4 = performance.now();
      var slots = jitHostInstall(instance, maxSlots, bytes);
      for (var n = 0; n < slots.length; n++) HEAP32[(slotsPtr >> 2) + n] = slots[n];
      jitHostWriteCost(costPtr, cost.buildMs, cost.writeMs, (t2 - t1) + (t4 - t3), (t3 - t2) + (performance.now() - t4), bytes.length);
      return slots.length;
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

  // int32_t jit_host_mode(void): 1 asynchronous, -3 synchronous, -2 no compiler yet.
  jit_host_mode: function () {
    var a = Module['jitAsync'];
    if (a) return a.ready ? 1 : -2;
    return Module['jit'] ? -3 : -2;
  },

  // int32_t jit_host_compile_async(const uint8_t *request, uint32_t len, uint32_t ticket)
  jit_host_compile_async: function (reqPtr, reqLen, ticket) {
    var a = Module['jitAsync'];
    if (!a) return -3;
    try {
      a.post(ticket >>> 0, HEAPU8.slice(reqPtr, reqPtr + reqLen));
      return 0;
    } catch (e) {
      err('jit: ' + e.message);
      return -1;
    }
  },

  // void jit_host_poll(void): installs the results that arrived, each as
  // { ticket, module (WebAssembly.Module) or error, cost: { buildMs,
  // writeMs, compileMs }, bytes }.
  jit_host_poll__deps: ['$jitHostInstance', '$jitHostInstall', '$jitHostWriteCost'],
  jit_host_poll: function () {
    var a = Module['jitAsync'];
    if (!a) return;
    var results = a.poll();
    if (!results.length) return;
    var costPtr = _malloc(40);
    var slotsPtr = _malloc(4 * 64);
    try {
      for (var i = 0; i < results.length; i++) {
        var r = results[i];
        var want = Module['_jit_async_accept'](r.ticket);
        if (!want) continue;
        var slots = [];
        var t0 = performance.now();
        var ok = Boolean(r.module);
        if (ok) {
          try {
            slots = jitHostInstall(jitHostInstance(r.module), want, r.moduleBytes);
          } catch (e) {
            err('jit: ' + e.message);
            ok = false;
          }
        } else {
          err('jit: ' + r.error);
        }
        for (var n = 0; n < slots.length; n++) HEAP32[(slotsPtr >> 2) + n] = slots[n];
        var c = r.cost || {};
        jitHostWriteCost(costPtr, c.buildMs || 0, c.writeMs || 0, c.compileMs || 0, performance.now() - t0, r.bytes || 0);
        Module['_jit_async_install'](r.ticket, slotsPtr, ok ? slots.length : -1, costPtr);
      }
    } finally {
      _free(costPtr);
      _free(slotsPtr);
    }
  },
});
