// What web/jit-compiler.mjs compileEntries relies on to have V8 compile a
// new module's functions before the emulation runs them: every generated
// function, called as f(ctx, 0) on a zeroed context, leaves at its first
// deadline check. It returns JIT_EXIT_DEADLINE, writes nothing outside its
// context (the guest's state is not in play) and calls nothing through the
// table. Checked on every module the dynarec makes for the game-like
// workloads, ROM BASIC and the 128K's paging program (in lockstep too),
// each instantiated against a memory of its own filled with a pattern and
// an empty table (a call through it would trap). And the two ways the host
// uses it: synchronous compiles call each new entry once, and the compile
// worker does it before it posts the module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHeadless } from '../../web/node/headless.mjs';
import { ENTRY_SCRATCH_BYTES, compileEntries } from '../../web/jit-compiler.mjs';
import { JIT_EXITS } from '../../web/zx-constants.mjs';
import { startProgram } from './headless-helpers.mjs';
import { loadTestProgram } from '../../web/node/load-core.mjs';
import { SpectrumCore } from '../../web/spectrum-core.mjs';
import { FLAT_REGS, repoDir } from './zxtest-helpers.mjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const BASIC = ['10 LET A=0', '20 FOR I=1 TO 200', '30 LET A=A+I*I/3-INT (I/7)', '40 PRINT AT 0,0;A', '50 NEXT I', '60 GO TO 10'];
const CTX = 8192;
const PATTERN = 0xa5;
const paging = readFileSync(path.join(repoDir, 'build/z80/paging128.bin'));

// Runs a workload with synchronous compiles; returns what watch() saw and
// how many functions the core compiled.
async function modulesOf(workload, frames) {
  const zx = await createHeadless({ jit: true, compile: 'sync', jitOptions: { threshold: 20 } });
  const M = zx.core.module;
  const seen = watch(M);
  startProgram(zx, workload === 'basic' ? { basic: BASIC } : { game: workload });
  zx.runFrames(frames);
  seen.functions = zx.core.stats().jit.functions;
  zx.destroy();
  return seen;
}

// Wraps a core module's compiler (Module.jit) to keep every module it
// makes, the requests' cpu_size (word 3 of a request) and how many entries
// the host had V8 compile.
function watch(M) {
  const compiler = M.jit;
  const seen = { modules: [], cpuSizes: new Set(), entries: 0, functions: 0 };
  M.jit = {
    ...compiler,
    compile(request) {
      seen.cpuSizes.add(new DataView(request.buffer, request.byteOffset).getUint32(12, true));
      const bytes = compiler.compile(request);
      this.lastCost = compiler.lastCost;
      seen.modules.push(bytes.slice());
      return bytes;
    },
    compileEntries(...args) {
      const n = compiler.compileEntries(...args);
      seen.entries += n;
      return n;
    },
  };
  return seen;
}

// Calls every entry of every module as compileEntries does, each in an
// instance of its own against a pattern-filled memory and an empty table.
function checkEntries({ modules, cpuSizes, entries, functions }) {
  assert.ok(modules.length > 0, 'nothing was compiled');
  assert.equal(entries, functions, 'the host did not call every new function once');
  for (const size of cpuSizes) assert.ok(size > 0 && size <= ENTRY_SCRATCH_BYTES, `a context of ${size} bytes does not fit the scratch`);
  const cpuSize = Math.max(...cpuSizes);
  let called = 0;
  for (const bytes of modules) {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const table = new WebAssembly.Table({ initial: 0, element: 'anyfunc' });
    const module = new WebAssembly.Module(bytes);
    const instance = new WebAssembly.Instance(module, { env: { memory, __indirect_function_table: table } });
    const heap = new Uint8Array(memory.buffer);
    for (let n = 0; ; n++) {
      const f = instance.exports[`f${n}`];
      if (typeof f !== 'function') break;
      heap.fill(PATTERN);
      heap.fill(0, CTX, CTX + ENTRY_SCRATCH_BYTES);
      assert.equal(f(CTX, 0), JIT_EXITS.DEADLINE, `f${n} did not leave at its deadline check`);
      for (let a = 0; a < heap.length; a++) {
        if (a >= CTX && a < CTX + cpuSize) continue;
        const want = a >= CTX && a < CTX + ENTRY_SCRATCH_BYTES ? 0 : PATTERN;
        if (heap[a] !== want) assert.fail(`f${n} wrote ${heap[a]} at ${a} (its context: ${CTX}..${CTX + cpuSize - 1})`);
      }
      called++;
    }
    // and the helper itself: every entry, whatever the context held before
    heap.fill(PATTERN);
    assert.equal(compileEntries(instance.exports, heap, CTX), entriesOf(module), 'compileEntries skipped an entry');
  }
  assert.ok(called >= modules.length);
}

// A module's entries: its exports f0, f1, ...
const entriesOf = (module) => WebAssembly.Module.exports(module).filter((e) => /^f\d+$/.test(e.name)).length;

for (const [workload, frames] of [['game_sprites', 150], ['game_logic', 150], ['game_smc', 150], ['game_scroll', 150], ['basic', 200]]) {
  test(`${workload}: every generated function called with until 0 leaves at once, touching only its context`, async () => {
    checkEntries(await modulesOf(workload, frames));
  });
}

// The 128K's paging program (tests/z80src/paging128.asm, looping; as
// jit-128k.test.mjs runs it): code that pages, leaves after paging, and
// runs from paged banks; in lockstep too (traced code checks its deadline
// before every instruction).
for (const lockstep of [false, true]) {
  test(`128K paging program${lockstep ? ' in lockstep' : ''}: every generated function leaves at once with until 0`, async () => {
    const zt = await loadTestProgram({ jit: true });
    const seen = watch(zt);
    const rom = new Uint8Array(2 * 16384).fill(0xff);
    const core = new SpectrumCore(zt, { machine: '128k', rom, jit: true, jitOptions: { threshold: 2 } });
    if (lockstep) zt._zxw_jit_lockstep(core.ptr, 1);
    for (let i = 0; i < paging.length; i++) core.poke(0x8000 + i, paging[i]);
    core.poke(0x8fff, 0x80); // loop mode, the 128K's family
    zt._zxt_zx_set(core.ptr, FLAT_REGS.indexOf('pc'), 0x8000);
    for (let f = 0; f < 30; f++) core.runFrame();
    const stats = core.stats().jit;
    seen.functions = stats.functions;
    assert.ok(stats.exits.paged > 0, 'the program did not page under compiled code');
    core.destroy();
    checkEntries(seen);
  });
}

test('the compile worker calls every entry of a module before it posts it', async () => {
  const zx = await createHeadless({ jit: true, compile: 'async', jitOptions: { threshold: 20 } });
  const ac = zx.core.module.jitAsync;
  ac.waitOnPoll = true;
  const results = [];
  const receive = ac.receive.bind(ac);
  ac.receive = (msg) => {
    if (msg.t === 'result') results.push(msg);
    receive(msg);
  };
  startProgram(zx, { game: 'game_logic' });
  zx.runFrames(120);
  ac.waitOnPoll = false;
  zx.destroy();
  const made = results.filter((r) => r.module);
  assert.ok(made.length > 0, 'nothing came back from the worker');
  for (const r of made) {
    assert.equal(r.entries, entriesOf(r.module), 'the worker did not call every entry');
  }
});
