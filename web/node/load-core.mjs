// Loads the Node builds of the Wasm core (build/wasm/node/zxcore.cjs) and,
// unless { jit: false }, the compiler program (zxjit.cjs) attached to it;
// and the Wasm test build (zxtest.cjs: the core plus tests/common and
// tests/wasm, see emcc.mk) with loadTestProgram().
// The compiled module is handed to the loaders (instantiateWasm): Emscripten
// 3.1.6's loader would otherwise try fetch() on a file path under Node 20
// and fail.
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { wrapCompiler } from '../jit-compiler.mjs';
import { startCompileWorker } from './async-compiler.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const nodeBuildDir = path.resolve(here, '../../build/wasm/node');
const require = createRequire(import.meta.url);

// Instantiates build/wasm/node/NAME.cjs with the Emscripten module options given.
export async function loadProgram(name, factoryOptions) {
  const js = path.join(nodeBuildDir, `${name}.cjs`);
  const wasm = path.join(nodeBuildDir, `${name}.wasm`);
  if (!existsSync(js) || !existsSync(wasm)) {
    const target = name === 'zxtest' ? 'wasm-test' : 'wasm-node';
    throw new Error(`the Wasm build is missing (${js}): run 'make ${target}'`);
  }
  const factory = require(js);
  let module = compiled.get(wasm);
  if (!module) compiled.set(wasm, (module = new WebAssembly.Module(readFileSync(wasm))));
  // The Node builds instantiate synchronously: the hook hands the instance
  // back before the factory goes on.
  const instantiateWasm = (imports, receive) => {
    const instance = new WebAssembly.Instance(module, imports);
    receive(instance, module);
    return instance.exports;
  };
  return withoutProcessHandlers(() => factory({ instantiateWasm, ...factoryOptions }));
}

// Each program's WebAssembly.Module, compiled once per thread: every
// machine made in this process shares its compiled (and, as it runs,
// optimised) code, as machines in one page do, whether or not the engine
// keeps a cache of its own (V8's native module cache can be switched off:
// bench/bench_machine.mjs does, so that its repeated runs compile their
// generated code again).
const compiled = new Map();

// Emscripten's Node glue installs process-wide 'uncaughtException' and
// 'unhandledRejection' handlers that rethrow from inside the glue, so any
// error in the user's own script printed a line of minified zxcore.cjs
// (~24 KB) and exited 7. The core is linked without them (emcc.mk
// NODEJS_CATCH_*=0); a program still linked with them (zxjit's link is
// slow to redo) has them removed again here: a library must leave the
// process's error handling to the process.
const PROCESS_EVENTS = ['uncaughtException', 'unhandledRejection'];
function withoutProcessHandlers(create) {
  const before = new Map(PROCESS_EVENTS.map((e) => [e, new Set(process.listeners(e))]));
  try {
    return create();
  } finally {
    for (const e of PROCESS_EVENTS) {
      for (const l of process.listeners(e)) if (!before.get(e).has(l)) process.removeListener(e, l);
    }
  }
}

let compilerPromise;
export function loadCompiler() {
  compilerPromise ??= loadProgram('zxjit', {}).then(wrapCompiler);
  return compilerPromise;
}

// A program whose printed lines are kept in .messages unless the caller
// takes them (options.print / options.printErr).
async function loadWithMessages(name, options) {
  const messages = [];
  const program = await loadProgram(name, {
    print: options.print ?? ((s) => messages.push(s)),
    printErr: options.printErr ?? ((s) => messages.push(s)),
  });
  program.messages = messages;
  return program;
}

// compile: 'sync' (default: the compiler runs in this thread, inside the
// frame that wants the code; deterministic statistics) or 'async' (a
// worker_threads worker beside the emulation: web/node/async-compiler.mjs).
export async function loadCore(options = {}) {
  const core = await loadWithMessages('zxcore', options);
  if (options.jit !== false) await attachCompiler(core, options);
  return core;
}

async function attachCompiler(program, { compile = 'sync', warmUp } = {}) {
  if (compile === 'async') program.jitAsync = await startCompileWorker(warmUp === undefined ? {} : { warmUp });
  else if (compile === 'sync') program.jit = await loadCompiler();
  else throw new Error(`compile: expected 'sync' or 'async', got '${compile}'`);
}

// The Wasm test build. Unlike loadCore, the compiler is attached only on
// request ({ jit: true }): the interpreter modes need none, and loading it
// costs the compile of a ~4 MB Wasm program.
export async function loadTestProgram(options = {}) {
  const program = await loadWithMessages('zxtest', options);
  if (options.jit) await attachCompiler(program, options);
  return program;
}
