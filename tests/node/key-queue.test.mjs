// The browser's key queue: bursts of taps are spaced so the ROM's debounce
// sees every key; chords pass straight through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyQueue } from '../../web/engine/key-queue.mjs';

function recorder() {
  const log = [];
  let frame = 0;
  const q = new KeyQueue({ press: (k) => log.push([frame, k, 'down']), release: (k) => log.push([frame, k, 'up']) });
  return { q, log, run(n) { for (let i = 0; i < n; i++, frame++) q.apply(frame); } };
}

test('a burst of taps is spread out, in order, with every key held and spaced', () => {
  const { q, log, run } = recorder();
  for (const k of ['P', 'R', 'I', 'N', 'T']) { q.push(k, true); q.push(k, false); }
  run(60);
  assert.equal(q.pending, 0);
  const downs = log.filter((e) => e[2] === 'down');
  assert.deepEqual(downs.map((e) => e[1]), ['P', 'R', 'I', 'N', 'T']);
  for (let i = 1; i < downs.length; i++) assert.ok(downs[i][0] - downs[i - 1][0] >= 6, `tap ${i} spaced`);
  for (const [f, k] of downs) {
    const up = log.find((e) => e[1] === k && e[2] === 'up');
    assert.ok(up[0] - f >= 3, `${k} held 3 frames`);
  }
});

test('the same key twice waits for the ROM to forget the first press', () => {
  const { q, log, run } = recorder();
  q.push('L', true); q.push('L', false); q.push('L', true); q.push('L', false);
  run(30);
  const [, up1, down2] = log;
  assert.equal(down2[2], 'down');
  assert.ok(down2[0] - up1[0] >= 6);
});

test('a chord is not delayed', () => {
  const { q, log, run } = recorder();
  q.push('CAPS', true);
  run(1);
  q.push('5', true);
  run(1);
  assert.deepEqual(log, [[0, 'CAPS', 'down'], [1, '5', 'down']]);
});
