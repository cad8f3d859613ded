// node tools/gen_z80_tables.mjs core/cpu/z80/z80_ops.tab build/gen/z80_ops_tables.h
//
// Turns the Z80 instruction-set description (z80_ops.tab: its header
// documents the format) into the C tables z80_decode.c includes: one
// z80_opinfo_t per opcode for each of the seven opcode tables (enum
// z80_group). Register, attribute and group names are emitted as the
// Z80_REG_* / Z80_INSN_* / Z80_GROUP_* constants of z80_decode.h, so the
// header stays their only definition. Any malformed line, unknown name,
// opcode described twice or opcode left undescribed is an error naming
// the line. Needs only node.
import { readFileSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const [srcPath, outPath] = process.argv.slice(2);
if (!srcPath || !outPath) {
  console.error('usage: node tools/gen_z80_tables.mjs DESCRIPTION.tab OUTPUT.h');
  process.exit(2);
}

let currentLine = 0;
function fail(message) {
  console.error(`${srcPath}${currentLine ? `:${currentLine}` : ''}: ${message}`);
  process.exit(1);
}

// F bits, most significant first, as the description writes them.
const FLAG_ORDER = 'SZYHXPNC';
const flagBit = (letter) => 0x80 >> FLAG_ORDER.indexOf(letter);

const REGISTERS = {
  A: ['Z80_REG_A'], F: ['Z80_REG_F'], B: ['Z80_REG_B'], C: ['Z80_REG_C'], D: ['Z80_REG_D'], E: ['Z80_REG_E'],
  H: ['Z80_REG_H'], L: ['Z80_REG_L'], IXH: ['Z80_REG_IXH'], IXL: ['Z80_REG_IXL'], IYH: ['Z80_REG_IYH'],
  IYL: ['Z80_REG_IYL'], SP: ['Z80_REG_SP'], I: ['Z80_REG_I'], R: ['Z80_REG_R'], WZ: ['Z80_REG_WZ'],
  "AF'": ['Z80_REG_AF_'], "BC'": ['Z80_REG_BC_'], "DE'": ['Z80_REG_DE_'], "HL'": ['Z80_REG_HL_'],
  IFF: ['Z80_REG_IFF'], IM: ['Z80_REG_IM'], Q: ['Z80_REG_Q'], PC: ['Z80_REG_PC'],
  BC: ['Z80_REG_B', 'Z80_REG_C'], DE: ['Z80_REG_D', 'Z80_REG_E'], HL: ['Z80_REG_H', 'Z80_REG_L'],
  IX: ['Z80_REG_IXH', 'Z80_REG_IXL'], IY: ['Z80_REG_IYH', 'Z80_REG_IYL'],
};
// Emission order of register constants: the order of their bits.
const REGISTER_ORDER = ['A', 'F', 'B', 'C', 'D', 'E', 'H', 'L', 'IXH', 'IXL', 'IYH', 'IYL', 'SP', 'I', 'R', 'WZ',
  "AF'", "BC'", "DE'", "HL'", 'IFF', 'IM', 'Q', 'PC'].map((name) => REGISTERS[name][0]);

const ATTRIBUTES = {
  mr: 'Z80_INSN_MEM_READ', mw: 'Z80_INSN_MEM_WRITE', in: 'Z80_INSN_IO_IN', out: 'Z80_INSN_IO_OUT',
  end: 'Z80_INSN_ENDS_BLOCK', cond: 'Z80_INSN_CONDITIONAL', jump: 'Z80_INSN_JUMP', call: 'Z80_INSN_CALL',
  ret: 'Z80_INSN_RET', indirect: 'Z80_INSN_INDIRECT', repeat: 'Z80_INSN_REPEAT', halt: 'Z80_INSN_HALT',
  undoc: 'Z80_INSN_UNDOC', target: 'Z80_INSN_HAS_TARGET', ignored: 'Z80_INSN_IGNORED_PREFIX',
  noq: null, // generator-only: the instruction writes F without setting Q
};
const ATTRIBUTE_ORDER = ['Z80_INSN_MEM_READ', 'Z80_INSN_MEM_WRITE', 'Z80_INSN_IO_IN', 'Z80_INSN_IO_OUT',
  'Z80_INSN_ENDS_BLOCK', 'Z80_INSN_CONDITIONAL', 'Z80_INSN_JUMP', 'Z80_INSN_CALL', 'Z80_INSN_RET',
  'Z80_INSN_INDIRECT', 'Z80_INSN_REPEAT', 'Z80_INSN_HALT', 'Z80_INSN_UNDOC', 'Z80_INSN_SETS_Q',
  'Z80_INSN_HAS_TARGET', 'Z80_INSN_IGNORED_PREFIX'];

const OPERANDS = { '-': 'Z80_OPERANDS_NONE', n: 'Z80_OPERANDS_N', nn: 'Z80_OPERANDS_NN', e: 'Z80_OPERANDS_E',
  d: 'Z80_OPERANDS_D', dn: 'Z80_OPERANDS_DN' };

// Each section becomes one table, or two (DD and FD) with {X} = IX / IY.
const SECTIONS = {
  base: [{ group: 'Z80_GROUP_BASE', index: null }],
  cb: [{ group: 'Z80_GROUP_CB', index: null }],
  ed: [{ group: 'Z80_GROUP_ED', index: null }],
  xy: [{ group: 'Z80_GROUP_DD', index: 'IX' }, { group: 'Z80_GROUP_FD', index: 'IY' }],
  xycb: [{ group: 'Z80_GROUP_DDCB', index: 'IX' }, { group: 'Z80_GROUP_FDCB', index: 'IY' }],
};
const GROUP_ORDER = ['Z80_GROUP_BASE', 'Z80_GROUP_CB', 'Z80_GROUP_ED', 'Z80_GROUP_DD', 'Z80_GROUP_FD',
  'Z80_GROUP_DDCB', 'Z80_GROUP_FDCB'];

// ---- reading the description ------------------------------------------

const fields = {};   // letter -> [{ name, flag } | null] by value
const lines = [];    // { section, lineNo, cols }
let section = null;
readFileSync(srcPath, 'utf8').split('\n').forEach((raw, i) => {
  currentLine = i + 1;
  const text = raw.replace(/\s+$/, '');
  if (!text.trim() || text.trimStart().startsWith('#')) return;
  const header = /^\[(\w+)\]$/.exec(text);
  if (header) {
    if (!SECTIONS[header[1]]) fail(`unknown section [${header[1]}]`);
    section = header[1];
    return;
  }
  if (text.startsWith('@field ')) {
    const [, letter, ...values] = text.split(/\s+/);
    if (!/^[a-z]$/.test(letter) || (values.length !== 4 && values.length !== 8))
      fail('@field wants a letter and 4 (2-bit field) or 8 (3-bit field) value names');
    fields[letter] = values.map((v) => {
      if (v === '-') return null;
      const [name, flag] = v.split(':');
      if (flag !== undefined && (flag.length !== 1 || !FLAG_ORDER.includes(flag))) fail(`bad flag in ${v}`);
      return { name, flag };
    });
    return;
  }
  if (!section) fail('line outside a section');
  const cols = text.trim().split(/\s{2,}/);
  if (cols.length !== 9) fail(`expected 9 columns (two or more spaces apart), found ${cols.length}`);
  lines.push({ section, lineNo: currentLine, cols });
});

// The opcodes a pattern such as 01rrr110 matches, each with its field values.
function expandPattern(pattern) {
  if (!/^[01a-z]{8}$/.test(pattern)) fail(`bad opcode pattern ${pattern}`);
  const runs = [];
  for (let bit = 0; bit < 8;) {
    let end = bit + 1;
    while (end < 8 && pattern[end] === pattern[bit]) end++;
    const ch = pattern[bit];
    if (ch !== '0' && ch !== '1') {
      if (!fields[ch]) fail(`undeclared field ${ch}`);
      if (runs.some((r) => r.letter === ch)) fail(`field ${ch} appears twice in ${pattern}`);
      if (1 << (end - bit) > fields[ch].length) fail(`field ${ch} has fewer values than ${end - bit} bits hold`);
      runs.push({ letter: ch, shift: 8 - end, width: end - bit });
    }
    bit = ch === '0' || ch === '1' ? bit + 1 : end;
  }
  const matches = [];
  for (let op = 0; op < 256; op++) {
    let ok = true;
    const bindings = {};
    for (let bit = 0; bit < 8 && ok; bit++) {
      const want = pattern[bit];
      if (want === '0' || want === '1') ok = ((op >> (7 - bit)) & 1) === Number(want);
    }
    for (const run of runs) {
      if (!ok) break;
      const value = (op >> run.shift) & ((1 << run.width) - 1);
      bindings[run.letter] = fields[run.letter][value];
      ok = bindings[run.letter] !== null;
    }
    if (ok) matches.push({ op, bindings });
  }
  if (!matches.length) fail(`pattern ${pattern} matches no opcode`);
  return matches;
}

function substitute(text, bindings, index) {
  const out = text.replace(/\{([a-z])\}/g, (_, letter) => {
    if (!bindings[letter]) fail(`{${letter}} is not a field of this line's opcode`);
    return bindings[letter].name;
  });
  if (out.includes('{X}') && !index) fail('{X} outside the [xy] and [xycb] sections');
  return out.replaceAll('{X}', index ?? '');
}

function parseFlags(text, bindings) {
  if (text === '-') return 0;
  const cond = /^\{([a-z])\}$/.exec(text);
  if (cond) {
    const field = bindings[cond[1]];
    if (!field || !field.flag) fail(`${text} is not a condition field of this line`);
    return flagBit(field.flag);
  }
  if (text.length !== 8) fail(`flags ${text}: want 8 characters in the order ${FLAG_ORDER}`);
  let bits = 0;
  [...text].forEach((ch, i) => {
    if (ch === FLAG_ORDER[i]) bits |= 0x80 >> i;
    else if (ch !== '.') fail(`flags ${text}: position ${i + 1} is ${FLAG_ORDER[i]} or '.'`);
  });
  return bits;
}

function parseRegisters(text) {
  const regs = new Set();
  if (text === '-') return regs;
  for (const name of text.split(',')) {
    if (!REGISTERS[name]) fail(`unknown register ${name}`);
    REGISTERS[name].forEach((c) => regs.add(c));
  }
  return regs;
}

function parseTstates(text) {
  const m = /^(\d+)(?:\/(\d+))?$/.exec(text);
  if (!m) fail(`bad T-states ${text}`);
  const t = Number(m[1]), tt = Number(m[2] ?? m[1]);
  if (t < 4 || tt < t || tt > 255) fail(`T-states ${text} out of range`);
  return { t, tt };
}

// ---- building the tables ----------------------------------------------

const tables = Object.fromEntries(GROUP_ORDER.map((g) => [g, new Array(256).fill(null)]));
const defaults = []; // '*' lines, applied once every table's explicit lines are in

for (const line of lines) {
  currentLine = line.lineNo;
  const pattern = line.cols[0];
  for (const { group, index } of SECTIONS[line.section]) {
    if (pattern === '*') {
      defaults.push({ line, group, index });
      continue;
    }
    for (const { op, bindings } of expandPattern(pattern)) {
      if (tables[group][op]) fail(`${group} opcode ${hex2(op)} already described on line ${tables[group][op].lineNo}`);
      tables[group][op] = buildEntry(line, bindings, index);
    }
  }
}

function buildEntry(line, bindings, index) {
  const [, mnemonic, tstates, operands, flagsRead, flagsWritten, regsRead, regsWritten, attributes] = line.cols;
  const { t, tt } = parseTstates(tstates);
  const entry = {
    lineNo: line.lineNo,
    mnemonic: substitute(mnemonic, bindings, index),
    t, tt,
    flagsRead: parseFlags(flagsRead, bindings),
    flagsWritten: parseFlags(flagsWritten, bindings),
    operands: 'Z80_OPERANDS_NONE',
    fixedTarget: 0,
    regsRead: parseRegisters(substitute(regsRead, bindings, index)),
    regsWritten: parseRegisters(substitute(regsWritten, bindings, index)),
    attrs: new Set(),
  };
  const ops = substitute(operands, bindings, index);
  const rst = /^rst:([0-9A-F]{2})$/.exec(ops);
  if (rst) entry.fixedTarget = parseInt(rst[1], 16);
  else if (OPERANDS[ops]) entry.operands = OPERANDS[ops];
  else fail(`unknown operands ${ops}`);
  let setsQ = entry.flagsWritten !== 0;
  if (attributes !== '-') {
    for (const name of attributes.split(',')) {
      if (!(name in ATTRIBUTES)) fail(`unknown attribute ${name}`);
      if (name === 'noq') setsQ = false;
      else entry.attrs.add(ATTRIBUTES[name]);
    }
  }
  if (setsQ) entry.attrs.add('Z80_INSN_SETS_Q');
  if (entry.attrs.has('Z80_INSN_HAS_TARGET') && !rst && !['Z80_OPERANDS_NN', 'Z80_OPERANDS_E'].includes(entry.operands))
    fail('a static target needs nn, e or rst:XX operands');
  return entry;
}

// '*' lines: every opcode the table does not describe yet.
for (const { line, group, index } of defaults) {
  currentLine = line.lineNo;
  const [, mnemonic, tstates, ...rest] = line.cols;
  for (let op = 0; op < 256; op++) {
    if (tables[group][op]) continue;
    if (mnemonic !== '=base') {
      tables[group][op] = buildEntry(line, {}, index);
      continue;
    }
    // the unprefixed instruction, its columns kept, T-states offset
    const extra = /^\+(\d+)$/.exec(tstates);
    if (!extra || rest.slice(0, 5).some((c) => c !== '=')) fail('=base wants +N T-states and = in the operand, flag and register columns');
    const base = tables.Z80_GROUP_BASE[op];
    const entry = { ...base, lineNo: line.lineNo, t: base.t + Number(extra[1]), tt: base.tt + Number(extra[1]), attrs: new Set(base.attrs) };
    for (const name of rest[5].split(',')) {
      if (!ATTRIBUTES[name]) fail(`attribute ${name} cannot be added to =base`);
      entry.attrs.add(ATTRIBUTES[name]);
    }
    tables[group][op] = entry;
  }
}

for (const group of GROUP_ORDER) {
  const missing = tables[group].findIndex((e) => !e);
  if (missing >= 0) { currentLine = 0; fail(`${group} opcode ${hex2(missing)} is not described`); }
}

// ---- writing C --------------------------------------------------------
// Compact for the shipped core: each distinct mnemonic is stored once in
// one string pool and each distinct row of facts once (about 560 of the
// 1792 opcodes' rows differ); an opcode is a pair of indices into them.

function hex2(n) { return n.toString(16).toUpperCase().padStart(2, '0'); }
function maskExpr(set, order) {
  const names = order.filter((c) => set.has(c));
  return names.length ? names.join(' | ') : '0';
}
function cString(s) {
  if (/["\\?]/.test(s)) fail(`mnemonic ${s} needs escaping`);
  return `"${s}"`;
}

const mnemonicOffset = new Map(); // mnemonic -> offset in the pool
let poolSize = 0;
const factRows = new Map();       // C initializer -> index
const usedAttributes = new Set();
const opcodeRows = {};
for (const group of GROUP_ORDER) {
  opcodeRows[group] = tables[group].map((e) => {
    if (!mnemonicOffset.has(e.mnemonic)) {
      mnemonicOffset.set(e.mnemonic, poolSize);
      poolSize += e.mnemonic.length + 1;
    }
    e.attrs.forEach((a) => usedAttributes.add(a));
    const row = `{${e.t}, ${e.tt}, 0x${hex2(e.flagsRead)}, 0x${hex2(e.flagsWritten)}, ${e.operands}, ` +
      `0x${hex2(e.fixedTarget)}, ${maskExpr(e.attrs, ATTRIBUTE_ORDER)},\n` +
      `     ${maskExpr(e.regsRead, REGISTER_ORDER)},\n     ${maskExpr(e.regsWritten, REGISTER_ORDER)}}`;
    if (!factRows.has(row)) factRows.set(row, factRows.size);
    return { mnemonic: mnemonicOffset.get(e.mnemonic), facts: factRows.get(row), entry: e };
  });
}
if (poolSize > 0xffff || factRows.size > 0xffff) fail('tables too large for 16-bit indices');

const out = [];
out.push(`/* Generated from ${srcPath} by tools/gen_z80_tables.mjs; do not edit or commit.
 * The decoder's per-opcode facts for the seven opcode tables (enum
 * z80_group); z80_decode.c is its only includer. */
#ifndef Z80_OPS_TABLES_H
#define Z80_OPS_TABLES_H

#include <stdint.h>

#include "cpu/z80/z80_decode.h"

/* The bytes that follow the opcode. */
enum {
    Z80_OPERANDS_NONE, Z80_OPERANDS_N, Z80_OPERANDS_NN, Z80_OPERANDS_E, Z80_OPERANDS_D, Z80_OPERANDS_DN,
};

typedef struct {
    uint8_t tstates;       /* every prefix's M1 included; not taken */
    uint8_t tstates_taken; /* taken / repeating */
    uint8_t flags_read, flags_written;
    uint8_t operands;      /* Z80_OPERANDS_* */
    uint8_t fixed_target;  /* RST's target (HAS_TARGET without nn or e) */
    uint16_t attrs;        /* Z80_INSN_* */
    uint32_t regs_read, regs_written; /* Z80_REG_*; R and Q are added by the decoder */
} z80_opfacts_t;

typedef struct {
    uint16_t mnemonic;     /* offset in z80_mnemonics: the disassembler's template */
    uint16_t facts;        /* index in z80_opfacts */
} z80_opcode_t;

_Static_assert((${[...usedAttributes].sort().join(' | ')}) <= 0xffff, "z80_opfacts_t.attrs holds every attribute");

static const char z80_mnemonics[${poolSize}] =`);
for (const [text] of mnemonicOffset) out.push(`    ${cString(text)} "\\0"`);
out[out.length - 1] = out[out.length - 1].replace(/ "\\0"$/, ';'); // the array's own terminator ends the last one
out.push('');
out.push(`static const z80_opfacts_t z80_opfacts[${factRows.size}] = {`);
for (const [row, index] of factRows) out.push(`    /* ${index} */ ${row},`);
out.push('};');
out.push('');
out.push('static const z80_opcode_t z80_opcodes[7][256] = {');
for (const group of GROUP_ORDER) {
  out.push(`    [${group}] = {`);
  opcodeRows[group].forEach(({ mnemonic: m, facts, entry }, op) =>
    out.push(`        {${m}, ${facts}}, /* ${hex2(op)} ${entry.mnemonic} (line ${entry.lineNo}) */`));
  out.push('    },');
}
out.push('};\n\n#endif');

mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(`${outPath}.tmp`, out.join('\n') + '\n');
renameSync(`${outPath}.tmp`, outPath);
