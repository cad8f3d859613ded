// The worker's typing queue (web/engine/type-queue.mjs) on a real machine
// (OpenSE BASIC, Node build): type() promises resolve in order, once the
// text is typed and the ROM has run the line; 'typed' results; a reset's
// cancel rejects what is left; untypeable text throws before anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHeadless } from '../../web/node/headless.mjs';
import { TypeQueue } from '../../web/engine/type-queue.mjs';

async function booted() {
  const zx = await createHeadless();
  zx.boot();
  return zx;
}

// Runs frames with the queue stepping, until `until()` or maxFrames.
async function drive(zx, queue, until, maxFrames = 2000) {
  for (let i = 0; i < maxFrames && !until(); i++) {
    queue.step(zx.core);
    zx.runFrames(1);
    await null; // let resolved promises run their callbacks
  }
}

test('texts are typed in order; each promise resolves when its line has run', async () => {
  const zx = await booted();
  const typed = [];
  const queue = new TypeQueue({ onTyped: (r) => typed.push(r.text) });
  const events = [];
  const screenAt = {};
  const first = queue.add(zx.core, 'PRINT 6*7\n').then((r) => { events.push('first'); screenAt.first = zx.screenText().join('\n'); return r; });
  const second = queue.add(zx.core, 'PRINT 5*5\n').then((r) => { events.push('second'); screenAt.second = zx.screenText().join('\n'); return r; });
  assert.equal(queue.busy, true);
  await drive(zx, queue, () => events.length === 2);
  assert.deepEqual(events, ['first', 'second']);
  assert.deepEqual(typed, ['PRINT 6*7\n', 'PRINT 5*5\n']);
  assert.match(screenAt.first, /^42/m, 'the first result is on screen when its promise resolves');
  assert.doesNotMatch(screenAt.first, /^25/m, 'and the second text has not run yet');
  assert.match(screenAt.second, /^25/m);
  const r = await first;
  assert.equal(r.text, 'PRINT 6*7\n');
  assert.equal(r.strokes, 10);
  assert.equal(r.keywords, false);
  assert.ok(r.frames >= 10 * 4, `took ${r.frames} frames`);
  await second;
  assert.equal(queue.busy, false);
  zx.destroy();
});

test('cancel rejects the text being typed and those queued', async () => {
  const zx = await booted();
  const queue = new TypeQueue();
  const a = queue.add(zx.core, 'PRINT 1\n');
  const b = queue.add(zx.core, 'PRINT 2\n');
  for (let i = 0; i < 5; i++) { queue.step(zx.core); zx.runFrames(1); }
  queue.cancel('typing stopped: the machine was reset');
  await assert.rejects(a, /typing stopped: the machine was reset/);
  await assert.rejects(b, /typing stopped/);
  assert.equal(queue.busy, false);
  zx.destroy();
});

test('untypeable text throws at once and queues nothing', async () => {
  const zx = await booted();
  const queue = new TypeQueue();
  assert.throws(() => queue.add(zx.core, 'PRINT "€"'), /cannot type "€" \(U\+20AC\) at position 7/);
  assert.throws(() => queue.add(zx.core, 42), /expected a string/);
  assert.equal(queue.busy, false);
  zx.destroy();
});
