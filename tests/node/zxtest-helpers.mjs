// JS side of the Wasm test build (build/wasm/node/zxtest.*; C side in
// tests/wasm/): the FUSE suite and the flat 64K benchmark machine, for Node
// tests and benchmarks. Every runner takes a mode: 0 = interpreter,
// 1 = dynarec (wired in tests/wasm/zxt_modes.c; until then it throws).
//
//     const zt = await loadTestProgram();                 // web/node/load-core.mjs
//     loadFuseSuite(zt);  const r = runFuseAll(zt, MODE.interp);
//     const m = new FlatMachine(zt);  m.load(0x8000, bytes);  m.set('pc', 0x8000);
//     m.run(69888);  m.get('hl'), m.peek16(0x8003)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoDir = path.resolve(here, '../..');
export const fuseDir = path.join(repoDir, 'build/deps/fuse-tests');

export const MODE = Object.freeze({ interp: 0, dynarec: 1 });

// Register indices of zxt_flat_get/set (the enum in tests/wasm/zxt_flat.c).
export const FLAT_REGS = Object.freeze(['af', 'bc', 'de', 'hl', 'af_', 'bc_', 'de_', 'hl_', 'ix', 'iy',
  'sp', 'pc', 'wz', 'i', 'r', 'iff1', 'iff2', 'im', 'halted']);

// Copies bytes into the Wasm heap for the duration of fn(ptr, len).
function withBytes(zt, bytes, fn) {
  const ptr = zt._malloc(Math.max(bytes.length, 1));
  try {
    zt.HEAPU8.set(bytes, ptr); // HEAPU8 is re-read: memory growth replaces it
    return fn(ptr, bytes.length);
  } finally {
    zt._free(ptr);
  }
}

// Hands tests.in / tests.expected to the C side; returns the number of tests.
export function loadFuseSuite(zt, dir = fuseDir) {
  const inText = readFileSync(path.join(dir, 'tests.in'));
  const expText = readFileSync(path.join(dir, 'tests.expected'));
  const n = withBytes(zt, inText, (ip, il) => withBytes(zt, expText, (ep, el) => zt._zxt_fuse_load(ip, il, ep, el)));
  if (n < 0) throw new Error('zxt_fuse_load: out of memory');
  if (zt._zxt_fuse_parse_error()) throw new Error(`tests.in in ${dir} is corrupt after ${n} tests`);
  return n;
}

// Runs the whole suite: { passed, failed, failures } (failures: the first
// 50 "FAIL name: why" lines).
export function runFuseAll(zt, mode = MODE.interp) {
  const failed = zt._zxt_fuse_run_all(mode);
  if (failed < 0) throw new Error(zt.UTF8ToString(zt._zxt_fuse_line()));
  return { passed: zt._zxt_fuse_passed(), failed, failures: zt.UTF8ToString(zt._zxt_fuse_failures()) };
}

// Runs one test (by name or index): { ok, line, output } where output is the
// full event log and final state, for diagnosing beyond the first difference.
export function runFuseOne(zt, test, mode = MODE.interp) {
  const index = typeof test === 'number' ? test
    : withBytes(zt, Buffer.from(`${test}\0`), (p) => zt._zxt_fuse_find(p));
  if (index < 0) throw new Error(`no FUSE test named '${test}'`);
  const rc = zt._zxt_fuse_run_one(index, mode);
  const line = zt.UTF8ToString(zt._zxt_fuse_line());
  if (rc < 0) throw new Error(line);
  return { ok: rc === 1, line, output: zt.UTF8ToString(zt._zxt_fuse_output()) };
}

// The flat, uncontended 64K RAM machine (one per program: it is C static
// state). contended: wire a zero-delay contention table, as bench_z80 does,
// to time the interpreter's checked access path.
export class FlatMachine {
  constructor(zt, { contended = false, mode = MODE.interp } = {}) {
    this.zt = zt;
    if (zt._zxt_flat_reset(contended ? 1 : 0, mode) < 0) throw new Error(`mode ${mode} is not available`);
  }

  load(addr, bytes) {
    withBytes(this.zt, bytes, (p, n) => this.zt._zxt_flat_load(addr, p, n));
  }

  get(reg) { return this.zt._zxt_flat_get(regIndex(reg)) >>> 0; }
  set(reg, value) { this.zt._zxt_flat_set(regIndex(reg), value); }

  // Runs at least `tstates` T-states; returns how many ran. Keep calls short
  // (a frame to a few ms): V8 tiers up a Wasm function only between calls.
  run(tstates) { return this.zt._zxt_flat_run(tstates) >>> 0; }

  peek(addr) { return this.zt.HEAPU8[this.zt._zxt_flat_mem() + (addr & 0xffff)]; }
  peek16(addr) { return this.peek(addr) | (this.peek(addr + 1) << 8); }

  get tstates() { return this.zt._zxt_flat_tstates(); }
  get instructions() { return this.zt._zxt_flat_instructions(); }
}

function regIndex(reg) {
  const i = FLAT_REGS.indexOf(reg);
  if (i < 0) throw new Error(`unknown register '${reg}' (one of ${FLAT_REGS.join(' ')})`);
  return i;
}
