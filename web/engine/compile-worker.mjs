// The compiler in its own Worker (started by the emulator's worker,
// web/engine/worker.mjs, as a nested module Worker): the emulation never
// waits on a compile. First message { t: 'init', jitUrl, jitModule
// (the page's compiled zxjit), warmUp (rounds of 8 functions) }: it loads
// the compiler program, warms it up and says { t: 'ready' }; then each
// { t: 'compile', ticket, request } is answered with the compiled
// WebAssembly.Module (web/jit-compiler.mjs compileRequest), which the
// emulator's worker instantiates and installs between frames
// (web/jit-async.mjs, core/jit/jit_host.js).
import { loadCompiler, compileRequest } from '../jit-compiler.mjs';

let compiler = null;
const waiting = [];

async function init(msg) {
  const t0 = performance.now();
  try {
    const c = await loadCompiler(msg.jitUrl, msg.jitModule, { print: () => {}, printErr: () => {} });
    const loadMs = performance.now() - t0;
    const warmUpMs = msg.warmUp ? c.warmUp(msg.warmUp, 8) : 0;
    compiler = c;
    self.postMessage({ t: 'ready', loadMs, warmUpMs });
    for (const m of waiting.splice(0)) answer(m);
  } catch (e) {
    self.postMessage({ t: 'failed', error: e.message });
  }
}

function answer(msg) {
  const reply = compileRequest(compiler, msg);
  self.postMessage(reply);
}

self.onmessage = (e) => {
  const msg = e.data;
  if (msg.t === 'init') init(msg);
  else if (msg.t === 'compile') {
    if (compiler) answer(msg);
    else waiting.push(msg);
  }
};
