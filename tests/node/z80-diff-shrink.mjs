#!/usr/bin/env node
// Shrinks a failing case of tests/node/jit-random-diff.test.mjs to the few
// instructions that matter: replaces instructions with NOPs (returns are kept,
// so calls still come back), then drops run-call splits, machine features and
// odd initial state, keeping each change while the same kinds of difference
// remain. Prints the case in the test's failure format.
//
//     node tests/node/z80-diff-shrink.mjs INDEX [SEED] [--single-block]
import { loadTestProgram } from '../../web/node/load-core.mjs';
import { generateCase } from './z80-random.mjs';
import { runCase, compareResults, describeFailure } from './z80-diff-machine.mjs';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const index = Number(args[0]);
const seed = Number(args[1] ?? 0x5eed2026) >>> 0;
const zt = await loadTestProgram({ jit: true });
zt._zxw_jit_shared_configure(0, 1, process.argv.includes('--single-block') ? 1 : 0);

const c = generateCase(seed, index);
const check = () => {
  const a = runCase(zt, 0, c), b = runCase(zt, 1, c);
  return { a, b, diffs: compareResults(a, b) };
};
// The kinds of difference ("tstates", "memory", ...), which must persist.
const kinds = (diffs) => diffs.map((d) => d.split(':')[0]).sort().join();
let best = check();
if (!best.diffs.length) {
  console.log(`case ${index} of seed 0x${seed.toString(16)}: no difference`);
  process.exit(0);
}
const want = kinds(best.diffs);
const attempt = (change, undo) => {
  change();
  const r = check();
  if (r.diffs.length && kinds(r.diffs) === want) best = r; else undo();
};

zt.HEAPU8.set(c.image, zt._zxt_diff_mem()); // for the disassembler's lengths
const insns = [];
for (const { addr, len } of c.listing) {
  for (let pc = addr; pc < addr + len;) {
    const n = zt._zxt_diff_disasm(pc) || 1;
    insns.push([pc, n]);
    pc += n;
  }
}
const isReturn = (pc) => {
  const op = c.image[pc];
  return op === 0xc9 || (op & 0xc7) === 0xc0 || (op === 0xed && (c.image[pc + 1] & 0xc7) === 0x45);
};
for (let pass = 0; pass < 2; pass++) {
  for (const [pc, n] of insns.slice().reverse()) {
    if (isReturn(pc) || c.image.subarray(pc, pc + n).every((b) => b === 0)) continue;
    const saved = c.image.slice(pc, pc + n);
    attempt(() => c.image.fill(0, pc, pc + n), () => c.image.set(saved, pc));
  }
}
const untils = c.untils;
attempt(() => { c.untils = [untils[untils.length - 1]]; }, () => { c.untils = untils; });
for (const bits of [0x100, 0xf0, 0xf, 0x600, 0x800]) {
  const flags = c.flags;
  attempt(() => { c.flags &= ~bits; }, () => { c.flags = flags; });
}
for (const k of ['q', 'ei_delay', 'iff2_read', 'iff1', 'iff2']) {
  const v = c.regs[k];
  attempt(() => { c.regs[k] = 0; }, () => { c.regs[k] = v; });
}
c.listing = insns.filter(([pc, n]) => !c.image.subarray(pc, pc + n).every((b) => b === 0))
  .map(([addr, len]) => ({ addr, len, where: '' }));
console.log(describeFailure(zt, c, best.a, best.b, best.diffs));
