// jit-inspect.mjs: the JIT inspector's API over one machine (a SpectrumCore
// with the dynarec on): what the code cache holds, what each function was
// built from and became, and where in the 64K it runs. Used by the headless
// runner (zx.jit), the page's Worker (spectrum.jit, the same calls as
// promises) and the inspector panel (web/ui/jit-inspector.mjs).
//
//   const insp = core.jitInspector;            // or zx.jit (headless)
//   insp.functions({ filter: '80', sort: 'runs' })  // [{ id, pc, lo, hi, runs, ... }]
//   insp.function(id)                          // + guest disassembly, Wasm text, exits
//   insp.map()                                 // { heat, cover, inval }: 65536 each
//   insp.lockstep = true; insp.lockstepReports()
//
// The counters it shows cost the emulation almost nothing (core/jit/
// jit_inspect.c); time per function is measured only while the frame
// profile is on (core.profiling = true).

import { disassemble as z80Disassemble } from './z80-disasm.mjs';
import { printFunction } from './wasm-text.mjs';
import { JIT_CORE_CALLS } from './zx-constants.mjs';

// State names (core/jit/jit_inspect.c) and what they mean, for people.
export const JIT_STATES = {
  compiled: 'compiled: runs as Wasm',
  'load-form': 'compiled in the load form: patched operands are read from memory when they run',
  invalidated: 'invalidated by a store: checked again (hash) when reached',
  queued: 'hot: waiting in the compile queue',
  uncompilable: 'cannot be compiled here: left to the interpreter',
  'given-up': 'changed too often: left to the interpreter for good',
  'backing-off': 'changed again: waits longer before it is compiled again',
  counting: 'interpreted: counting its executions towards the threshold',
};

// The map's cover codes (jit_inspect_map).
export const COVER = { NONE: 0, COMPILED: 1, LOAD_FORM: 2, INVALIDATED: 3, QUEUED: 4, UNCOMPILABLE: 5, COUNTING: 6 };

export const SORT_KEYS = ['runs', 'bytes', 'compileMs', 'ms', 'pc', 'blocks', 'invalidations', 'hits'];

const hex4 = (v) => v.toString(16).toUpperCase().padStart(4, '0');

// Does a function match a filter string? Words, all of which must match:
// a hex address (in its covered span or its entry), a state name, or
// text found in its place ("ROM", "bank 2").
function matches(f, words) {
  for (const w of words) {
    const lw = w.toLowerCase();
    if (/^(\$|0x)?[0-9a-f]{1,4}$/i.test(w)) {
      const a = parseInt(w.replace(/^(\$|0x)/i, ''), 16);
      const inSpan = f.lo >= 0 && (f.lo <= f.hi ? a >= f.lo && a <= f.hi : a >= f.lo || a <= f.hi);
      if (inSpan || f.pc === a || hex4(f.pc).toLowerCase().startsWith(lw.replace(/^(\$|0x)/, ''))) continue;
    }
    if (f.state === lw || f.where.toLowerCase().includes(lw)) continue;
    return false;
  }
  return true;
}

export class JitInspector {
  // core: a SpectrumCore. disassemble(mem, addr, count): a Z80 disassembler
  // (web/z80-disasm.mjs's by default; the debugger's may be passed).
  constructor(core, { disassemble = z80Disassemble } = {}) {
    this.core = core;
    this.disassemble = disassemble;
  }

  get _m() { return this.core.module; }

  // Table slot -> name of the core functions compiled code calls at a
  // constant slot (JIT_CORE_CALLS), so the printed code names its calls.
  // Found once, by identity: a table entry is the export's own function.
  _coreSlots() {
    if (this._slots) return this._slots;
    const asm = this._m.asm ?? {}, table = asm.__indirect_function_table;
    const want = new Map();
    for (const name of JIT_CORE_CALLS) if (typeof asm[name] === 'function') want.set(asm[name], name);
    const slots = new Map();
    for (let i = 1; table && i < table.length && slots.size < want.size; i++) {
      const name = want.get(table.get(i));
      if (name) slots.set(i, name);
    }
    return (this._slots = slots);
  }
  get _zx() { return this.core._live(); }

  // Whether the machine has a dynarec to inspect.
  get available() { return Boolean(this.core.jit); }

  _json(ptr, what) {
    const m = this._m;
    if (!ptr) return null;
    try {
      return JSON.parse(m.UTF8ToString(ptr));
    } finally {
      m._free(ptr);
    }
  }

  _check() {
    if (!this.core.jit) throw new Error('jit inspector: this machine runs without the dynarec (create it with jit: true)');
  }

  // Where a physical address is: "ROM 1 $0A3C", "bank 2 $1000".
  where(phys) {
    const v = this._m._zxw_jit_inspect_phys_name(this._zx, phys);
    if (v < 0) return `phys ${phys.toString(16)}`;
    const kind = v >> 24, n = (v >> 16) & 0xff, off = v & 0xffff;
    return `${kind ? 'bank' : 'ROM'} ${n} $${hex4(off)}`;
  }

  _decorate(f) {
    f.where = this.where(f.phys);
    return f;
  }

  // Every entry the cache holds: compiled functions and the entries that
  // are queued, given up or still counting. Options:
  //   filter  string (words: hex address, state, "ROM"/"bank n") or function(f) => bool
  //   states  array of states to keep (default: all but 'counting')
  //   sort    one of SORT_KEYS (descending; 'pc' ascending); default 'runs'
  //   visible only functions mapped in now (default false)
  //   limit   at most this many
  // Each: { id, pc, phys, where, state, visible, lo, hi (the covered span,
  // logical; -1 none), blocks, bytes, compiles, request, compileMs (its
  // request's), runs, ms (while profiling), hits (interpreted executions
  // counted), exits {normal, deadline, smc, paged}, invalidations,
  // operandChanges, otherChanges, loadForm, loaded, hold, slot,
  // indirectExits (exits through JP (HL)/(IX)/(IY) recorded), profile
  // ('recording'; 'ready': compiled again when next reached; 'compiled':
  // compiled with the targets), targets (where those jumps went) }.
  functions({ filter = null, states = null, sort = 'runs', visible = false, limit = Infinity } = {}) {
    this._check();
    if (sort && !SORT_KEYS.includes(sort)) throw new Error(`jit.functions: sort by one of ${SORT_KEYS.join(', ')}, got '${sort}'`);
    let list = this._json(this._m._zxw_jit_inspect_functions(this._zx)) ?? [];
    list.forEach((f) => this._decorate(f));
    const keep = states ?? Object.keys(JIT_STATES).filter((s) => s !== 'counting');
    list = list.filter((f) => keep.includes(f.state));
    if (visible) list = list.filter((f) => f.visible);
    if (typeof filter === 'function') list = list.filter(filter);
    else if (filter !== null && filter !== undefined && String(filter).trim()) {
      const words = String(filter).trim().split(/\s+/);
      list = list.filter((f) => matches(f, words));
    }
    if (sort === 'pc') list.sort((a, b) => a.pc - b.pc);
    else if (sort) list.sort((a, b) => b[sort] - a[sort] || a.pc - b.pc);
    return Number.isFinite(limit) ? list.slice(0, limit) : list;
  }

  // One entry in full: its fields (as functions()), plus
  //   ranges  covered logical [first, last] runs
  //   guest   its guest code, disassembled: [{ addr, bytes, text }] (from
  //           the bytes it was built from, whatever is mapped now)
  //   wasm    its compiled function as text (web/wasm-text.mjs), or null
  //           when it is not compiled
  //   module  { functions, bytes }: the module it shares with its request's others
  // Throws on an unknown id.
  function(id) {
    this._check();
    const f = this._json(this._m._zxw_jit_inspect_function(this._zx, id >>> 0));
    if (!f) throw new Error(`jit.function: no entry ${id} (ids come from jit.functions())`);
    this._decorate(f);
    const code = new Uint8Array((f.code.length / 2) | 0);
    for (let i = 0; i < code.length; i++) code[i] = parseInt(f.code.substr(i * 2, 2), 16);
    delete f.code;
    f.guest = this._guest(f, code);
    f.wasm = null;
    f.module = null;
    const kept = this._m.jitModules?.get(f.slot);
    if (f.slot >= 0 && kept) {
      f.wasm = printFunction(kept.bytes, `f${kept.index}`, { slots: this._coreSlots() });
      let n = 0;
      for (const v of this._m.jitModules.values()) if (v.bytes === kept.bytes) n++;
      f.module = { functions: n, bytes: kept.bytes.length, index: kept.index };
    }
    return f;
  }

  // The module bytes of a compiled entry (a copy), or null.
  moduleBytes(id) {
    const f = this._json(this._m._zxw_jit_inspect_function(this._zx, id >>> 0));
    const kept = f && f.slot >= 0 ? this._m.jitModules?.get(f.slot) : null;
    return kept ? kept.bytes.slice() : null;
  }

  // Disassembles each covered range from the bytes the entry was built
  // from (an instruction that runs past them reads memory as mapped now).
  _guest(f, code) {
    const peek = (a) => {
      const off = (a - f.base) & 0xffff;
      return off < code.length ? code[off] : this.core.peek(a);
    };
    const out = [];
    for (const [first, last] of f.ranges) {
      let a = first;
      for (let guard = 0; guard < 1024; guard++) {
        const [one] = this.disassemble(peek, a, 1);
        out.push({ addr: one.addr, bytes: one.bytes, text: one.text });
        a = (a + one.length) & 0xffff;
        if (((a - first) & 0xffff) > ((last - first) & 0xffff)) break;
      }
    }
    return out;
  }

  // The 64K logical space as mapped now: heat (Uint32Array: executions),
  // cover (Uint8Array: COVER codes), inval (Uint16Array: stores that
  // invalidated code there). See core/jit/jit_inspect.c.
  map() {
    this._check();
    const m = this._m;
    const p = m._malloc(65536 * 7);
    if (!p) throw new Error('jit.map: out of Wasm memory');
    try {
      m._zxw_jit_inspect_map(this._zx, p, p + 65536 * 4, p + 65536 * 5);
      return {
        heat: new Uint32Array(m.HEAPU8.slice(p, p + 65536 * 4).buffer),
        cover: m.HEAPU8.slice(p + 65536 * 4, p + 65536 * 5),
        inval: new Uint16Array(m.HEAPU8.slice(p + 65536 * 5, p + 65536 * 7).buffer),
      };
    } finally {
      m._free(p);
    }
  }

  // The function to show for a logical address: the visible entry starting
  // there, else the compiled one covering it that ran most; null if none.
  functionAt(addr) {
    addr &= 0xffff;
    const list = this.functions({ visible: true, states: Object.keys(JIT_STATES) });
    const at = list.find((f) => f.pc === addr);
    if (at) return at;
    const covering = list.filter((f) => f.lo >= 0 && f.lo <= addr && addr <= f.hi);
    covering.sort((a, b) => b.runs - a.runs);
    return covering[0] ?? null;
  }

  // Lockstep: every compiled run checked against the interpreter (slow).
  get lockstep() { this._check(); return this._m._zxw_jit_inspect_lockstep(this._zx) !== 0; }
  set lockstep(on) { this._check(); this._m._zxw_jit_lockstep(this._zx, on ? 1 : 0); }

  // The first divergences in full (stats().jit.lockstepReports) and the counts.
  lockstepReports() {
    this._check();
    const s = this.core.stats().jit;
    return { checks: s.lockstepChecks, divergences: s.lockstepDivergences, reports: s.lockstepReports };
  }

  // Everything the panel shows at once, in one call (the Worker's).
  snapshot({ functions = {}, map = true } = {}) {
    return {
      functions: this.functions(functions),
      map: map ? this.map() : null,
      lockstep: this.lockstep,
      stats: this.core.stats().jit,
    };
  }
}
