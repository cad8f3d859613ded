// Snapshots through the headless runner: SNA and Z80 save -> load -> save is
// byte-exact and the loaded machines run on identically; every loader
// rejects corrupt files with an error naming the file and the problem, and
// leaves the machine exactly as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHeadless } from '../../web/node/headless.mjs';
import { frameHash, requireHelloTap, sha256 } from './headless-helpers.mjs';

// A machine mid-program: the border loop running, interrupts on.
async function running() {
  const zx = await createHeadless();
  zx.boot();
  zx.type('10 BORDER 1: BORDER 2: PRINT AT 0,0;RND: GOTO 10\nRUN\n');
  zx.runFrames(17);
  return zx;
}

for (const format of ['sna', 'z80']) {
  test(`${format.toUpperCase()}: save -> load -> save is byte-exact, and runs on identically`, async () => {
    const a = await running();
    const first = a.saveSnapshot(format);
    const b = await createHeadless();
    assert.equal(b.load(first, `a.${format}`).format, format);
    const second = b.saveSnapshot(format);
    assert.equal(second.length, first.length);
    assert.ok(Buffer.from(second).equals(Buffer.from(first)), `${format} differs after a round trip`);

    const c = await createHeadless();
    c.load(second, `b.${format}`);
    b.runFrames(60);
    c.runFrames(60);
    assert.equal(frameHash(c), frameHash(b));
    assert.equal(sha256(c.saveSnapshot(format)), sha256(b.saveSnapshot(format)));
    if (format === 'z80') {
      // Z80 v3 keeps the T-state within the frame, so even the original runs in step.
      a.runFrames(60);
      assert.equal(frameHash(a), frameHash(b));
      assert.equal(sha256(a.saveSnapshot('z80')), sha256(b.saveSnapshot('z80')));
    }
    for (const zx of [a, b, c]) zx.destroy();
  });
}

function withByte(bytes, at, value) {
  const copy = Uint8Array.from(bytes);
  copy[at] = value;
  return copy;
}

function concat(...parts) {
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

// [file name, bytes, expected message] built from good files.
async function corruptFiles() {
  const zx = await running();
  const sna = zx.saveSnapshot('sna');
  const z80 = zx.saveSnapshot('z80');
  zx.destroy();
  const tap = new Uint8Array(readFileSync(requireHelloTap()));
  const tzx = concat(Buffer.from('ZXTape!\x1a'), [1, 20], [0x10, 0, 0], [tap[0], tap[1]], tap.subarray(2, 2 + (tap[0] | tap[1] << 8)));
  const szxHeader = concat(Buffer.from('ZXST'), [1, 4, 1, 0]);
  return [
    ['short.sna', sna.subarray(0, sna.length - 1), /^short\.sna: SNA truncated: 49178 bytes/],
    ['long.sna', concat(sna, [0]), /^long\.sna: SNA too large: 49180 bytes/],
    ['im3.sna', withByte(sna, 25, 3), /^im3\.sna: SNA: bad interrupt mode 3/],
    ['romstack.sna', withByte(withByte(sna, 23, 0x00), 24, 0x10), /^romstack\.sna: SNA: stack pointer 0x1000/],
    ['header.z80', z80.subarray(0, 20), /^header\.z80: Z80 truncated: 20 bytes/],
    ['short.z80', z80.subarray(0, z80.length - 100), /^short\.z80: Z80 v3: page \d+ claims \d+ bytes, only \d+ left/],
    ['exthdr.z80', withByte(z80, 30, 99), /^exthdr\.z80: Z80: unknown extended header length 99/],
    ['128k.z80', withByte(z80, 34, 4), /^128k\.z80: Z80 v3: 128K RAM page 3 \(bank 0\) missing/],
    ['empty.tap', new Uint8Array(0), /^empty\.tap: TAP: empty file/],
    ['short.tap', tap.subarray(0, tap.length - 5), /^short\.tap: TAP: block 4 claims \d+ bytes, only \d+ left/],
    ['sig.tzx', withByte(tzx, 0, 0x41), /^sig\.tzx: TZX: missing "ZXTape!" signature/],
    ['v2.tzx', withByte(tzx, 8, 2), /^v2\.tzx: TZX: unsupported major version 2/],
    ['short.tzx', tzx.subarray(0, tzx.length - 3), /^short\.tzx: TZX: block 0x10 at offset 10 claims \d+ bytes, only \d+ left/],
    ['noregs.szx', szxHeader, /^noregs\.szx: SZX: no Z80R \(registers\) block/],
    ['scorpion.szx', withByte(szxHeader, 6, 10), /^scorpion\.szx: SZX: machine id 10 \(Scorpion ZS-256\) is not supported/],
    ['game.bin', sna.subarray(0, 1000), /^game\.bin: unknown file format/],
  ];
}

test('every loader rejects corrupt files with a clear error and leaves the machine unchanged', async () => {
  const zx = await running();
  zx.load(requireHelloTap()); // an inserted tape must survive failed loads too
  const state = () => ({
    sna: sha256(zx.saveSnapshot('sna')),
    z80: sha256(zx.saveSnapshot('z80')),
    frame: frameHash(zx),
    tape: [zx.tape.blocks, zx.tape.block, zx.tape.playing],
    frames: zx.frames,
    tstates: zx.core.tstates,
  });
  const before = state();
  for (const [name, bytes, message] of await corruptFiles()) {
    assert.throws(() => zx.load(bytes, name), { message }, name);
    assert.deepEqual(state(), before, `${name} changed the machine`);
  }
  // ... and the machine still runs exactly as a twin that saw no bad files.
  const twin = await createHeadless();
  twin.load(zx.saveSnapshot('z80'), 'twin.z80');
  zx.load(zx.saveSnapshot('z80'), 'self.z80');
  zx.runFrames(10);
  twin.runFrames(10);
  assert.equal(frameHash(zx), frameHash(twin));
  zx.destroy();
  twin.destroy();
});

test('a missing file is an error naming it', async () => {
  const zx = await createHeadless();
  assert.throws(() => zx.load('/nonexistent/game.tap'), { message: '/nonexistent/game.tap: no such file' });
  zx.destroy();
});
