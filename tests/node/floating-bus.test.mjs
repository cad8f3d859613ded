// The floating bus on the whole 48K machine, interpreter and dynarec:
// build/z80/zx_floatbus.bin (tests/z80src/zx_floatbus.asm) synchronises to
// the beam by polling unattached ports, walks IN r,(C) and INIR samples across
// the ULA's fetch pattern and counts to the next interrupt, for three rounds.
// tests/native/test_zx.c derives each first-round value from the documented
// fetch pattern and I/O cycle timing; here the Wasm build must give those
// values, and the dynarec (compiled code calls the same port export) exactly
// the interpreter's results, RAM and T-states in every round.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createHeadless } from '../../web/node/headless.mjs';
import { root } from './headless-helpers.mjs';

const code = readFileSync(path.join(root, 'build/z80/zx_floatbus.bin'));
const RESULTS = 0x8003, RESULTS_END = 0x8043, ROUNDS = 0x8012;

// A 48K SNA (World of Spectrum "SNA format"): 27-byte header, then RAM from
// 0x4000; PC is popped from the stack, so it is pushed there.
function snapshot() {
  const sna = new Uint8Array(27 + 49152);
  const sp = 0xeffe;
  sna[23] = sp & 0xff;
  sna[24] = sp >> 8;
  sna[25] = 1; // IM 1 until the program sets IM 2
  sna[26] = 7;
  sna.set(code, 27 + 0x8000 - 0x4000);
  sna[27 + sp - 0x4000] = 0x00;
  sna[27 + sp - 0x4000 + 1] = 0x80;
  return sna;
}

function results(zx) {
  const out = [];
  for (let a = RESULTS; a < RESULTS_END; a++) out.push(zx.core.peek(a));
  return out;
}

// Runs the program round by round; returns each round's results and the
// T-state and whole RAM when it ended.
async function run(jit, { lockstep = false, lastRound = 3 } = {}) {
  // batchWait 1: the program's hot code is compiled at the end of the frame
  // that found it (the machine's default waits a few frames for a fuller
  // request), so that this short run spends most of its time in compiled code
  const zx = await createHeadless({ jit, lockstep, jitOptions: jit ? { batchWait: 1 } : null });
  zx.load(snapshot(), 'floatbus.sna');
  const rounds = [];
  for (let r = 1; r <= lastRound; r++) {
    zx.runUntil(() => zx.core.peek(ROUNDS) === r, { maxFrames: 40, what: `round ${r}` });
    const ram = [];
    for (let a = 0x4000; a < 0x10000; a++) ram.push(zx.core.peek(a));
    rounds.push({ results: results(zx), tstates: zx.core.tstates, frames: zx.core.frames, ram: Buffer.from(ram) });
  }
  return { zx, rounds };
}

const le16 = (r, a) => r[a - RESULTS] | (r[a - RESULTS + 1] << 8);

test('floating bus: beam-synchronised polls read what test_zx derives from the fetch pattern', async () => {
  const { rounds } = await run(false);
  const r = rounds[0].results;
  // Values test_zx.c computes from its reference (floatbus_* cases; it
  // prints them as "# zx_floatbus: ..."): phase A's IN A,(0FFh) latches
  // bitmap byte 04h on its 432nd poll; phase B's IN E,(C) 94h on its 420th;
  // phase C's contended port 40FFh lines up with one fetch slot of each
  // group and reads 09h on its 331st (FUSE's sample point never sees the
  // screen there); the counters reach 3367, 3463 and 3467 passes before the
  // next interrupt.
  assert.deepEqual([r[0], le16(r, 0x8004), le16(r, 0x8006)], [0x04, 432, 3367], 'phase A');
  assert.deepEqual([r[5], le16(r, 0x8009), le16(r, 0x800b)], [0x94, 420, 3463], 'phase B');
  assert.deepEqual([r[10], le16(r, 0x800e), le16(r, 0x8010)], [0x09, 331, 3467], 'phase C');
  // Every walk sample is a screen byte or the idle bus, and the walk meets
  // both bitmap (< 80h) and attribute (80h-9Fh) fetches.
  const walk = r.slice(0x8013 - RESULTS, 0x8043 - RESULTS);
  assert.ok(walk.some((v) => v < 0x80) && walk.some((v) => v >= 0x80 && v < 0xa0) && walk.includes(0xff), walk.join(' '));
});

test('floating bus: the dynarec gives the interpreter\'s results, RAM and T-states in every round', async () => {
  const interp = await run(false);
  const jit = await run(true);
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(jit.rounds[i].results, interp.rounds[i].results, `round ${i + 1}: results`);
    assert.equal(jit.rounds[i].tstates, interp.rounds[i].tstates, `round ${i + 1}: T-states`);
    assert.equal(jit.rounds[i].frames, interp.rounds[i].frames, `round ${i + 1}: frames`);
    assert.ok(jit.rounds[i].ram.equals(interp.rounds[i].ram), `round ${i + 1}: RAM differs`);
  }
  const s = jit.zx.core.stats().jit;
  // The polls, walks and counters ran as compiled code, not only interpreted.
  assert.ok(s.insnsCompiled > 0.5 * s.insnsTotal, JSON.stringify(s));
});

test('floating bus: lockstep finds no divergence between compiled code and the interpreter', async () => {
  const { zx } = await run(true, { lockstep: true, lastRound: 2 });
  const s = zx.core.stats().jit;
  assert.equal(s.lockstepDivergences, 0, JSON.stringify(s));
  assert.ok(s.insnsCompiled > 0, JSON.stringify(s));
});
