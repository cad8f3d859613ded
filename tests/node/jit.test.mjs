// The dynarec on the whole machine and on the FUSE suite:
//  - FUSE through compiled code (every test's code compiled at its first
//    execution, traced builds: bus events checked per T-state);
//  - the 48K machine booting the ROM and running BASIC in lockstep (every
//    compiled run checked against the interpreter on a copy of the state)
//    with zero divergences;
//  - identical frame hashes, frame by frame, with the dynarec on and off.
// The randomized differential test is tests/node/jit-random-diff.test.mjs.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { loadTestProgram } from '../../web/node/load-core.mjs';
import { createHeadless } from '../../web/node/headless.mjs';
import { loadFuseSuite, runFuseAll, MODE } from './zxtest-helpers.mjs';
import { frameHash, lines, root } from './headless-helpers.mjs';

function jitStats(m, jit) {
  return JSON.parse(m.UTF8ToString(m._zxw_jit_stats(jit)));
}

test('FUSE suite through compiled code: all tests pass, their instructions run compiled', async () => {
  const zt = await loadTestProgram({ jit: true });
  const count = loadFuseSuite(zt);
  const jit = zt._zxw_jit_shared_configure(0, 1, 0);
  const r = runFuseAll(zt, MODE.dynarec);
  assert.equal(r.failed, 0, `${r.failed} of ${count} failed:\n${r.failures}`);
  const s = jitStats(zt, jit);
  // One function per test (flushed between tests), HALT's included.
  assert.equal(s.functions, count, `${s.functions} functions for ${count} tests`);
  assert.equal(s.compileFailures, 0);
  // Every instruction of every test runs compiled: each one has a real
  // translation (none is handed back to the interpreter).
  assert.ok(s.insnsTotal >= count, JSON.stringify(s));
  assert.equal(s.insnsCompiled, s.insnsTotal, JSON.stringify(s));
});

// Boots OpenSE BASIC and runs a program, with the machine's dynarec on or
// off (zxw_create's JIT flag); returns the per-frame hashes and the machine.
async function basicRun({ jit, lockstep = false }) {
  const zx = await createHeadless({ jit });
  const m = zx.core.module;
  if (lockstep) m._zxw_jit_lockstep(zx.core.ptr, 1);
  const hashes = [];
  const orig = zx._frame.bind(zx);
  zx._frame = () => { orig(); hashes.push(frameHash(zx)); };
  zx.boot();
  for (const l of ['10 LET A=0', '20 FOR I=1 TO 300', '30 LET A=A+I', '40 BORDER I/50', '50 NEXT I', '60 PRINT A', 'RUN']) zx.type(l + '\n');
  zx.runUntilText('OK, 60:1', { maxFrames: 3000 });
  zx.runFrames(20);
  return { zx, m, hashes };
}

test('ROM boot and a BASIC program in lockstep: zero divergences', async () => {
  const { zx, m } = await basicRun({ jit: true, lockstep: true });
  assert.equal(lines(zx).at(-1), 'OK, 60:1');
  const s = zx.core.stats().jit;
  const report = m.UTF8ToString(m._zxw_jit_lockstep_report(zx.core.ptr));
  assert.equal(s.lockstepDivergences, 0, report);
  assert.ok(s.lockstepChecks > 1000, JSON.stringify(s));
  assert.ok(s.insnsCompiled > 0.5 * s.insnsTotal, JSON.stringify(s));
  zx.destroy();
});

test('frame hashes are identical with the dynarec on and off', async () => {
  const off = await basicRun({ jit: false });
  const on = await basicRun({ jit: true });
  assert.equal(on.hashes.length, off.hashes.length);
  for (let i = 0; i < off.hashes.length; i++) assert.equal(on.hashes[i], off.hashes[i], `frame ${i + 1} differs`);
  const s = on.zx.core.stats().jit;
  assert.ok(s.functions > 20, JSON.stringify(s));
  assert.equal(off.zx.core.stats().jit, null);
  on.zx.destroy();
  off.zx.destroy();
});

// A 48K SNA of build/z80/jit_smc.bin (tests/z80src/jit_smc.asm) at 0x8000:
// PC is popped from the stack, so the stack holds 0x8000; IM 1, IFF2 set.
function smcSnapshot() {
  const code = readFileSync(path.join(root, 'build/z80/jit_smc.bin'));
  const sna = new Uint8Array(27 + 49152);
  const sp = 0xfe00;
  sna[19] = 4;                     // IFF2
  sna[23] = sp & 0xff; sna[24] = sp >> 8;
  sna[25] = 1;                     // IM 1
  sna.set(code, 27 + 0x8000 - 0x4000);
  sna[27 + sp - 0x4000] = 0x00; sna[27 + sp + 1 - 0x4000] = 0x80;
  return sna;
}

async function smcRun({ jit, lockstep = false }) {
  const zx = await createHeadless({ jit, lockstep });
  zx.boot();
  zx.load(smcSnapshot(), 'jit_smc.sna');
  const hashes = [];
  for (let i = 0; i < 150; i++) { zx.runFrames(1); hashes.push(frameHash(zx)); }
  const m = zx.core.module, ram = m._zxw_ram(zx.core.ptr);
  const mem = m.HEAPU8.slice(ram, ram + 49152);
  return { zx, hashes, ramHash: createHash('sha256').update(mem).digest('hex'), passes: mem[0x4003] | (mem[0x4004] << 8) };
}

test('self-modifying code, copied code, block instructions, interrupts in hot loops: lockstep and on/off identical', async () => {
  const ls = await smcRun({ jit: true, lockstep: true });
  const s = ls.zx.core.stats().jit;
  const m = ls.zx.core.module;
  assert.equal(s.lockstepDivergences, 0, m.UTF8ToString(m._zxw_jit_lockstep_report(ls.zx.core.ptr)));
  assert.ok(ls.passes > 5, `only ${ls.passes} passes`);
  assert.ok(s.invalidations > 0, JSON.stringify(s));
  const off = await smcRun({ jit: false });
  const on = await smcRun({ jit: true });
  assert.deepEqual(on.hashes, off.hashes);
  assert.equal(on.ramHash, off.ramHash);
  assert.equal(ls.ramHash, off.ramHash);
  for (const r of [ls, off, on]) r.zx.destroy();
});
