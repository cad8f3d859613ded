// bench_rewind.mjs: what rewind (web/engine/rewind.mjs) costs the emulator
// thread: the time to take one snapshot (the core's Z80 writer plus the
// copy out of the heap), to restore one, and the bytes a snapshot takes,
// on a 48K and a 128K running a BASIC counter. A snapshot is taken every
// 0.5 s of play, so per frame the cost is that time / 25.
//
// Usage: node bench/bench_rewind.mjs
//   (machine-wide: flock /tmp/bench.lock taskset -c 1 nice -n 0 node bench/bench_rewind.mjs)
import { performance } from 'node:perf_hooks';
import { createHeadless } from '../web/node/headless.mjs';
import { Rewind } from '../web/engine/rewind.mjs';

const ROUNDS = 2000;

for (const machine of ['48k', '128k']) {
  const zx = await createHeadless({ machine });
  zx.boot();
  zx.type('10 FOR n=1 TO 1E9: PRINT AT 0,0;n: NEXT n\nRUN\n');
  zx.runFrames(100);
  let bytes = 0;
  let t0 = performance.now();
  let snap;
  for (let i = 0; i < ROUNDS; i++) {
    snap = zx.core.saveSnapshot('z80');
    bytes += snap.length;
  }
  const saveUs = ((performance.now() - t0) * 1000) / ROUNDS;
  t0 = performance.now();
  for (let i = 0; i < ROUNDS; i++) zx.core.load(snap, 'rewind.z80');
  const loadUs = ((performance.now() - t0) * 1000) / ROUNDS;
  // A minute of play through the ring as the worker runs it.
  const ring = new Rewind();
  t0 = performance.now();
  for (let i = 0; i < 3000; i++) {
    zx.core.runFrame();
    ring.afterFrame(zx.core);
  }
  const minuteMs = performance.now() - t0;
  console.log(`${machine.padEnd(5)} snapshot ${saveUs.toFixed(1)} us (${Math.round(bytes / ROUNDS)} bytes), restore ${loadUs.toFixed(1)} us, ` +
    `per frame ${(saveUs / 25).toFixed(1)} us; a minute of play: ${ring.entries.length} snapshots, ${ring.bytes} bytes ` +
    `(frames + ring ${minuteMs.toFixed(0)} ms)`);
  zx.destroy();
}
