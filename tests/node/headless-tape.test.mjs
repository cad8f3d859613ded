// Loading the project's own program (tests/z80src/hello.asm, assembled by
// pasmo and wrapped in a TAP by tools/mktap.mjs; `make z80bin`) through the
// headless runner: instantly through the ROM trap, and in real time with the
// tape playing as EAR pulses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHeadless } from '../../web/node/headless.mjs';
import { lines, requireHelloTap } from './headless-helpers.mjs';

const EXPECTED = ['Code: hello', 'HELLO FROM Z80 5050', 'OK, 10:3'];

test('hello.tap loads instantly (trap) and runs', async () => {
  const zx = await createHeadless();
  zx.boot();
  assert.deepEqual(zx.load(requireHelloTap()), { format: 'tap', warnings: [] });
  assert.equal(zx.tape.blocks, 4);
  const start = zx.frames;
  zx.type('LOAD ""\n');
  zx.runUntilText('OK, 10:3', { maxFrames: 200 });
  assert.deepEqual(lines(zx), EXPECTED);
  assert.equal(zx.core.border, 2, 'the program sets a red border');
  assert.equal(zx.tape.trapLoads, 4, 'all four blocks through the trap');
  assert.ok(zx.frames - start < 200, `instant load took ${zx.frames - start} frames`);
  zx.destroy();
});

test('hello.tap loads in real time (traps off, tape playing) and runs', async () => {
  const zx = await createHeadless({ tapeTraps: false });
  zx.boot();
  zx.load(requireHelloTap(), 'hello.tap', { play: true });
  assert.equal(zx.tape.playing, true);
  const start = zx.frames;
  zx.type('LOAD ""\n');
  zx.runUntilText('OK, 10:3', { maxFrames: 3000 });
  assert.deepEqual(lines(zx), EXPECTED);
  assert.equal(zx.core.border, 2);
  assert.equal(zx.tape.trapLoads, 0, 'nothing through the trap');
  // Four blocks, each behind a pilot tone (about 5 s for a header, 2 s for data): many seconds of frames.
  const frames = zx.frames - start;
  assert.ok(frames > 500 && frames < 3000, `real-time load took ${frames} frames`);
  zx.destroy();
});

test('real-time loading with the tape stopped does not load', async () => {
  const zx = await createHeadless({ tapeTraps: false });
  zx.boot();
  zx.load(requireHelloTap());
  zx.type('LOAD ""\n');
  zx.runFrames(300);
  assert.ok(!zx.screenText().join('').includes('HELLO'));
  zx.tape.play();
  zx.runUntilText('HELLO FROM Z80 5050', { maxFrames: 3000 });
  zx.destroy();
});
