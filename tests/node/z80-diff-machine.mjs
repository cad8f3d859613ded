// JS side of tests/wasm/zxt_diff.c: runs a generated case
// (tests/node/z80-random.mjs) in one mode of the Wasm test build and
// compares and prints results, for tests/node/jit-random-diff.test.mjs.
//
//     const a = runCase(zt, MODE.interp, c), b = runCase(zt, MODE.dynarec, c);
//     const diffs = compareResults(a, b);  // [] when they agree
//     if (diffs.length) console.log(describeFailure(zt, c, a, b, diffs));

// The order of zxt_diff_io() (the enum in tests/wasm/zxt_diff.c).
export const DIFF_REGS = ['af', 'bc', 'de', 'hl', 'af_', 'bc_', 'de_', 'hl_', 'ix', 'iy', 'sp', 'pc', 'wz',
  'i', 'r', 'iff1', 'iff2', 'im', 'halted', 'q', 'ei_delay', 'iff2_read', 'tstates'];
const IO_UNTIL = 32;
const LOG_MAX = 1 << 15;
const LOG_KINDS = ['MC', 'MR', 'MW', 'PC', 'PR', 'PW'];
const hex = (v, n = 4) => (v >>> 0).toString(16).toUpperCase().padStart(n, '0');

export function runCase(zt, mode, c) {
  const memPtr = zt._zxt_diff_mem();
  zt.HEAPU8.set(c.image, memPtr);
  const io = zt._zxt_diff_io() >> 2;
  DIFF_REGS.forEach((k, i) => { zt.HEAPU32[io + i] = c.regs[k] >>> 0; });
  c.untils.forEach((u, i) => { zt.HEAPU32[io + IO_UNTIL + i] = u >>> 0; });
  const chunks = zt._zxt_diff_run(mode, c.flags, c.trapPc, c.untils.length);
  if (chunks < 0) throw new Error(`mode ${mode} is not available in this build`);
  const regs = {};
  DIFF_REGS.forEach((k, i) => { regs[k] = zt.HEAPU32[io + i]; });
  const logCount = zt._zxt_diff_log_count();
  const logPtr = zt._zxt_diff_log() >> 2;
  const banksPtr = zt._zxt_diff_banks();
  return {
    regs,
    mem: zt.HEAPU8.slice(memPtr, memPtr + 0x10000),
    // with paging (flags 0x1000, 0x2000): page 0 and RAM banks 0-7
    banks: c.flags & 0x3000 ? zt.HEAPU8.slice(banksPtr, banksPtr + 9 * 0x4000) : null,
    log: zt.HEAPU32.slice(logPtr, logPtr + 4 * Math.min(logCount, LOG_MAX)),
    logCount,
    chunks,
  };
}

// Every way two runs differ, one line each (registers, memory, bus log).
export function compareResults(a, b) {
  const out = [];
  for (const k of DIFF_REGS) if (a.regs[k] !== b.regs[k]) out.push(`${k}: ${hex(a.regs[k])} != ${hex(b.regs[k])}`);
  const addrs = [];
  for (let i = 0; i < 0x10000; i++) if (a.mem[i] !== b.mem[i]) addrs.push(i);
  if (addrs.length) {
    out.push(`memory: ${addrs.length} bytes differ: ${addrs.slice(0, 12)
      .map((i) => `${hex(i)}: ${hex(a.mem[i], 2)} != ${hex(b.mem[i], 2)}`).join(', ')}`);
  }
  if (a.banks && b.banks) {
    const at = [];
    for (let i = 0; i < a.banks.length; i++) if (a.banks[i] !== b.banks[i]) at.push(i);
    const where = (i) => (i < 0x4000 ? `page0:${hex(i)}` : `bank${(i >> 14) - 1}:${hex(i & 0x3fff)}`);
    if (at.length) {
      out.push(`banks: ${at.length} bytes differ: ${at.slice(0, 12)
        .map((i) => `${where(i)}: ${hex(a.banks[i], 2)} != ${hex(b.banks[i], 2)}`).join(', ')}`);
    }
  }
  if (a.logCount !== b.logCount) out.push(`bus log: ${a.logCount} events != ${b.logCount}`);
  const n = Math.min(a.log.length, b.log.length);
  for (let i = 0; i < n; i += 4) {
    if (a.log[i] !== b.log[i] || a.log[i + 1] !== b.log[i + 1] || a.log[i + 2] !== b.log[i + 2] || a.log[i + 3] !== b.log[i + 3]) {
      out.push(`bus log: first difference at event ${i / 4}: ${event(a.log, i)} != ${event(b.log, i)}`);
      break;
    }
  }
  if (a.chunks !== b.chunks) out.push(`run calls: ${a.chunks} != ${b.chunks}`);
  return out;
}

function event(log, i) {
  const kind = log[i];
  const name = kind < 6 ? LOG_KINDS[kind] : ['HOOK-W', 'IN', 'OUT'][kind - 16];
  return `${name} ${hex(log[i + 1])} ${hex(log[i + 2], 2)} @${log[i + 3]}`;
}

// The program as listed by the core's disassembler (from the initial image).
export function disassemble(zt, c) {
  zt.HEAPU8.set(c.image, zt._zxt_diff_mem());
  const lines = [];
  for (const { addr, len, where } of c.listing) {
    for (let pc = addr; pc < addr + len;) {
      const n = zt._zxt_diff_disasm(pc) || 1;
      const bytes = Array.from(c.image.subarray(pc, pc + n), (b) => hex(b, 2)).join(' ');
      lines.push(`  ${hex(pc)}  ${bytes.padEnd(12)}  ${zt.UTF8ToString(zt._zxt_diff_text()).padEnd(20)} ; ${where}`);
      pc += n;
    }
  }
  return lines.join('\n');
}

export function describeFlags(flags) {
  const parts = [];
  if (flags & 0xf) parts.push(`contended pages ${(flags & 0xf).toString(2).padStart(4, '0')}`);
  if (flags & 0xf0) parts.push(`write hook on pages ${((flags >> 4) & 0xf).toString(2).padStart(4, '0')}`);
  if (flags & 0x100) parts.push('trace');
  if (flags & 0x200) parts.push('/INT at each run call');
  if (flags & 0x400) parts.push('NMI before each run call but the first');
  if (flags & 0x800) parts.push('page 0 is ROM');
  if (flags & 0x1000) parts.push('128K paging (0x7FFD)');
  if (flags & 0x2000) parts.push('+2A/+3 paging (0x7FFD, 0x1FFD), gate-array contention');
  return parts.join(', ') || 'plain';
}

const stateLine = (regs, other) => DIFF_REGS
  .map((k) => `${k}=${hex(regs[k], k === 'tstates' ? 1 : 2)}${other && other[k] !== regs[k] ? '*' : ''}`).join(' ');

export function describeFailure(zt, c, a, b, diffs, names = ['interpreter', 'dynarec']) {
  return [
    `case ${c.index} of seed 0x${hex(c.seed, 8)} (rerun: ZX_DIFF_SEED=0x${hex(c.seed, 8)} ZX_DIFF_CASE=${c.index})`,
    `machine: ${describeFlags(c.flags)}; end: ${c.end}, trap ${c.trapPc < 0 ? 'none' : hex(c.trapPc)}; ` +
      `run calls until ${c.untils.join(', ')}; data ${hex(c.mem.dataBase)}, stack ${hex(c.mem.stackMid)}`,
    `initial: ${stateLine(c.regs)}`,
    `${names[0]}: ${stateLine(a.regs)}`,
    `${names[1]}: ${stateLine(b.regs, a.regs)}`,
    ...diffs.map((d) => `  ${d}`),
    'program:',
    disassemble(zt, c),
  ].join('\n');
}

// The dynarec's statistics (tests/wasm/zxt_jit.c), parsed.
export function jitStats(zt) {
  return JSON.parse(zt.UTF8ToString(zt._zxw_jit_stats(zt._zxw_jit_shared())));
}
