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
import { MACHINE } from '../zx-constants.mjs';

export { KEYS, JOY, formatLockstepReport, PROFILE_CATEGORIES, formatProfile };

const JOY_MASK = Object.values(JOY).reduce((a, b) => a | b, 0);

// One module per flavour per process: machines share it, as on a web page.
const modules = new Map();
function sharedModule(jit) {
  if (!modules.has(jit)) modules.set(jit, loadCore({ jit }));
  return modules.get(jit);
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
const HEADLESS_OPTIONS = ['machine', 'rom', 'stereo', 'jit', 'sampleRate', 'tapeTraps', 'fastTape', 'lockstep', 'jitOptions', 'profile'];
export async function createHeadless(options = {}) {
  // A misspelt option would otherwise be ignored without a word.
  for (const k of Object.keys(options ?? {})) {
    if (!HEADLESS_OPTIONS.includes(k)) throw new Error(`createHeadless: unknown option '${k}' (known: ${HEADLESS_OPTIONS.join(', ')})`);
  }
  const { machine = '48k', rom, stereo, jit = false, sampleRate = 48000, tapeTraps = true, fastTape = true, lockstep = false, jitOptions = null, profile = false } = options ?? {};
  // Checked before anything loads: the compiler's program is big.
  checkCoreOptions({ sampleRate, jit, lockstep, jitOptions });
  const module = await sharedModule(Boolean(jit));
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
  return new Headless(make(model.id), { fastTape, make });
}

export class Headless {
  // make(machineId): a new SpectrumCore of that model, for a snapshot that
  // needs another model (without it such a snapshot is refused by the core).
  constructor(core, { fastTape = true, make = null } = {}) {
    this.core = core;
    this.make = make;
    this.fastTape = fastTape; // run real-time tape loading without picture and sound
    this.recorder = null;
    this.wallMs = 0;          // time spent emulating (runFrame calls only)
    this.framesRun = 0;
    this.tstatesRun = 0;
  }

  get frames() { return this.core.frames; }
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
    // Fast-forward only while nobody listens: a recording keeps the tape's sound.
    core.fastForward = this.fastTape && !this.recorder && core.tape.wantsFastForward;
    const t0 = performance.now();
    const before = core.tstates;
    core.runFrame();
    this.wallMs += performance.now() - t0;
    this.tstatesRun += core.tstates - before;
    this.framesRun++;
    if (this.recorder) this.recorder.push(this.recorder.channels === 2 ? core.audioStereo() : core.audio());
  }

  runFrames(n) {
    if (!Number.isInteger(n) || n < 0) throw new Error(`frames: expected a whole number >= 0, got ${n}`);
    for (let i = 0; i < n; i++) this._frame();
    return this;
  }

  // Runs until predicate(this) is true (checked before each frame); returns
  // the frames it took. Throws when maxFrames pass without it.
  runUntil(predicate, { maxFrames = 3000, what = 'condition' } = {}) {
    for (let i = 0; i <= maxFrames; i++) {
      if (predicate(this)) return i;
      if (i < maxFrames) this._frame();
    }
    throw new Error(`${what} not met after ${maxFrames} frames`);
  }

  // Runs until the screen shows `text` (a string, or a RegExp).
  runUntilText(text, { maxFrames = 3000 } = {}) {
    const match = text instanceof RegExp ? (s) => text.test(s) : (s) => s.includes(text);
    return this.runUntil(() => match(this.screenText().join('\n')), { maxFrames, what: `screen text ${JSON.stringify(String(text))}` });
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

  // Types text with realistic timing (see web/key-typer.mjs), then runs
  // `settleFrames` so the ROM can act on the last key (ENTER runs the line).
  type(text, { settleFrames = 10, ...timing } = {}) {
    const typer = new KeyTyper(text, timing);
    KeyTyper.strokesFor(this.core, text); // fail before any key goes down
    while (!typer.done) {
      typer.step(this.core);
      this._frame();
    }
    return this.runFrames(settleFrames);
  }

  // Holds a key for `holdFrames` frames then releases it; with holdFrames
  // null the key stays down until releaseKey.
  pressKey(key, holdFrames = 3) {
    const code = keyCode(key);
    this.core.keyDown(code);
    if (holdFrames === null) return this;
    this.runFrames(holdFrames);
    this.core.keyUp(code);
    return this;
  }

  releaseKey(key) {
    this.core.keyUp(keyCode(key));
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

function round(x, digits) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
