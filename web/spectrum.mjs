// Embedding API: a ZX Spectrum in any element of any page.
//
//   import { createSpectrum } from './web/spectrum.mjs';
//   const zx = createSpectrum(document.querySelector('#here'), { src: 'game.tap' });
//   await zx.ready;                      // first frame drawn
//   zx.addEventListener('error', (e) => console.log(e.detail.message));
//
// Each Spectrum runs in its own Worker (web/engine/worker.mjs), so several
// on one page are independent; they share the downloaded and compiled Wasm
// programs (wasm-cache.mjs) and one AudioContext.
//
// Options (all optional):
//   src            URL of a file to load at start (TAP, TZX, Z80, SNA, SZX, ROM)
//   machine        '48k' (default), '128k', 'plus2', 'plus2a', 'plus3' or
//                  'pentagon'; an unknown one fires 'error' (ready rejects)
//   roms           the user's ROMs per machine: { '128k': bytes, plus3: [r0, r1, r2, r3] }
//                  (bytes: Uint8Array or ArrayBuffer; an array is concatenated
//                  in order). A model takes all its ROMs, 16 KB each (128K, +2,
//                  Pentagon: the 128 editor then 48 BASIC; +2A/+3 four), or one
//                  16 KB ROM. Without them the built-in OpenSE BASIC fills
//                  every ROM slot (romFallback: no 128K editor)
//   rom            a 16K ROM for the first machine (the same as roms: { [machine]: rom })
//   stereo         the AY's channels: 'abc' (default), 'acb' or 'mono'
//   jit            load the dynarec's compiler in the background (default true)
//   compile        'async' (default): the compiler runs in a Worker of its own,
//                  no frame waits on a compile; 'sync': inside the frame
//   lockstep       check every compiled run against the interpreter (slow; for
//                  finding dynarec bugs): statistics().jit.core counts checks
//                  and divergences, lockstepReports holds the first in full
//   sound          play sound after the first click or key press (default true)
//   keyboard       'focus' (keys go to this Spectrum while it has focus; the
//                  default), 'document' (all keys on the page) or false
//   joystick       the joystick that arrows, gamepads and the touch d-pad drive:
//                  'cursor' (default: arrows are the Spectrum's cursor keys,
//                  CAPS SHIFT+5-8; pads press 5-8 and 0, a Protek/AGF cursor
//                  joystick), 'kempston' (port 0x1F; right Ctrl/Alt fire) or
//                  'sinclair' (Interface 2's left port: keys 6-9, fire 0)
//   smooth         filtered scaling instead of crisp pixels (default false)
//   onScreenKeyboard  show the touch keyboard (default: on touch-only devices)
//   onScreenJoystick  show the touch d-pad and fire button (default: on touch-only devices)
//   stats          show the statistics overlay (default false)
//   fit            'width' (default: as wide as the container, height from
//                  the aspect ratio) or 'contain' (largest size that fits the
//                  container's box, which then needs a height)
//   autoLoad       a loaded tape is started with LOAD "" (default true)
//   rewind         keep a ring of snapshots to go back in time (default true:
//                  every 0.5 s, up to 60 s and 16 MiB; an object { interval,
//                  seconds, maxBytes } changes those; false turns it off)
//   buildUrl       where zxcore.mjs/.wasm and zxjit.mjs/.wasm are
//   engine         a Worker the page already started on the bundled
//                  emulator thread (build/dist/worker.*.js, tools/bundle.mjs),
//                  which loads the core itself: started from the HTML,
//                  before this module has loaded, it saves that time (the
//                  bundled index.html does)
//
// Events (CustomEvent, details in e.detail): ready, load, error, statistics,
// pause, resume, jit, controls (the touch keyboard, the d-pad or the
// statistics were shown or hidden, by the API or their own close buttons:
// detail { keyboard, joystick, stats }),
// machine (the model changed: by setMachine, a snapshot
// for another model, or new ROMs; detail { machine, name, romCount,
// romFallback, userRom, cpuHz, frameRate, hasAy }), typed (a text given
// to type() has been typed; detail { text, frames, strokes, keywords }),
// break (the debugger stopped the machine: detail is the debugger's view,
// see `debug`), debugrun (it runs again).
import { compiledModule } from './wasm-cache.mjs';
import { Screen } from './ui/screen.mjs';
import { KeyboardInput } from './ui/keyboard-input.mjs';
import { GamepadInput } from './ui/gamepad.mjs';
import { OnScreenKeyboard } from './ui/onscreen-keyboard.mjs';
import { DPad } from './ui/dpad.mjs';
import { StatsOverlay } from './ui/stats-overlay.mjs';
import { Toasts } from './ui/toast.mjs';
import { SoundOutput, SAMPLE_RATE } from './audio/audio-output.mjs';
import { MACHINE, JOY } from './zx-constants.mjs';

const DEFAULT_BUILD = new URL('../build/wasm/web/', import.meta.url);
// The Wasm programs' file names under buildUrl (the page's bundle,
// tools/bundle.mjs, puts content-hashed copies' names here).
const PROGRAM_FILES = { coreJs: 'zxcore.mjs', coreWasm: 'zxcore.wasm', jitJs: 'zxjit.mjs', jitWasm: 'zxjit.wasm' };
const STYLESHEET = new URL('./ui/spectrum.css', import.meta.url);
const STEREO_MODES = ['abc', 'acb', 'mono'];
const DEBUG_OPS = ['addBreakpoint', 'removeBreakpoint', 'enableBreakpoint', 'clearBreakpoints', 'breakpoints', 'continue', 'break',
  'step', 'stepOver', 'stepOut', 'runTo', 'registers', 'setRegisters', 'peek', 'poke', 'disassemble', 'position', 'callStack',
  'paging', 'view'];
const JOYSTICK_MODES = ['cursor', 'kempston', 'sinclair'];
// Joysticks that are keys: [direction bit, key] (Sinclair: Interface 2's
// left port; cursor: the Protek/AGF layout).
const JOYSTICK_KEYS = {
  sinclair: [[JOY.LEFT, '6'], [JOY.RIGHT, '7'], [JOY.DOWN, '8'], [JOY.UP, '9'], [JOY.FIRE, '0']],
  cursor: [[JOY.LEFT, '5'], [JOY.DOWN, '6'], [JOY.UP, '7'], [JOY.RIGHT, '8'], [JOY.FIRE, '0']],
};

// Page-wide timing: the first Spectrum's first picture (bench/web_first_frame.mjs reads it).
const pageTiming = (globalThis.zxTiming ??= { firstFrameMs: null });

// A Worker must come from the page's own origin. When this module is
// imported from another (a host serving it with CORS: README
// "Self-hosting"), a same-origin module worker made from a Blob imports the
// real one, whose own imports then resolve against its URL.
function startEngine(url) {
  if (url.origin === location.origin) return new Worker(url, { type: 'module' });
  const shim = URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};\n`], { type: 'text/javascript' }));
  const worker = new Worker(shim, { type: 'module' });
  setTimeout(() => URL.revokeObjectURL(shim), 60000);
  return worker;
}

export function createSpectrum(container, options = {}) {
  return new Spectrum(container, options);
}

export class Spectrum extends EventTarget {
  constructor(container, options = {}) {
    super();
    if (!(container instanceof Element)) throw new TypeError('createSpectrum: container must be an element');
    this.options = options;
    this.machineInfo = null;   // the worker's description of the running model
    this.machineList = [];     // [{ id, name, romCount }] once ready
    const stereo = String(options.stereo ?? 'abc').toLowerCase();
    this.stereoMode = STEREO_MODES.includes(stereo) ? stereo : 'abc';
    this.container = container;
    this.buildUrl = new URL(options.buildUrl ?? DEFAULT_BUILD, document.baseURI);
    this.joystickMode = JOYSTICK_MODES.includes(options.joystick) ? options.joystick : 'cursor';
    this.stats = null;
    this.audioStats = null;
    this.pausedState = false;
    this.turboState = false;
    this.calls = new Map();
    this.nextCall = 1;
    this.keyCounts = new Map();
    this.joyBits = { keyboard: 0, gamepad: 0, dpad: 0, api: 0 };
    this.sentJoy = 0;
    this.joyKeys = new Set();  // keys held for a Sinclair or cursor joystick
    this.destroyed = false;
    this.t0 = performance.now();

    this.buildDom();
    if (stereo !== this.stereoMode) queueMicrotask(() => this.fail(`stereo: expected 'abc', 'acb' or 'mono', got '${options.stereo}'`, { fatal: false }));
    this.startWorker();
    this.ready = new Promise((resolve, reject) => { this.resolveReady = resolve; this.rejectReady = reject; });
    this.ready.catch(() => {});   // reported through the 'error' event as well
    if (options.src) this.ready.then(() => this.load(options.src)).catch(() => {});
  }

  // ---- construction

  buildDom() {
    addStylesheet(this.container);
    const root = document.createElement('div');
    root.className = 'zx-spectrum';
    if (this.options.fit === 'contain') root.classList.add('zx-fit-contain');
    const area = document.createElement('div');
    area.className = 'zx-screen-area';
    const frame = document.createElement('div');
    frame.className = 'zx-screen';
    const canvas = document.createElement('canvas');
    canvas.width = MACHINE.FB_WIDTH;
    canvas.height = MACHINE.FB_HEIGHT;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', 'ZX Spectrum screen');
    frame.append(canvas);
    const pausedBadge = document.createElement('div');
    pausedBadge.className = 'zx-badge';
    pausedBadge.textContent = 'Paused';
    pausedBadge.hidden = true;
    frame.append(pausedBadge);
    area.append(frame);
    root.append(area);
    this.container.append(root);
    this.root = root;
    this.frame = frame;
    this.canvas = canvas;
    this.pausedBadge = pausedBadge;
    this.screen = new Screen(canvas, {
      giveBack: (buffer) => this.worker?.postMessage({ t: 'frame-return', buffer }, [buffer]),
      onFirstDraw: () => this.firstDraw(),
    });
    this.screen.smooth = Boolean(this.options.smooth);
    this.overlay = new StatsOverlay(frame, { onClose: () => { this.showStats = false; } });
    this.overlay.visible = Boolean(this.options.stats);
    this.toasts = new Toasts(frame);

    const keyboard = this.options.keyboard ?? 'focus';
    if (keyboard) {
      // 'focus': the screen is focusable; click it (or tab to it), then type.
      frame.tabIndex = 0;
      const target = keyboard === 'document' ? window : frame;
      frame.addEventListener('pointerdown', () => frame.focus?.({ preventScroll: true }));
      this.keyboard = new KeyboardInput(target, {
        send: (name, down) => (down ? this.keyDown(name) : this.keyUp(name)),
        joy: (bits) => this.setJoy('keyboard', bits),
        joystickMode: () => this.joystickMode,
      });
    }
    this.gamepad = new GamepadInput((bits) => this.setJoy('gamepad', bits));
    const touchOnly = matchMedia('(pointer: coarse)').matches && !matchMedia('(pointer: fine)').matches;
    this.dpad = new DPad(root, (bits) => this.setJoy('dpad', bits));
    this.dpad.visible = this.options.onScreenJoystick ?? touchOnly;
    this.osk = new OnScreenKeyboard(root, (name, down) => (down ? this.keyDown(name) : this.keyUp(name)),
      { onHide: () => { this.onScreenKeyboard = false; } });
    this.osk.visible = this.options.onScreenKeyboard ?? touchOnly;
  }

  async startWorker() {
    this.worker = this.options.engine instanceof Worker ? this.options.engine : startEngine(new URL('./engine/worker.mjs', import.meta.url));
    this.worker.onmessage = (e) => this.message(e.data);
    this.worker.onerror = (e) => this.fail(`the emulator failed to start: ${e.message ?? 'worker error'}`);
    // The worker fetches the core's JS glue while this thread compiles its
    // Wasm (preloaded by the page), rather than after.
    this.worker.postMessage({ t: 'prefetch', coreUrl: new URL(PROGRAM_FILES.coreJs, this.buildUrl).href });
    let roms;
    try {
      roms = initialRoms(this.options);
    } catch (e) {
      this.fail(e.message);
      return;
    }
    try {
      // A given engine loads its own core; else the page compiles it once for all.
      const coreModule = this.options.engine instanceof Worker ? null : await compiledModule(new URL(PROGRAM_FILES.coreWasm, this.buildUrl));
      if (this.destroyed) return;
      this.worker.postMessage({
        t: 'init',
        coreUrl: new URL(PROGRAM_FILES.coreJs, this.buildUrl).href,
        coreModule,
        options: {
          machine: String(this.options.machine ?? '48k'),
          roms,
          stereo: this.stereoMode,
          jit: this.options.jit !== false,
          compile: this.options.compile === 'sync' ? 'sync' : 'async',
          lockstep: Boolean(this.options.lockstep),
          profile: Boolean(this.options.stats),
          sampleRate: SAMPLE_RATE,
          autoLoad: this.options.autoLoad !== false,
          rewind: rewindOption(this.options.rewind),
        },
      });
    } catch (e) {
      this.fail(`the emulator could not be downloaded: ${e.message}`);
    }
  }

  // The compiler is big: fetched after the first frame so it never delays it.
  async loadCompiler() {
    if (this.options.jit === false) return;
    try {
      const jitModule = await compiledModule(new URL(PROGRAM_FILES.jitWasm, this.buildUrl));
      if (this.destroyed) return;
      this.worker.postMessage({ t: 'jit', jitUrl: new URL(PROGRAM_FILES.jitJs, this.buildUrl).href, jitModule });
    } catch (e) {
      this.emit('jit', { state: 'failed', error: e.message });
    }
  }

  message(m) {
    switch (m.t) {
      case 'frame': this.screen.show(m); break;
      case 'ready':
        this.machineList = m.machines;
        this.machineInfo = m.info;
        if (this.options.sound !== false) {
          this.sound = new SoundOutput({
            connect: (port) => this.worker.postMessage({ t: 'audio-port', port }, [port]),
            onStats: (s) => { this.audioStats = s; },
          });
        }
        break;
      case 'machine': {
        const first = !this.machineInfo;
        this.machineInfo = m.info;
        if (!first) this.emit('machine', m.info);
        break;
      }
      case 'stats': this.statsArrived(m.stats); break;
      case 'typed': this.emit('typed', m.result); break;
      case 'break': this.emit('break', m.view); break;
      case 'debug-run': this.emit('debugrun', {}); break;
      case 'reply': {
        const c = this.calls.get(m.id);
        this.calls.delete(m.id);
        if (c) (m.ok ? c.resolve(m.value) : c.reject(new Error(m.error)));
        break;
      }
      case 'log': console[m.level === 'error' ? 'error' : m.level === 'warn' ? 'warn' : 'info'](`[zx] ${m.text}`); break;
      case 'fatal': this.fail(`the emulator failed to start: ${m.error}`); break;
      default: break;
    }
  }

  firstDraw() {
    this.firstFrameMs = performance.now() - this.t0;
    pageTiming.firstFrameMs ??= performance.now();
    this.resolveReady(this);
    this.emit('ready', { firstFrameMs: this.firstFrameMs });
    this.loadCompiler();
  }

  statsArrived(s) {
    const jitBefore = this.stats?.jit.state;
    s.firstFrameMs = this.firstFrameMs;
    s.audioState = this.sound ? this.sound.state : 'off';
    if (this.audioStats) {
      s.audio = { bufferedMs: (this.audioStats.bufferedSamples / SAMPLE_RATE) * 1000, underruns: this.audioStats.underruns, dropped: this.audioStats.dropped };
    }
    this.stats = s;
    this.overlay.update(s);
    this.emit('statistics', s);
    if (s.jit.state !== jitBefore) this.emit('jit', s.jit);
  }

  // fatal: the machine could not start (ready rejects); otherwise one
  // request failed and the machine runs on.
  fail(text, { fatal = true } = {}) {
    this.toasts.show(text, { kind: 'error', ms: fatal ? 60000 : 8000 });
    this.emit('error', { message: text });
    if (fatal) this.rejectReady?.(new Error(text));
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  call(method, args, transfer) {
    if (this.destroyed) return Promise.reject(new Error('this Spectrum was destroyed'));
    const id = this.nextCall++;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.worker.postMessage({ t: 'call', id, method, args }, transfer ?? []);
    });
  }

  // ---- media

  // source: a URL (string or URL), a File/Blob, an ArrayBuffer or a
  // Uint8Array. Resolves { name, format, warnings }; on a bad file rejects
  // with an Error in plain words, shows it, fires 'error', and the running
  // program carries on untouched.
  async load(source, name) {
    name ??= sourceName(source);
    try {
      const bytes = await readSource(source, name);
      const machineBefore = this.machine;
      const r = await this.call('load', { bytes: bytes.buffer, name }, [bytes.buffer]);
      const result = { name, ...r };
      const notes = [...r.warnings];
      if (r.machine !== machineBefore && r.format !== 'rom') notes.unshift(`it needs the ${this.machineName ?? r.machine}, now running`);
      const note = notes.length ? ` (${notes.join('; ')})` : '';
      this.toasts.show(`Loaded ${name}${note}`);
      this.emit('load', result);
      return result;
    } catch (e) {
      const message = e.message.startsWith(`${name}:`) ? e.message : `${name}: ${e.message}`;
      this.toasts.show(`Could not load ${message}`, { kind: 'error' });
      this.emit('error', { message, name });
      throw new Error(message);
    }
  }

  // 'z80' or 'sna' -> Uint8Array
  snapshot(format = 'z80') {
    return this.call('snapshot', { format });
  }

  // ---- the machine

  // The running model's id ('48k', '128k', ...) and name ('ZX Spectrum 128K');
  // null until the worker has started it.
  get machine() { return this.machineInfo?.machine ?? null; }
  get machineName() { return this.machineInfo?.name ?? null; }
  // All of the running model's facts (see the 'machine' event).
  get machineDetails() { return this.machineInfo ? { ...this.machineInfo } : null; }
  // True when a 128K model runs on the OpenSE BASIC in every ROM slot.
  get romFallback() { return Boolean(this.machineInfo?.romFallback); }
  // The models this build emulates: [{ id, name, romCount }] (after ready).
  get machines() { return this.machineList.map((m) => ({ ...m })); }

  // Switches to another model: a fresh machine that boots its ROM (its
  // user ROMs if given). Resolves the 'machine' details; an unknown model
  // rejects, fires 'error' and leaves the running machine alone.
  async setMachine(machine) {
    await this.ready;
    try {
      return await this.call('setMachine', { machine: String(machine) });
    } catch (e) {
      return this.callFailed(e);
    }
  }

  // Gives a model its ROMs (bytes, or an array of them in order; null
  // forgets them). When that model is running it restarts on them, keeping
  // its program where the core can carry its state over.
  async setRoms(machine, roms) {
    await this.ready;
    try {
      const bytes = roms === null || roms === undefined ? null : joinRoms(roms);
      return await this.call('setRoms', { machine: String(machine), bytes: bytes?.buffer ?? null }, bytes ? [bytes.buffer] : []);
    } catch (e) {
      return this.callFailed(e);
    }
  }

  // The AY's stereo placement: 'abc', 'acb' or 'mono'.
  set stereo(mode) {
    const m = String(mode).toLowerCase();
    if (!STEREO_MODES.includes(m)) {
      this.fail(`stereo: expected 'abc', 'acb' or 'mono', got '${mode}'`, { fatal: false });
      return;
    }
    this.stereoMode = m;
    this.ready.then(() => this.call('setStereo', { mode: m })).catch(() => {});
  }

  get stereo() { return this.stereoMode; }

  callFailed(e) {
    this.fail(e.message, { fatal: false });
    throw e;
  }

  // ---- control

  reset() { this.worker.postMessage({ t: 'reset' }); }

  pause() {
    if (this.pausedState) return;
    this.pausedState = true;
    this.pausedBadge.hidden = false;
    this.worker.postMessage({ t: 'pause' });
    this.emit('pause', {});
  }

  resume() {
    if (!this.pausedState) return;
    this.pausedState = false;
    this.pausedBadge.hidden = true;
    this.worker.postMessage({ t: 'resume' });
    this.emit('resume', {});
  }

  get paused() { return this.pausedState; }

  // Fast-forward: run as fast as the machine allows, without sound.
  set turbo(on) {
    this.turboState = Boolean(on);
    this.worker.postMessage({ t: 'turbo', on: this.turboState });
  }

  get turbo() { return this.turboState; }

  // ---- rewind (web/engine/rewind.mjs)

  // Goes back about `seconds` of play at once (up to what the ring holds).
  // Resolves { seconds: how far it went, available: how much is left }.
  async rewind(seconds = 5) {
    await this.ready;
    try {
      return await this.call('rewind', { seconds });
    } catch (e) {
      return this.callFailed(e);
    }
  }

  // While true (a held key or button), the machine steps back through its
  // snapshots (0.5 s of play every 50 ms), showing each; false plays on
  // from where it got to.
  set rewinding(on) {
    this.rewindingState = Boolean(on);
    this.worker.postMessage({ t: 'rewind-hold', on: this.rewindingState });
  }

  get rewinding() { return Boolean(this.rewindingState); }

  // Seconds the ring can go back (as of the latest statistics).
  get rewindAvailable() { return this.stats?.rewind?.seconds ?? 0; }

  get tape() {
    const send = (op) => this.worker.postMessage({ t: 'tape', op });
    const s = this.stats?.tape;
    return {
      play: () => send('play'),
      stop: () => send('stop'),
      rewind: () => send('rewind'),
      eject: () => send('eject'),
      blocks: s?.blocks ?? 0,
      block: s?.block ?? 0,
      playing: s?.playing ?? false,
    };
  }

  // ---- input

  // key: a name of KEYS ('A', '7', 'ENTER', 'SPACE', 'CAPS', 'SYMBOL') or a code.
  // Presses are counted, so two sources holding one key release it once both let go.
  keyDown(key) {
    const n = this.keyCounts.get(key) ?? 0;
    this.keyCounts.set(key, n + 1);
    if (n === 0) this.worker.postMessage({ t: 'key', key, down: true });
  }

  keyUp(key) {
    const n = this.keyCounts.get(key) ?? 0;
    if (n === 0) return;
    if (n === 1) {
      this.keyCounts.delete(key);
      this.worker.postMessage({ t: 'key', key, down: false });
    } else {
      this.keyCounts.set(key, n - 1);
    }
  }

  releaseAllKeys() {
    this.keyboard?.releaseAll();
    this.keyCounts.clear();
    this.joyKeys.clear();
    this.worker.postMessage({ t: 'keys-release' });
  }

  // Types text at the Spectrum's pace; keywords as single keys on a
  // keyword-entry ROM (web/key-typer.mjs). Texts given while one is typing
  // follow it. Resolves { text, frames, strokes, keywords } when the last
  // key is up and, after a final ENTER, the ROM has dealt with the line
  // (at most 1 s later); a 'typed' event carries the same. Rejects at once
  // on a character no key makes, and if a reset or machine change stops it.
  type(text) { return this.call('type', { text }); }

  // Kempston bits (RIGHT 1, LEFT 2, DOWN 4, UP 8, FIRE 16), merged with the
  // keyboard's, gamepads' and d-pad's own (which follow joystickMode).
  joystick(bits) { this.setJoy('api', bits); }

  setJoy(source, bits) {
    this.joyBits[source] = bits;
    const { keyboard, gamepad, dpad, api } = this.joyBits;
    const stick = keyboard | gamepad | dpad;
    const keyed = JOYSTICK_KEYS[this.joystickMode];
    const kempston = api | (keyed ? 0 : stick);
    if (kempston !== this.sentJoy) {
      this.sentJoy = kempston;
      this.worker.postMessage({ t: 'joystick', bits: kempston });
    }
    // A Sinclair or cursor joystick is keys: press and release the difference.
    const want = new Set((keyed ?? []).filter(([bit]) => stick & bit).map(([, key]) => key));
    for (const k of [...this.joyKeys]) if (!want.has(k)) { this.joyKeys.delete(k); this.keyUp(k); }
    for (const k of want) if (!this.joyKeys.has(k)) { this.joyKeys.add(k); this.keyDown(k); }
  }

  // 'cursor', 'kempston' or 'sinclair' (see the joystick option).
  setJoystickMode(mode) {
    this.keyboard?.releaseAll();
    this.joystickMode = JOYSTICK_MODES.includes(mode) ? mode : 'cursor';
    this.setJoy('api', this.joyBits.api);   // held pads move to the new joystick
  }

  // ---- the debugger (web/debugger-core.mjs runs in the Worker; README "Debugger")
  // Every operation returns a promise: addBreakpoint(spec), removeBreakpoint(id),
  // enableBreakpoint(id, on), clearBreakpoints(), breakpoints(), continue(),
  // break() (stop now), step(), stepOver(), stepOut(), runTo(addr),
  // registers(), setRegisters(values), peek(addr, n), poke(addr, bytes),
  // disassemble(addr, n), position(), callStack(), paging(), view() (all of
  // it at once, as the 'break' event's detail).
  get debug() {
    this.debugApi ??= Object.freeze(Object.fromEntries(DEBUG_OPS.map((op) => [op, (...args) => this.call('debug', { op, args })])));
    return this.debugApi;
  }

  // ---- looking at it

  screenshot(type = 'image/png') {
    return new Promise((resolve) => this.canvas.toBlob(resolve, type));
  }

  screenText() { return this.call('screenText'); }

  // The latest figures (also sent as 'statistics' events twice a second).
  statistics() { return this.stats; }

  // The JIT inspector, run in the Worker (web/jit-inspect.mjs): the calls
  // of the headless runner's zx.jit as promises. functions({ filter (a
  // string here), states, sort, visible, limit }), function(id) (with its
  // guest disassembly and Wasm text), functionAt(addr), map() ({ heat,
  // cover, inval }), lockstep(on?) (sets it when given; resolves whether it
  // is on), lockstepReports(), profile(on): the frame profile for the
  // inspector's chart (statistics().profile), also on while the
  // statistics are shown.
  get jit() {
    const call = (op, args) => this.call('jit', { op, args });
    this.jitApi ??= {
      functions: (options = {}) => call('functions', options),
      function: (id) => call('function', id),
      functionAt: (addr) => call('functionAt', addr),
      map: () => call('map'),
      lockstep: (on) => call('lockstep', on),
      lockstepReports: () => call('lockstepReports'),
      profile: (on) => {
        this.jitProfile = Boolean(on);
        this.worker?.postMessage({ t: 'profile', on: this.jitProfile || this.showStats });
      },
    };
    return this.jitApi;
  }

  set smooth(on) { this.screen.smooth = on; }
  get smooth() { return this.screen.smooth; }
  set showStats(on) {
    this.overlay.visible = on;
    // the frame profile runs while they are shown (or the JIT inspector charts it)
    this.worker?.postMessage({ t: 'profile', on: Boolean(on) || Boolean(this.jitProfile) });
    if (on && this.stats) this.overlay.update(this.stats);
    this.controlsChanged();
  }
  get showStats() { return this.overlay.visible; }
  set onScreenKeyboard(on) {
    this.osk.visible = Boolean(on);
    this.controlsChanged();
  }
  get onScreenKeyboard() { return this.osk.visible; }
  set onScreenJoystick(on) {
    this.dpad.visible = Boolean(on);
    this.controlsChanged();
  }
  get onScreenJoystick() { return this.dpad.visible; }

  controlsChanged() {
    this.emit('controls', { keyboard: this.osk.visible, joystick: this.dpad.visible, stats: this.overlay.visible });
  }
  set muted(on) { this.sound?.setMuted(on); this.mutedState = on; }
  get muted() { return Boolean(this.mutedState); }

  // Fullscreen shows the screen alone, scaled to fit.
  toggleFullscreen() {
    if (document.fullscreenElement) return document.exitFullscreen();
    return this.frame.requestFullscreen?.().then(() => this.frame.focus());
  }

  notify(text, kind = 'info') { this.toasts.show(text, { kind }); }

  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.keyboard?.destroy();
    this.gamepad.destroy();
    this.dpad.destroy();
    this.sound?.close();
    this.screen.destroy();
    this.worker.postMessage({ t: 'destroy' });
    for (const c of this.calls.values()) c.reject(new Error('this Spectrum was destroyed'));
    this.calls.clear();
    this.root.remove();
  }
}

// One Uint8Array from bytes or an array of them (concatenated in order).
function joinRoms(roms) {
  const parts = (Array.isArray(roms) ? roms : [roms]).map((r) => {
    if (r instanceof ArrayBuffer) return new Uint8Array(r);
    if (ArrayBuffer.isView(r)) return new Uint8Array(r.buffer, r.byteOffset, r.byteLength);
    throw new TypeError('ROMs: expected a Uint8Array or ArrayBuffer, or an array of them');
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

// The rewind option as the worker takes it: true, false or its settings.
function rewindOption(r) {
  if (r === undefined || r === true) return true;
  if (r === false || r === null) return false;
  const out = {};
  for (const k of ['interval', 'seconds', 'maxBytes']) if (r[k] !== undefined) out[k] = Number(r[k]);
  return out;
}

// The worker's ROM table from the options: roms per machine, and rom for the first one.
function initialRoms(options) {
  const out = {};
  for (const [id, r] of Object.entries(options.roms ?? {})) if (r) out[String(id).toLowerCase()] = joinRoms(r);
  if (options.rom) out[String(options.machine ?? '48k').toLowerCase()] = joinRoms(options.rom);
  return out;
}

function sourceName(source) {
  if (typeof source === 'string' || source instanceof URL) {
    const url = new URL(source, document.baseURI);
    return decodeURIComponent(url.pathname.split('/').pop() || url.host || 'download');
  }
  return source?.name || 'file';
}

async function readSource(source, name) {
  if (typeof source === 'string' || source instanceof URL) {
    const url = new URL(source, document.baseURI);
    let response;
    try {
      response = await fetch(url);
    } catch {
      throw new Error(`${name}: could not download it from ${url.host || url.href} (offline, or that server does not allow it)`);
    }
    if (!response.ok) throw new Error(`${name}: the server answered ${response.status} ${response.statusText}`.trim());
    return new Uint8Array(await response.arrayBuffer());
  }
  if (source instanceof Blob) return new Uint8Array(await source.arrayBuffer());
  if (source instanceof ArrayBuffer) return new Uint8Array(source.slice(0));
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer.slice(source.byteOffset, source.byteOffset + source.byteLength));
  throw new Error('load() takes a URL, a File or Blob, an ArrayBuffer or a Uint8Array');
}

// The component's stylesheet, once per document or shadow root (a page
// that has it already, linked or inline, marks it data-zx-spectrum).
function addStylesheet(el) {
  const root = el.getRootNode();
  const parent = root instanceof ShadowRoot ? root : document.head;
  if (parent.querySelector('[data-zx-spectrum]')) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = STYLESHEET.href;
  link.dataset.zxSpectrum = '';
  parent.prepend(link);
}
