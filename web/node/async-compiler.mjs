// Starts the compiler in a worker_threads worker (web/node/compile-worker.mjs)
// and returns the AsyncCompiler (web/jit-async.mjs) to attach to a core as
// module.jitAsync. Results come back on a MessageChannel that is only ever
// read with receiveMessageOnPort: a loop of frames that never yields still
// gets them, at its runs' starts. The worker does not keep Node alive.
import { Worker, MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { AsyncCompiler } from '../jit-async.mjs';

// warmUp: rounds of 8 functions the worker compiles before it says ready
// (web/jit-compiler.mjs warmUp; 0: none).
export async function startCompileWorker({ warmUp = 64 } = {}) {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./compile-worker.mjs', import.meta.url), {
    workerData: { port: port2, warmUp },
    transferList: [port2],
  });
  const compiler = new AsyncCompiler({
    send: (msg, transfer) => port1.postMessage(msg, transfer),
    drain: () => receiveMessageOnPort(port1)?.message,
  });
  compiler.worker = worker;
  compiler.terminate = () => worker.terminate();
  await new Promise((resolve, reject) => {
    worker.once('message', (msg) => {
      compiler.receive(msg);
      if (msg.t === 'ready') resolve();
      else reject(new Error(`the compile worker failed: ${msg.error}`));
    });
    worker.once('error', reject);
  });
  worker.on('error', (e) => compiler.fail(e.message));
  worker.on('exit', (code) => { if (!compiler.failed) compiler.fail(`the compile worker exited (${code})`); });
  worker.unref();
  port1.unref();
  return compiler;
}
