// wasm-text.mjs: WebAssembly binary -> text, for the JIT inspector (the
// module a compile request became, printed function by function).
//
// Covers what the dynarec's backend emits and a little more: the MVP
// (control flow with block types, calls, call_indirect, br_table, locals,
// globals, every load/store, every i32/i64/f32/f64 numeric op), sign
// extension, saturating truncation, bulk memory's memory.copy/fill, tail
// calls (return_call, return_call_indirect) and reference types' basics.
// The text is wasm2wat's flat form ("block  ;; label = @1", "br_if 0 (;@1;)"),
// so it can be checked against wabt's wasm2wat (tests/node/wasm-text.test.mjs).
// With names (the default) calls to imports show their names as a comment,
// and so do indirect calls at a constant slot that `slots` (a Map from table
// slot to name) names: the dynarec calls the core's functions that way.
//
//   import { parseModule, printModule, printFunction } from './wasm-text.mjs';
//   printFunction(bytes, 'f0')   // the function exported as "f0"
//   printModule(bytes)           // the whole module

const VALTYPES = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' };

class Reader {
  constructor(bytes, pos = 0, end = bytes.length) { this.b = bytes; this.p = pos; this.end = end; }
  fail(what) { throw new Error(`wasm-text: ${what} at byte ${this.p}`); }
  u8() { if (this.p >= this.end) this.fail('unexpected end'); return this.b[this.p++]; }
  u32() {
    let result = 0, shift = 0, byte;
    do {
      byte = this.u8();
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80 && shift < 35);
    if (byte & 0x80) this.fail('LEB128 too long');
    return result;
  }
  sleb(bits) {
    let result = 0n, shift = 0n, byte;
    do {
      byte = this.u8();
      result |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
    } while (byte & 0x80 && shift < BigInt(bits + 7));
    if (shift < BigInt(bits) && byte & 0x40) result -= 1n << shift;
    else if (result >= 1n << BigInt(bits - 1)) result -= 1n << BigInt(bits);
    return result;
  }
  s32() { return Number(BigInt.asIntN(32, this.sleb(32))); }
  s64() { return BigInt.asIntN(64, this.sleb(64)); }
  bytes(n) { if (this.p + n > this.end) this.fail('unexpected end'); const v = this.b.subarray(this.p, this.p + n); this.p += n; return v; }
  name() { return new TextDecoder().decode(this.bytes(this.u32())); }
  f32() { const v = new DataView(this.b.buffer, this.b.byteOffset + this.p, 4).getFloat32(0, true); this.p += 4; return v; }
  f64() { const v = new DataView(this.b.buffer, this.b.byteOffset + this.p, 8).getFloat64(0, true); this.p += 8; return v; }
  valtype() { const t = this.u8(); if (!VALTYPES[t]) this.fail(`unknown value type 0x${t.toString(16)}`); return VALTYPES[t]; }
  limits() { const flag = this.u8(); const min = this.u32(); const max = flag & 1 ? this.u32() : null; return { min, max, shared: (flag & 2) !== 0 }; }
}

/** The module's parts: types, imports, functions (with bodies), exports. */
export function parseModule(bytes) {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('wasm-text: expected the module bytes as a Uint8Array');
  const r = new Reader(bytes);
  const magic = r.bytes(4);
  if (magic[0] !== 0 || magic[1] !== 0x61 || magic[2] !== 0x73 || magic[3] !== 0x6d) r.fail('not a Wasm module (bad magic)');
  r.bytes(4); // version
  const m = { types: [], imports: [], funcs: [], tables: [], memories: [], globals: [], exports: [], elems: [], importedFuncs: 0, names: new Map(), start: null };
  while (r.p < r.end) {
    const id = r.u8();
    const size = r.u32();
    const s = new Reader(bytes, r.p, r.p + size);
    r.p += size;
    switch (id) {
    case 1: for (let n = s.u32(); n > 0; n--) {
      if (s.u8() !== 0x60) s.fail('expected a function type');
      const params = []; for (let k = s.u32(); k > 0; k--) params.push(s.valtype());
      const results = []; for (let k = s.u32(); k > 0; k--) results.push(s.valtype());
      m.types.push({ params, results });
    } break;
    case 2: for (let n = s.u32(); n > 0; n--) {
      const imp = { module: s.name(), name: s.name(), kind: s.u8() };
      if (imp.kind === 0) { imp.type = s.u32(); m.importedFuncs++; }
      else if (imp.kind === 1) { imp.reftype = s.valtype(); imp.limits = s.limits(); }
      else if (imp.kind === 2) imp.limits = s.limits();
      else if (imp.kind === 3) { imp.valtype = s.valtype(); imp.mutable = s.u8() === 1; }
      else s.fail(`unknown import kind ${imp.kind}`);
      m.imports.push(imp);
    } break;
    case 3: for (let n = s.u32(); n > 0; n--) m.funcs.push({ type: s.u32(), locals: [], body: null }); break;
    case 4: for (let n = s.u32(); n > 0; n--) m.tables.push({ reftype: s.valtype(), limits: s.limits() }); break;
    case 5: for (let n = s.u32(); n > 0; n--) m.memories.push({ limits: s.limits() }); break;
    case 7: for (let n = s.u32(); n > 0; n--) m.exports.push({ name: s.name(), kind: s.u8(), index: s.u32() }); break;
    case 8: m.start = s.u32(); break;
    case 10: {
      const n = s.u32();
      if (n !== m.funcs.length) s.fail('code and function sections disagree');
      for (let i = 0; i < n; i++) {
        const size2 = s.u32();
        const end = s.p + size2;
        const f = m.funcs[i];
        for (let k = s.u32(); k > 0; k--) { const count = s.u32(); const t = s.valtype(); for (let c = 0; c < count; c++) f.locals.push(t); }
        f.body = { start: s.p, end };
        s.p = end;
      }
      break;
    }
    case 0: {
      const name = s.name();
      if (name === 'name') parseNames(s, m);
      break;
    }
    default: break; // globals, elements, data: not needed to print code
    }
  }
  m.bytes = bytes;
  return m;
}

function parseNames(s, m) {
  try {
    while (s.p < s.end) {
      const id = s.u8();
      const size = s.u32();
      const end = s.p + size;
      if (id === 1) for (let n = s.u32(); n > 0; n--) { const idx = s.u32(); m.names.set(idx, s.name()); }
      s.p = end;
    }
  } catch { /* a malformed name section only loses names */ }
}

// ---- instructions

const SIMPLE = {
  0x00: 'unreachable', 0x01: 'nop', 0x0f: 'return', 0x1a: 'drop', 0x1b: 'select', 0xd1: 'ref.is_null',
};
const MEMOPS = {
  0x28: ['i32.load', 2], 0x29: ['i64.load', 3], 0x2a: ['f32.load', 2], 0x2b: ['f64.load', 3],
  0x2c: ['i32.load8_s', 0], 0x2d: ['i32.load8_u', 0], 0x2e: ['i32.load16_s', 1], 0x2f: ['i32.load16_u', 1],
  0x30: ['i64.load8_s', 0], 0x31: ['i64.load8_u', 0], 0x32: ['i64.load16_s', 1], 0x33: ['i64.load16_u', 1],
  0x34: ['i64.load32_s', 2], 0x35: ['i64.load32_u', 2], 0x36: ['i32.store', 2], 0x37: ['i64.store', 3],
  0x38: ['f32.store', 2], 0x39: ['f64.store', 3], 0x3a: ['i32.store8', 0], 0x3b: ['i32.store16', 1],
  0x3c: ['i64.store8', 0], 0x3d: ['i64.store16', 1], 0x3e: ['i64.store32', 2],
};
const NUMERIC = (() => {
  const names = `i32.eqz i32.eq i32.ne i32.lt_s i32.lt_u i32.gt_s i32.gt_u i32.le_s i32.le_u i32.ge_s i32.ge_u
    i64.eqz i64.eq i64.ne i64.lt_s i64.lt_u i64.gt_s i64.gt_u i64.le_s i64.le_u i64.ge_s i64.ge_u
    f32.eq f32.ne f32.lt f32.gt f32.le f32.ge f64.eq f64.ne f64.lt f64.gt f64.le f64.ge
    i32.clz i32.ctz i32.popcnt i32.add i32.sub i32.mul i32.div_s i32.div_u i32.rem_s i32.rem_u i32.and i32.or i32.xor
    i32.shl i32.shr_s i32.shr_u i32.rotl i32.rotr
    i64.clz i64.ctz i64.popcnt i64.add i64.sub i64.mul i64.div_s i64.div_u i64.rem_s i64.rem_u i64.and i64.or i64.xor
    i64.shl i64.shr_s i64.shr_u i64.rotl i64.rotr
    f32.abs f32.neg f32.ceil f32.floor f32.trunc f32.nearest f32.sqrt f32.add f32.sub f32.mul f32.div f32.min f32.max f32.copysign
    f64.abs f64.neg f64.ceil f64.floor f64.trunc f64.nearest f64.sqrt f64.add f64.sub f64.mul f64.div f64.min f64.max f64.copysign
    i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u i64.extend_i32_s i64.extend_i32_u
    i64.trunc_f32_s i64.trunc_f32_u i64.trunc_f64_s i64.trunc_f64_u f32.convert_i32_s f32.convert_i32_u f32.convert_i64_s
    f32.convert_i64_u f32.demote_f64 f64.convert_i32_s f64.convert_i32_u f64.convert_i64_s f64.convert_i64_u f64.promote_f32
    i32.reinterpret_f32 i64.reinterpret_f64 f32.reinterpret_i32 f64.reinterpret_i64
    i32.extend8_s i32.extend16_s i64.extend8_s i64.extend16_s i64.extend32_s`.split(/\s+/);
  const t = {};
  names.forEach((n, i) => { t[0x45 + i] = n; });
  return t;
})();
const SAT = ['i32.trunc_sat_f32_s', 'i32.trunc_sat_f32_u', 'i32.trunc_sat_f64_s', 'i32.trunc_sat_f64_u',
  'i64.trunc_sat_f32_s', 'i64.trunc_sat_f32_u', 'i64.trunc_sat_f64_s', 'i64.trunc_sat_f64_u'];

// wabt prints floats as C99 hex floats, with the decimal in a comment.
function hexFloat(v, bits) {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v < 0 ? '-inf' : 'inf';
  if (v === 0) return Object.is(v, -0) ? '-0x0p+0' : '0x0p+0';
  const sign = v < 0 ? '-' : '';
  let a = Math.abs(v);
  let e = Math.floor(Math.log2(a));
  if (a / 2 ** e >= 2) e++;
  if (a / 2 ** e < 1) e--;
  const minExp = bits === 32 ? -126 : -1022;
  let lead = 1;
  if (e < minExp) { e = minExp; lead = 0; }
  let frac = a / 2 ** e - lead;
  let digits = '';
  for (let i = 0; i < (bits === 32 ? 6 : 13) && frac > 0; i++) {
    frac *= 16;
    const d = Math.floor(frac);
    digits += d.toString(16);
    frac -= d;
  }
  return `${sign}0x${lead}${digits ? '.' + digits : ''}p${e >= 0 ? '+' : ''}${e}`;
}

function blockType(r, m) {
  const t = r.b[r.p];
  if (t === 0x40) { r.p++; return ''; }
  if (VALTYPES[t]) { r.p++; return ` (result ${VALTYPES[t]})`; }
  const idx = Number(r.sleb(33));
  const ft = m.types[idx];
  return ` (type ${idx})` + (ft ? sig(ft) : '');
}

function sig(ft) {
  return (ft.params.length ? ` (param ${ft.params.join(' ')})` : '') + (ft.results.length ? ` (result ${ft.results.join(' ')})` : '');
}

function funcName(m, idx, names) {
  if (!names) return '';
  if (idx < m.importedFuncs) {
    const imp = m.imports.filter((i) => i.kind === 0)[idx];
    return imp ? ` (;${imp.name};)` : '';
  }
  const own = m.names.get(idx);
  return own ? ` (;${own};)` : '';
}

// The instructions of one body as lines of text (indentation included).
function printBody(m, body, { names = true, indent = 2, slots = null } = {}) {
  const r = new Reader(m.bytes, body.start, body.end);
  const lines = [];
  let depth = 0;        // open blocks
  let label = 0;        // wasm2wat numbers labels by nesting depth: @1 outermost
  const pad = () => ' '.repeat(indent + depth * 2);
  const target = (n) => `${n} (;@${depth - n};)`;
  let konst = null;     // the value of an i32.const just before
  while (r.p < r.end) {
    const at = r.p;
    const op = r.u8();
    const prev = konst;
    konst = null;
    let text;
    if (op === 0x0b) {
      if (depth === 0) { if (r.p !== r.end) r.fail('end before the body\'s end'); break; }
      depth--;
      lines.push(`${pad()}end`);
      continue;
    }
    if (op === 0x05) { depth--; lines.push(`${pad()}else`); depth++; continue; }
    if (op === 0x02 || op === 0x03 || op === 0x04) {
      const name = op === 0x02 ? 'block' : op === 0x03 ? 'loop' : 'if';
      const bt = blockType(r, m);
      label = depth + 1;
      lines.push(`${pad()}${name}${bt}  ;; label = @${label}`);
      depth++;
      continue;
    }
    if (SIMPLE[op]) text = SIMPLE[op];
    else if (MEMOPS[op]) {
      const [name, natural] = MEMOPS[op];
      const align = r.u32();
      const offset = r.u32();
      text = name + (offset ? ` offset=${offset}` : '') + (align !== natural ? ` align=${2 ** align}` : '');
    } else if (NUMERIC[op]) text = NUMERIC[op];
    else {
      switch (op) {
      case 0x0c: text = `br ${target(r.u32())}`; break;
      case 0x0d: text = `br_if ${target(r.u32())}`; break;
      case 0x0e: {
        const n = r.u32();
        const ts = [];
        for (let i = 0; i <= n; i++) ts.push(target(r.u32()));
        text = `br_table ${ts.join(' ')}`;
        break;
      }
      case 0x10: case 0x12: {
        const f = r.u32();
        text = `${op === 0x10 ? 'call' : 'return_call'} ${f}${funcName(m, f, names)}`;
        break;
      }
      case 0x11: case 0x13: {
        const t = r.u32();
        const table = r.u32();
        text = `${op === 0x11 ? 'call_indirect' : 'return_call_indirect'}${table ? ` ${table}` : ''} (type ${t})`;
        if (names && slots && prev !== null && slots.has(prev)) text += ` (;${slots.get(prev)};)`;
        break;
      }
      case 0x1c: { const n = r.u32(); const ts = []; for (let i = 0; i < n; i++) ts.push(r.valtype()); text = `select (result ${ts.join(' ')})`; break; }
      case 0x20: text = `local.get ${r.u32()}`; break;
      case 0x21: text = `local.set ${r.u32()}`; break;
      case 0x22: text = `local.tee ${r.u32()}`; break;
      case 0x23: text = `global.get ${r.u32()}`; break;
      case 0x24: text = `global.set ${r.u32()}`; break;
      case 0x25: text = `table.get ${r.u32()}`; break;
      case 0x26: text = `table.set ${r.u32()}`; break;
      case 0x3f: r.u8(); text = 'memory.size'; break;
      case 0x40: r.u8(); text = 'memory.grow'; break;
      case 0x41: konst = r.s32(); text = `i32.const ${konst}`; break;
      case 0x42: text = `i64.const ${r.s64()}`; break;
      case 0x43: { const v = r.f32(); text = `f32.const ${hexFloat(v, 32)} (;=${v};)`; break; }
      case 0x44: { const v = r.f64(); text = `f64.const ${hexFloat(v, 64)} (;=${v};)`; break; }
      case 0xd0: text = `ref.null ${r.u8() === 0x70 ? 'func' : 'extern'}`; break;
      case 0xd2: text = `ref.func ${r.u32()}`; break;
      case 0xfc: {
        const sub = r.u32();
        if (sub < 8) text = SAT[sub];
        else if (sub === 10) { r.u8(); r.u8(); text = 'memory.copy'; }
        else if (sub === 11) { r.u8(); text = 'memory.fill'; }
        else { r.p = at; r.fail(`unsupported instruction 0xfc ${sub}`); }
        break;
      }
      default: r.p = at; r.fail(`unsupported opcode 0x${op.toString(16)}`);
      }
    }
    lines.push(pad() + text);
  }
  return lines;
}

function funcHeader(m, idx, f) {
  const ft = m.types[f.type];
  return `(func (;${idx};) (type ${f.type})${sig(ft)}`;
}

// wasm2wat's "(local i32 i32 ...)"; with names, runs are counted: "(local i32 ×44)".
function localsLine(f, names) {
  const locals = f.locals;
  if (!locals.length) return '';
  if (!names) return `(local ${locals.join(' ')})`;
  const runs = [];
  for (const t of locals) {
    if (runs.length && runs.at(-1)[0] === t) runs.at(-1)[1]++;
    else runs.push([t, 1]);
  }
  return `(local ${runs.map(([t, n]) => (n > 2 ? `${t} ×${n}` : Array(n).fill(t).join(' '))).join(' ')})`;
}

/**
 * One function as text. which: an export name ("f0") or a function index
 * (imports count first). Returns the "(func ...)" text.
 */
export function printFunction(bytesOrModule, which, { names = true, slots = null } = {}) {
  const m = bytesOrModule instanceof Uint8Array ? parseModule(bytesOrModule) : bytesOrModule;
  let idx = which;
  if (typeof which === 'string') {
    const ex = m.exports.find((e) => e.kind === 0 && e.name === which);
    if (!ex) throw new Error(`wasm-text: no function exported as "${which}"`);
    idx = ex.index;
  }
  const f = m.funcs[idx - m.importedFuncs];
  if (!f) throw new Error(`wasm-text: no function ${idx} (imports ${m.importedFuncs}, defined ${m.funcs.length})`);
  const out = [funcHeader(m, idx, f)];
  const loc = localsLine(f, names);
  if (loc) out.push('  ' + loc);
  out.push(...printBody(m, f.body, { names, slots }));
  out[out.length - 1] += ')';
  return out.join('\n');
}

/** The whole module in wasm2wat's layout (types, imports, functions, exports). */
export function printModule(bytes, { names = true } = {}) {
  const m = parseModule(bytes);
  const out = ['(module'];
  m.types.forEach((t, i) => out.push(`  (type (;${i};) (func${sig(t)}))`));
  let fi = 0, ti = 0, mi = 0, gi = 0;
  for (const imp of m.imports) {
    const where = `"${imp.module}" "${imp.name}"`;
    if (imp.kind === 0) out.push(`  (import ${where} (func (;${fi++};) (type ${imp.type})))`);
    else if (imp.kind === 1) out.push(`  (import ${where} (table (;${ti++};) ${limitsText(imp.limits)} ${imp.reftype}))`);
    else if (imp.kind === 2) out.push(`  (import ${where} (memory (;${mi++};) ${limitsText(imp.limits)}))`);
    else out.push(`  (import ${where} (global (;${gi++};) ${imp.mutable ? `(mut ${imp.valtype})` : imp.valtype}))`);
  }
  m.funcs.forEach((f, i) => {
    const idx = m.importedFuncs + i;
    const text = printFunction(m, idx, { names });
    out.push(...text.split('\n').map((l) => '  ' + l));
  });
  const kinds = ['func', 'table', 'memory', 'global'];
  for (const e of m.exports) out.push(`  (export "${e.name}" (${kinds[e.kind] ?? 'kind' + e.kind} ${e.index}))`);
  out[out.length - 1] += ')';
  return out.join('\n');
}

function limitsText(l) { return l.max === null ? `${l.min}` : `${l.min} ${l.max}`; }

/** Counts of each instruction mnemonic in a function's text (for summaries and tests). */
export function opcodeCounts(text) {
  const counts = new Map();
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('(')) continue;
    const op = t.split(/\s+/)[0].replace(/\)+$/, '');
    counts.set(op, (counts.get(op) ?? 0) + 1);
  }
  return counts;
}
