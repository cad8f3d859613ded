// The dynarec on the 128K family: build/z80/paging128.bin
// (tests/z80src/paging128.asm, in its looping mode) on the 128K and the +3,
// run by the interpreter, by the dynarec, and by the dynarec in lockstep:
//  - frame hashes, registers, T-states and all eight RAM banks identical;
//  - lockstep silent;
//  - compiled code leaves after an OUT that pages (exits.paged), paging
//    flushes nothing, and the probe that pages the memory under itself
//    (+3 all-RAM modes) continues in the copy now mapped, not in stale
//    compiled code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { loadTestProgram } from '../../web/node/load-core.mjs';
import { SpectrumCore } from '../../web/spectrum-core.mjs';
import { FLAT_REGS, repoDir } from './zxtest-helpers.mjs';

const code = readFileSync(path.join(repoDir, 'build/z80/paging128.bin'));
const FRAMES = 60;
const RESULTS = 0x1000; // 0x9000 in bank 2

// The test's ROMs: 0xFF everywhere, 0xE0+n at 0x3FFF of ROM n (the program
// never calls them: it runs with interrupts off).
function roms(count) {
  const r = new Uint8Array(count * 16384).fill(0xff);
  for (let n = 0; n < count; n++) r[n * 16384 + 0x3fff] = 0xe0 + n;
  return r;
}

function run(zt, machine, family, { jit, lockstep = false }) {
  const romCount = machine === 'plus3' ? 4 : 2;
  const core = new SpectrumCore(zt, { machine, rom: roms(romCount), jit, jitOptions: jit ? { threshold: 2 } : null });
  if (lockstep) zt._zxw_jit_lockstep(core.ptr, 1);
  for (let i = 0; i < code.length; i++) core.poke(0x8000 + i, code[i]);
  core.poke(0x8fff, 0x80 | family); // loop mode
  zt._zxt_zx_set(core.ptr, FLAT_REGS.indexOf('pc'), 0x8000);
  // each poke above flushed the code cache (memory written behind its back); count from here
  const flushesBefore = jit ? core.stats().jit.flushes : 0;
  const hashes = [];
  for (let f = 0; f < FRAMES; f++) {
    core.runFrame();
    hashes.push(createHash('sha1').update(core.frameBuffer()).digest('hex'));
  }
  const regs = Object.fromEntries(FLAT_REGS.map((r, i) => [r, zt._zxt_zx_get(core.ptr, i) >>> 0]));
  const banks = Array.from({ length: 8 }, (_, b) => core.bank(b));
  const stats = core.stats().jit;
  const out = { hashes, regs, tstates: core.tstates, banks, stats, paging: core.paging,
    flushes: jit ? stats.flushes - flushesBefore : 0 };
  core.destroy();
  return out;
}

for (const [machine, family] of [['128k', 0], ['plus3', 1]]) {
  test(`${machine}: paging program identical with the dynarec, in lockstep too; no flush on paging`, async () => {
    const zt = await loadTestProgram({ jit: true });
    const interp = run(zt, machine, family, { jit: false });
    const compiled = run(zt, machine, family, { jit: true });
    const checked = run(zt, machine, family, { jit: true, lockstep: true });
    const passes = interp.banks[2][0x1080] | (interp.banks[2][0x1081] << 8);
    assert.ok(passes > 20, `the program looped ${passes} times`);
    for (const other of [compiled, checked]) {
      assert.deepEqual(other.regs, interp.regs);
      assert.equal(other.tstates, interp.tstates);
      for (let b = 0; b < 8; b++) assert.ok(Buffer.from(other.banks[b]).equals(Buffer.from(interp.banks[b])), `bank ${b} differs`);
      assert.deepEqual(other.hashes, interp.hashes);
    }
    const s = compiled.stats;
    assert.equal(s.compileFailures, 0);
    assert.equal(compiled.flushes, 0, `paging flushed the code cache: ${JSON.stringify(s)}`);
    assert.ok(s.exits.paged > 100, `compiled code left after paging ${s.exits.paged} times`);
    assert.ok(s.insnsCompiled > s.insnsTotal / 2, `only ${s.insnsCompiled} of ${s.insnsTotal} instructions compiled`);
    assert.equal(checked.stats.lockstepDivergences, 0, JSON.stringify(checked.stats));
    assert.ok(checked.stats.lockstepChecks > 100);
    const r = compiled.banks[2].subarray(RESULTS);
    for (let b = 0; b < 8; b++) assert.equal(r[b], 0xa0 + b, `bank ${b} signature`);
    if (family) {
      // the code after the probe's OUT ran from the bank then mapped at 0x8000
      const slot2 = [2, 6, 6, 6];
      for (let c = 0; c < 4; c++) assert.equal(r[17 + 5 * c + 4], slot2[c], `all-RAM configuration ${c}`);
    }
  });
}
