// The 128K family through the headless runner and its command line: the
// --machine and --rom options (sizes, several files, usage errors), the
// model in --json, stereo --wav, and the API's stereo sound from the AY.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHeadless } from '../../web/node/headless.mjs';
import { cli, requireHelloTap } from './headless-helpers.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'zx-128-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function run(...args) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// OpenSE BASIC (the embedded ROM, read from a 48K), with its last byte
// replaced by a marker (null: unchanged), so a test can tell which file
// landed in which slot.
let opense = null;
async function markedRom(marker) {
  if (!opense) {
    const zx = await createHeadless();
    opense = zx.core.rom();
    zx.destroy();
  }
  const rom = opense.slice();
  if (marker !== null) rom[rom.length - 1] = marker;
  return rom;
}

function file(name, bytes) {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

// Channel A alone, a steady tone: fine period 100 (1,773,400 / 16 / 100 =
// 1,108 Hz), mixer 0b111110 (tone A on; B, C and noise off), volume 15.
// Written by a little Z80 program at 30000, run with RANDOMIZE USR, that
// then stays in a loop with interrupts off: OpenSE BASIC silences the AY
// when it gets back to its editor (as its OUT 65533 does not reach it).
//   for each (register, value): LD BC,0xFFFD; LD A,reg; OUT (C),A;
//                               LD B,0xBF; LD A,value; OUT (C),A
//   DI; JR $
const AY_TONE_A = [[0, 100], [1, 0], [7, 0x3e], [8, 15]];
function playToneA(zx) {
  const code = AY_TONE_A.flatMap(([reg, value]) => [0x01, 0xfd, 0xff, 0x3e, reg, 0xed, 0x79, 0x06, 0xbf, 0x3e, value, 0xed, 0x79]);
  code.push(0xf3, 0x18, 0xfe);
  code.forEach((b, i) => zx.core.poke(30000 + i, b));
  zx.type('RANDOMIZE USR 30000\n', { settleFrames: 5 });
}

const energy = (s) => {
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / s.length);
};

test('--json names the model: 48K by default, the 128K with --machine 128k', () => {
  const r48 = run('--frames', '5', '--json');
  assert.equal(r48.code, 0, r48.err);
  assert.deepEqual(JSON.parse(r48.out).machine, { id: '48k', name: 'ZX Spectrum 48K' });
  const r = run('--machine', '128k', '--frames', '10', '--json');
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.deepEqual(s.machine, { id: '128k', name: 'ZX Spectrum 128K' });
  // 228 T-states x 311 lines at 3.5469 MHz.
  assert.equal(s.frames, 10);
  assert.ok(Math.abs(s.tstates - 10 * 70908) < 30, `${s.tstates} T-states in 10 frames`);
  assert.equal(s.realTimeFrameMs, Math.round((70908 / 3546900) * 1e6) / 1000);
  for (const [id, name] of [['plus2', 'ZX Spectrum +2'], ['plus2a', 'ZX Spectrum +2A'], ['plus3', 'ZX Spectrum +3'], ['pentagon', 'Pentagon 128']]) {
    const m = run('--machine', id, '--frames', '1', '--json');
    assert.equal(m.code, 0, `${id}: ${m.err}`);
    assert.deepEqual(JSON.parse(m.out).machine, { id, name });
  }
});

test('an unknown machine or stereo mode is a usage error (exit 2) listing the choices', () => {
  for (const [args, message] of [
    [['--machine', 'zx81', '--frames', '1'], /--machine: unknown machine 'zx81' \(expected one of 48k, 128k, plus2, plus2a, plus3, pentagon\)/],
    [['--machine'], /--machine: missing value/],
    [['--stereo', 'wide'], /--stereo: expected abc, acb or mono, got 'wide'/],
  ]) {
    const r = run(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message);
    assert.equal(r.out, '');
  }
});

test('--rom takes the model\'s ROMs as one file or several, in order, and says what it wants', async () => {
  // Two copies of OpenSE, so that the machine boots whichever slot it starts in.
  const first = file('128-0.rom', await markedRom(null));
  const second = file('128-1.rom', await markedRom(null));
  const both = file('128.rom', Buffer.concat([readFileSync(first), readFileSync(second)]));
  const short = file('short.rom', new Uint8Array(100));
  const four = file('plus3.rom', Buffer.concat([0x31, 0x32, 0x33, 0x34].map((m) => readFileSync(first).fill(m, 16383))));

  for (const args of [['--rom', first, second], ['--rom', first, '--rom', second], ['--rom', both]]) {
    const r = run('--machine', '128k', ...args, '--boot', '--screen-text');
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
    assert.match(r.out, /© 1981 Nine Tiles/, 'the ROM in slot 0 (OpenSE here) boots');
  }
  for (const [args, message] of [
    [['--machine', '128k', '--rom', first, second, short], /the ZX Spectrum 128K takes 2 ROMs of 16384 bytes \(32768 in all, in one file or several\) or one 16384-byte ROM; got 3 files, 32868 bytes/],
    [['--machine', '128k', '--rom', four], /plus3\.rom: the ZX Spectrum 128K takes 2 ROMs .*; got 65536 bytes/],
    [['--machine', 'plus3', '--rom', first, second], /the ZX Spectrum \+3 takes 4 ROMs of 16384 bytes \(65536 in all/],
    [['--machine', '128k', '--rom', short], /short\.rom: the ZX Spectrum 128K takes .*; got 100 bytes/],
    [['--rom', first, second], /the ZX Spectrum 48K takes 16384 bytes; got 2 files, 32768 bytes/],
  ]) {
    const r = run(...args, '--frames', '1');
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message);
  }
  assert.equal(run('--machine', 'plus3', '--rom', four, '--frames', '1').code, 0);

  // Slot order through the API: the second file is the 48 BASIC ROM (the
  // last slot). Marked copies (their last font byte changed) are not booted.
  const marked = [file('m0.rom', await markedRom(0x11)), file('m1.rom', await markedRom(0x22))];
  const zx = await createHeadless({ machine: '128k', rom: marked });
  assert.equal(zx.core.romFallback, false);
  assert.equal(zx.core.rom()[16383], 0x22);
  zx.destroy();
  // One 16 KB ROM on a 128K model fills every slot: the fallback.
  const one = await createHeadless({ machine: '128k', rom: marked[0] });
  assert.equal(one.core.romFallback, true);
  assert.equal(one.core.rom()[16383], 0x11);
  one.destroy();
});

test('createHeadless({ machine: "128k" }) runs frames on OpenSE; a tone on AY channel A is left only in ABC, centred in mono', async () => {
  const zx = await createHeadless({ machine: '128k' });
  assert.equal(zx.core.machine, '128k');
  assert.equal(zx.core.romFallback, true, 'no 128K ROMs given: OpenSE in every slot');
  assert.equal(zx.core.cpuHz, 3546900);
  zx.boot();
  assert.match(zx.screenText().join('\n'), /© 1981 Nine Tiles/);
  zx.runFrames(5);
  const quiet = zx.core.audioStereo();
  assert.equal(energy(quiet.left), 0, 'silence before the AY is set up');

  playToneA(zx);
  zx.core.stereo = 'abc';
  zx.runFrames(1);
  const abc = zx.core.audioStereo();
  assert.ok(abc.left.length > 900, `${abc.left.length} samples a frame`);
  const [l, r] = [energy(abc.left), energy(abc.right)];
  assert.ok(l > 0.02, `channel A sounds on the left: ${l}`);
  assert.ok(l > 3 * r, `channel A is on the left in ABC: left ${l}, right ${r}`);
  // Its pitch: count rising zero crossings over the frame.
  let crossings = 0;
  const mid = abc.left.reduce((a, b) => a + b, 0) / abc.left.length;
  for (let i = 1; i < abc.left.length; i++) if (abc.left[i - 1] < mid && abc.left[i] >= mid) crossings++;
  const hz = (crossings * zx.core.sampleRate) / abc.left.length;
  assert.ok(Math.abs(hz - 1108) < 60, `tone A at ~1108 Hz: ${hz}`);

  // Mono: both sides the same (once the AY's DC filters, which had
  // different inputs until now, have settled: a few frames).
  zx.core.stereo = 'mono';
  zx.runFrames(5);
  const mono = zx.core.audioStereo();
  const apart = mono.left.reduce((m, v, i) => Math.max(m, Math.abs(v - mono.right[i])), 0);
  assert.ok(apart < 1e-3, `mono: left and right differ by up to ${apart}`);
  assert.ok(energy(mono.left) > 0.01);
  zx.destroy();
});

test('--wav is stereo on the 128K; its left channel carries AY channel A', async () => {
  const cliWav = path.join(dir, 'cli.wav');
  const r = run('--machine', 'pentagon', '--frames', '5', '--wav', cliWav);
  assert.equal(r.code, 0, r.err);
  assert.equal(readFileSync(cliWav).readUInt16LE(22), 2, 'the CLI writes two channels on a model with an AY');

  const zx = await createHeadless({ machine: '128k' });
  zx.recordAudio();
  zx.boot();
  playToneA(zx);
  zx.runFrames(20);
  const w = zx.writeWav();
  zx.destroy();
  assert.equal(w.toString('ascii', 0, 4), 'RIFF');
  assert.equal(w.readUInt16LE(22), 2, 'two channels');
  assert.equal(w.readUInt32LE(28), 48000 * 4, 'byte rate');
  assert.equal(w.readUInt16LE(32), 4, 'block align');
  assert.equal(w.readUInt32LE(40), w.length - 44);
  // The last 20 frames: left carries the tone, right much less.
  const frames = (w.length - 44) / 4;
  const left = [], right = [];
  for (let i = frames - 20 * 950; i < frames; i++) {
    left.push(w.readInt16LE(44 + i * 4) / 32767);
    right.push(w.readInt16LE(46 + i * 4) / 32767);
  }
  assert.ok(energy(left) > 3 * energy(right), `left ${energy(left)}, right ${energy(right)}`);
});

test('a TAP loads through the ROM trap on a 128K running on OpenSE (the same ROM in both slots)', () => {
  // Before the fix the trap waited for ROM 1 (48 BASIC) to be paged, but a
  // 128K without its ROMs boots OpenSE from slot 0 and never pages ROM 1.
  const r = run('--machine', '128k', '--load', requireHelloTap(), '--type', 'LOAD ""\\n', '--until-text', 'HELLO FROM Z80 5050', '--max-frames', '600', '--json');
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.equal(s.tapeTrapLoads, 4, 'all four blocks (BASIC and code, header and data each) through the trap');
  assert.deepEqual(s.machine, { id: '128k', name: 'ZX Spectrum 128K' });
});

test('a snapshot switches the headless machine to its model; --load reports it in --json', async () => {
  // A booted 128K's state and a booted 48K's, saved as Z80.
  const m128 = await createHeadless({ machine: '128k' });
  m128.boot();
  const z80of128 = m128.saveSnapshot('z80');
  m128.destroy();
  const z48 = await createHeadless();
  z48.boot();
  const z80of48 = z48.saveSnapshot('z80');

  // A 48K loading the 128K's snapshot becomes a 128K...
  z48.load(z80of128, 'state128.z80');
  assert.equal(z48.core.machine, '128k');
  assert.match(z48.screenText().join('\n'), /© 1981 Nine Tiles/);
  // ... and back to a 48K with the 48K's.
  z48.load(z80of48, 'state48.z80');
  assert.equal(z48.core.machine, '48k');
  z48.destroy();
  // A +2 takes a 128K snapshot as it is (the same hardware).
  const plus2 = await createHeadless({ machine: 'plus2' });
  plus2.load(z80of128, 'state128.z80');
  assert.equal(plus2.core.machine, 'plus2');
  plus2.destroy();

  const snap = file('state128.z80', z80of128);
  const r = run('--load', snap, '--frames', '2', '--screen-text', '--json');
  assert.equal(r.code, 0, r.err);
  const s = JSON.parse(r.out);
  assert.deepEqual(s.machine, { id: '128k', name: 'ZX Spectrum 128K' });
  assert.match(s.screen.join('\n'), /© 1981 Nine Tiles/);
});
