// Emscripten JS library: the glue between the C core and modules that the
// dynarec builds at run time. A generated module imports the core's own
// memory and the core's own Wasm exports (so calls from generated code into
// the core are Wasm-to-Wasm, with no JS on the hot path); its function is
// installed in the core's function table and the core calls it through a
// plain C function pointer.
mergeInto(LibraryManager.library, {
  // int32_t jit_host_install(const uint8_t *bytes, uint32_t len, const char *export_name)
  // Returns the table index of the installed function, or -1 (with a message
  // on the console) if the module does not compile or link.
  jit_host_install: function (ptr, len, namePtr) {
    var name = UTF8ToString(namePtr);
    try {
      var bytes = HEAPU8.subarray(ptr, ptr + len);
      var module = new WebAssembly.Module(bytes);
      var exports = Module['asm'];
      var env = { 'memory': wasmMemory };
      WebAssembly.Module.imports(module).forEach(function (imp) {
        if (imp.kind === 'function') {
          var f = exports[imp.name];
          if (typeof f !== 'function') throw new Error('generated module imports unknown core export "' + imp.name + '"');
          env[imp.name] = f;
        }
      });
      var instance = new WebAssembly.Instance(module, { 'env': env });
      var f = instance.exports[name];
      if (typeof f !== 'function') throw new Error('generated module has no export "' + name + '"');
      return addFunction(f);
    } catch (e) {
      err('jit_host_install: ' + e.message);
      return -1;
    }
  },

  // void jit_host_release(int32_t index): frees a table slot for reuse.
  jit_host_release: function (index) {
    removeFunction(index);
  },
});
