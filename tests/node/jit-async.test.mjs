// Compiling off the frame (core/jit/jit.c "Asynchronous compiles",
// web/jit-async.mjs): with the compiler in a worker_threads worker the
// machine's results are those of the interpreter and of the synchronous
// mode (every frame's picture, CPU state, T-states, RAM), no run waits on
// a compile, and results are dropped when what they were built from is
// gone: guest bytes written between request and install (the entry is not
// installed, the run stays exact), a flush, eviction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createHeadless } from '../../web/node/headless.mjs';
import { loadTestProgram } from '../../web/node/load-core.mjs';
import { FlatMachine, FLAT_REGS, MODE } from './zxtest-helpers.mjs';
import { startProgram } from './headless-helpers.mjs';
import { MACHINE } from '../../web/zx-constants.mjs';

const BASIC = ['10 LET A=0', '20 FOR I=1 TO 300', '30 LET A=A+I*I/3-INT (I/7)', '40 PRINT AT 0,0;A', '50 NEXT I', '60 GO TO 10'];

// engine: 'interp', 'sync', 'async' (the worker, results whenever they
// arrive) or 'async-wait' (the worker, results waited for at each poll:
// reproducible). Returns a hash over every frame's picture, and the state.
async function runWorkload(workload, engine, frames, { jitOptions = null, between = null } = {}) {
  const jit = engine !== 'interp';
  const zx = await createHeadless({ jit, compile: engine.startsWith('async') ? 'async' : 'sync', jitOptions: jit ? { threshold: 20, ...jitOptions } : null });
  const ac = zx.core.module.jitAsync;
  if (ac) ac.waitOnPoll = engine === 'async-wait';
  startProgram(zx, workload === 'basic' ? { basic: BASIC } : { game: workload });
  const before = zx.core.stats().jit;
  const h = createHash('sha256');
  for (let f = 0; f < frames; f++) {
    between?.(zx, f);
    zx.runFrames(1);
    h.update(zx.core.frameBuffer());
  }
  const out = {
    frames: h.digest('hex'), tstates: zx.core.tstates, pc: zx.core.pc,
    ram: createHash('sha256').update(zx.core.ram()).digest('hex'),
    jit: zx.core.stats().jit, before,
  };
  if (ac) ac.waitOnPoll = false;
  zx.destroy();
  return out;
}

function assertSameMachine(a, b, what) {
  assert.equal(a.frames, b.frames, `${what}: frame pictures differ`);
  assert.equal(a.tstates, b.tstates, `${what}: T-states differ`);
  assert.equal(a.pc, b.pc, `${what}: PC differs`);
  assert.equal(a.ram, b.ram, `${what}: RAM differs`);
}

for (const [workload, frames] of [['game_sprites', 250], ['game_logic', 250], ['game_smc', 250], ['game_scroll', 200], ['basic', 250]]) {
  test(`${workload}: every frame the same with the interpreter, synchronous and asynchronous compiles`, async () => {
    const interp = await runWorkload(workload, 'interp', frames);
    const sync = await runWorkload(workload, 'sync', frames);
    const async = await runWorkload(workload, 'async', frames);
    const wait = await runWorkload(workload, 'async-wait', frames);
    assertSameMachine(sync, interp, 'sync');
    assertSameMachine(async, interp, 'async');
    assertSameMachine(wait, interp, 'async (results waited for)');
    const detail = JSON.stringify({ sync: sync.jit, async: async.jit, wait: wait.jit });
    // The synchronous runs waited on their compiles; the asynchronous never did.
    assert.ok(sync.jit.runsWaited > 0 && sync.jit.asyncRequests === 0, detail);
    for (const s of [async.jit, wait.jit]) {
      assert.equal(s.blockingCompiles, 0, detail);
      assert.equal(s.runsWaited, 0, detail);
      assert.ok(s.asyncInstalled > 0 && s.asyncRequests > 0, detail);
    }
    // Compiled code ran from the worker's modules.
    assert.ok(wait.jit.insnsCompiled - wait.before.insnsCompiled > 0, detail);
  });
}

// The flat 64K machine of the Wasm test build, its compiler in a worker.
const zt = await loadTestProgram({ jit: true, compile: 'async', warmUp: 0 });
const ac = zt.jitAsync;
const flatStats = () => JSON.parse(zt.UTF8ToString(zt._zxw_jit_stats(zt._zxw_jit_shared())));

// A loop at 8003h whose LD A,n operand (8005h) the program patches (5 -> 7)
// after 4096 rounds, then loops on for good.
const PATCHER = [
  0x21, 0x00, 0x00, //       ld hl,0
  0x23,             // 8003: inc hl
  0x3e, 0x05,       // 8004: ld a,5        (operand at 8005h)
  0x32, 0x00, 0x90, //       ld (9000h),a
  0x7c,             //       ld a,h
  0xfe, 0x10,       //       cp 10h
  0x20, 0xf5,       //       jr nz,8003h
  0x3e, 0x07,       //       ld a,7
  0x32, 0x05, 0x80, //       ld (8005h),a  (the patch)
  0x21, 0x00, 0x00, //       ld hl,0
  0xc3, 0x03, 0x80, //       jp 8003h
];

function flatRun(mode, frames, during = null) {
  const m = new FlatMachine(zt, { mode });
  m.load(0x8000, new Uint8Array(PATCHER));
  m.set('pc', 0x8000);
  for (let f = 0; f < frames; f++) {
    during?.(m, f);
    m.run(MACHINE.FRAME_T);
  }
  const base = zt._zxt_flat_mem();
  return {
    regs: Object.fromEntries(FLAT_REGS.map((r) => [r, m.get(r)])),
    tstates: m.tstates, instructions: m.instructions,
    memory: Buffer.from(zt.HEAPU8.subarray(base, base + 0x10000)),
  };
}

test('a result whose guest bytes changed while it was compiled is dropped; the run stays exact', async () => {
  const interp = flatRun(MODE.interp, 12);
  assert.equal(interp.memory[0x8005], 7, 'the program patched its loop');
  zt._zxw_jit_shared_configure(2, 1, 0, 0, 0);
  const s0 = flatStats();
  let held = null, atRelease = null;
  const jit = flatRun(MODE.dynarec, 12, (m, f) => {
    // Frame 0 sends the loop's request; its result is held back until the
    // program has patched the loop (frame 3 at ~40 T-states a round).
    if (f === 0) ac.hold();
    if (f === 1) held = flatStats();
    if (f === 5) {
      assert.equal(m.peek(0x8005), 7, 'patched while the request was in flight');
      atRelease = flatStats();
      ac.release();
      ac.waitOnPoll = true; // the next run's start installs what arrived
    }
  });
  ac.waitOnPoll = false;
  const s1 = flatStats();
  const detail = JSON.stringify({ s0, held, atRelease, s1 });
  assert.deepEqual(jit.regs, interp.regs);
  assert.equal(jit.tstates, interp.tstates);
  assert.equal(jit.instructions, interp.instructions);
  assert.ok(jit.memory.equals(interp.memory), 'memory differs from the interpreter\'s');
  // Held: nothing was installed, the loop ran interpreted.
  assert.equal(atRelease.asyncInstalled, s0.asyncInstalled, detail);
  assert.ok(atRelease.inFlight > 0, detail);
  // The loop's function was dropped, learnt as an operand change, and
  // compiled again from the patched bytes.
  assert.ok(s1.droppedResults > s0.droppedResults, detail);
  assert.ok(s1.smcOperandChanges > s0.smcOperandChanges, detail);
  assert.ok(s1.asyncInstalled > s0.asyncInstalled, detail);
  assert.ok(s1.insnsCompiled > atRelease.insnsCompiled, detail);
});

test('a flush while requests are in flight drops their results; the run stays exact', async () => {
  const poke = (zx, f) => {
    if (f === 0) zx.core.module.jitAsync?.hold();
    if (f === 2) zx.core.poke(0xc000, 0x55); // behind the CPU's back: flushes compiled code
    if (f === 4) zx.core.module.jitAsync?.release();
  };
  const interp = await runWorkload('game_logic', 'interp', 120, { between: poke });
  let inFlight = 0;
  const pokeAsync = (zx, f) => {
    if (f === 2) inFlight = zx.core.stats().jit.inFlight;
    poke(zx, f);
  };
  const async = await runWorkload('game_logic', 'async-wait', 120, { jitOptions: { threshold: 2, batch: 1 }, between: pokeAsync });
  assertSameMachine(async, interp, 'async');
  const detail = JSON.stringify({ inFlight, jit: async.jit });
  assert.ok(inFlight > 0, detail);
  assert.ok(async.jit.droppedResults >= inFlight, detail);
  assert.ok(async.jit.flushes > 0, detail);
  assert.equal(async.jit.inFlight, 0, detail);
});

test('a small code cache evicting while requests are in flight stays exact', async () => {
  const interp = await runWorkload('game_logic', 'interp', 200);
  const async = await runWorkload('game_logic', 'async', 200, { jitOptions: { threshold: 2, batch: 2, maxFunctions: 8 } });
  const wait = await runWorkload('game_logic', 'async-wait', 200, { jitOptions: { threshold: 2, batch: 2, maxFunctions: 8 } });
  assertSameMachine(async, interp, 'async');
  assertSameMachine(wait, interp, 'async (results waited for)');
  const detail = JSON.stringify(wait.jit);
  assert.ok(wait.jit.evictions > 0 && wait.jit.asyncInstalled > 0, detail);
  assert.ok(wait.jit.liveFunctions <= 8, detail);
});
