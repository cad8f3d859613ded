// Batching compile requests over frames (jitOptions.batchWait,
// jit_config_t.batch_wait): a request that is not full waits that many
// frame ends before it is compiled, so the same hot code comes in fewer,
// fuller modules; the machine's results stay the interpreter's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createHeadless } from '../../web/node/headless.mjs';
import { gameSnapshot } from './headless-helpers.mjs';

const FRAMES = 300;

// Runs game_logic (CALL/RET-heavy, ~57 functions) frame by frame; the
// frames at whose end a request was sent, and the state at the end.
async function run(jit, jitOptions) {
  const zx = await createHeadless({ jit, jitOptions });
  zx.load(gameSnapshot('game_logic'), 'game_logic.sna');
  const requestFrames = [];
  let requests = jit ? zx.core.stats().jit.requests : 0;
  for (let f = 0; f < FRAMES; f++) {
    zx.runFrames(1);
    if (!jit) continue;
    const now = zx.core.stats().jit.requests;
    if (now !== requests) requestFrames.push(f);
    requests = now;
  }
  const state = createHash('sha256').update(zx.core.ram()).update(zx.core.frameBuffer()).digest('hex');
  const stats = jit ? zx.core.stats().jit : null;
  zx.destroy();
  return { requestFrames, state, stats };
}

test('batchWait: partial batches wait that many frames, fewer requests, same results as the interpreter', async () => {
  const interp = await run(false);
  // batch 64: the game's functions never fill one, so only the wait sends them
  const eager = await run(true, { batch: 64, batchWait: 1 });
  const wait = 6;
  const patient = await run(true, { batch: 64, batchWait: wait });
  assert.equal(eager.state, interp.state, 'batchWait 1: results differ from the interpreter');
  assert.equal(patient.state, interp.state, `batchWait ${wait}: results differ from the interpreter`);
  assert.ok(eager.stats.functions > 10 && patient.stats.functions > 10, 'the game compiles');
  // after a request the next one waits at least `wait` frame ends
  for (let i = 1; i < patient.requestFrames.length; i++) {
    const gap = patient.requestFrames[i] - patient.requestFrames[i - 1];
    assert.ok(gap >= wait, `requests at frames ${patient.requestFrames[i - 1]} and ${patient.requestFrames[i]}: ${gap} apart`);
  }
  assert.ok(eager.requestFrames.some((f, i) => i > 0 && f - eager.requestFrames[i - 1] < wait),
    'without waiting, some requests come closer together (else this test shows nothing)');
  assert.ok(patient.stats.requests < eager.stats.requests,
    `requests: ${patient.stats.requests} waiting, ${eager.stats.requests} not`);
  assert.ok(patient.stats.functions / patient.stats.requests > eager.stats.functions / eager.stats.requests);
});

test('batchWait: out-of-range values are refused with the option named', async () => {
  await assert.rejects(createHeadless({ jit: true, jitOptions: { batchWait: 1001 } }), /jitOptions\.batchWait: at most 1000/);
  await assert.rejects(createHeadless({ jit: true, jitOptions: { batchWait: 2.5 } }), /jitOptions\.batchWait/);
});

// A loop of four blocks (8002: INC A; BIT 0,A; JR Z,8008 / 8007: INC C /
// 8008: DJNZ 8002 / 800A: JR 8000), at 8000 in a 48K snapshot.
const LOOP = [0x06, 0x00, 0x3c, 0xcb, 0x47, 0x28, 0x01, 0x0c, 0x10, 0xf8, 0x18, 0xf4];
function loopSnapshot() {
  const sna = new Uint8Array(27 + 49152);
  const sp = 0xfe00;
  sna[19] = 4; // interrupts on (IM 1: the ROM's handler runs every frame)
  sna[23] = sp & 0xff; sna[24] = sp >> 8;
  sna[25] = 1;
  sna.set(LOOP, 27 + 0x8000 - 0x4000);
  sna[27 + sp - 0x4000] = 0x00; sna[27 + sp + 1 - 0x4000] = 0x80; // RETN pops PC = 8000
  return sna;
}

async function runLoop(jit, frames) {
  const zx = await createHeadless({ jit, jitOptions: jit ? { batch: 64, batchWait: 1 } : null });
  zx.load(loopSnapshot(), 'loop.sna');
  zx.runFrames(frames);
  const state = createHash('sha256').update(zx.core.ram()).update(zx.core.frameBuffer()).digest('hex');
  const result = { state, stats: jit ? zx.core.stats().jit : null, functions: jit ? zx.jit.functions() : [] };
  zx.destroy();
  return result;
}

// The loop on both engines for `frames` frames: the JIT's run, checked
// against the interpreter's, and its functions entered inside the loop.
async function runLoopChecked(frames) {
  const interp = await runLoop(false, frames);
  const jit = await runLoop(true, frames);
  assert.equal(jit.state, interp.state, 'results differ from the interpreter');
  return { jit, inLoop: jit.functions.filter((f) => f.pc >= 0x8000 && f.pc < 0x8000 + LOOP.length) };
}

test('a batch compiles what runs on its own: blocks of another region in the same request are left out', async () => {
  const frames = 3;
  const { jit, inLoop } = await runLoopChecked(frames);
  // 8002 and 8008 (JR Z's target) reach the threshold in the first frame, together
  assert.equal(inLoop.length, 1, `the loop compiled as ${inLoop.length} functions (${inLoop.map((f) => f.pc.toString(16))})`);
  assert.equal(inLoop[0].pc, 0x8002, 'the region kept is the loop head\'s');
  assert.ok(jit.stats.batchCovered >= 1, `batchCovered ${jit.stats.batchCovered}`);
  assert.ok(inLoop[0].runs > 0, 'the loop runs compiled');
});

test('a block left out of a batch earns its own threshold: reached by itself now and then, it is not compiled', async () => {
  // Each frame ends at the deadline inside the loop, wherever its block
  // boundary falls, and after the ROM's interrupt handler the loop resumes
  // there: the dispatcher reaches 8008 by itself at some frames' starts,
  // far fewer times in 100 frames than the threshold (200). Compiling it
  // at its first such visit (as before) cost a module for code that runs
  // inside the region kept.
  const frames = 100;
  const { jit, inLoop } = await runLoopChecked(frames);
  assert.deepEqual(inLoop.map((f) => f.pc.toString(16)), ['8002'], 'the loop compiled as one function');
  assert.ok(jit.stats.batchCovered >= 1, `batchCovered ${jit.stats.batchCovered}`);
});

test('a block of a compiled loop that the dispatcher reaches about once a frame is not compiled again', async () => {
  // 8008 comes back by itself at some frames' starts (after a deadline
  // exit there, or the interrupt's return before it), more than the
  // threshold's 200 times in 3,000 frames, but a few times a frame at most
  // on average, and it lies inside the loop's function: the interpreter
  // runs on into that function within an iteration. It waits to 8 times
  // the threshold (jit_cache_covered_wait); compiled at 200, it was the
  // same loop again from another block.
  const frames = 3000;
  const { jit, inLoop } = await runLoopChecked(frames);
  assert.deepEqual(inLoop.map((f) => f.pc.toString(16)), ['8002'], 'the loop compiled as one function');
  assert.ok(jit.stats.insnsCompiled > 0.9 * jit.stats.insnsTotal, `compiled ${jit.stats.insnsCompiled} of ${jit.stats.insnsTotal}`);
});

test('where an interrupt taken mid-loop returns is not counted: no function per landing spot', async () => {
  // The ROM's IM 1 handler runs every frame wherever the loop is, and
  // returns into the middle of one of its blocks. Over 3,000 frames each
  // landing spot comes back hundreds of times, more than the threshold:
  // counted as block starts, they became functions of their own, each
  // entered only where the next interrupt returns.
  const frames = 3000;
  const { jit, inLoop } = await runLoopChecked(frames);
  // 8002 (the loop head, DJNZ's target), 8000 (JR's) and 8008 (JR Z's)
  // are block starts; the rest are mid-block
  const mid = inLoop.filter((f) => ![0x8000, 0x8002, 0x8008].includes(f.pc));
  assert.deepEqual(mid.map((f) => f.pc.toString(16)), [], 'functions entered at interrupt returns');
});

test('left out of a batch, the loop\'s blocks still run compiled: inside the region kept', async () => {
  const { jit } = await runLoopChecked(100);
  const share = jit.stats.insnsCompiled / (jit.stats.insnsTotal - jit.stats.insnsHalted);
  assert.ok(share > 0.95, `compiled share ${share}`);
});
