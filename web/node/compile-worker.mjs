// The compiler in a worker_threads worker (web/jit-async.mjs, Node side):
// loads the compiler program (zxjit), warms it up (workerData.warmUp
// rounds of 8 functions), says ready on its parent port, then answers each
// request on workerData.port with a compiled WebAssembly.Module.
import { workerData, parentPort } from 'node:worker_threads';
import { loadProgram } from './load-core.mjs';
import { wrapCompiler, compileRequest } from '../jit-compiler.mjs';

const port = workerData.port;
try {
  const t0 = performance.now();
  const compiler = wrapCompiler(await loadProgram('zxjit', {}));
  const loadMs = performance.now() - t0;
  const warmUpMs = workerData.warmUp ? compiler.warmUp(workerData.warmUp, 8) : 0;
  port.on('message', (msg) => {
    const reply = compileRequest(compiler, msg);
    port.postMessage(reply);
  });
  parentPort.postMessage({ t: 'ready', loadMs, warmUpMs });
} catch (e) {
  parentPort.postMessage({ t: 'failed', error: e.message });
}
