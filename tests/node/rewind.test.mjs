// Rewind (web/engine/rewind.mjs) on the real core: a BASIC counter goes
// back, play resumes exactly from the restored snapshot, and the ring's
// memory stays within its bound whatever runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHeadless } from '../../web/node/headless.mjs';
import { Rewind, REWIND_DEFAULTS } from '../../web/engine/rewind.mjs';
import { frameHash } from './headless-helpers.mjs';

// A machine counting in BASIC, its count printed at the top left.
async function counting(options = {}) {
  const zx = await createHeadless(options);
  zx.boot();
  zx.type('10 FOR n=1 TO 1E9: PRINT AT 0,0;n: NEXT n\nRUN\n');
  return zx;
}

function count(zx) {
  const n = Number.parseInt(zx.screenText()[0], 10);
  assert.ok(Number.isInteger(n), `no count on the screen: ${JSON.stringify(zx.screenText()[0])}`);
  return n;
}

function run(zx, rewind, frames) {
  for (let i = 0; i < frames; i++) {
    zx.runFrames(1);
    rewind.afterFrame(zx.core);
  }
}

test('going back shows a smaller count, and play resumes counting from it', async () => {
  const zx = await counting();
  const rewind = new Rewind();
  run(zx, rewind, 500);   // 10 s
  const now = count(zx);
  assert.ok(rewind.available(zx.core.frameRate) >= 9, `only ${rewind.available(zx.core.frameRate)} s kept`);
  const went = rewind.back(zx.core, 5);
  assert.ok(went >= 5 && went < 5.6, `went back ${went} s`);
  zx.runFrames(1);
  const back = count(zx);
  assert.ok(back < now, `count ${back} after going back, ${now} before`);
  // stepping back: each step shows a smaller count, until the ring's start
  let last = back;
  let steps = 0;
  while (rewind.stepBack(zx.core)) {
    steps++;
    zx.runFrames(1);   // to see it (the worker then loads the snapshot again)
    const c = count(zx);
    assert.ok(c <= last, `step ${steps}: count ${c} after ${last}`);
    last = c;
  }
  assert.ok(steps >= 5, `${steps} steps back`);
  assert.ok(last < back);
  run(zx, rewind, 100);
  assert.ok(count(zx) > last, 'counting goes on after rewinding');
  zx.destroy();
});

test('play after going back is exactly play from that snapshot', async () => {
  const zx = await counting();
  const rewind = new Rewind({ interval: 0.2 });
  run(zx, rewind, 60);
  const saved = rewind.entries.at(-1);
  const copy = Uint8Array.from(saved.bytes);
  run(zx, rewind, 90);
  // back to exactly that snapshot
  const seconds = (rewind.frame - saved.frame) / zx.core.frameRate;
  rewind.back(zx.core, seconds);
  assert.equal(rewind.frame, saved.frame);
  const other = await createHeadless();
  other.load(copy, 'copy.z80');
  zx.runFrames(40);
  other.runFrames(40);
  assert.equal(frameHash(zx), frameHash(other));
  zx.destroy();
  other.destroy();
});

test('the ring stays within its byte bound and its 60 seconds', async () => {
  const zx = await counting({ machine: '128k' });
  const small = new Rewind({ maxBytes: 150_000 });
  const full = new Rewind();
  let maxSmall = 0;
  let maxFull = 0;
  for (let i = 0; i < 3600; i++) {   // 72 s of the 128K
    zx.runFrames(1);
    small.afterFrame(zx.core);
    full.afterFrame(zx.core);
    maxSmall = Math.max(maxSmall, small.bytes);
    maxFull = Math.max(maxFull, full.bytes);
    assert.ok(full.available(zx.core.frameRate) <= REWIND_DEFAULTS.seconds);
  }
  assert.ok(maxSmall <= 150_000, `small ring held ${maxSmall} bytes`);
  assert.ok(small.entries.length >= 2, 'a small ring still keeps what fits');
  assert.ok(maxFull <= REWIND_DEFAULTS.maxBytes, `ring held ${maxFull} bytes`);
  const reach = full.available(zx.core.frameRate);
  assert.ok(reach > 59 && reach <= 60, `reach ${reach} s`);
  assert.equal(full.entries.length, full.stats(zx.core.frameRate).snapshots);
  assert.equal(full.bytes, full.entries.reduce((n, e) => n + e.bytes.length, 0));
  // a minute of a 128K in far less than the bound: the Z80 writer's RLE
  console.log(`# 128K: ${full.entries.length} snapshots, ${full.bytes} bytes for ${reach.toFixed(1)} s`);
  zx.destroy();
});

test('bad settings and requests are refused', async () => {
  assert.throws(() => new Rewind({ seconds: 0 }), /rewind\.seconds: expected a number > 0, got 0/);
  assert.throws(() => new Rewind({ maxBytes: -1 }), /rewind\.maxBytes/);
  assert.throws(() => new Rewind({ interval: Number.NaN }), /rewind\.interval/);
  const zx = await createHeadless();
  const rewind = new Rewind();
  assert.throws(() => rewind.back(zx.core, -3), /rewind: expected a number of seconds > 0, got -3/);
  assert.equal(rewind.back(zx.core, 1), 0, 'nothing to go back to yet');
  assert.equal(rewind.stepBack(zx.core), false);
  zx.destroy();
});

test('the headless runner rewinds with createHeadless({ rewind: true })', async () => {
  const zx = await counting({ rewind: true });
  zx.runFrames(300);
  const now = count(zx);
  assert.ok(zx.rewindAvailable > 5);
  const went = zx.rewind(3);
  assert.ok(went >= 3 && went < 3.6, `went back ${went} s`);
  zx.runFrames(1);
  assert.ok(count(zx) < now);
  zx.destroy();
  const plain = await createHeadless();
  assert.throws(() => plain.rewind(1), /rewind: this machine keeps no snapshots/);
  assert.equal(plain.rewindAvailable, 0);
  plain.destroy();
});
