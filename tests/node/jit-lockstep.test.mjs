// Lockstep (core/jit/z80/jit_z80_lockstep.c): every compiled run checked
// against the interpreter on a copy.
//  - a divergence injected by rewriting a compiled loop's operand behind the
//    dynarec's back: the structured report names each field that differs
//    with both values (A, F's bits, the stored byte, the OUT event), the
//    entry, the T-state and the instructions on both sides; the first
//    reports are kept, all are counted; the text form says the same;
//  - silence on a game-like program (tests/z80src/lockstep_game.asm) over
//    many frames, frame ends (deadline exits) included: the instruction
//    after EI or LD A,I/R is not entered compiled (a function stopped by
//    its deadline before its first instruction used to clear those latches);
//  - silence on control flow of every shape (tests/z80src/flow_shapes.asm:
//    joins, nested loops left early, a loop entered in the middle, which
//    goes to the Relooper, forward jumps over each other);
//  - the CLI's --lockstep output and its --json summary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createHeadless, formatLockstepReport } from '../../web/node/headless.mjs';
import { root, cli } from './headless-helpers.mjs';

// A 48K SNA running build/z80/NAME.bin at 0x8000 (PC popped from the
// stack); IM 1 with IFF2 set, as jit.test.mjs's.
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

async function lockstepMachine(name) {
  const zx = await createHeadless({ jit: true, lockstep: true });
  zx.boot();
  zx.load(programSnapshot(name), `${name}.sna`);
  return zx;
}

const field = (r, name) => r.differences.find((d) => d.field === name);

// Runs build/z80/NAME.bin under lockstep for `frames` frames and asserts
// no divergence; returns the JIT statistics and the passes the program
// counted (the word at 8003h).
async function runSilent(name, frames) {
  const zx = await lockstepMachine(name);
  zx.runFrames(frames);
  const s = zx.core.stats().jit;
  assert.equal(s.lockstepDivergences, 0, s.lockstepReports.map(formatLockstepReport).join('\n'));
  const passes = zx.core.peek(0x8003) | (zx.core.peek(0x8004) << 8);
  zx.destroy();
  return { s, passes };
}

test('an injected divergence: the report names every field that differs, with both values', async () => {
  const zx = await lockstepMachine('lockstep_poke');
  zx.runFrames(5);
  let s = zx.core.stats().jit;
  assert.ok(s.lockstepChecks > 0 && s.insnsCompiled > 0, JSON.stringify(s));
  assert.equal(s.lockstepDivergences, 0, s.lockstepReports.map(formatLockstepReport).join('\n'));
  assert.deepEqual(s.lockstepReports, []);
  // LD A,11h at 8004h becomes LD A,2Ah in memory only (no flush): the
  // compiled loop goes on loading 11h, the interpreter reads 2Ah.
  const m = zx.core.module;
  m.HEAPU8[m._zxw_ram(zx.core.ptr) + 0x8005 - 0x4000] = 0x2a;
  zx.runFrames(20);
  s = zx.core.stats().jit;
  assert.ok(s.lockstepDivergences >= 20, JSON.stringify(s));
  assert.equal(s.lockstepReports.length, 8, 'the first eight are kept in full');
  const r = s.lockstepReports[0];
  assert.equal(r.entry, 0x8004);
  assert.ok(r.tstates >= 0 && r.tstates < 69888 && r.until >= r.tstates, JSON.stringify(r));
  assert.ok(['normal', 'deadline', 'smc', 'paged'].includes(r.exit));
  assert.ok(r.instructions > 0);
  // A: 11h+11h against 2Ah+2Ah; F: H and the undocumented bits differ.
  assert.deepEqual(field(r, 'A'), { field: 'A', compiled: 0x22, interpreter: 0x54 });
  const f = field(r, 'F');
  assert.equal(f.compiled, r.compiled.F);
  assert.equal(f.interpreter, r.interpreter.F);
  assert.ok(f.bits.includes('H'), JSON.stringify(f));
  const names = ['C', 'N', 'PV', 'X', 'H', 'Y', 'Z', 'S'];
  assert.deepEqual(f.bits.sort(), names.filter((_, b) => ((f.compiled ^ f.interpreter) >> b) & 1).sort());
  // the byte stored, with its logical and physical address (zx_t.mem: four
  // ROM slots, then the 48K's banks 5, 2, 0 from 0x10000: 0x9000 is 0x15000)
  assert.deepEqual(field(r, 'memory'), { field: 'memory', address: 0x9000, physical: 0x15000, compiled: 0x22, interpreter: 0x54 });
  assert.ok(r.memoryDifferences >= 1);
  // the OUT: port (A in the high byte) and value
  const ev = field(r, 'event');
  assert.equal(ev.compiled.kind, 'out');
  assert.equal(ev.compiled.port, 0x22fe);
  assert.equal(ev.compiled.value, 0x22);
  assert.equal(ev.interpreter.port, 0x54fe);
  assert.equal(ev.interpreter.value, 0x54);
  assert.equal(ev.compiled.t, ev.interpreter.t);
  assert.ok(r.eventDifferences >= 1);
  // nothing is named that does not differ
  for (const d of r.differences) if ('compiled' in d && typeof d.compiled === 'number') assert.notEqual(d.compiled, d.interpreter, d.field);
  // (port 54FEh is contended where 22FEh is not: T differs too, and is named)
  assert.ok(field(r, 'T').interpreter > field(r, 'T').compiled, JSON.stringify(field(r, 'T')));
  for (const k of ['B', 'C', 'SP', 'PC', 'WZ', 'R', 'IFF1', 'IM', 'halted', 'eiDelay', 'iff2Read']) {
    assert.equal(r.compiled[k], r.interpreter[k], k);
    assert.equal(field(r, k), undefined, k);
  }
  assert.equal(r.before.PC, 0x8004);
  assert.equal(r.before.T, r.tstates);
  assert.equal(r.compiled.instructions - r.before.instructions, r.instructions);
  // what ran on both sides
  assert.deepEqual(r.region.slice(0, 5).map((i) => [i.pc, i.text]),
    [[0x8004, 'LD A,$2A'], [0x8006, 'ADD A,A'], [0x8007, 'LD ($9000),A'], [0x800a, 'OUT ($FE),A'], [0x800c, 'JR $8004']]);
  assert.equal(r.interpretedCount, r.instructions);
  assert.deepEqual(r.interpreted.slice(0, 2).map((i) => [i.pc, i.text]), [[0x8004, 'LD A,$2A'], [0x8006, 'ADD A,A']]);
  // the text form says the same
  const text = formatLockstepReport(r);
  assert.match(text, /in the function at 8004: entered at T=\d+/);
  assert.match(text, /A: compiled 22, interpreter 54/);
  assert.match(text, /F: compiled [0-9A-F]{2}, interpreter [0-9A-F]{2} \(flags [^)]*H/);
  assert.match(text, /memory 9000 \(physical 15000\): compiled 22, interpreter 54/);
  assert.match(text, /event \d+: compiled out port 22FE value 22 at T=\d+, interpreter out port 54FE value 54/);
  assert.match(text, /8007 {2}LD \(\$9000\),A/);
  const all = zx.lockstepText();
  assert.match(all, new RegExp(`lockstep: ${s.lockstepChecks} compiled runs checked, ${s.lockstepDivergences} divergences \\(the first 8 in full\\)`));
  assert.equal(all.split('lockstep divergence in').length - 1, 8);
  zx.destroy();
});

test('a game-like program: no divergence over 1,500 frames, frame ends inside compiled code included', async () => {
  const { s, passes } = await runSilent('lockstep_game', 1500);
  assert.ok(s.lockstepChecks > 100000, JSON.stringify(s));
  assert.ok(s.exits.deadline > 1000, `frame ends met in compiled code: ${s.exits.deadline}`);
  assert.ok(s.insnsCompiled > 0.5 * s.insnsTotal, JSON.stringify(s));
  assert.ok(passes > 100, `${passes} passes`);
});

test('lockstep: joins, nested loops, a loop entered in the middle: no divergence', async () => {
  const { s, passes } = await runSilent('flow_shapes', 600);
  assert.ok(s.lockstepChecks > 3000, JSON.stringify(s));
  // HALT's waits are counted as instructions, never compiled
  assert.ok(s.insnsCompiled > 0.9 * (s.insnsTotal - s.insnsHalted), JSON.stringify(s));
  assert.ok(passes > 500, `${passes} passes`);
});

test('CLI --lockstep: prints the checks and divergences, and --json carries them', () => {
  const r = spawnSync(process.execPath, [cli, '--lockstep', '--frames', '150', '--json'], { encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.ok(summary.jit.lockstepChecks > 0, r.stdout);
  assert.equal(summary.jit.lockstepDivergences, 0, r.stderr);
  assert.deepEqual(summary.jit.lockstepReports, []);
  assert.match(r.stderr, new RegExp(`^lockstep: ${summary.jit.lockstepChecks} compiled runs checked, 0 divergences$`, 'm'));
});
