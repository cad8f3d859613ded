// The debugger's JS API over the core's exports (core/debug/debug_wasm.c),
// one per SpectrumCore (core.debug, created on first use). Synchronous:
// the headless runner calls it directly, the page's Worker on the page's
// behalf (web/engine/worker.mjs 'call' messages, web/spectrum.mjs).
//
//   const dbg = core.debug;
//   const id = dbg.addBreakpoint({ pc: 0x10a8 });     // or { pc: [lo, hi], bank: 2 }
//   dbg.addBreakpoint({ write: [0x4000, 0x57ff] });   // memory: read / write ranges
//   dbg.addBreakpoint({ out: 0xfe, mask: 0xff });      // ports: in / out, port & mask
//   const stop = dbg.continue();      // runs frames until a stop: { reason, id, kind, pc, address, value, t, frame }
//   dbg.step(); dbg.stepOver(); dbg.stepOut(); dbg.runTo(0x8000);
//   dbg.registers();                  // { A, F, ..., PC, IFF1, IM, flags: { S, Z, ... } }
//   dbg.setRegisters({ A: 0x41, PC: 0x8000 });
//   dbg.peek(0x4000, 32); dbg.poke(0x8000, [0x3e, 0x01]);
//   dbg.disassemble(dbg.registers().PC, 10);
//   dbg.position();                   // { frame, t, line, lineT, ... }
//   dbg.callStack();                  // [{ sp, ret, call, target }]
//   dbg.on('break', (stop) => ...);
//
// A stop (a break) leaves the frame half run: the next run (core.runFrame(),
// continue(), a step) goes on from that instruction, and the frame's
// picture and sound come out whole when it ends. With no points and no
// step pending, core.runFrame() is the core's normal frame.
import { disassemble as disassembleBytes } from './z80-disasm.mjs';

const KINDS = ['pc', 'read', 'write', 'in', 'out'];
export const ROM_BANK = 0x100; // a point's bank: ROM n is ROM_BANK + n; RAM banks are 0-7
export const FLAG_BITS = { S: 0x80, Z: 0x40, Y: 0x20, H: 0x10, X: 0x08, PV: 0x04, N: 0x02, C: 0x01 };
const DEFAULT_MAX_FRAMES = 3000;

function addrArg(v, what) {
  const [lo, hi] = Array.isArray(v) ? v : [v, v];
  for (const a of [lo, hi]) {
    if (!Number.isInteger(a) || a < 0 || a > 0xffff) throw new Error(`${what}: expected an address 0-65535 or [from, to], got ${JSON.stringify(v)}`);
  }
  if (lo > hi) throw new Error(`${what}: range [${lo}, ${hi}] runs backwards`);
  return [lo, hi];
}

// A point's bank: undefined/null/'any' (whatever is paged), 0-7 (RAM), 'rom0'-'rom3'.
function bankArg(bank) {
  if (bank === undefined || bank === null || bank === 'any') return -1;
  if (Number.isInteger(bank) && bank >= 0 && bank <= 7) return bank;
  const m = /^rom([0-3])$/i.exec(String(bank));
  if (m) return ROM_BANK + Number(m[1]);
  throw new Error(`bank: expected a RAM bank 0-7, 'rom0'-'rom3' or 'any', got ${JSON.stringify(bank)}`);
}

export function bankName(bank) {
  return bank < 0 ? 'any' : bank >= ROM_BANK ? `rom${bank - ROM_BANK}` : String(bank);
}

export class Debugger {
  constructor(core) {
    this.core = core;
    this._m = core.module;
    this.ptr = this._m._zxw_debug_create(core._live());
    if (!this.ptr) throw new Error('debugger: out of Wasm memory');
    this.lastStop = null;     // the last stop, or null (cleared when a run goes on)
    this._listeners = new Map();
  }

  _live() {
    if (!this.ptr) throw new Error('debugger: used after its machine was destroyed');
    this.core._live();
    return this.ptr;
  }

  _json(fn) { return JSON.parse(this._m.UTF8ToString(fn(this._live()))); }

  on(event, fn) {
    if (!this._listeners.has(event)) this._listeners.set(event, new Set());
    this._listeners.get(event).add(fn);
    return () => this._listeners.get(event).delete(fn);
  }

  _emit(event, value) {
    for (const fn of this._listeners.get(event) ?? []) fn(value);
  }

  // ---- points
  // { pc | read | write: address or [from, to], bank? } | { in | out: port, mask? (default 0xffff) }
  addBreakpoint(spec) {
    if (!spec || typeof spec !== 'object') throw new Error('addBreakpoint: expected { pc | read | write | in | out: ... }');
    const given = KINDS.filter((k) => spec[k] !== undefined);
    if (given.length !== 1) throw new Error(`addBreakpoint: give exactly one of ${KINDS.join(', ')} (got ${given.join(', ') || 'none'})`);
    const kind = given[0];
    let lo, hi, bank = -1;
    if (kind === 'in' || kind === 'out') {
      const port = spec[kind];
      const mask = spec.mask ?? 0xffff;
      for (const [v, what] of [[port, kind], [mask, 'mask']]) {
        if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new Error(`addBreakpoint: ${what} must be 0-65535, got ${JSON.stringify(v)}`);
      }
      [lo, hi] = [port, mask];
    } else {
      [lo, hi] = addrArg(spec[kind], `addBreakpoint: ${kind}`);
      bank = bankArg(spec.bank);
      if (bank >= 0 && lo >> 14 !== hi >> 14) throw new Error('addBreakpoint: a range in one bank must lie in one 16K page');
    }
    const id = this._m._zxw_debug_add(this._live(), KINDS.indexOf(kind), lo, hi, bank);
    if (!id) {
      if (bank >= 0) throw new Error(`addBreakpoint: the ${this.core.machineName} has no bank ${bankName(bank)}`);
      throw new Error('addBreakpoint: the table is full (64 points)');
    }
    return id;
  }

  removeBreakpoint(id) {
    if (!this._m._zxw_debug_remove(this._live(), id)) throw new Error(`removeBreakpoint: no breakpoint ${id}`);
  }

  enableBreakpoint(id, on = true) {
    if (!this._m._zxw_debug_enable(this._live(), id, on ? 1 : 0)) throw new Error(`enableBreakpoint: no breakpoint ${id}`);
  }

  clearBreakpoints() { this._m._zxw_debug_clear(this._live()); }

  // [{ id, kind, lo, hi, bank ('any', '0'-'7', 'rom0'...), enabled, hits }]; ports: lo is the port, hi the mask
  breakpoints() {
    return this._json(this._m._zxw_debug_points).map((p) => ({ ...p, bank: bankName(p.bank) }));
  }

  // ---- running
  _stopped() {
    const stop = this._json(this._m._zxw_debug_stop);
    this.lastStop = stop;
    this._emit('break', stop);
    return stop;
  }

  // One frame or up to a stop: the stop, or null when the frame ended.
  runFrame() {
    this.lastStop = null;
    return this._m._zxw_debug_run_frame(this._live()) ? this._stopped() : null;
  }

  // Frames until a stop (null if maxFrames pass without one). `frame` is
  // called after each whole frame (the headless runner's bookkeeping).
  continue({ maxFrames = DEFAULT_MAX_FRAMES, frame = null } = {}) {
    for (let i = 0; i < maxFrames; i++) {
      const stop = this.runFrame();
      if (stop) return stop;
      frame?.();
    }
    return null;
  }

  step() {
    this._m._zxw_debug_step(this._live());
    return this._stopped();
  }

  // A CALL, RST, DJNZ, LDIR & co or HALT: runs to the next instruction (the
  // stack back where it is); anything else: one step.
  stepOver(opts) {
    if (!this._m._zxw_debug_step_over(this._live())) return this._stopped();
    return this._finish(opts, 'stepOver');
  }

  // Runs until the nearest return address on the stack (the call stack
  // guess) is reached with the stack above it. Throws when there is none.
  stepOut(opts) {
    if (!this._m._zxw_debug_step_out(this._live())) throw new Error('stepOut: no return address on the stack (nothing called this code)');
    return this._finish(opts, 'stepOut');
  }

  // Runs until PC reaches addr (or another stop comes first).
  runTo(addr, opts) {
    const [a] = addrArg(addr, 'runTo');
    this._m._zxw_debug_run_to(this._live(), a, 0);
    return this._finish(opts, 'runTo');
  }

  // Sets what runTo / stepOver / stepOut set, without running (the page's
  // Worker runs the frames at its own pace): 'over' | 'out' | 'to'. Returns
  // false when there is nothing to run (a plain step was done; or no return
  // address for 'out').
  arm(action, addr) {
    const m = this._m;
    if (action === 'over') return m._zxw_debug_step_over(this._live()) !== 0 || (this._stopped(), false);
    if (action === 'out') return m._zxw_debug_step_out(this._live()) !== 0;
    if (action === 'to') {
      m._zxw_debug_run_to(this._live(), addrArg(addr, 'runTo')[0], 0);
      return true;
    }
    throw new Error(`arm: unknown action ${action}`);
  }

  cancelTarget() { this._m._zxw_debug_cancel_target(this._live()); }

  // Makes the machine count as stopped where it is (a pause): the next run starts with that instruction.
  pauseHere() {
    this._m._zxw_debug_pause_here(this._live());
    return this._stopped();
  }

  _finish({ maxFrames = DEFAULT_MAX_FRAMES, frame = null } = {}, what) {
    const stop = this.continue({ maxFrames, frame });
    if (!stop) {
      this.cancelTarget();
      throw new Error(`${what}: not reached within ${maxFrames} frames`);
    }
    return stop;
  }

  // True while a frame is half run (after a stop).
  get midFrame() { return this._m._zxw_debug_mid_frame(this._live()) !== 0; }

  // ---- state
  _state() { return this._json(this._m._zxw_debug_state); }

  registers() {
    const s = this._state();
    const hi = (w) => w >> 8, lo = (w) => w & 0xff;
    const flags = {};
    for (const [k, bit] of Object.entries(FLAG_BITS)) flags[k] = (lo(s.AF) & bit) !== 0;
    return {
      A: hi(s.AF), F: lo(s.AF), B: hi(s.BC), C: lo(s.BC), D: hi(s.DE), E: lo(s.DE), H: hi(s.HL), L: lo(s.HL),
      AF: s.AF, BC: s.BC, DE: s.DE, HL: s.HL, "AF'": s["AF'"], "BC'": s["BC'"], "DE'": s["DE'"], "HL'": s["HL'"],
      IX: s.IX, IY: s.IY, SP: s.SP, PC: s.PC, WZ: s.WZ, I: s.I, R: s.R,
      IFF1: s.IFF1, IFF2: s.IFF2, IM: s.IM, halted: s.halted !== 0,
      flags,
    };
  }

  // { A: 0x41, HL: 0x4000, PC: 0x8000, IFF1: 1, IM: 2, ... } (names as
  // registers() has them, plus IXH IXL IYH IYL, halted); flags: { Z: true, ... }.
  setRegisters(values) {
    const m = this._m;
    const entries = Object.entries(values ?? {});
    for (const [name, v] of entries) {
      if (name === 'flags') continue;
      const n = typeof v === 'boolean' ? Number(v) : v;
      if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new Error(`setRegisters: ${name} must be a whole number 0-65535, got ${JSON.stringify(v)}`);
    }
    const ok = (name, v) => this.core._withString(name, (p) => m._zxw_debug_set_reg(this._live(), p, v));
    for (const [name, v] of entries) {
      if (name === 'flags') continue;
      if (!ok(name, typeof v === 'boolean' ? Number(v) : v)) throw new Error(`setRegisters: unknown register '${name}' or value ${v} out of range`);
    }
    if (values?.flags) {
      let f = this.registers().F;
      for (const [k, on] of Object.entries(values.flags)) {
        const bit = FLAG_BITS[k];
        if (!bit) throw new Error(`setRegisters: unknown flag '${k}' (${Object.keys(FLAG_BITS).join(' ')})`);
        f = on ? f | bit : f & ~bit;
      }
      ok('F', f);
    }
    return this.registers();
  }

  // Where the beam is: frame (frames completed), t (T-state in the frame),
  // line (of the frame's lines), lineT (T-state in the line), frameT,
  // lineTStates, screenLine (0-191 on the screen, else null), midFrame.
  position() {
    const s = this._state();
    const y = s.line - s.firstScreenLine;
    return { frame: s.frame, t: s.t, line: s.line, lineT: s.lineT, frameT: s.frameT, lineTStates: s.lineTStates,
      screenLine: y >= 0 && y < 192 ? y : null, midFrame: s.midFrame };
  }

  // The banks paged at 0000, 4000, 8000, C000 ('rom0', '5', ...).
  paging() {
    const s = this._state();
    return [s.bank0, s.bank1, s.bank2, s.bank3].map(bankName);
  }

  // The call stack guess: [{ sp, ret, call, target }], nearest first.
  callStack() { return this._json(this._m._zxw_debug_calls); }

  // ---- memory (through the present mapping)
  peek(addr, length = 1) {
    const [a] = addrArg(addr, 'peek');
    if (!Number.isInteger(length) || length < 0 || length > 0x10000) throw new Error(`peek: length must be 0-65536, got ${length}`);
    const m = this._m;
    const p = m._malloc(Math.max(1, length));
    try {
      m._zxw_debug_read(this._live(), a, p, length);
      return m.HEAPU8.slice(p, p + length);
    } finally {
      m._free(p);
    }
  }

  // Writes bytes (a number, an array or a Uint8Array) from addr on; ROM
  // ignores them. Compiled code built over them is dropped.
  poke(addr, bytes) {
    const [a] = addrArg(addr, 'poke');
    const data = typeof bytes === 'number' ? [bytes] : Array.from(bytes ?? []);
    if (data.some((b) => !Number.isInteger(b) || b < 0 || b > 255)) throw new Error('poke: bytes must be whole numbers 0-255');
    this.core._withBytes(Uint8Array.from(data), (p) => this._m._zxw_debug_write(this._live(), a, p, data.length));
  }

  // [{ addr, length, bytes, text }] from addr on (web/z80-disasm.mjs).
  disassemble(addr, count = 16) {
    const [a] = addrArg(addr, 'disassemble');
    const mem = this.peek(0, 0x10000);
    return disassembleBytes(mem, a, count);
  }

  // The machine was reset or loaded (SpectrumCore calls it): a half-run frame starts over.
  machineChanged() {
    if (this.ptr) this._m._zxw_debug_machine_changed(this.ptr);
    this.lastStop = null;
  }

  destroy() {
    if (!this.ptr) return;
    this._m._zxw_debug_destroy(this.ptr);
    this.ptr = 0;
  }
}

const hex = (v, n) => v.toString(16).toUpperCase().padStart(n, '0');

// A break as text (the CLI's --break): why, registers and flags, position,
// the code from PC on.
export function formatBreak(dbg, stop, { lines = 8 } = {}) {
  const r = dbg.registers();
  const pos = dbg.position();
  const why = {
    breakpoint: `breakpoint ${stop.id} at ${hex(stop.pc, 4)}`,
    watch: `watchpoint ${stop.id} (${stop.kind} ${stop.kind === 'in' || stop.kind === 'out' ? 'port ' : ''}${hex(stop.address, 4)} value ${hex(stop.value, 2)} at T=${stop.t})`,
    step: 'step',
    target: `reached ${hex(stop.pc, 4)}`,
    pause: 'paused',
  }[stop.reason] ?? stop.reason;
  const flags = Object.entries(r.flags).map(([k, on]) => (on ? k : k.toLowerCase())).join(' ');
  const out = [
    `break: ${why}; frame ${pos.frame} T=${pos.t} line ${pos.line} (T ${pos.lineT} in the line)`,
    `  AF=${hex(r.AF, 4)} BC=${hex(r.BC, 4)} DE=${hex(r.DE, 4)} HL=${hex(r.HL, 4)} IX=${hex(r.IX, 4)} IY=${hex(r.IY, 4)} SP=${hex(r.SP, 4)} PC=${hex(r.PC, 4)}`,
    `  AF'=${hex(r["AF'"], 4)} BC'=${hex(r["BC'"], 4)} DE'=${hex(r["DE'"], 4)} HL'=${hex(r["HL'"], 4)} I=${hex(r.I, 2)} R=${hex(r.R, 2)} IM ${r.IM} IFF1=${r.IFF1} IFF2=${r.IFF2}${r.halted ? ' HALT' : ''}`,
    `  flags ${flags}`,
  ];
  for (const l of dbg.disassemble(r.PC, lines)) {
    out.push(`  ${l.addr === r.PC ? '>' : ' '} ${hex(l.addr, 4)}  ${l.bytes.map((b) => hex(b, 2)).join(' ').padEnd(12)} ${l.text}`);
  }
  const calls = dbg.callStack();
  if (calls.length) out.push(`  called from ${calls.slice(0, 6).map((c) => hex(c.call, 4)).join(' <- ')}`);
  return out.join('\n') + '\n';
}
