// The frame profile (core/platform/profile.h, stats().profile in
// web/spectrum-core.mjs, the CLI's --profile):
//  - every category is reported, and they add up to the frames' total;
//  - the interpreter alone spends nothing in compiled code or the
//    dispatcher; the dynarec on a CPU-bound program spends time in both;
//  - it is off by default, restarts from zero when turned on again;
//  - the CLI prints it and carries it in --json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createHeadless, PROFILE_CATEGORIES } from '../../web/node/headless.mjs';
import { root, cli } from './headless-helpers.mjs';

// A 48K SNA running build/z80/NAME.bin at 0x8000 (as jit-lockstep.test.mjs's).
function programSnapshot(name) {
  const code = readFileSync(path.join(root, `build/z80/${name}.bin`));
  const sna = new Uint8Array(27 + 49152);
  const sp = 0xfe00;
  sna[19] = 4;
  sna[23] = sp & 0xff; sna[24] = sp >> 8;
  sna[25] = 1;
  sna.set(code, 27 + 0x8000 - 0x4000);
  sna[27 + sp - 0x4000] = 0x00; sna[27 + sp + 1 - 0x4000] = 0x80;
  return sna;
}

function assertAddsUp(p) {
  assert.deepEqual(Object.keys(p.categories), PROFILE_CATEGORIES);
  const sum = PROFILE_CATEGORIES.reduce((s, k) => s + p.categories[k].ms, 0);
  assert.ok(Math.abs(sum - p.totalMs) <= 1e-6 * p.totalMs + 1e-6, `categories ${sum} ms, frames ${p.totalMs} ms`);
  const shares = PROFILE_CATEGORIES.reduce((s, k) => s + p.categories[k].share, 0);
  assert.ok(Math.abs(shares - 1) < 1e-6, `shares add up to ${shares}`);
  for (const k of PROFILE_CATEGORIES) assert.ok(p.categories[k].ms >= 0, `${k}: ${p.categories[k].ms}`);
  assert.ok(p.longestFrameMs > 0 && p.longestFrameMs <= p.totalMs, JSON.stringify(p));
  assert.ok(Math.abs(p.msPerFrame * p.frames - p.totalMs) < 1e-6 * p.totalMs + 1e-9);
}

async function gameMachine(jit) {
  const zx = await createHeadless({ jit, profile: true });
  zx.load(programSnapshot('game_logic'), 'game_logic.sna');
  zx.core.profiling = true; // from the program's first frame
  return zx;
}

test('interpreter: every category reported, adding up; nothing compiled, no dispatcher', async () => {
  const zx = await gameMachine(false);
  zx.runFrames(200);
  const p = zx.core.stats().profile;
  assert.equal(p.frames, 200);
  assertAddsUp(p);
  assert.equal(p.categories.compiled.ms, 0);
  assert.equal(p.categories.dispatcher.ms, 0);
  assert.equal(p.categories.compile.ms, 0);
  assert.ok(p.categories.interpreter.ms > 0 && p.categories.video.ms > 0 && p.categories.audio.ms > 0, JSON.stringify(p));
  zx.destroy();
});

test('dynarec on a CPU-bound program: time in compiled code, the dispatcher and compiling', async () => {
  const zx = await gameMachine(true);
  zx.runFrames(300);
  const p = zx.core.stats().profile;
  assert.equal(p.frames, 300);
  assertAddsUp(p);
  const s = zx.core.stats().jit;
  assert.ok(s.insnsCompiled > 0.5 * s.insnsTotal, JSON.stringify(s));
  assert.ok(p.categories.compiled.ms > 0, JSON.stringify(p));
  assert.ok(p.categories.dispatcher.ms > 0, JSON.stringify(p));
  assert.ok(p.categories.compile.ms > 0, JSON.stringify(p));
  // Compiling is charged to "compile": the profile's compile window holds
  // the core's compile clock's (its total includes JS's part of each
  // request), so it cannot be much smaller. (No upper bound: on a busy
  // machine a preemption inside the window but outside the compile clock's
  // makes it larger, and that is not what is being tested.)
  assert.ok(p.categories.compile.ms >= 0.5 * s.compileMs, `${p.categories.compile.ms} vs ${s.compileMs}`);
  zx.destroy();
});

test('off by default; turning it on restarts it; off drops it', async () => {
  const zx = await createHeadless();
  assert.equal(zx.core.profiling, false);
  assert.equal(zx.core.stats().profile, null);
  zx.core.profiling = true;
  zx.runFrames(20);
  assert.equal(zx.core.stats().profile.frames, 20);
  zx.core.profiling = true;
  zx.runFrames(5);
  assert.equal(zx.core.stats().profile.frames, 5);
  zx.core.profiling = false;
  zx.runFrames(5);
  assert.equal(zx.core.stats().profile, null);
  assert.equal(zx.summary().profile, null);
  zx.destroy();
});

test('CLI --profile prints the breakdown; with --json it is in the summary', () => {
  let r = spawnSync(process.execPath, [cli, '--profile', '--frames', '100'], { encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^frame profile: 100 frames, [\d.]+ ms a frame, longest [\d.]+ ms$/m);
  for (const k of PROFILE_CATEGORIES) assert.match(r.stdout, new RegExp(`^  ${k} +[\\d.]+ us/frame +[\\d.]+%$`, 'm'));
  r = spawnSync(process.execPath, [cli, '--jit', '--profile', '--frames', '100', '--json'], { encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.equal(summary.profile.frames, 100);
  assertAddsUp(summary.profile);
  assert.ok(summary.profile.categories.dispatcher.ms > 0, r.stdout);
});
