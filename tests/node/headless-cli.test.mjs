// The zx-headless command line: exit codes, messages, and its output files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { cli, requireHelloTap } from './headless-helpers.mjs';
import { crc32 } from '../../web/node/png.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'zx-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function run(...args) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('--help exits 0 and lists the options', () => {
  const r = run('--help');
  assert.equal(r.code, 0);
  assert.match(r.out, /--screenshot FILE/);
  assert.match(r.out, /exit status/);
});

test('bad usage exits 2 with a message', () => {
  for (const [args, message] of [
    [['--bogus'], /unknown option --bogus/],
    [['--frames'], /--frames: missing value/],
    [['--frames', 'ten'], /--frames: expected a whole number >= 0, got 'ten'/],
    [['--hold', '3'], /--hold must follow --key or --joy/],
    [['game.tap'], /unexpected argument 'game\.tap'/],
  ]) {
    const r = run(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, message);
    assert.equal(r.out, '');
  }
});

test('bad input exits 1 naming the file and the problem', () => {
  const corrupt = path.join(dir, 'corrupt.sna');
  writeFileSync(corrupt, new Uint8Array(1000));
  const unknown = path.join(dir, 'notes.txt');
  writeFileSync(unknown, 'hello');
  const shortRom = path.join(dir, 'short.rom');
  writeFileSync(shortRom, new Uint8Array(100));
  for (const [args, message] of [
    [['--load', path.join(dir, 'missing.tap')], /missing\.tap: no such file/],
    [['--load', corrupt], /corrupt\.sna: SNA truncated: 1000 bytes/],
    [['--load', unknown], /notes\.txt: unknown file format/],
    [['--rom', shortRom], /short\.rom: a 48K ROM has 16384 bytes, this has 100/],
    [['--until-text', 'NEVER', '--max-frames', '20'], /screen text "NEVER" not met after 20 frames/],
    [['--key', 'F1'], /unknown key 'F1'/],
    [['--type', 'caf\u00e9'], /cannot type "\u00e9"/],
  ]) {
    const r = run(...args);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message);
  }
});

test('--type and --screen-text: PRINT 2+2', () => {
  const r = run('--type', 'PRINT 2+2\\n', '--screen-text');
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split('\n');
  assert.equal(lines.length, 25);
  assert.equal(lines[0], '4');
  assert.equal(lines[23], 'OK, 0:1');
});

test('--json prints one parseable summary; --screenshot writes a PNG; --wav a WAV', () => {
  const png = path.join(dir, 'out.png');
  const wav = path.join(dir, 'out.wav');
  const r = run('--load', requireHelloTap(), '--type', 'LOAD ""\\n', '--until-text', '5050', '--max-frames', '500',
    '--screenshot', png, '--screen-text', '--wav', wav, '--json');
  assert.equal(r.code, 0, r.err);
  const summary = JSON.parse(r.out);
  assert.ok(summary.frames > 0 && summary.tstates >= summary.frames * 69888);
  for (const key of ['emulatedMHz', 'wallSeconds', 'speedX']) assert.equal(typeof summary[key], 'number', key);
  assert.equal(summary.jit, null);
  assert.ok(summary.screen.some((l) => l.trimEnd() === 'HELLO FROM Z80 5050'), summary.screen.join('\n'));

  const p = readFileSync(png);
  assert.deepEqual([...p.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(p.toString('ascii', 12, 16), 'IHDR');
  assert.equal(p.readUInt32BE(16), 352);
  assert.equal(p.readUInt32BE(20), 296);
  assert.equal(p.readUInt32BE(29), crc32(p.subarray(12, 29)), 'IHDR CRC');
  const idatLen = p.readUInt32BE(33);
  assert.equal(p.toString('ascii', 37, 41), 'IDAT');
  const raw = inflateSync(p.subarray(41, 41 + idatLen));
  assert.equal(raw.length, 296 * (352 * 4 + 1));
  assert.equal(p.toString('ascii', p.length - 8, p.length - 4), 'IEND');

  const w = readFileSync(wav);
  assert.equal(w.toString('ascii', 0, 4), 'RIFF');
  assert.equal(w.readUInt32LE(4), w.length - 8);
  assert.equal(w.toString('ascii', 8, 16), 'WAVEfmt ');
  assert.equal(w.readUInt16LE(20), 1);        // PCM
  assert.equal(w.readUInt16LE(22), 1);        // mono
  assert.equal(w.readUInt32LE(24), 48000);
  assert.equal(w.readUInt16LE(34), 16);
  assert.equal(w.readUInt32LE(40), w.length - 44);
  // 48000 Hz * 69888 T / 3.5 MHz = 958.5 samples per frame.
  const samples = (w.length - 44) / 2;
  assert.ok(Math.abs(samples / summary.frames - 48000 * 69888 / 3500000) < 1, `${samples} samples for ${summary.frames} frames`);
  // Not silence: OpenSE BASIC clicks the beeper for every key typed.
  let peak = 0;
  for (let i = 44; i < w.length; i += 2) peak = Math.max(peak, Math.abs(w.readInt16LE(i)));
  assert.ok(peak > 1000, `peak ${peak}`);
});

test('--tape-realtime loads by playing the tape', () => {
  const r = run('--tape-realtime', '--load', requireHelloTap(), '--type', 'LOAD ""\\n',
    '--until-text', 'HELLO FROM Z80 5050', '--max-frames', '3000', '--json');
  assert.equal(r.code, 0, r.err);
  const summary = JSON.parse(r.out);
  assert.equal(summary.tapeTrapLoads, 0);
  assert.ok(summary.frames > 500);
});

test('--save-z80 then --load of it round-trips through files', () => {
  const snap = path.join(dir, 'state.z80');
  assert.equal(run('--type', 'PRINT 6*7\\n', '--save-z80', snap).code, 0);
  const r = run('--load', snap, '--frames', '1', '--screen-text');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.split('\n')[0], '42');
});

test('--jit-compile async: a worker compiles, the frames never wait, the screen is the synchronous run\'s', () => {
  const summary = (mode) => {
    const r = run('--jit-compile', mode, '--boot', '--type', 'PRINT 2+2\n', '--screen-text', '--json');
    assert.equal(r.code, 0, r.err);
    return JSON.parse(r.out);
  };
  const a = summary('async'), s = summary('sync');
  assert.equal(a.tstates, s.tstates);
  assert.ok(a.screen.join('\n').includes('4'), a.screen.join('\n'));
  assert.deepEqual(a.screen, s.screen);
  assert.ok(a.jit.asyncInstalled > 0 && a.jit.runsWaited === 0 && a.jit.blockingCompiles === 0, JSON.stringify(a.jit));
  assert.ok(s.jit.runsWaited > 0 && s.jit.asyncRequests === 0, JSON.stringify(s.jit));
  const bad = run('--jit-compile', 'later');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--jit-compile: expected sync or async, got 'later'/);
});
