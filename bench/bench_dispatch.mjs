// bench_dispatch.mjs: what the dynarec's dispatcher costs, apart from the
// code it compiles, in CPU time (process.cpuUsage) on the flat 64K machine of
// the Wasm test build:
//   - per dispatch: a CALL/RET loop (CALL sub; JR back; sub: RET), where
//     every CALL and RET leaves compiled code for the dispatcher, so nearly
//     all the time goes to dispatch round trips;
//   - the interpreter under the dispatcher: sieve (build/z80/sieve.bin) with
//     compiling off (the dispatcher's own interpreted path, as cold code runs
//     before it is compiled) against plain z80_run.
// Five measurements each; print the range.
//
// Usage: node bench/bench_dispatch.mjs [CHECKOUT]
//   CHECKOUT: another checkout of this repository, built (make wasm-test
//   z80bin), to measure its build with this same script: compare two commits
//   side by side on one machine, e.g. before and after a change.
import './fresh-code.mjs'; // first: generated code compiled afresh by every machine
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const { loadTestProgram } = await import(path.join(repo, 'web/node/load-core.mjs'));
const { FlatMachine, MODE } = await import(path.join(repo, 'tests/node/zxtest-helpers.mjs'));

const CHUNK = 69888; // a frame's T-states per call: V8 tiers Wasm up only between calls
const DISABLED = 4;  // zxw_jit_shared_configure flag: interpret everything, same dispatch

const zt = await loadTestProgram({ jit: true });
zt.jit.warmUp(16, 8);
const stats = () => JSON.parse(zt.UTF8ToString(zt._zxw_jit_stats(zt._zxw_jit_shared())));

function cpuMs(f) {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

function runFor(m, t) {
  for (let done = 0; done < t;) done += m.run(CHUNK);
}

const range = (v, digits) => `${Math.min(...v).toFixed(digits)}-${Math.max(...v).toFixed(digits)}`;

// Dispatch round trips.
zt._zxw_jit_shared_configure(10, 8, 0);
const loop = new FlatMachine(zt, { mode: MODE.dynarec });
loop.load(0x8000, new Uint8Array([0xcd, 0x05, 0x80, 0x18, 0xfb, 0xc9])); // CALL 8005; JR 8000; RET
loop.set('pc', 0x8000);
loop.set('sp', 0xff00);
runFor(loop, 20e6);
const perDispatch = [];
for (let r = 0; r < 5; r++) {
  const h0 = stats().cacheHits;
  const ms = cpuMs(() => runFor(loop, 100e6));
  perDispatch.push((ms * 1e6) / (stats().cacheHits - h0));
}

// The interpreted path.
const sieve = readFileSync(path.join(repo, 'build/z80/sieve.bin')).subarray(0, 0x8000);
function interpMHz(mode, flags) {
  zt._zxw_jit_shared_configure(200, 8, flags);
  const m = new FlatMachine(zt, { mode });
  m.load(0x8000, sieve);
  m.set('pc', 0x8000);
  runFor(m, 30e6);
  const out = [];
  for (let r = 0; r < 5; r++) out.push(60e6 / cpuMs(() => runFor(m, 60e6)) / 1e3);
  return out;
}
const plain = interpMHz(MODE.interp, 0);
const dispatched = interpMHz(MODE.dynarec, DISABLED);

console.log(`Node ${process.version}; ${repo}`);
console.log(`dispatch round trip (CALL/RET loop, compiled): ${range(perDispatch, 1)} ns`);
console.log(`interpreter, plain z80_run:                     ${range(plain, 0)} MHz`);
console.log(`interpreter under the dispatcher (no compiling): ${range(dispatched, 0)} MHz`);
