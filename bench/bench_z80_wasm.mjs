// bench_z80_wasm.mjs: bench/bench_z80.c's workloads in the Wasm test build
// under Node (build/wasm/node/zxtest.*), so native and Wasm figures compare
// like for like: the same programs (build/z80/*.bin from tests/z80src/ by
// tools/assemble.sh) at 0x8000 in a flat, uncontended 64K machine, the same
// slices, and the same result check (word 0x8003 against a JS computation).
//
// Each zxt_flat_run call is one 350,000 T-state slice (0.1 s emulated, about
// half a millisecond of real time), as a frame loop would call the core: V8
// has no on-stack replacement for Wasm, so a function that never returns
// stays in its baseline (Liftoff) code. For the interpreter the cost is small
// because the per-instruction functions z80_run calls do tier up (Node 20,
// sieve: about 727 MHz in one 10^9 T-state call, 755 MHz in slices), but
// a dynarec's long-running code would not.
//
// Usage: node bench/bench_z80_wasm.mjs [MEGA_TSTATES (default 1000)] [BINDIR (default build/z80)]
//            [--mode N (0 interpreter, default; 1 dynarec once wired)]
import './fresh-code.mjs'; // first: generated code compiled afresh by every machine
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { loadTestProgram } from '../web/node/load-core.mjs';
import { FlatMachine, MODE, repoDir } from '../tests/node/zxtest-helpers.mjs';

const args = process.argv.slice(2);
let mode = MODE.interp;
const modeAt = args.indexOf('--mode');
if (modeAt >= 0) mode = Number(args.splice(modeAt, 2)[1]);
const total = Number(args[0] ?? 1000) * 1e6;
const binDir = path.resolve(repoDir, args[1] ?? 'build/z80');
const SLICE = 350000;

// Expected results, computed the way the Z80 programs do (as bench_z80.c).
function sieveExpected() {
  const f = new Uint8Array(8192).fill(1);
  let n = 0;
  for (let i = 2; i < 8192; i++) {
    if (!f[i]) continue;
    n++;
    for (let j = 2 * i; j < 8192; j += i) f[j] = 0;
  }
  return n;
}

function copyExpected() {
  let s = 0;
  for (let i = 0; i < 4096; i++) s += (3 + 7 * i) & 0xff;
  return s & 0xffff;
}

function crcExpected() {
  let crc = 0xffff;
  for (let i = 0; i < 4096; i++) {
    crc ^= ((3 + 7 * i) & 0xff) << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

const zt = await loadTestProgram({ jit: mode !== MODE.interp });

function run(name, expected, contended) {
  const file = path.join(binDir, `${name}.bin`);
  if (!existsSync(file)) {
    console.log(`${name.padEnd(8)} missing ${file} (run tools/assemble.sh)`);
    return false;
  }
  const m = new FlatMachine(zt, { contended, mode });
  m.load(0x8000, readFileSync(file).subarray(0, 0x8000));
  m.set('pc', 0x8000);
  const t0 = performance.now();
  let done = 0;
  while (done < total) done += m.run(SLICE);
  const secs = (performance.now() - t0) / 1000;
  const result = m.peek16(0x8003), passes = m.peek16(0x8005);
  const ok = result === expected && passes > 0;
  console.log(`${name.padEnd(8)}${contended ? ' (contention table)' : ''} ${(done / secs / 1e6).toFixed(1).padStart(8)} MHz` +
    `  ${(m.instructions / secs / 1e6).toFixed(1).padStart(6)} M insn/s  (${done} T in ${secs.toFixed(3)} s)` +
    `  result ${result} (${ok ? 'ok' : 'WRONG'}), passes ${passes}`);
  return ok;
}

console.log(`Wasm (Node ${process.version}, mode ${mode}):`);
let bad = 0;
bad += !run('sieve', sieveExpected(), false);
bad += !run('copy', copyExpected(), false);
bad += !run('crc', crcExpected(), false);
bad += !run('sieve', sieveExpected(), true);
process.exitCode = bad ? 1 : 0;
