// The dynarec's code cache on the 48K machine: bounds on functions and module
// bytes are kept by evicting cold entries (not only by flushing), results stay
// identical to the interpreter's, and the statistics split compile time into
// its four parts (the compiler's build and write, Wasm compile and instantiate).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHeadless } from '../../web/node/headless.mjs';
import { cli, frameHash, lines } from './headless-helpers.mjs';

const PROGRAM = ['10 LET A=0', '20 FOR I=1 TO 200', '30 LET A=A+I', '40 BORDER I/40', '50 NEXT I', '60 PRINT A', 'RUN'];

// Boots the ROM, runs the program, and calls check(stats) after every frame.
async function run({ jit, jitOptions, check = () => {} }) {
  const zx = await createHeadless({ jit, jitOptions });
  const hashes = [];
  const orig = zx._frame.bind(zx);
  zx._frame = () => {
    orig();
    hashes.push(frameHash(zx));
    if (jit) check(zx.core.stats().jit);
  };
  zx.boot();
  for (const l of PROGRAM) zx.type(l + '\n');
  zx.runUntilText('OK, 60:1', { maxFrames: 3000 });
  zx.runFrames(10);
  return { zx, hashes };
}

// The interpreter's frame hashes, once.
let reference;
async function interpreterHashes() {
  if (!reference) {
    const off = await run({ jit: false });
    reference = off.hashes;
    off.zx.destroy();
  }
  return reference;
}

test('a small function bound evicts cold entries; results identical to the interpreter', async () => {
  let maxLive = 0;
  const on = await run({ jit: true, jitOptions: { maxFunctions: 32 }, check: (s) => { maxLive = Math.max(maxLive, s.liveFunctions); } });
  const s = on.zx.core.stats().jit;
  assert.equal(lines(on.zx).at(-1), 'OK, 60:1');
  assert.deepEqual(on.hashes, await interpreterHashes());
  assert.equal(s.maxFunctions, 32);
  assert.ok(maxLive <= 32, `${maxLive} functions alive`);
  assert.ok(s.evictions > 0, JSON.stringify(s));
  // Entries are reclaimed one by one: the cache keeps compiling after it fills.
  assert.ok(s.functions > 2 * 32, JSON.stringify(s));
  assert.ok(s.flushes < s.evictions, JSON.stringify(s));
  // Under this bound entries are evicted ~95,000 times, their counts with
  // them: about a quarter of the instructions run compiled (0.28; 0.34
  // before batches left out the blocks of another region in them,
  // jit_z80.c, which also cut the compile time here from 717 to 396 ms),
  // against 0.91 under the default bound.
  assert.ok(s.insnsCompiled > 0.2 * s.insnsTotal, JSON.stringify(s));
  on.zx.destroy();
});

test('the module bytes bound holds after every frame; results identical to the interpreter', async () => {
  const maxBytes = 65536;
  let worst = 0;
  const on = await run({ jit: true, jitOptions: { maxBytes }, check: (s) => { worst = Math.max(worst, s.codeBytes); } });
  const s = on.zx.core.stats().jit;
  assert.deepEqual(on.hashes, await interpreterHashes());
  assert.ok(s.bytesGenerated > 2 * maxBytes, `only ${s.bytesGenerated} bytes generated: the bound was never tested`);
  assert.ok(worst <= maxBytes, `${worst} module bytes alive (bound ${maxBytes})`);
  assert.ok(s.evictions > 0, JSON.stringify(s));
  on.zx.destroy();
});

test('compile time comes in four parts that add up to no more than the whole', async () => {
  const on = await run({ jit: true });
  const s = on.zx.core.stats().jit;
  for (const k of ['buildMs', 'writeMs', 'wasmCompileMs', 'instantiateMs']) assert.ok(s[k] > 0, `${k}: ${s[k]}`);
  const parts = s.buildMs + s.writeMs + s.wasmCompileMs + s.instantiateMs;
  assert.ok(parts <= s.compileMs + 0.01 * s.requests, `parts ${parts} > whole ${s.compileMs}`);
  assert.ok(s.codeBytes > 0 && s.codeBytes <= s.bytesGenerated, JSON.stringify(s));
  on.zx.destroy();
});

test('the CLI takes the dynarec settings and reports them in --json', () => {
  const out = JSON.parse(execFileSync(process.execPath, [cli, '--jit-threshold', '50', '--jit-max-functions', '64', '--boot', '--json']).toString());
  assert.equal(out.jit.maxFunctions, 64);
  assert.ok(out.jit.functions > 0, JSON.stringify(out.jit));
  assert.throws(() => execFileSync(process.execPath, [cli, '--jit-max-functions', '3', '--boot'], { stdio: 'pipe' }),
    (e) => e.status === 2 && /--jit-max-functions: expected a whole number >= 8/.test(e.stderr.toString()));
});

test('the JS API refuses cache bounds too small to hold a module', async () => {
  await assert.rejects(createHeadless({ jit: true, jitOptions: { maxBytes: 1000 } }),
    /jitOptions\.maxBytes: must be 0 \(the default\) or a whole number >= 65536, got 1000/);
  await assert.rejects(createHeadless({ jit: true, jitOptions: { maxFunctions: 2.5 } }), /jitOptions\.maxFunctions/);
});
