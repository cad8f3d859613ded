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
