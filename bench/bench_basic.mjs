// bench_basic.mjs: the whole 48K machine on ROM BASIC (boot, type a program,
// run a 3,000-iteration FOR loop with SQR and BORDER until "OK"), with the
// interpreter and with the dynarec at several thresholds, in one Node
// process. Prints the wall time, the compile time and its share, functions
// compiled and the share of instructions run compiled. This is the workload
// behind the machine's default threshold (core/platform/wasm_api.c): interpreted
// BASIC is short blocks, calls and returns, where compiling too eagerly
// costs more than it saves. The compiler is warmed up first (as the
// browser does in idle time).
//
// Usage: node bench/bench_basic.mjs [THRESHOLD ...]   (default: 2 50 200 1000)
import './fresh-code.mjs'; // first: generated code compiled afresh by every machine
import { createHeadless } from '../web/node/headless.mjs';

const thresholds = process.argv.slice(2).map(Number);
const PROGRAM = ['10 LET A=0', '20 FOR I=1 TO 3000', '30 LET A=A+SQR I', '40 BORDER I/500', '50 NEXT I', '60 PRINT A', 'RUN'];

async function run(threshold) {
  const jit = threshold !== null;
  const zx = await createHeadless({ jit, jitOptions: jit ? { threshold } : null });
  if (jit) zx.core.module.jit.warmUp(64, 8);
  const t0 = performance.now();
  zx.boot();
  for (const line of PROGRAM) zx.type(line + '\n');
  zx.runUntilText('OK, 60:1', { maxFrames: 30000 });
  const ms = performance.now() - t0;
  const { frames, jit: s } = zx.core.stats();
  zx.destroy();
  return { ms, frames, s };
}

console.log(`Node ${process.version}; ROM BASIC: boot, type, a FOR loop of 3,000 with SQR and BORDER`);
console.log('engine            wall ms  frames  | compile ms  share  functions  compiled insns');
for (const threshold of [null, ...(thresholds.length ? thresholds : [2, 50, 200, 1000])]) {
  const { ms, frames, s } = await run(threshold);
  const name = threshold === null ? 'interpreter' : `jit, threshold ${threshold}`;
  console.log(`${name.padEnd(17)} ${ms.toFixed(0).padStart(7)} ${String(frames).padStart(7)}  |` +
    (s ? ` ${s.compileMs.toFixed(0).padStart(10)} ${(100 * s.compileMs / ms).toFixed(1).padStart(5)}% ${String(s.functions).padStart(10)}  ${(100 * s.compiledShare).toFixed(1)}%` : ''));
}
