// One replay of a recorded compile request, shared by bench_compile.mjs
// (Node, against the core) and compile-replay-worker.mjs (a Worker in
// Chromium): plain JS, no Node or DOM imports.
//
// V8 keeps compiled modules by their bytes: the same bytes compiled again
// cost next to nothing. unique() gives each replayed module a custom
// section with a serial number of its own, as every live module is new:
// this module's next, or `serial` (a caller that numbers modules across
// threads: V8's cache is the process's).
let next = 0;
export function unique(bytes, serial = ++next) {
  const out = new Uint8Array(bytes.length + 8);
  out.set(bytes);
  out.set([0, 6, 1, 0x72], bytes.length); // custom section, 6 bytes, name "r"
  new DataView(out.buffer).setUint32(bytes.length + 4, serial, true);
  return out;
}

// Compiles request rounds times: the compiler (its lastCost: build, write),
// then engine(moduleBytes) -> { compileMs, instantiateMs, functions } (the
// caller's V8 side, given unique bytes each round). Returns the module's
// size, its functions and each part reduced over the rounds by
// reduce(values) (a median, a mean).
export function replayRequest(compiler, request, rounds, engine, reduce) {
  const parts = { buildMs: [], writeMs: [], compileMs: [], instantiateMs: [] };
  let bytes = 0, functions = 0;
  for (let k = 0; k < rounds; k++) {
    const out = compiler.compile(request);
    bytes = out.length;
    parts.buildMs.push(compiler.lastCost.buildMs);
    parts.writeMs.push(compiler.lastCost.writeMs);
    const c = engine(unique(out));
    functions = c.functions;
    parts.compileMs.push(c.compileMs);
    parts.instantiateMs.push(c.instantiateMs);
  }
  return { bytes, functions, ...Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, reduce(v)])) };
}
