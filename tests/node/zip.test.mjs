// ZIP archives (core/media/zip.c): a tape or snapshot inside one loads like
// the file itself, through the one loader the page, the API and the CLI
// share. The archives are built here, stored and deflated (node:zlib's
// deflateRawSync), with the damaged and unsupported kinds made on purpose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHeadless } from '../../web/node/headless.mjs';
import { crc32 } from '../../web/node/png.mjs';
import { cli, frameHash, requireHelloTap, sha256 } from './headless-helpers.mjs';
import { makeZip } from './zip-builder.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'zx-zip-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

// A machine mid-program, and its Z80 snapshot.
async function runningSnapshot(machine = '48k') {
  const zx = await createHeadless({ machine });
  zx.boot();
  zx.type('10 BORDER 1: PRINT AT 0,0;RND: GOTO 10\nRUN\n');
  zx.runFrames(13);
  const z80 = zx.saveSnapshot('z80');
  zx.destroy();
  return z80;
}

test('a snapshot in a ZIP (stored or deflated) loads exactly like the snapshot', async () => {
  const z80 = await runningSnapshot();
  const plain = await createHeadless();
  plain.load(z80, 'game.z80');
  plain.runFrames(20);
  for (const deflate of [false, true]) {
    for (const descriptor of [false, true]) {
      const zip = makeZip([{ name: 'GAME.Z80', data: z80, deflate, descriptor }], { comment: 'from a site' });
      const zx = await createHeadless();
      const r = zx.load(zip, 'game.zip');
      assert.equal(r.format, 'z80');
      assert.deepEqual(r.warnings, []);
      zx.runFrames(20);
      assert.equal(frameHash(zx), frameHash(plain), `deflate ${deflate}, descriptor ${descriptor}`);
      assert.equal(sha256(zx.saveSnapshot('z80')), sha256(plain.saveSnapshot('z80')));
      zx.destroy();
    }
  }
  plain.destroy();
});

test('a tape in a ZIP inserts like the tape, and LOAD "" runs it', async () => {
  const tap = readFileSync(requireHelloTap());
  const zx = await createHeadless();
  const r = zx.load(makeZip([{ name: 'games/hello.tap', data: tap, deflate: true }]), 'hello.zip');
  assert.equal(r.format, 'tap');
  const plain = await createHeadless();
  plain.load(new Uint8Array(tap), 'hello.tap');
  assert.ok(zx.tape.blocks > 0);
  assert.equal(zx.tape.blocks, plain.tape.blocks);
  zx.boot();
  zx.type('LOAD ""\n');
  zx.runUntilText('5050', { maxFrames: 1500 });
  zx.destroy();
  plain.destroy();
});

test('a 128K snapshot in a ZIP switches the machine to the 128K', async () => {
  const z80 = await runningSnapshot('128k');
  const zx = await createHeadless();
  assert.equal(zx.core.machine, '48k');
  zx.load(makeZip([{ name: 'm128.z80', data: z80, deflate: true }]), 'm128.zip');
  assert.equal(zx.core.machine, '128k');
  zx.destroy();
});

test('several loadable files: the first in the archive loads, and a warning names it', async () => {
  const z80 = await runningSnapshot();
  const tap = readFileSync(requireHelloTap());
  const zip = makeZip([
    { name: 'README.TXT', data: Buffer.from('Instructions'), deflate: true },
    { name: '__MACOSX/._GAME.TAP', data: Buffer.from('resource fork') },
    { name: 'docs/', data: Buffer.alloc(0) },
    { name: 'Game (side B).z80', data: z80, deflate: true },
    { name: 'Game (side A).tap', data: tap },
  ]);
  const zx = await createHeadless();
  const r = zx.load(zip, 'game.zip');
  assert.equal(r.format, 'z80');
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0], /^the ZIP archive holds 2 tapes or snapshots, loaded the first: Game \(side B\)\.z80$/);
  zx.destroy();
});

test('bad archives are refused with a clear message, and the machine is untouched', async () => {
  const z80 = await runningSnapshot();
  const good = makeZip([{ name: 'GAME.Z80', data: z80, deflate: true }]);
  const truncated = good.subarray(0, 200);
  const badCrc = makeZip([{ name: 'GAME.Z80', data: z80, deflate: true, crc: crc32(z80) ^ 1 }]);
  const corruptData = Uint8Array.from(good);
  for (let i = 40; i < 80; i++) corruptData[i] ^= 0x5a;
  const cases = [
    [makeZip([{ name: 'readme.txt', data: Buffer.from('hi') }, { name: 'game.dsk', data: Buffer.alloc(10) }]),
      /game\.zip: the ZIP archive holds no tape or snapshot \(\.tap, \.tzx, \.sna, \.z80, \.szx\); it has readme\.txt, game\.dsk/],
    [makeZip([]), /game\.zip: the ZIP archive is empty/],
    [makeZip([{ name: 'GAME.Z80', data: z80, flags: 1 }]), /game\.zip: GAME\.Z80 in the ZIP archive is encrypted/],
    [makeZip([{ name: 'GAME.Z80', data: z80, method: 12 }]), /game\.zip: GAME\.Z80 in the ZIP archive is compressed with method 12 \(only stored and deflate/],
    [truncated, /game\.zip: a damaged ZIP archive \(its central directory is missing/],
    [badCrc, /game\.zip: a damaged ZIP archive \(GAME\.Z80 fails its CRC-32 check\)/],
    [corruptData, /game\.zip: a damaged ZIP archive \(GAME\.Z80 (does not unpack|fails its CRC-32)/],
    [makeZip([{ name: 'GAME.Z80', data: z80.subarray(0, 20) }]), /game\.zip: GAME\.Z80 in the ZIP archive: /],
  ];
  const zx = await createHeadless();
  zx.load(z80, 'start.z80');
  const before = sha256(zx.saveSnapshot('z80'));
  for (const [bytes, message] of cases) {
    assert.throws(() => zx.load(bytes, 'game.zip'), message);
    assert.equal(sha256(zx.saveSnapshot('z80')), before, String(message));
  }
  zx.destroy();
});

test('the CLI loads a ZIP and reports a bad one', () => {
  const tap = readFileSync(requireHelloTap());
  const good = path.join(dir, 'hello.zip');
  writeFileSync(good, makeZip([{ name: 'HELLO.TAP', data: tap, deflate: true }]));
  let r = spawnSync(process.execPath, [cli, '--load', good, '--type', 'LOAD ""\n', '--until-text', '5050'], { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
  const bad = path.join(dir, 'notes.zip');
  writeFileSync(bad, makeZip([{ name: 'notes.txt', data: Buffer.from('x') }]));
  r = spawnSync(process.execPath, [cli, '--load', bad], { encoding: 'utf8', timeout: 60000 });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /notes\.zip: the ZIP archive holds no tape or snapshot/);
});
