// The page's pieces for the 128K family that need no browser: the frame
// clock at each model's rate, the stereo ring buffer of the AudioWorklet,
// the ROM prompt's checks and ordering of the files a player picks, and
// which model a snapshot runs on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameClock, FRAME_MS } from '../../web/engine/frame-clock.mjs';
import { RingBuffer } from '../../web/audio/ring-buffer.mjs';
import { arrangeRoms } from '../../web/ui/rom-prompt.mjs';
import { machineForSnapshot } from '../../web/engine/machine-choice.mjs';

test('the frame clock paces at the model it is given: 48K 50.08 Hz, Pentagon 48.83 Hz', () => {
  let now = 0;
  const clock = new FrameClock({ now: () => now, maxCatchUp: 1000 });
  assert.ok(Math.abs(FRAME_MS - 19.968) < 0.001);
  now = 10000;
  assert.equal(clock.due(), Math.floor(10000 / FRAME_MS));   // 500 frames in 10 s
  clock.setFrameMs(1000 / (3500000 / 71680));                  // Pentagon: 71,680 T at 3.5 MHz
  assert.ok(Math.abs(clock.frameMs - 20.48) < 1e-9);
  now += 10000;
  assert.equal(clock.due(), 488, 'the Pentagon runs 488 frames in 10 s');
  clock.done(488);
  assert.ok(Math.abs(clock.msUntilNext() - (489 * 20.48 - 10000)) < 1e-6);
  assert.throws(() => clock.setFrameMs(0), /frame length must be > 0/);
});

test('the ring buffer keeps two channels in step, drops the oldest when full, and plays mono blocks on both', () => {
  const ring = new RingBuffer(8);
  assert.equal(ring.write(Float32Array.of(1, 2, 3), Float32Array.of(-1, -2, -3)), 0);
  assert.deepEqual([ring.peekLeft(0), ring.peekRight(0), ring.peekLeft(2), ring.peekRight(2)], [1, -1, 3, -3]);
  ring.skip(1);
  assert.equal(ring.write(Float32Array.of(9)), 0);   // mono: the same on both sides
  assert.deepEqual([ring.peekLeft(2), ring.peekRight(2)], [9, 9]);
  assert.equal(ring.write(new Float32Array(7).fill(5), new Float32Array(7).fill(-5)), 2, 'two oldest dropped');
  assert.equal(ring.available, 8);
  assert.deepEqual([ring.peekLeft(0), ring.peekRight(0)], [9, 9]);
  assert.throws(() => ring.write(new Float32Array(2), new Float32Array(3)), /2 left samples but 3 right/);
});

test('the ROM prompt takes one file of all ROMs or one file per ROM, ordered by name with the 48 BASIC last', () => {
  const m128 = { id: '128k', name: 'ZX Spectrum 128K', romCount: 2 };
  const plus3 = { id: 'plus3', name: 'ZX Spectrum +3', romCount: 4 };
  const rom = (fill, basic = false) => {
    const r = new Uint8Array(16384).fill(fill);
    if (basic) r.set([0xf3, 0xaf, 0x11, 0xff, 0xff, 0xc3, 0xcb, 0x11]);
    return r;
  };
  const one = new Uint8Array(32768).fill(7);
  assert.equal(arrangeRoms(m128, [{ name: '128.rom', bytes: one }]), one);
  // By name: 128-0 before 128-1, whatever order the picker gave.
  let out = arrangeRoms(m128, [{ name: '128-1.rom', bytes: rom(2) }, { name: '128-0.rom', bytes: rom(1) }]);
  assert.deepEqual([out[100], out[16384 + 100]], [1, 2]);
  // The 48 BASIC goes last even when its name sorts first.
  out = arrangeRoms(m128, [{ name: 'basic48.rom', bytes: rom(2, true) }, { name: 'editor.rom', bytes: rom(1) }]);
  assert.deepEqual([out[100], out[16384 + 100]], [1, 2]);
  // Numeric order: p-2 before p-10.
  out = arrangeRoms(plus3, ['p-10.rom', 'p-2.rom', 'p-1.rom', 'p-3.rom'].map((name, i) => ({ name, bytes: rom([10, 2, 1, 3][i]) })));
  assert.deepEqual([0, 1, 2, 3].map((i) => out[i * 16384 + 5]), [1, 2, 3, 10]);

  for (const [model, files, message] of [
    [m128, [], /needs 2 files of 16 KB \(the 128 editor, then 48 BASIC\) or one 32 KB file; no file was chosen/],
    [m128, [{ name: 'a.rom', bytes: rom(1) }], /or one 32 KB file; a\.rom has 16 KB\./],
    [m128, [{ name: 'x.rom', bytes: new Uint8Array(1000) }], /x\.rom has 1000 bytes/],
    [m128, [1, 2, 3].map((i) => ({ name: `${i}.rom`, bytes: rom(i) })), /3 files were chosen/],
    [plus3, [{ name: 'a.rom', bytes: rom(1) }, { name: 'b.rom', bytes: rom(2) }], /The ZX Spectrum \+3 needs 4 files of 16 KB \(ROM 0 to 3\) or one 64 KB file; 2 files were chosen/],
    [m128, [{ name: 'a.rom', bytes: rom(1) }, { name: 'b.rom', bytes: new Uint8Array(16000) }], /b\.rom has 16000 bytes, not 16 KB/],
  ]) {
    assert.throws(() => arrangeRoms(model, files), message);
  }
});

test('a snapshot runs on the model it names, except that the 128K/+2 and +2A/+3 pairs keep the running one', () => {
  assert.equal(machineForSnapshot(null, '128k'), null, 'not a snapshot: nothing to switch');
  assert.equal(machineForSnapshot('128k', '128k'), null);
  assert.equal(machineForSnapshot('128k', '48k'), '128k');
  assert.equal(machineForSnapshot('48k', '128k'), '48k', 'a 48K snapshot on a 128K: the 48K');
  assert.equal(machineForSnapshot('128k', 'plus2'), null);
  assert.equal(machineForSnapshot('plus2', '128k'), null);
  assert.equal(machineForSnapshot('plus3', 'plus2a'), null);
  assert.equal(machineForSnapshot('plus3', '128k'), 'plus3');
  assert.equal(machineForSnapshot('pentagon', '128k'), 'pentagon');
  assert.equal(machineForSnapshot('128k', 'pentagon'), '128k');
});
