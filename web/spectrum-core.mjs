// The one JS wrapper over the machine's Wasm exports (core/platform/wasm_api.c), shared
// by the browser frontend and the Node headless runner. It knows nothing of
// canvases, files or timers: the caller drives it frame by frame.
//
//   const core = new SpectrumCore(module);      // module: an instantiated zxcore
//   core.load(bytes, 'game.tap');
//   core.runFrame();
//   ctx.putImageData(new ImageData(core.frameBuffer(), core.width, core.height), 0, 0);
//
// Several SpectrumCore objects may share one module: each owns a machine on
// the module's heap. Views over that heap are re-derived on every call,
// because memory growth (the dynarec grows it) detaches old views.

import { screenText } from './screen-text.mjs';
import { PROFILE_CATEGORIES } from './frame-profile.mjs';
import { Debugger } from './debugger-core.mjs';
import { JitInspector } from './jit-inspect.mjs';
// Key codes, joystick bits, format names, zxw_create flags and sizes, as the
// C headers define them (generated at build time: see zx-constants.mjs).
import { KEYS, JOY, FORMATS, CREATE_FLAGS, MACHINE } from './zx-constants.mjs';

export { KEYS, JOY };
export { PROFILE_CATEGORIES, formatProfile } from './frame-profile.mjs';

const KEY_CODES = new Set(Object.values(KEYS));
const JOY_MASK = Object.values(JOY).reduce((a, b) => a | b, 0);

const ERR_CAP = 512;

// The machines the core emulates: [{ id, name, romCount }] ('48k', '128k',
// 'plus2', 'plus2a', 'plus3', 'pentagon'), read from the module itself.
export function machines(module) {
  const list = [];
  for (let i = 0; i < module._zxw_model_count(); i++) {
    list.push({
      id: module.UTF8ToString(module._zxw_model_id(i)),
      name: module.UTF8ToString(module._zxw_model_name(i)),
      romCount: module._zxw_model_rom_count(i),
    });
  }
  return list;
}

// The machine id ('48k', '128k', ...) a snapshot file needs, or null when
// the bytes are not a snapshot (or do not load). A 48K snapshot also loads
// on a 128K model (in its 48K mode); otherwise load() on another machine
// fails with a message naming the one needed.
export function snapshotMachine(module, bytes, name = 'file') {
  if (bytes.length > MACHINE.MEDIA_MAX_FILE) return null;
  const m = module;
  const data = m._malloc(Math.max(1, bytes.length));
  const cap = String(name).length * 4 + 1;
  const namePtr = m._malloc(cap);
  try {
    m.HEAPU8.set(bytes, data);
    m.stringToUTF8(String(name), namePtr, cap);
    const model = m._zxw_snapshot_model(data, bytes.length, namePtr);
    return model < 0 ? null : m.UTF8ToString(m._zxw_model_id(model));
  } finally {
    m._free(data);
    m._free(namePtr);
  }
}

// The dynarec's settings (jitOptions): [min, max] of each; 0 or missing
// keeps the default (threshold 200, batch 16, maxFunctions 4096, maxBytes
// 16 MB, batchWait 4, profileExits 2^20). Below the minimums a cache could not hold a batch or a module;
// the maximums keep what the core allocates up front (maxFunctions: ~170
// bytes each) and what it may keep alive sane. The CLI has the same limits.
export const JIT_LIMITS = Object.freeze({
  threshold: [0, 0xffffffff],
  batch: [1, 64],
  maxFunctions: [8, 65536],
  maxBytes: [65536, 256 * 1024 * 1024],
  batchWait: [1, 1000], // frames a partial batch may wait (jit_config_t.batch_wait)
  profileExits: [1, 0xffffffff], // indirect-jump exits before a function is compiled again with their targets
});
export const SAMPLE_RATE_RANGE = Object.freeze([8000, MACHINE.AUDIO_MAX * 50]);

// Throws an Error naming the option and what it takes.
export function checkCoreOptions({ sampleRate = 48000, jit = false, lockstep = false, jitOptions = null } = {}) {
  const [lo, hi] = SAMPLE_RATE_RANGE;
  if (!Number.isInteger(sampleRate) || sampleRate < lo || sampleRate > hi) {
    throw new Error(`sampleRate: expected a whole number of Hz from ${lo} to ${hi}, got ${sampleRate}`);
  }
  if (lockstep && !jit) throw new Error('lockstep: checks the dynarec against the interpreter, so it needs jit: true');
  if (jitOptions === null || jitOptions === undefined) return;
  if (typeof jitOptions !== 'object' || Array.isArray(jitOptions)) {
    throw new Error(`jitOptions: expected an object such as { threshold: 50 }, got ${typeof jitOptions}`);
  }
  const names = Object.keys(JIT_LIMITS);
  for (const k of Object.keys(jitOptions)) {
    if (!names.includes(k)) throw new Error(`jitOptions.${k}: unknown setting (known: ${names.join(', ')})`);
  }
  if (!jit && Object.values(jitOptions).some((v) => v !== undefined && v !== 0)) {
    throw new Error('jitOptions: settings of the dynarec, given without jit: true');
  }
  for (const [k, [min, max]] of Object.entries(JIT_LIMITS)) {
    const v = jitOptions[k] ?? 0;
    if (!Number.isInteger(v) || (v !== 0 && v < min)) {
      throw new Error(`jitOptions.${k}: must be 0 (the default) or a whole number >= ${min}, got ${v}`);
    }
    if (v > max) throw new Error(`jitOptions.${k}: at most ${max}, got ${v}`);
  }
}

// A file larger than any the core takes is refused before it is copied
// into the Wasm heap (which never shrinks). The core checks again, and
// bounds what a file may make it allocate (core/media/tape.h).
function checkFileSize(bytes, name) {
  const max = MACHINE.MEDIA_MAX_FILE;
  if (bytes.length > max) {
    throw new Error(`${name}: ${bytes.length} bytes, more than any file the emulator takes (${max / 1048576} MB)`);
  }
}

export class SpectrumCore {
  // machine: a machines() id (default '48k'). rom: the model's ROMs, 16 KB
  // each, concatenated (48K one; 128K, +2 and Pentagon two: the 128 editor
  // then 48 BASIC; +2A/+3 four), or one 16 KB ROM for any model (it then
  // fills every ROM slot: romFallback), or nothing for the embedded OpenSE
  // BASIC. jitOptions (with jit): { threshold, batch, maxFunctions, maxBytes, batchWait, profileExits }
  // for the dynarec (core/jit/jit.h jit_config_t); missing or 0 keeps the default.
  // profile: start the frame profile at once (see `profiling`).
  constructor(module, { machine = '48k', rom, sampleRate = 48000, jit = false, tapeTraps = true, lockstep = false, jitOptions = null, profile = false } = {}) {
    if (!module || typeof module._zxw_create_model !== 'function') {
      throw new Error('SpectrumCore: not a zxcore module (the Wasm build lacks the zxw_ exports)');
    }
    const known = machines(module);
    const model = known.findIndex((k) => k.id === String(machine).toLowerCase());
    if (model < 0) {
      throw new Error(`machine: unknown '${machine}' (expected one of ${known.map((k) => k.id).join(', ')})`);
    }
    checkCoreOptions({ sampleRate, jit, lockstep, jitOptions });
    this.module = module;
    this.jit = Boolean(jit);
    const flags = (jit ? CREATE_FLAGS.JIT : 0) | (tapeTraps ? 0 : CREATE_FLAGS.NO_TAPE_TRAPS) |
      (jit && lockstep ? CREATE_FLAGS.LOCKSTEP : 0); // lockstep: check every compiled run against the interpreter
    const jitArgs = jit && jitOptions ? Object.keys(JIT_LIMITS).map((k) => jitOptions[k] ?? 0) : null;
    if (rom !== undefined && rom !== null) {
      const full = known[model].romCount * MACHINE.ROM_SIZE;
      if (!(rom instanceof Uint8Array) || (rom.length !== MACHINE.ROM_SIZE && rom.length !== full)) {
        const want = full === MACHINE.ROM_SIZE ? `${full}` : `${MACHINE.ROM_SIZE} or ${full}`;
        throw new Error(`ROM: the ${known[model].name} takes ${want} bytes, got ${rom?.length ?? typeof rom}`);
      }
      this.ptr = this._withBytes(rom, (p) => module._zxw_create_model(model, p, rom.length, sampleRate, flags));
    } else {
      this.ptr = module._zxw_create_model(model, 0, 0, sampleRate, flags);
    }
    if (!this.ptr) throw new Error(`SpectrumCore: could not create the machine (sample rate ${sampleRate}, or out of memory)`);
    if (jitArgs && !module._zxw_jit_configure(this.ptr, ...jitArgs)) {
      module._zxw_destroy(this.ptr);
      throw new Error('SpectrumCore: could not configure the dynarec (out of memory)');
    }
    this._m = module;
    // The model: id ('128k'...), name ('ZX Spectrum 128K'...), its clock and frame.
    this.machine = known[model].id;
    this.machineName = known[model].name;
    this.cpuHz = module._zxw_cpu_hz(this.ptr);
    this.frameTStates = module._zxw_frame_t(this.ptr);
    this.frameRate = this.cpuHz / this.frameTStates;
    // One 16 KB ROM in every slot of a 128K model: the 128K editor is not there.
    this.romFallback = module._zxw_rom_fallback(this.ptr) !== 0;
    this.width = module._zxw_fb_width();
    this.height = module._zxw_fb_height();
    this._profile = null; // JS's side of the frame profile while it is on
    if (profile) this.profiling = true;
    const self = this;
    const m = module;
    // The tape deck as one object, so UIs can pass it around.
    this.tape = {
      play() { m._zxw_tape_play(self._live()); },
      stop() { m._zxw_tape_stop(self._live()); },
      rewind() { m._zxw_tape_rewind(self._live()); },
      eject() { m._zxw_tape_eject(self._live()); },
      get playing() { return m._zxw_tape_playing(self._live()) !== 0; },
      get block() { return m._zxw_tape_block(self._live()); },
      get blocks() { return m._zxw_tape_block_count(self._live()); },
      get wantsFastForward() { return m._zxw_tape_wants_fast_forward(self._live()) !== 0; },
      // Instant loading through the ROM's LD-BYTES; off = real-time only.
      get traps() { return m._zxw_tape_traps(self._live()) !== 0; },
      set traps(on) { m._zxw_set_tape_traps(self._live(), on ? 1 : 0); },
      // Blocks loaded instantly so far.
      get trapLoads() { return m._zxw_tape_loads(self._live()); },
    };
  }

  _live() {
    if (!this.ptr) throw new Error('SpectrumCore: used after destroy()');
    return this.ptr;
  }

  // Copies bytes into a temporary heap block for the duration of fn(ptr).
  _withBytes(bytes, fn) {
    const m = this.module;
    const p = m._malloc(Math.max(1, bytes.length));
    if (!p) throw new Error('out of Wasm memory');
    try {
      m.HEAPU8.set(bytes, p);
      return fn(p);
    } finally {
      m._free(p);
    }
  }

  _withString(s, fn) {
    const m = this.module;
    const cap = s.length * 4 + 1;
    const p = m._malloc(cap);
    if (!p) throw new Error('out of Wasm memory');
    try {
      m.stringToUTF8(s, p, cap);
      return fn(p);
    } finally {
      m._free(p);
    }
  }

  // One frame (48K: 69,888 T-states, 50.08 Hz), picture and sound. Once
  // the debugger is used: a frame or up to a break, returning the break
  // (see `debug`) or null.
  runFrame() {
    const p = this._profile;
    if (!p) {
      if (this._debug) return this._debug.runFrame();
      this._m._zxw_run_frame(this._live());
      return null;
    }
    const t0 = performance.now();
    const stop = this._debug ? this._debug.runFrame() : (this._m._zxw_run_frame(this._live()), null);
    const ms = performance.now() - t0;
    p.ms += ms;
    if (ms > p.longestMs) p.longestMs = ms;
    return stop;
  }

  // The debugger (web/debugger-core.mjs), created on first use.
  get debug() {
    this._debug ??= new Debugger(this);
    return this._debug;
  }

  // The frame profile (core/platform/profile.h): where each frame's host
  // time goes. Setting it true (re)starts it from zero; false stops it.
  // While on, stats().profile has the breakdown (PROFILE_CATEGORIES).
  set profiling(on) {
    if (!this._m._zxw_profile_enable(this._live(), on ? 1 : 0)) throw new Error('profiling: out of Wasm memory');
    this._profile = on ? { ms: 0, longestMs: 0 } : null;
  }
  get profiling() { return this._profile !== null; }

  // Chaining (core/jit/jit.h jit_set_chaining; on by default): compiled code
  // goes on into compiled code without returning to the dispatcher. Off
  // only to compare; results are the same either way.
  set jitChaining(on) { this._m._zxw_jit_chaining(this._live(), on ? 1 : 0); }

  // RGBA bytes, row-major, ImageData-ready; valid until the next call into the module.
  frameBuffer() {
    const p = this._m._zxw_frame_buffer(this._live());
    return new Uint8ClampedArray(this._m.HEAPU8.buffer, p, this.width * this.height * 4);
  }

  // This frame's samples (mono, -1..1), copied.
  audio() {
    const m = this._m;
    const p = m._zxw_audio(this._live()) >> 2;
    return m.HEAPF32.slice(p, p + m._zxw_audio_count(this.ptr));
  }

  // This frame's samples as { left, right } (the AY's channels placed by
  // the stereo mode; the beeper in the middle), copied.
  audioStereo() {
    const m = this._m;
    const n = m._zxw_audio_count(this._live());
    const l = m._zxw_audio_left(this.ptr) >> 2, r = m._zxw_audio_right(this.ptr) >> 2;
    return { left: m.HEAPF32.slice(l, l + n), right: m.HEAPF32.slice(r, r + n) };
  }

  // AY channel placement: 'abc' (default), 'acb' or 'mono'.
  set stereo(mode) {
    const v = { mono: 0, abc: 1, acb: 2 }[String(mode).toLowerCase()];
    if (v === undefined) throw new Error(`stereo: expected 'abc', 'acb' or 'mono', got '${mode}'`);
    this._m._zxw_set_stereo(this._live(), v);
  }

  // The paging registers (128K models): last values written to 0x7FFD, 0x1FFD.
  get paging() { return { port7ffd: this._m._zxw_port_7ffd(this._live()), port1ffd: this._m._zxw_port_1ffd(this.ptr) }; }

  get sampleRate() { return this._m._zxw_sample_rate(this._live()); }

  // While true, frames skip picture and sound (for loading tapes quickly).
  set fastForward(on) { this._m._zxw_set_fast_forward(this._live(), on ? 1 : 0); }

  keyDown(key) { this._m._zxw_key_down(this._live(), checkKey(key)); }
  keyUp(key) { this._m._zxw_key_up(this._live(), checkKey(key)); }
  releaseAllKeys() { this._m._zxw_keys_clear(this._live()); }
  joystick(bits) { this._m._zxw_joystick(this._live(), bits & JOY_MASK); }

  // Key codes (shift first) that type an ASCII character; [] if none does.
  keysForChar(ch) {
    const m = this._m;
    const out = m._malloc(2);
    try {
      const n = m._zxw_keys_for_char(ch.codePointAt(0), out);
      return Array.from(m.HEAPU8.subarray(out, out + n));
    } finally {
      m._free(out);
    }
  }

  // Snapshots replace the machine state; tapes are inserted (rewound,
  // stopped). Throws Error(`${name}: problem`) with the machine unchanged.
  load(bytes, name = 'file') {
    if (!(bytes instanceof Uint8Array)) throw new Error(`${name}: expected the file's bytes as a Uint8Array`);
    checkFileSize(bytes, name);
    const m = this._m;
    const zx = this._live();
    return this._withBytes(bytes, (data) => this._withString(String(name), (namePtr) => {
      const format = FORMATS[m._zxw_detect_format(data, bytes.length, namePtr)] ?? 'unknown';
      const err = m._malloc(ERR_CAP);
      try {
        m.HEAPU8[err] = 0;
        const ok = m._zxw_load(zx, data, bytes.length, namePtr, err, ERR_CAP);
        const text = m.UTF8ToString(err);
        if (!ok) throw new Error(`${name}: ${text || 'could not load'}`);
        if (format !== 'tap' && format !== 'tzx') this._debug?.machineChanged();
        return { format, warnings: text ? text.split('; ') : [] };
      } finally {
        m._free(err);
      }
    }));
  }

  // 'sna' | 'z80' | 'szx' -> Uint8Array (a copy). Every model saves in
  // every format (SNA cannot hold a +2A/+3's 0x1FFD nor the AY: prefer Z80 or SZX).
  saveSnapshot(format = 'z80') {
    const m = this._m;
    const save = { sna: m._zxw_save_sna, z80: m._zxw_save_z80, szx: m._zxw_save_szx }[String(format).toLowerCase()];
    if (!save) throw new Error(`saveSnapshot: unknown format '${format}' (expected 'sna', 'z80' or 'szx')`);
    const cap = m._zxw_snapshot_max();
    const out = m._malloc(cap);
    try {
      const n = save(this._live(), out, cap);
      if (!n) throw new Error(`saveSnapshot: the ${format} writer failed`);
      return m.HEAPU8.slice(out, out + n);
    } finally {
      m._free(out);
    }
  }

  // Power-on reset; RAM is cleared by the ROM, an inserted tape stays (rewound).
  reset() {
    this._m._zxw_reset(this._live());
    this._debug?.machineChanged();
  }
  peek(addr) { return this._m._zxw_peek(this._live(), addr & 0xffff); }
  poke(addr, value) { this._m._zxw_poke(this._live(), addr & 0xffff, value & 0xff); }

  // Copies of memory: the 48 BASIC ROM (16K), the RAM the CPU sees at
  // 0x4000-0xFFFF now (48K), and one 16K RAM bank (0-7; the 48K's RAM is
  // banks 5, 2, 0).
  rom() { const p = this._m._zxw_rom(this._live()); return this._m.HEAPU8.slice(p, p + MACHINE.ROM_SIZE); }
  ram() {
    const out = new Uint8Array(MACHINE.RAM_SIZE);
    for (let i = 0; i < out.length; i++) out[i] = this._m._zxw_peek(this._live(), 0x4000 + i);
    return out;
  }
  bank(n) {
    if (!Number.isInteger(n) || n < 0 || n > 7) throw new Error(`bank: expected 0-7, got ${n}`);
    const p = this._m._zxw_bank(this._live(), n);
    return this._m.HEAPU8.slice(p, p + 16384);
  }

  // The display file (bitmap and attributes, 0x4000-0x5AFF), copied.
  displayFile() { const p = this._m._zxw_screen(this._live()); return this._m.HEAPU8.slice(p, p + MACHINE.DISPLAY_FILE_SIZE); }

  get frames() { return this._m._zxw_frames(this._live()); }
  get tstates() { return this._m._zxw_tstates(this._live()); }
  get border() { return this._m._zxw_border(this._live()); }
  get pc() { return this._m._zxw_pc(this._live()); }

  // 24 strings of 32 characters, recognised against the ROM font (screen-text.mjs).
  screenText() {
    const m = this._m;
    const zx = this._live();
    const screen = m._zxw_screen(zx); // the bank on screen (bank 7 when the 128K shows its shadow screen)
    const rom = m._zxw_rom(zx);
    const heap = m.HEAPU8;
    const peek = (addr) => (addr < 0x4000 ? heap[rom + addr] : addr < 0x5b00 ? heap[screen + addr - 0x4000] : m._zxw_peek(zx, addr));
    return screenText(peek);
  }

  stats() {
    return {
      frames: this.frames,
      tstates: this.tstates,
      tapeTrapLoads: this.tape.trapLoads,
      // dynarec statistics (core/jit/jit.h jit_stats_t as JSON), null when it is off
      jit: this.jit ? this._jitStats() : null,
      // the frame profile since it was turned on, null when it is off
      profile: this._profile ? this._profileStats() : null,
    };
  }

  // The core's per-category time plus JS glue: the time runFrame takes
  // around the core's frame (the call into Wasm, the clock reads).
  // Each category: { ms (in all), msPerFrame, share (of runFrame's time) }.
  _profileStats() {
    const m = this._m;
    const c = JSON.parse(m.UTF8ToString(m._zxw_profile_json(this._live())));
    const js = this._profile;
    const ms = { ...c.ms, glue: Math.max(0, js.ms - c.framesMs) };
    const total = Math.max(js.ms, c.framesMs);
    const categories = {};
    for (const k of PROFILE_CATEGORIES) {
      const v = ms[k] ?? 0;
      categories[k] = { ms: v, msPerFrame: c.frames ? v / c.frames : 0, share: total > 0 ? v / total : 0 };
    }
    return {
      frames: c.frames,
      totalMs: total,                         // runFrame's time in all
      msPerFrame: c.frames ? total / c.frames : 0,
      longestFrameMs: js.longestMs,           // the longest runFrame
      coreLongestFrameMs: c.longestFrameMs,   // the longest frame inside the core
      clockReadNs: c.clockReadNs,             // one clock read (taken out of each category: "profiler")
      categories,
    };
  }

  // The dynarec's statistics plus lockstepReports: the first lockstep
  // divergences in full (core/jit/z80/jit_z80_lockstep.c lists the fields;
  // lockstepDivergences counts them all; formatLockstepReport prints one).
  _jitStats() {
    const m = this._m;
    const s = JSON.parse(m.UTF8ToString(m._zxw_jit_stats_json(this._live())));
    const reports = s.lockstepDivergences > 0 ? m.UTF8ToString(m._zxw_jit_lockstep_report(this.ptr)) : '';
    s.lockstepReports = reports ? JSON.parse(reports) : [];
    return s;
  }

  // The JIT inspector (web/jit-inspect.mjs): the code cache's functions,
  // their guest code and Wasm text, the 64K map, lockstep. Machines with
  // the dynarec only.
  get jitInspector() {
    if (!this.jit) throw new Error('jitInspector: this machine runs without the dynarec (create it with jit: true)');
    this._jitInspector ??= new JitInspector(this);
    return this._jitInspector;
  }

  destroy() {
    if (!this.ptr) return;
    this._debug?.destroy();
    this._m._zxw_destroy(this.ptr);
    this.ptr = 0;
  }
}

// One lockstep divergence report (stats().jit.lockstepReports[i]) as text:
// where the compiled run started, every field that differs with both
// values, then the compiled function's and the interpreter's instructions.
const LOCKSTEP_TEXT_TRACE = 24; // interpreted instructions printed (the report holds up to 64)
const WORD_FIELDS = new Set(['IX', 'IY', 'SP', 'PC', 'WZ']);
const DECIMAL_FIELDS = new Set(['T', 'intUntil', 'instructions', 'IFF1', 'IFF2', 'IM', 'halted', 'eiDelay', 'nmiPending', 'iff2Read']);
const hex = (v, digits) => (v ?? 0).toString(16).toUpperCase().padStart(digits, '0');

function fieldValue(name, v) {
  if (DECIMAL_FIELDS.has(name)) return String(v);
  return hex(v, WORD_FIELDS.has(name) ? 4 : 2);
}

function eventText(e) {
  if (!e) return '(none)';
  const where = e.kind === 'store' ? `address ${hex(e.address, 4)}` : `port ${hex(e.port, 4)}`;
  return `${e.kind} ${where} value ${hex(e.value, 2)} at T=${e.t}`;
}

export function formatLockstepReport(r) {
  const out = [`lockstep divergence in the function at ${hex(r.entry, 4)}: entered at T=${r.tstates} ` +
    `(deadline ${r.until}), exit ${r.exit} after ${r.instructions} instruction${r.instructions === 1 ? '' : 's'}`];
  for (const d of r.differences) {
    if (d.field === 'memory') {
      const where = d.address === null ? 'paged out' : hex(d.address, 4);
      const phys = d.physical === null ? '' : ` (physical ${hex(d.physical, 5)})`;
      out.push(`  memory ${where}${phys}: compiled ${hex(d.compiled, 2)}, interpreter ${hex(d.interpreter, 2)}`);
    } else if (d.field === 'event') {
      out.push(`  event ${d.index}: compiled ${eventText(d.compiled)}, interpreter ${eventText(d.interpreter)}`);
    } else if (d.field === 'portReads') {
      out.push('  the interpreter read a port the compiled run did not');
    } else {
      const bits = d.bits ? ` (flags ${d.bits.join(' ')})` : '';
      out.push(`  ${d.field}: compiled ${fieldValue(d.field, d.compiled)}, interpreter ${fieldValue(d.field, d.interpreter)}${bits}`);
    }
  }
  if (r.memoryDifferences > 16) out.push(`  ... ${r.memoryDifferences} bytes differ in all`);
  if (r.eventDifferences > 4) out.push(`  ... ${r.eventDifferences} events differ in all`);
  const regs = (c) => ['A', 'F', 'B', 'C', 'D', 'E', 'H', 'L'].map((k) => hex(c[k], 2)).join(' ') +
    ` IX=${hex(c.IX, 4)} IY=${hex(c.IY, 4)} SP=${hex(c.SP, 4)} PC=${hex(c.PC, 4)} T=${c.T}`;
  out.push(`  before:      ${regs(r.before)}`, `  compiled:    ${regs(r.compiled)}`, `  interpreter: ${regs(r.interpreter)}`);
  out.push('  compiled function:');
  for (const i of r.region) out.push(`    ${hex(i.pc, 4)}  ${i.text}`);
  const shown = r.interpreted.slice(0, LOCKSTEP_TEXT_TRACE);
  out.push(`  the interpreter ran ${r.interpretedCount} instruction${r.interpretedCount === 1 ? '' : 's'}` +
    (r.interpretedCount > shown.length ? `, the first ${shown.length}:` : ':'));
  for (const i of shown) out.push(`    ${hex(i.pc, 4)}  ${i.text}`);
  return out.join('\n');
}

function checkKey(key) {
  if (!KEY_CODES.has(key)) {
    throw new Error(`not a ZX key code: ${key} (use KEYS.A, KEYS.ENTER, ...)`);
  }
  return key;
}

export { KeyTyper } from './key-typer.mjs';
