// Loads the Node builds of the Wasm core (build/wasm/node/zxcore.cjs) and,
// unless { jit: false }, the compiler program (zxjit.cjs) attached to it.
// The wasm bytes are handed to the loaders directly: Emscripten 3.1.6's
// loader would otherwise try fetch() on a file path under Node 20 and fail.
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { wrapCompiler } from '../jit-compiler.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const nodeBuildDir = path.resolve(here, '../../build/wasm/node');
const require = createRequire(import.meta.url);

async function loadProgram(name, factoryOptions) {
  const js = path.join(nodeBuildDir, `${name}.cjs`);
  const wasm = path.join(nodeBuildDir, `${name}.wasm`);
  if (!existsSync(js) || !existsSync(wasm)) {
    throw new Error(`the Wasm build is missing (${js}): run 'make wasm-node'`);
  }
  return require(js)({ wasmBinary: readFileSync(wasm), ...factoryOptions });
}

let compilerPromise;
export function loadCompiler() {
  compilerPromise ??= loadProgram('zxjit', {}).then(wrapCompiler);
  return compilerPromise;
}

export async function loadCore(options = {}) {
  const messages = [];
  const core = await loadProgram('zxcore', {
    print: options.print ?? ((s) => messages.push(s)),
    printErr: options.printErr ?? ((s) => messages.push(s)),
  });
  core.messages = messages;
  if (options.jit !== false) core.jit = await loadCompiler();
  return core;
}
