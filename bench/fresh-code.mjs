// Imported first by the benchmarks that run the dynarec: every machine
// they make compiles its generated code afresh, as a new program would.
//
// V8 keeps compiled Wasm modules in a cache keyed by their bytes (the
// native module cache): a second machine running the same program gets
// back, for nothing, the modules the first one compiled, optimised code
// included. That made a benchmark's repeated cold windows far cheaper
// than a real first run (game-logic's cold window: ~200 ms of CPU the
// first time, ~75 ms every time after). The cache is off in these
// processes; the core and the compiler program are still compiled once
// per process (web/node/load-core.mjs keeps their modules), as a page
// keeps them between programs.
import v8 from 'node:v8';

v8.setFlagsFromString('--no-wasm-native-module-cache-enabled');
