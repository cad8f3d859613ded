// bench_jit.mjs: the interpreter and the dynarec on the same workloads in one
// Node process (bench/bench_z80.c's programs: build/z80/{sieve,copy,crc}.bin,
// and the self-modifying smc_blitter and smc_routines, from tests/z80src/ by
// tools/assemble.sh, at 0x8000 in the flat 64K machine of the Wasm test
// build), run in frame-sized chunks (69,888 T per call: V8 tiers a Wasm
// function up only between calls). Per workload it prints emulated MHz for
// each engine (CPU time of the process) and their ratio, the dynarec's
// compile time per function and per region block, the share of its run
// time spent compiling, and the share of guest instructions run by
// compiled code; for the self-modifying workloads also invalidations,
// functions compiled in the load form, back-offs and entries given up.
//
// "cold" includes everything from the first instruction (compiles, V8's
// baseline code for new modules); "warm" is a second run of the same length
// on the same machine, once compiled code exists and has tiered up.
// The compiler program is warmed up first (see below; --no-warm-up skips it):
// cold, V8 runs it in its baseline tier and a compile costs ~10x a warm one.
//
// Usage: node bench/bench_jit.mjs [MEGA_TSTATES (default 1000: 4.8 minutes of Spectrum time)] [--threshold N] [--batch N]
//        [--max-functions N] [--single-block] [--no-warm-up] [--only NAME,NAME...]
import './fresh-code.mjs'; // first: generated code compiled afresh by every machine
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { loadTestProgram } from '../web/node/load-core.mjs';
import { FlatMachine, MODE, repoDir } from '../tests/node/zxtest-helpers.mjs';
import { MACHINE } from '../web/zx-constants.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? Number(args.splice(i, 2)[1]) : def; };
const threshold = opt('--threshold', 200); // the machine's own setting (core/platform/wasm_api.c)
const batch = opt('--batch', 8);
const maxFunctions = opt('--max-functions', 0); // 0: the default (4096)
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args.splice(onlyAt, 2)[1].split(',') : null;
const WORKLOADS = ['sieve', 'copy', 'crc', 'smc_blitter', 'smc_routines'];
const nwAt = args.indexOf('--no-warm-up');
const noWarmUp = nwAt >= 0 ? (args.splice(nwAt, 1), true) : false;
const sbAt = args.indexOf('--single-block');
const singleBlock = sbAt >= 0 ? (args.splice(sbAt, 1), 1) : 0;
const total = Number(args[0] ?? 1000) * 1e6;
const CHUNK = MACHINE.FRAME_T; // one frame's T-states

const zt = await loadTestProgram({ jit: true });
const stats = () => JSON.parse(zt.UTF8ToString(zt._zxw_jit_stats(zt._zxw_jit_shared())));

const cpuSecs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
function runFor(m, t) {
  let done = 0;
  const t0 = cpuSecs();
  while (done < t) done += m.run(CHUNK);
  return { done, secs: cpuSecs() - t0 };
}

function machine(name, mode) {
  const m = new FlatMachine(zt, { mode });
  m.load(0x8000, readFileSync(path.join(repoDir, 'build/z80', `${name}.bin`)).subarray(0, 0x8000));
  m.set('pc', 0x8000);
  return m;
}

// Warm the compiler program up first, as the browser does in idle time
// after it loads (web/engine/worker.mjs): its built-in mix of Z80 code
// (wasm-backend/wb_warmup.c, not these workloads), then the glue's path on
// a throw-away machine.
const warmUpMs = noWarmUp ? 0 : zt.jit.warmUp(64, 8);
zt._zxw_jit_shared_configure(0, 1, 0);
{ const w = machine('crc', MODE.dynarec); runFor(w, 2e6); }

console.log(`Node ${process.version}; ${total / 1e6} M T-states per run; threshold ${threshold}, batch ${batch}` +
  `${maxFunctions ? `, at most ${maxFunctions} functions` : ''}${singleBlock ? ', basic blocks only' : ''}; ` +
  (noWarmUp ? 'compiler not warmed up' : `compiler warm-up ${warmUpMs.toFixed(0)} ms (64 x 8 functions)`));
console.log('workload  interp MHz | jit cold MHz  ratio | jit warm MHz  ratio | compile: fns  regions  ms/fn  ms/region-block  share of run | compiled insns');
for (const name of only ?? WORKLOADS) {
  if (!existsSync(path.join(repoDir, 'build/z80', `${name}.bin`))) { console.log(`${name}: missing (tools/assemble.sh)`); continue; }
  const mi = machine(name, MODE.interp);
  runFor(mi, 20e6); // the interpreter's own warm-up
  const ri = runFor(mi, total);
  const interp = ri.done / ri.secs / 1e6;

  zt._zxw_jit_shared_configure(threshold, batch, singleBlock, maxFunctions, 0);
  const mj = machine(name, MODE.dynarec);
  const cold = runFor(mj, total);
  const s1 = stats();
  const warm = runFor(mj, total);
  const s2 = stats();
  const coldMHz = cold.done / cold.secs / 1e6, warmMHz = warm.done / warm.secs / 1e6;
  const compileMs = s1.compileMs;
  const perFn = s1.functions ? compileMs / s1.functions : 0;
  const perRegionBlock = s1.regionBlocks + s1.blocks ? compileMs / (s1.regionBlocks + s1.blocks) : 0;
  const share = compileMs / (cold.secs * 1000);
  const compiledShare = (s2.insnsCompiled - s1.insnsCompiled) / Math.max(1, s2.insnsTotal - s1.insnsTotal);
  // The flat machine is one (C static state): the interpreter's result
  // comes from a fresh machine run in the same chunks afterwards.
  const jitResult = [mj.tstates, mj.peek16(0x8003), mj.peek16(0x8005)].join();
  const check = machine(name, MODE.interp);
  runFor(check, total);
  runFor(check, total);
  const ok = jitResult === [check.tstates, check.peek16(0x8003), check.peek16(0x8005)].join() ? 'same result' : 'RESULTS DIFFER';
  console.log(`${name.padEnd(9)} ${interp.toFixed(0).padStart(10)} | ${coldMHz.toFixed(0).padStart(12)} ${(coldMHz / interp).toFixed(2).padStart(6)} |` +
    ` ${warmMHz.toFixed(0).padStart(12)} ${(warmMHz / interp).toFixed(2).padStart(6)} |` +
    ` ${String(s1.functions).padStart(13)} ${String(s1.regions).padStart(8)} ${perFn.toFixed(3).padStart(6)} ${perRegionBlock.toFixed(3).padStart(16)}` +
    ` ${(100 * share).toFixed(1).padStart(12)}% | ${(100 * compiledShare).toFixed(2)}% (cold ${(100 * s1.compiledShare).toFixed(2)}%)  ${ok}`);
  console.log(`          compile split: compiler build ${s1.buildMs.toFixed(1)} ms, write ${s1.writeMs.toFixed(1)} ms,` +
    ` Wasm compile ${s1.wasmCompileMs.toFixed(1)} ms, instantiate ${s1.instantiateMs.toFixed(1)} ms` +
    ` (of ${compileMs.toFixed(1)} ms); ${s1.requests} modules, ${s1.bytesGenerated} bytes`);
  if (name.startsWith('smc')) {
    console.log(`          self-modifying code, cold / warm: invalidations ${s1.invalidations} / ${s2.invalidations - s1.invalidations},` +
      ` functions ${s1.functions} / ${s2.functions - s1.functions} (${s2.bytesGenerated - s1.bytesGenerated} bytes),` +
      ` compile ms ${s1.compileMs.toFixed(1)} / ${(s2.compileMs - s1.compileMs).toFixed(1)};` +
      ` load form ${s2.smcLoadFunctions}, back-offs ${s2.backoffs}, given up ${s2.givenUp}, evictions ${s2.evictions},` +
      ` recalled ${s2.spotsRecalled}`);
  }
}
