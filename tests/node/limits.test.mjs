// Bounded inputs and a well-behaved library: a pathological tape is refused
// with a clear error and bounded memory; bad option values are refused with
// the option named (the CLI exits 2); the Node module leaves the process's
// error handling alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHeadless } from '../../web/node/headless.mjs';
import { cli } from './headless-helpers.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'zx-limits-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const MB = 1024 * 1024;

// A TZX of one-byte blocks (0x22, group end): the worst block count per
// byte. 10 MB of them used to take ~935 MB of Wasm heap.
function tinyBlockTzx(bytes) {
  const f = new Uint8Array(bytes);
  f.set([...'ZXTape!'].map((c) => c.charCodeAt(0)).concat([0x1a, 1, 20]));
  f.fill(0x22, 10);
  return f;
}

test('a 50 MB TZX of tiny blocks is refused with a clear error and bounded memory', async () => {
  const zx = await createHeadless();
  zx.boot();
  const heap = () => zx.core.module.HEAPU8.length;
  const screenBefore = zx.screenText().join('\n');
  const before = heap();
  const file = tinyBlockTzx(50 * MB);
  assert.throws(() => zx.load(file, 'many-blocks.tzx'),
    /^Error: many-blocks\.tzx: TZX: more than 262144 blocks \(block 262145 at offset 262154\): not a tape this player holds$/);
  // The file is copied into the heap once to be parsed; the parser counts
  // blocks before allocating any, so nothing more is needed.
  const bound = before + 50 * MB + 16 * MB;
  assert.ok(heap() <= bound, `Wasm heap ${heap() / MB} MB after the load, bound ${bound / MB} MB (before: ${before / MB} MB)`);
  // Nothing else changed: the machine runs on, no tape inserted.
  assert.equal(zx.tape.blocks, 0);
  zx.runFrames(10);
  assert.equal(zx.screenText().join('\n'), screenBefore);
  zx.destroy();
});

test('a file larger than any the core takes is refused before it reaches the heap', async () => {
  const zx = await createHeadless();
  const before = zx.core.module.HEAPU8.length;
  assert.throws(() => zx.load(tinyBlockTzx(64 * MB + 1), 'huge.tzx'),
    /^Error: huge\.tzx: 67108865 bytes, more than any file the emulator takes \(64 MB\)$/);
  assert.equal(zx.core.module.HEAPU8.length, before, 'the heap did not grow');
  // From a path: not even read.
  const big = path.join(dir, 'big.tap');
  writeFileSync(big, new Uint8Array(64 * MB + 2));
  assert.throws(() => zx.load(big), /big\.tap: 67108866 bytes, more than any file the emulator takes/);
  zx.destroy();
});

test('a tape at the block limit still loads', async () => {
  const zx = await createHeadless();
  const r = zx.load(tinyBlockTzx(10 + 262144), 'limit.tzx');
  assert.equal(r.format, 'tzx');
  assert.equal(zx.tape.blocks, 262144);
  zx.destroy();
});

test('bad option values are refused, naming the option', async () => {
  for (const [options, message] of [
    [{ sampleRate: 0 }, /^sampleRate: expected a whole number of Hz from 8000 to \d+, got 0$/],
    [{ sampleRate: 44100.5 }, /sampleRate/],
    [{ jit: true, jitOptions: { treshold: 5 } }, /^jitOptions\.treshold: unknown setting \(known: threshold, batch, maxFunctions, maxBytes, batchWait, profileExits\)$/],
    [{ jit: true, jitOptions: { maxFunctions: 10000000 } }, /^jitOptions\.maxFunctions: at most 65536, got 10000000$/],
    [{ jit: true, jitOptions: { batch: 65 } }, /^jitOptions\.batch: at most 64, got 65$/],
    [{ jit: true, jitOptions: 'fast' }, /^jitOptions: expected an object/],
    [{ jitOptions: { threshold: 5 } }, /^jitOptions: settings of the dynarec, given without jit: true$/],
    [{ lockstep: true }, /^lockstep: checks the dynarec against the interpreter, so it needs jit: true$/],
    [{ sampelRate: 44100 }, /^createHeadless: unknown option 'sampelRate'/],
  ]) {
    await assert.rejects(createHeadless(options), (e) => { assert.match(e.message, message, JSON.stringify(options)); return true; });
  }
  // The limits themselves are accepted.
  const zx = await createHeadless({ sampleRate: 8000, jit: true, jitOptions: { maxFunctions: 65536, batch: 64 } });
  zx.runFrames(2);
  zx.destroy();
});

function run(...args) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('the CLI refuses bad option values as usage errors (exit 2)', () => {
  for (const [args, message] of [
    [['--sample-rate', '0'], /--sample-rate: expected a whole number >= 8000, got '0'/],
    [['--sample-rate', '999999'], /--sample-rate: at most \d+, got 999999/],
    [['--lockstep', '--no-jit'], /--lockstep checks the dynarec against the interpreter: it cannot go with --no-jit/],
    [['--no-jit', '--lockstep'], /cannot go with --no-jit/],
    [['--jit-threshold', '5', '--no-jit'], /--jit-\* settings cannot go with --no-jit/],
    [['--frames', '99999999999'], /--frames: at most 10000000, got 99999999999/],
    [['--until-text', 'x', '--max-frames', '1e9'], /--max-frames: expected a whole number >= 1, got '1e9'/],
    [['--jit-max-functions', '10000000'], /--jit-max-functions: at most 65536, got 10000000/],
    [['--jit-max-bytes', '99999999999'], /--jit-max-bytes: at most 268435456/],
  ]) {
    const r = run(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message);
    assert.match(r.err, /\(try --help\)/);
    assert.equal(r.out, '');
  }
});

// A user's script: the library loaded, then the script's own error.
function script(name, body) {
  const file = path.join(dir, name);
  writeFileSync(file, `import { createHeadless } from ${JSON.stringify(path.join(repo, 'web/node/headless.mjs'))};\n${body}\n`);
  return spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 60000 });
}

test('an uncaught error in a script using the API prints only that error and exits 1', () => {
  for (const jit of [false, true]) {
    const r = script(`throws-${jit}.mjs`, `const zx = await createHeadless({ jit: ${jit} });\nzx.runFrames(1);\nthrow new Error('boom from the user script');`);
    assert.equal(r.status, 1, `jit ${jit}: exit status (stderr: ${r.stderr.slice(0, 300)})`);
    assert.match(r.stderr, /Error: boom from the user script/);
    assert.match(r.stderr, /throws-(true|false)\.mjs:\d+:\d+/, 'the stack points at the script');
    assert.doesNotMatch(r.stderr, /zxcore|zxjit|Emscripten/i);
    assert.ok(r.stderr.length < 2000, `jit ${jit}: ${r.stderr.length} bytes of stderr`);
  }
  const rejected = script('rejects.mjs', `await createHeadless();\nPromise.reject(new Error('rejected by the user script'));`);
  assert.equal(rejected.status, 1);
  assert.match(rejected.stderr, /rejected by the user script/);
  assert.doesNotMatch(rejected.stderr, /zxcore|Emscripten/i);
  assert.ok(rejected.stderr.length < 2000, `${rejected.stderr.length} bytes of stderr`);
});

test('loading the module installs no process-wide handlers', async () => {
  const before = ['uncaughtException', 'unhandledRejection'].map((e) => process.listenerCount(e));
  const a = await createHeadless();
  const b = await createHeadless({ jit: true });
  const after = ['uncaughtException', 'unhandledRejection'].map((e) => process.listenerCount(e));
  assert.deepEqual(after, before);
  a.destroy();
  b.destroy();
});
