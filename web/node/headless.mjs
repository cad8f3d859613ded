// The headless runner's JS API: a SpectrumCore (web/spectrum-core.mjs) on
// the Node Wasm build, plus files, time, typing, screenshots and audio.
//
//   import { createHeadless } from './web/node/headless.mjs';
//   const zx = await createHeadless();          // OpenSE BASIC ROM
//   const zx128 = await createHeadless({ machine: '128k', rom: ['128-0.rom', '128-1.rom'] });
//   zx.boot();                                   // to the BASIC prompt
//   zx.type('PRINT 2+2\n');
//   zx.screenText();                             // [..., '4   ...', ...]
//   zx.screenshot('out.png');
//   console.log(zx.summary());
//
// Errors are Error objects whose message starts with the file or option at
// fault; the machine is left unchanged by a load that fails.
import { readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadCore } from './load-core.mjs';
import { SpectrumCore, KeyTyper, KEYS, JOY, machines, snapshotMachine, formatLockstepReport, PROFILE_CATEGORIES, formatProfile, checkCoreOptions } from '../spectrum-core.mjs';
import { encodePng } from './png.mjs';
import { AudioRecorder } from './wav.mjs';
import { machineForSnapshot } from '../engine/machine-choice.mjs';
import { Rewind } from '../engine/rewind.mjs';
import { MACHINE } from '../zx-constants.mjs';
import { formatBreak } from '../debugger-core.mjs';

export { KEYS, JOY, formatLockstepReport, PROFILE_CATEGORIES, formatProfile };

const JOY_MASK = Object.values(JOY).reduce((a, b) => a | b, 0);

// One module per flavour per process: machines share it, as on a web page.
// compile: how the dynarec compiles, 'sync' (in the frame; the default,
// deterministic statistics) or 'async' (a worker beside the emulation;
// the machine's results are the same).
const modules = new Map();
function sharedModule(jit, compile = 'sync') {
  const key = jit ? `jit-${compile}` : 'interp';
  if (!modules.has(key)) modules.set(key, loadCore({ jit, compile }));
  return modules.get(key);
}

export function readInput(file, what = 'file') {
  if (file instanceof Uint8Array) return file;
  if (typeof file !== 'string' || !file) throw new Error(`${what}: expected a path or bytes`);
  if (!existsSync(file)) throw new Error(`${file}: no such file`);
  const st = statSync(file);
  if (!st.isFile()) throw new Error(`${file}: not a file`);
  // Not even read when larger than any file the core takes.
  if (st.size > MACHINE.MEDIA_MAX_FILE) {
    throw new Error(`${file}: ${st.size} bytes, more than any file the emulator takes (${MACHINE.MEDIA_MAX_FILE / 1048576} MB)`);
  }
  return new Uint8Array(readFileSync(file));
}

// A key given as a KEYS name ('A', 'ENTER', 'SYMBOL', ...) or a code.
export function keyCode(key) {
  if (Number.isInteger(key)) return key;
  const aliases = { CAPSSHIFT: 'CAPS', SHIFT: 'CAPS', SYM: 'SYMBOL', SYMBOLSHIFT: 'SYMBOL', RETURN: 'ENTER' };
  const name = key === ' ' ? 'SPACE' : String(key).toUpperCase().replace(/[ _-]/g, '');
  const code = Object.hasOwn(KEYS, aliases[name] ?? name) ? KEYS[aliases[name] ?? name] : undefined;
  if (code === undefined) throw new Error(`unknown key '${key}' (keys: A-Z, 0-9, ENTER, SPACE, CAPS, SYMBOL)`);
  return code;
}

// Key codes of a chord: 'SYMBOL+F', 'CAPS+1', ['CAPS', '1'], one key name or a code.
export function keyChord(keys) {
  const parts = Array.isArray(keys) ? keys : Number.isInteger(keys) ? [keys] : String(keys).split('+');
  if (!parts.length || parts.some((p) => p === '' || p === undefined)) {
    throw new Error(`unknown key '${keys}' (keys: A-Z, 0-9, ENTER, SPACE, CAPS, SYMBOL; a chord joins them with +, as SYMBOL+F)`);
  }
  return parts.map(keyCode);
}

// Joystick bits from a number or names: 'UP', 'UP+FIRE', ['LEFT', 'FIRE'].
export function joystickBits(dirs) {
  if (Number.isInteger(dirs)) return dirs & JOY_MASK;
  const names = Array.isArray(dirs) ? dirs : String(dirs).split(/[+,\s]+/).filter(Boolean);
  let bits = 0;
  for (const n of names) {
    const b = Object.hasOwn(JOY, String(n).toUpperCase()) ? JOY[String(n).toUpperCase()] : undefined;
    if (b === undefined) throw new Error(`unknown joystick direction '${n}' (UP, DOWN, LEFT, RIGHT, FIRE)`);
    bits |= b;
  }
  return bits;
}

// The machines this build emulates: [{ id, name, romCount }].
export async function machineList() {
  return machines(await sharedModule(false));
}

// The model's ROMs from `rom`: a path or bytes, or an array of them
// concatenated in order. Either one 16 KB ROM (for a 128K model it fills
// every slot: no 128K editor) or all of the model's ROMs, 16 KB each (128K,
// +2, Pentagon: the 128 editor then 48 BASIC; +2A/+3: ROMs 0-3), in one
// file or several. Throws naming the files and the sizes expected.
export function readRoms(rom, model) {
  const parts = (Array.isArray(rom) ? rom : [rom]).map((r) => ({ name: typeof r === 'string' ? r : 'ROM', bytes: readInput(r, 'ROM') }));
  if (!parts.length) throw new Error('ROM: no file given');
  const total = parts.reduce((n, p) => n + p.bytes.length, 0);
  const size = MACHINE.ROM_SIZE;
  const full = model.romCount * size;
  if (model.romCount === 1 && parts.length === 1 && total !== size) {
    throw new Error(`${parts[0].name}: a 48K ROM has ${size} bytes, this has ${total}`);
  }
  const names = parts.map((p) => p.name).join(' + ');
  if (total !== size && total !== full) {
    const want = model.romCount === 1 ? `${size} bytes` : `${model.romCount} ROMs of ${size} bytes (${full} in all, in one file or several) or one ${size}-byte ROM`;
    throw new Error(`${names}: the ${model.name} takes ${want}; got ${parts.length === 1 ? '' : `${parts.length} files, `}${total} bytes`);
  }
  if (parts.length > 1) {
    const odd = parts.find((p) => p.bytes.length % size !== 0);
    if (odd) throw new Error(`${odd.name}: ${odd.bytes.length} bytes is not a whole number of ${size}-byte ROMs`);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { out.set(p.bytes, at); at += p.bytes.length; }
  return out;
}

// machine: a machines() id; rom: see readRoms; stereo: 'abc', 'acb' or 'mono'.
// rewind: keep a ring of snapshots to go back in time (true, or { interval,
// seconds, maxBytes } as web/engine/rewind.mjs takes them).
const HEADLESS_OPTIONS = ['machine', 'rom', 'stereo', 'jit', 'compile', 'sampleRate', 'tapeTraps', 'fastTape', 'lockstep', 'jitOptions', 'profile', 'rewind'];
export async function createHeadless(options = {}) {
  // A misspelt option would otherwise be ignored without a word.
  for (const k of Object.keys(options ?? {})) {
    if (!HEADLESS_OPTIONS.includes(k)) throw new Error(`createHeadless: unknown option '${k}' (known: ${HEADLESS_OPTIONS.join(', ')})`);
  }
  const { machine = '48k', rom, stereo, jit = false, compile = 'sync', sampleRate = 48000, tapeTraps = true, fastTape = true, lockstep = false, jitOptions = null, profile = false, rewind = false } = options ?? {};
  if (compile !== 'sync' && compile !== 'async') throw new Error(`compile: expected 'sync' or 'async', got '${compile}'`);
  // Checked before anything loads: the compiler's program is big.
  checkCoreOptions({ sampleRate, jit, lockstep, jitOptions });
  const module = await sharedModule(Boolean(jit), compile);
  const models = machines(module);
  const model = models.find((m) => m.id === String(machine).toLowerCase());
  if (!model) throw new Error(`machine '${machine}': unknown (expected one of ${models.map((m) => m.id).join(', ')})`);
  const romBytes = rom === undefined || rom === null ? undefined : readRoms(rom, model);
  // What a switch to another model (a snapshot that needs it) is built with.
  const make = (id) => {
    const core = new SpectrumCore(module, { machine: id, rom: id === model.id ? romBytes : undefined, sampleRate, jit, tapeTraps, lockstep, jitOptions, profile });
    if (stereo !== undefined) core.stereo = stereo;
    return core;
  };
  return new Headless(make(model.id), { fastTape, make, rewind });
}

export class Headless {
  // make(machineId): a new SpectrumCore of that model, for a snapshot that
  // needs another model (without it such a snapshot is refused by the core).
  constructor(core, { fastTape = true, make = null, rewind = false } = {}) {
    this.core = core;
    this.rewindRing = rewind ? new Rewind(rewind === true ? {} : rewind) : null;
    this.make = make;
    this.fastTape = fastTape; // run real-time tape loading without picture and sound
    this.recorder = null;
    this.wallMs = 0;          // time spent emulating (runFrame calls only)
    this.framesRun = 0;
    this.tstatesRun = 0;
    // A program that prints more than a screenful stops at the ROM's
    // 'scroll?' prompt until a key other than N, SPACE or STOP is pressed;
    // with zx.answerScroll = true the runner presses ENTER there
    // (scrollAnswers counts).
    this.answerScroll = false;
    this.scrollAnswers = 0;
    this._scroll = { held: 0, cooldown: 0 };
    this.lastBreak = null;    // the debugger's last break (see `debug`), null once running on
  }

  get frames() { return this.core.frames; }

  // The debugger (web/debugger-core.mjs): breakpoints, steps, registers,
  // memory. A break stops runFrames, runUntil, type... at once (they return
  // or throw as usual); lastBreak holds it and breakText() describes it.
  get debug() { return this.core.debug; }

  // The last break as text: why, the registers and flags, the code around PC.
  breakText(stop = this.lastBreak) {
    return stop ? formatBreak(this.core.debug, stop) : 'no break\n';
  }

  // The JIT inspector (web/jit-inspect.mjs): zx.jit.functions(), .function(id), .map(), .lockstep.
  get jit() { return this.core.jitInspector; }
  get tape() { return this.core.tape; }

  // Loads a snapshot (replaces the machine state) or inserts a tape.
  // With `play`, a tape starts playing in real time at once (traps off).
  // A snapshot made for another model switches the machine to that model
  // (web/engine/machine-choice.mjs; the ROMs given apply to their own model only).
  load(file, name, { play = false } = {}) {
    const bytes = readInput(file);
    const label = name ?? (typeof file === 'string' ? file : 'bytes');
    const needs = this.make ? machineForSnapshot(snapshotMachine(this.core.module, bytes, label), this.core.machine) : null;
    if (needs) {
      const next = this.make(needs);
      let result;
      try {
        result = next.load(bytes, label);
      } catch (e) {
        next.destroy();
        throw e;
      }
      this.core.destroy();
      this.core = next;
      this.rewindRing?.clear();   // its snapshots are of the other model
      return result;
    }
    const result = this.core.load(bytes, label);
    if (play && (result.format === 'tap' || result.format === 'tzx')) {
      this.core.tape.traps = false;
      this.core.tape.play();
    }
    return result;
  }

  // One frame, with the bookkeeping every frame needs.
  _frame() {
    const core = this.core;
    if (this.answerScroll) this._answerScroll();
    // Fast-forward only while nobody listens: a recording keeps the tape's sound.
    core.fastForward = this.fastTape && !this.recorder && core.tape.wantsFastForward;
    const t0 = performance.now();
    const before = core.tstates;
    const stop = core.runFrame();
    this.wallMs += performance.now() - t0;
    this.tstatesRun += core.tstates - before;
    this.lastBreak = stop ?? null;
    if (stop) return stop; // the frame is not over: no sound yet
    this.framesRun++;
    this.rewindRing?.afterFrame(core);
    if (this.recorder) this.recorder.push(this.recorder.channels === 2 ? core.audioStereo() : core.audio());
    return null;
  }

  // Goes back about `seconds` of emulated time (createHeadless({ rewind: true }));
  // returns the seconds actually gone back (0 when nothing is kept yet).
  rewind(seconds) {
    if (!this.rewindRing) throw new Error('rewind: this machine keeps no snapshots (createHeadless({ rewind: true }))');
    return this.rewindRing.back(this.core, seconds);
  }

  // Seconds of emulated time rewind() can go back.
  get rewindAvailable() { return this.rewindRing ? this.rewindRing.available(this.core.frameRate) : 0; }

  // Runs n frames (fewer when the debugger breaks: see lastBreak).
  runFrames(n) {
    if (!Number.isInteger(n) || n < 0) throw new Error(`frames: expected a whole number >= 0, got ${n}`);
    for (let i = 0; i < n; i++) if (this._frame()) break;
    return this;
  }

  // Runs until predicate(this) is true (checked before each frame); returns
  // the frames it took. Throws when maxFrames pass without it.
  runUntil(predicate, { maxFrames = 3000, what = 'condition' } = {}) {
    for (let i = 0; i <= maxFrames; i++) {
      if (predicate(this)) return i;
      if (i < maxFrames && this._frame()) throw new Error(`${what}: a debugger break came first (${this.lastBreak.reason} at PC ${this.lastBreak.pc})`);
    }
    throw new Error(`${what} not met after ${maxFrames} frames`);
  }

  // Runs until the screen shows `text` (a string, or a RegExp). On failure
  // the error's message ends with the screen as text (also in error.screen),
  // so the cause (an error report, a 'scroll?' prompt) is visible.
  runUntilText(text, { maxFrames = 3000 } = {}) {
    const match = text instanceof RegExp ? (s) => text.test(s) : (s) => s.includes(text);
    try {
      return this.runUntil(() => match(this.screenText().join('\n')), { maxFrames, what: `screen text ${JSON.stringify(String(text))}` });
    } catch (e) {
      const screen = this.screenText();
      const err = new Error(`${e.message}; the screen shows:\n${formatScreen(screen)}`);
      err.screen = screen;
      throw err;
    }
  }

  // Power-on to the ROM's first message (screen memory holds only
  // recognisable characters, not all blank), then a few frames for the ROM
  // to reach its keyboard loop.
  boot({ maxFrames = 500, settleFrames = 10 } = {}) {
    this.runUntil(() => {
      const text = this.screenText().join('');
      return text.trim() !== '' && !text.includes('?');
    }, { maxFrames, what: 'boot to the ROM prompt' });
    return this.runFrames(settleFrames);
  }

  // Types text with realistic timing (see web/key-typer.mjs: keywords as
  // single keys on a keyword-entry ROM), then runs `settleFrames` so the ROM
  // can act on the last key (ENTER runs the line). Options: settleFrames,
  // keywords ('auto', true, false) and the typer's timings.
  type(text, { settleFrames = 10, ...options } = {}) {
    const typer = new KeyTyper(text, options);
    KeyTyper.check(this.core, text, options); // fail before any key goes down
    while (!typer.done) {
      typer.step(this.core);
      if (this._frame()) return this;
    }
    return this.runFrames(settleFrames);
  }

  // Holds a key or a chord ('SYMBOL+F', ['CAPS', '1']: keyChord) for
  // `holdFrames` frames then releases it; with holdFrames null the keys stay
  // down until releaseKey.
  pressKey(key, holdFrames = 3) {
    const codes = keyChord(key);
    if (holdFrames !== null && (!Number.isInteger(holdFrames) || holdFrames < 1)) throw new Error(`hold: expected a whole number of frames >= 1, got ${holdFrames}`);
    for (const c of codes) this.core.keyDown(c);
    if (holdFrames === null) return this;
    this.runFrames(holdFrames);
    for (const c of codes) this.core.keyUp(c);
    return this;
  }

  releaseKey(key) {
    for (const c of keyChord(key)) this.core.keyUp(c);
    return this;
  }

  // Sets the Kempston joystick (stays until changed); holdFrames then releases.
  joystick(dirs, holdFrames = null) {
    this.core.joystick(joystickBits(dirs));
    if (holdFrames !== null) {
      this.runFrames(holdFrames);
      this.core.joystick(0);
    }
    return this;
  }

  // Looks for the prompt on the bottom line every 4 frames; holds ENTER
  // for 3 frames, then leaves the ROM 10 frames to scroll before looking again.
  _answerScroll() {
    const s = this._scroll;
    if (s.held > 0) {
      if (--s.held === 0) {
        this.core.keyUp(KEYS.ENTER);
        s.cooldown = 10;
      }
      return;
    }
    if (s.cooldown > 0) {
      s.cooldown--;
      return;
    }
    if (this.core.frames % 4 !== 0) return;
    if (!/scroll\?/i.test(this.screenText()[23])) return;
    this.core.keyDown(KEYS.ENTER);
    s.held = 3;
    this.scrollAnswers++;
  }

  screenText() { return this.core.screenText(); }

  // The current frame as PNG bytes; written to `path` if given.
  screenshot(path) {
    const png = encodePng(this.core.frameBuffer(), this.core.width, this.core.height);
    if (path) writeFileSync(path, png);
    return png;
  }

  // Audio capture: every frame run after this is kept for writeWav; in
  // stereo on the models with an AY (their channels placed by the stereo
  // mode), in mono on the 48K (its beeper is mono).
  recordAudio() {
    this.recorder ??= new AudioRecorder(this.core.sampleRate, this.core.machine === '48k' ? 1 : 2);
    return this;
  }

  writeWav(path) {
    if (!this.recorder) throw new Error('writeWav: call recordAudio() before running the frames to record');
    const wav = this.recorder.toWav();
    if (path) writeFileSync(path, wav);
    return wav;
  }

  saveSnapshot(format, path) {
    const bytes = this.core.saveSnapshot(format);
    if (path) writeFileSync(path, bytes);
    return bytes;
  }

  summary() {
    const wallSeconds = this.wallMs / 1000;
    const emulatedSeconds = this.tstatesRun / this.core.cpuHz;
    return {
      machine: { id: this.core.machine, name: this.core.machineName },
      frames: this.core.frames,
      tstates: this.core.tstates,
      framesRun: this.framesRun,
      emulatedMHz: wallSeconds > 0 ? round(this.tstatesRun / wallSeconds / 1e6, 1) : null,
      wallSeconds: round(wallSeconds, 3),
      speedX: wallSeconds > 0 ? round(emulatedSeconds / wallSeconds, 1) : null,
      realTimeFrameMs: round((this.core.frameTStates / this.core.cpuHz) * 1000, 3),
      tapeTrapLoads: this.core.tape.trapLoads,
      jit: this.core.stats().jit,
      // the frame profile (createHeadless({ profile: true }) or core.profiling), null when off
      profile: this.core.stats().profile,
    };
  }

  // Lockstep's findings as text (the CLI prints it with --lockstep): the
  // counts, then each divergence kept in full (formatLockstepReport).
  lockstepText() {
    const s = this.core.stats().jit;
    if (!s) return 'lockstep: off (the dynarec is off)\n';
    const n = s.lockstepDivergences;
    const lines = [`lockstep: ${s.lockstepChecks} compiled runs checked, ${n} divergence${n === 1 ? '' : 's'}` +
      (n > s.lockstepReports.length ? ` (the first ${s.lockstepReports.length} in full)` : '')];
    for (const r of s.lockstepReports) lines.push(formatLockstepReport(r));
    return lines.join('\n') + '\n';
  }

  destroy() { this.core.destroy(); }
}

// The screen's 24 lines for a message: trailing spaces and the blank lines
// at the top and bottom dropped, each line indented.
export function formatScreen(lines) {
  const trimmed = lines.map((l) => l.trimEnd());
  let first = trimmed.findIndex((l) => l);
  if (first < 0) return '  (the screen is blank)';
  let last = trimmed.length - 1;
  while (!trimmed[last]) last--;
  return trimmed.slice(first, last + 1).map((l) => `  ${l}`).join('\n');
}

function round(x, digits) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
