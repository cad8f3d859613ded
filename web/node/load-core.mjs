// Loads the Node build of the Wasm core (build/wasm/node/zxcore.cjs).
// The wasm bytes are handed to the loader directly: Emscripten 3.1.6's loader
// would otherwise try fetch() on a file path under Node 20 and fail.
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const nodeBuildDir = path.resolve(here, '../../build/wasm/node');

export async function loadCore(options = {}) {
  const js = path.join(nodeBuildDir, 'zxcore.cjs');
  const wasm = path.join(nodeBuildDir, 'zxcore.wasm');
  if (!existsSync(js) || !existsSync(wasm)) {
    throw new Error(`the Wasm core is not built (${js} missing): run 'make wasm-node'`);
  }
  const require = createRequire(import.meta.url);
  const createZxCore = require(js);
  const messages = [];
  const core = await createZxCore({
    wasmBinary: readFileSync(wasm),
    print: options.print ?? ((s) => messages.push(s)),
    printErr: options.printErr ?? ((s) => messages.push(s)),
  });
  core.messages = messages;
  return core;
}
