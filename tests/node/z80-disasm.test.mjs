// web/z80-disasm.mjs against the core's own disassembler (core/cpu/z80/
// z80_disasm.c, driven by z80_ops.tab, exported as zxw_z80_disasm): the
// same text and length for every opcode of every table (unprefixed, CB, ED,
// DD/FD, DD/FD CB) with several operand patterns, prefix chains, and
// random byte strings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore } from '../../web/node/load-core.mjs';
import { disassembleOne, disassemble, formatListing } from '../../web/z80-disasm.mjs';

const m = await loadCore({ jit: false });
const buf = m._malloc(16);
const out = m._malloc(64);

function core(bytes, pc) {
  m.HEAPU8.fill(0, buf, buf + 16);
  m.HEAPU8.set(bytes.slice(0, 16), buf);
  const len = m._zxw_z80_disasm(buf, 16, pc, out, 64);
  return { text: m.UTF8ToString(out), length: len };
}

function js(bytes, pc) {
  const mem = new Uint8Array(65536);
  bytes.slice(0, 16).forEach((b, i) => { mem[(pc + i) & 0xffff] = b; });
  const r = disassembleOne(mem, pc);
  return { text: r.text, length: r.length };
}

function check(bytes, pc = 0x8000) {
  const want = core(bytes, pc);
  const got = js(bytes, pc);
  const hex = bytes.slice(0, 6).map((b) => b.toString(16).padStart(2, '0')).join(' ');
  assert.deepEqual(got, want, `bytes ${hex} at ${pc.toString(16)}`);
}

const OPERANDS = [[0x00, 0x00, 0x00, 0x00], [0x12, 0x34, 0x56, 0x78], [0xff, 0x80, 0x7f, 0xfe], [0x7f, 0x80, 0x01, 0x02]];

test('every opcode of every table reads the same as the core\'s disassembler', () => {
  assert.deepEqual(core([0x3e, 0x05], 0x8000), { text: 'LD A,$05', length: 2 }); // the reference answers
  let n = 0;
  for (let op = 0; op < 256; op++) {
    for (const ops of OPERANDS) {
      check([op, ...ops]);
      check([0xcb, op, ...ops]);
      check([0xed, op, ...ops]);
      check([0xdd, op, ...ops]);
      check([0xfd, op, ...ops]);
      check([0xdd, 0xcb, ops[0], op, ...ops]);
      check([0xfd, 0xcb, ops[1], op, ...ops]);
      n += 7;
    }
  }
  // relative jumps near the top and bottom of memory wrap around
  check([0x18, 0x7f], 0xffc0);
  check([0x10, 0x80], 0x0010);
  assert.equal(n, 256 * 4 * 7);
});

test('prefix chains and random byte strings read the same', () => {
  check([0xdd, 0xdd, 0x21, 0x34, 0x12]);
  check([0xdd, 0xfd, 0xdd, 0x7e, 0x05]);
  check([0xfd, 0xed, 0xb0]);
  check([0xdd, 0xfd, 0xcb, 0x05, 0x46]);
  let seed = 12345;
  const rnd = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed >>> 24; };
  const prefixes = [[], [0xdd], [0xfd], [0xcb], [0xed], [0xdd, 0xcb], [0xfd, 0xcb]];
  for (let i = 0; i < 20000; i++) {
    const p = prefixes[i % prefixes.length];
    check([...p, rnd(), rnd(), rnd(), rnd(), rnd(), rnd()], rnd() << 8 | rnd());
  }
});

test('a listing: addresses, bytes and text; memory as an array or a function', () => {
  const mem = new Uint8Array(65536);
  mem.set([0x3e, 0x05, 0xdd, 0x36, 0xfb, 0x12, 0x10, 0xfa], 0x8000);
  const lines = disassemble(mem, 0x8000, 3);
  assert.deepEqual(lines.map((l) => l.text), ['LD A,$05', 'LD (IX-5),$12', 'DJNZ $8002']);
  assert.deepEqual(lines.map((l) => l.length), [2, 4, 2]);
  assert.deepEqual(disassemble((a) => mem[a], 0x8000, 3), lines);
  assert.equal(formatListing(lines).split('\n')[1], '8002  DD 36 FB 12  LD (IX-5),$12');
  assert.throws(() => disassemble(null, 0, 1), /byte array or a function/);
});
