// The emulator thread. One Worker per Spectrum on the page owns the machine
// (a SpectrumCore over its own instance of the zxcore program) and, once it
// has loaded, the compiler program (zxjit) attached as core.jit.
//
// Why a Worker: the dynarec's glue compiles each generated module with a
// synchronous `new WebAssembly.Module`, which Chrome refuses on the main
// thread for modules over 4 KB; the compiler's work would also stall the
// page's drawing and input. In a Worker neither matters, and the 50 Hz clock
// keeps time however busy the page is.
//
// Out of this thread go: a copy of each shown frame (a transferred
// ArrayBuffer; the page hands it back for reuse), the frame's sound (stereo:
// the AY's channels placed by the stereo setting) straight to the
// AudioWorklet through a MessagePort (never via the page), the machine's
// description whenever it changes (model, ROMs), and statistics twice a
// second.
//
// The machine: one of the core's models (machines() in spectrum-core.mjs),
// switched by a call or by a snapshot that needs another model. The page
// gives each model's user ROMs (its own, or remembered in IndexedDB);
// without them a 128K model runs on the embedded OpenSE BASIC in every ROM
// slot (romFallback), so the 128K editor is missing.
//
// In come key, joystick and control messages and calls with replies (load,
// snapshot, screen text, machine and ROM changes...).
import { SpectrumCore, KEYS, machines, snapshotMachine } from '../spectrum-core.mjs';
import { loadCompiler } from '../jit-compiler.mjs';
import { AsyncCompiler } from '../jit-async.mjs';
import { FrameClock } from './frame-clock.mjs';
import { KeyQueue } from './key-queue.mjs';
import { TypeQueue } from './type-queue.mjs';
import { AutoLoader } from './auto-load.mjs';
import { Rewind } from './rewind.mjs';
import { machineForSnapshot } from './machine-choice.mjs';
import { MACHINE } from '../zx-constants.mjs';
import { DebugSession } from './debug-session.mjs';

const TURBO_BUDGET_MS = 14;      // per tick in turbo: leaves time for messages
const STATS_EVERY_MS = 500;
const MAX_FRAMES_IN_FLIGHT = 3;  // frames posted to the page and not yet drawn

let module = null;               // the zxcore Emscripten module
let core = null;                 // SpectrumCore
let options = {};
let models = [];                 // machines(module): [{ id, name, romCount }]
const userRoms = new Map();      // machine id -> the model's ROMs (Uint8Array), given by the page
let stereo = 'abc';
let programLoaded = false;       // a snapshot or tape was loaded since the last machine start

const clock = new FrameClock();
let timer = 0;
let paused = false;
let turbo = false;
let audioPort = null;
// type(): resolved when typed; the page hears 'typed' for each text
const typing = new TypeQueue({ onTyped: (result) => post({ t: 'typed', result }) });
let autoLoader = null;
let frameNo = 0;
// Rewind (rewind.mjs): a snapshot ring filled as frames run; while the page
// holds rewinding on, each tick steps one snapshot back and shows it.
let rewind = null;
let rewinding = false;
let lastRewindStep = 0;
const REWIND_STEP_MS = 50;       // 0.5 s of play per 50 ms held: a minute back in 6 s
const keys = new KeyQueue({
  press: (k) => core.keyDown(k),
  release: (k) => core.keyUp(k),
});

// The debugger's break state and calls (a break stops the frame loop).
const debugSession = new DebugSession({
  core: () => core,
  post,
  sendFrame: () => sendFrame(),
  resume: () => { clock.restart(); schedule(0); },
});

const freeBuffers = [];
let framesInFlight = 0;

const jit = { state: 'off', mode: 'sync', loadMs: 0, error: null, warmUpLeft: 0, warmUpMs: 0 };
const perf = { windowStart: 0, frames: 0, busyMs: 0, maxFrameMs: 0, shown: 0, audioSamples: 0 };
// The longest frame of the last LONGEST_WINDOWS statistics windows (5 s).
const LONGEST_WINDOWS = 10;
const recentMaxFrameMs = [];
let lastStats = 0;

function post(msg, transfer) {
  self.postMessage(msg, transfer ?? []);
}

function log(level, text) {
  post({ t: 'log', level, text });
}

function keyCode(key) {
  const code = typeof key === 'number' ? key : KEYS[String(key).toUpperCase()];
  if (code === undefined) throw new Error(`unknown key ${JSON.stringify(key)}`);
  return code;
}

// A new machine of model `machine` with its user ROMs if the page gave
// them (else the embedded OpenSE BASIC); throws with nothing changed.
function createMachine(machine, rom = userRoms.get(machine)) {
  // the frame profile runs while the page shows its statistics
  const next = new SpectrumCore(module, { machine, rom: rom ?? undefined, sampleRate: options.sampleRate, jit: options.jit, lockstep: options.lockstep, profile: Boolean(options.profile) });
  next.stereo = stereo;
  return next;
}

// Makes `next` the running machine: input state cleared, paced at its frame rate.
function install(next) {
  core?.destroy();
  core = next;
  keys.clear();
  typing.cancel('typing stopped: the machine changed');
  autoLoader = null;
  programLoaded = false;
  clock.setFrameMs(1000 / core.frameRate);
  // snapshots of another model are no use to this one
  rewind = options.rewind === false ? null : new Rewind(options.rewind === true || !options.rewind ? {} : options.rewind);
  debugSession.machineChanged();
  postMachine();
}

function machineInfo() {
  return {
    machine: core.machine,
    name: core.machineName,
    romCount: models.find((m) => m.id === core.machine)?.romCount ?? 1,
    romFallback: core.romFallback,
    userRom: userRoms.has(core.machine),
    cpuHz: core.cpuHz,
    frameRate: core.frameRate,
    hasAy: core.machine !== '48k',
  };
}

function postMachine() {
  post({ t: 'machine', info: machineInfo() });
}

// Switches to another model (a fresh machine, booting its ROM).
function setMachine(machine) {
  install(createMachine(String(machine).toLowerCase()));
  return machineInfo();
}

// The page gives (or, with null, forgets) a model's ROMs. The running
// machine of that model restarts on them and keeps its program: its state
// moves across through a Z80 snapshot when the core saves one for this
// model, otherwise it boots.
function setRoms(machine, bytes) {
  const id = String(machine).toLowerCase();
  const model = models.find((m) => m.id === id);
  if (!model) throw new Error(`machine '${machine}': unknown (expected one of ${models.map((m) => m.id).join(', ')})`);
  const rom = bytes ? new Uint8Array(bytes) : null;
  if (rom) checkRomSize(model, rom, 'ROM');
  const before = userRoms.get(id);
  if (rom) userRoms.set(id, rom); else userRoms.delete(id);
  if (core.machine !== id) return machineInfo();
  let next;
  try {
    next = createMachine(id);
  } catch (e) {
    if (before) userRoms.set(id, before); else userRoms.delete(id);
    throw e;
  }
  let state = null;
  if (programLoaded) {
    try {
      const saved = core.saveSnapshot('z80');
      if (!machineForSnapshot(snapshotMachine(module, saved, 'state.z80'), id)) state = saved;
    } catch {
      // this model has no Z80 writer yet: the new machine boots
    }
  }
  if (state) {
    try {
      next.load(state, 'state.z80');
    } catch {
      state = null;   // the new machine boots instead
      next.reset();
    }
  }
  install(next);
  programLoaded = Boolean(state);
  return machineInfo();
}

function checkRomSize(model, rom, name) {
  const full = model.romCount * MACHINE.ROM_SIZE;
  if (rom.length === MACHINE.ROM_SIZE || rom.length === full) return;
  const want = model.romCount === 1 ? `${MACHINE.ROM_SIZE} bytes`
    : `${full} bytes (its ${model.romCount} ROMs of 16 KB) or one 16 KB ROM (${MACHINE.ROM_SIZE} bytes)`;
  throw new Error(`${name}: the ${model.name} takes ${want}; this has ${rom.length}`);
}

// The core's JS glue, imported as soon as the page names it ('prefetch').
// This thread's bundle (tools/bundle.mjs) has it inside instead: { name
// (the hashed copy's, beside the bundle), module }, and names the core's
// Wasm (BUNDLED_CORE_WASM, beside the bundle), which it then downloads,
// compiles and starts at once: nothing waits for the page (whose messages
// reach a starting Worker only once the page's own thread is free to pass
// them on). The page then sends init without a compiled core.
const BUNDLED_CORE_GLUE = null;
const BUNDLED_CORE_WASM = null;
let coreGlue = null;             // { url, module: the import's promise }

function importGlue(url) {
  if (coreGlue?.url !== url) {
    coreGlue = { url, module: import(url) };
    coreGlue.module.catch(() => {});   // reported by init, which awaits it
  }
  return coreGlue.module;
}

// The Emscripten module of the core, from its glue and compiled Wasm.
function startCore(createZxCore, compiled) {
  return new Promise((resolve, reject) => {
    createZxCore({
      instantiateWasm(imports, receive) {
        compiled.then((m) => WebAssembly.instantiate(m, imports)).then((instance) => receive(instance),
          (e) => reject(new Error(`the core failed to start: ${e.message}`)));
        return {};
      },
      print: (s) => log('info', s),
      printErr: (s) => log('warn', s),
    }).then(resolve, reject);
  });
}

let ownCore = null;              // the bundle's core, started as this thread starts
if (BUNDLED_CORE_GLUE) {
  coreGlue = { url: new URL(BUNDLED_CORE_GLUE.name, self.location.href).href, module: Promise.resolve(BUNDLED_CORE_GLUE.module) };
  const url = new URL(BUNDLED_CORE_WASM, self.location.href);
  ownCore = startCore(BUNDLED_CORE_GLUE.module.default, fetch(url).then((r) => {
    if (!r.ok) throw new Error(`could not download ${url} (HTTP ${r.status})`);
    return WebAssembly.compileStreaming(r);
  }));
  ownCore.catch(() => {});       // reported by init, which awaits it
}

async function init(msg) {
  options = msg.options;
  if (msg.coreModule) {
    // The page compiled the .wasm once (shared by every Spectrum on it).
    const { default: createZxCore } = await importGlue(msg.coreUrl);
    module = await startCore(createZxCore, Promise.resolve(msg.coreModule));
  } else {
    if (!ownCore) throw new Error('no core: the page sent none, and this is not the bundled emulator thread that loads its own');
    module = await ownCore;
  }
  models = machines(module);
  stereo = options.stereo ?? 'abc';
  for (const [id, bytes] of Object.entries(options.roms ?? {})) if (bytes) userRoms.set(id, new Uint8Array(bytes));
  install(createMachine(String(options.machine ?? '48k').toLowerCase()));
  // The first frame at once: the page shows the machine before any pacing.
  runFrames(1, false);
  post({ t: 'ready', width: core.width, height: core.height, machines: models, info: machineInfo() });
  sendFrame();
  // The machine runs on once the page has drawn that frame (its buffer
  // comes back), so that the page's first paint does not share the CPU
  // with the frame loop and the engine's optimising compile of the core it
  // sets off; at most FIRST_DRAW_WAIT_MS (a hidden page draws nothing).
  firstDrawWait = setTimeout(startLoop, FIRST_DRAW_WAIT_MS);
}

const FIRST_DRAW_WAIT_MS = 250;
let firstDrawWait = 0;

function startLoop() {
  clearTimeout(firstDrawWait);
  firstDrawWait = 0;
  clock.restart();
  perf.windowStart = performance.now();
  schedule(0);
}

// options.compile 'async' (the default): the compiler runs in a Worker of
// its own (compile-worker.mjs, warmed up there) and compiled modules are
// installed between frames, so no frame waits on a compile; 'sync': in
// this thread, inside the frame that wants the code (warmed up in idle time).
async function attachCompiler(msg) {
  if (options.compile !== 'sync') {
    attachCompileWorker(msg);
    return;
  }
  jit.state = 'loading';
  const t0 = performance.now();
  try {
    module.jit = await loadCompiler(msg.jitUrl, msg.jitModule, { print: (s) => log('info', s), printErr: (s) => log('warn', s) });
    jit.state = 'ready';
    jit.warmUpLeft = WARM_UP_FUNCTIONS;
    jit.loadMs = performance.now() - t0;
  } catch (e) {
    jit.state = 'failed';
    jit.error = e.message;
    log('warn', `the dynarec could not be loaded, the interpreter runs everything: ${e.message}`);
  }
  postStats(true);
}

function attachCompileWorker(msg) {
  jit.state = 'loading';
  jit.mode = 'async';
  try {
    const worker = new Worker(new URL('./compile-worker.mjs', import.meta.url), { type: 'module' });
    const compiler = new AsyncCompiler({ send: (m, transfer) => worker.postMessage(m, transfer) });
    worker.onmessage = (e) => {
      compiler.receive(e.data);
      if (e.data.t === 'ready') {
        jit.state = 'ready';
        jit.loadMs = compiler.loadMs;
        jit.warmUpMs = compiler.warmUpMs;
        postStats(true);
      } else if (e.data.t === 'failed') {
        jit.state = 'failed';
        jit.error = e.data.error;
        log('warn', `the dynarec's compiler could not be loaded, the interpreter runs everything: ${e.data.error}`);
        postStats(true);
      }
    };
    worker.onerror = (e) => {
      compiler.fail(e.message ?? 'the compile worker failed');
      jit.state = 'failed';
      jit.error = compiler.failed;
    };
    module.jitAsync = compiler;
    worker.postMessage({ t: 'init', jitUrl: msg.jitUrl, jitModule: msg.jitModule, warmUp: WARM_UP_FUNCTIONS / 8 });
  } catch (e) {
    jit.state = 'failed';
    jit.error = e.message;
    log('warn', `the dynarec could not be loaded, the interpreter runs everything: ${e.message}`);
  }
}

// ---- the frame loop

function schedule(ms) {
  if (!timer && (!paused || rewinding) && !debugSession.broken && core) timer = setTimeout(tick, ms);
}

function tick() {
  timer = 0;
  if (!core || debugSession.broken) return;
  if (rewinding) {   // paused or not: a paused machine stays paused where it got to
    rewindTick();
    return;
  }
  if (paused) return;
  const fast = turbo || (options.autoFastForward !== false && core.tape.wantsFastForward);
  if (fast) {
    // As many frames as fit in the budget; only the last one is drawn.
    const t0 = performance.now();
    let n = 0;
    do {
      runFrames(1, true);
      n++;
    } while (performance.now() - t0 < TURBO_BUDGET_MS && !debugSession.broken);
    clock.restart();
    finishTick(n, false);
    schedule(0);
    return;
  }
  const n = clock.due();
  if (n > 0) {
    runFrames(n, false);
    clock.done(n);
    finishTick(n, true);
  }
  warmUpCompiler();
  schedule(clock.msUntilNext());
}

// The compiler's warm-up (web/jit-compiler.mjs) in the time left before the
// next frame is due, a function at a time, until WARM_UP_FUNCTIONS are done.
const WARM_UP_FUNCTIONS = 480;
const WARM_UP_SLICE_MS = 6;
function warmUpCompiler() {
  if (jit.state !== 'ready' || jit.warmUpLeft <= 0) return;
  const t0 = performance.now();
  while (jit.warmUpLeft > 0 && clock.msUntilNext() > WARM_UP_SLICE_MS && performance.now() - t0 < WARM_UP_SLICE_MS) {
    try {
      jit.warmUpMs += module.jit.warmUp(1, 1);
    } catch (e) {
      log('warn', e.message);
      jit.warmUpLeft = 0;
      return;
    }
    jit.warmUpLeft--;
  }
}

// Runs n frames; in fast mode all but the last skip picture and sound.
function runFrames(n, fast) {
  const audio = audioPort && !fast ? [] : null;
  for (let i = 0; i < n; i++) {
    keys.apply(frameNo);
    if (autoLoader) {
      autoLoader.step();
      if (autoLoader.done) autoLoader = null;
    } else {
      typing.step(core);
    }
    const last = i === n - 1;
    core.fastForward = fast && !last;
    const t0 = performance.now();
    const stop = core.runFrame();
    if (!stop) rewind?.afterFrame(core);
    const ms = performance.now() - t0;
    perf.busyMs += ms;
    if (ms > perf.maxFrameMs) perf.maxFrameMs = ms;
    if (stop) {   // a debugger break: the frame is half run, its sound not made yet
      core.fastForward = false;
      if (audio && audio.length) sendAudio(audio);
      debugSession.broke(stop);
      return;
    }
    perf.frames++;
    frameNo++;
    if (audio) audio.push(core.audioStereo());
  }
  core.fastForward = false;
  if (audio && audio.length) sendAudio(audio);
}

// One message of { left, right } for the frames just run.
function sendAudio(chunks) {
  const total = chunks.reduce((s, c) => s + c.left.length, 0);
  const left = new Float32Array(total);
  const right = new Float32Array(total);
  let at = 0;
  for (const c of chunks) {
    left.set(c.left, at);
    right.set(c.right, at);
    at += c.left.length;
  }
  perf.audioSamples += total;
  audioPort.postMessage({ left, right }, [left.buffer, right.buffer]);
}

// ---- rewind

function rewindTick() {
  const now = performance.now();
  if (now - lastRewindStep >= REWIND_STEP_MS && rewind?.stepBack(core)) {
    lastRewindStep = now;
    showRewound();
  }
  schedule(Math.max(1, REWIND_STEP_MS - (performance.now() - lastRewindStep)));
}

// The picture of the state just restored: one frame run without sound,
// then the state restored again, so that play resumes exactly from it.
function showRewound() {
  typing.cancel('typing stopped: the machine went back in time');   // what it was typing belongs to the future
  autoLoader = null;
  const entry = rewind.entries.at(-1);
  core.fastForward = false;
  core.runFrame();
  core.load(entry.bytes, 'rewind.z80');
  sendFrame();
  postStats(false);
}

function setRewinding(on) {
  if (on === rewinding) return;
  rewinding = on;
  if (!on) clock.restart();
  else lastRewindStep = -Infinity;
  clearTimeout(timer);
  timer = 0;
  schedule(0);
  postStats(true);
}

function rewindBy(seconds) {
  if (!rewind) throw new Error('rewind is off for this Spectrum');
  const back = rewind.back(core, Number(seconds));
  if (back > 0) {
    showRewound();
    clock.restart();
  }
  return { seconds: back, available: rewind.available(core.frameRate) };
}

function finishTick() {
  sendFrame();
  postStats(false);
}

function sendFrame() {
  // The page is behind (a background tab does not draw): skip, it only
  // wants the latest picture anyway.
  if (framesInFlight >= MAX_FRAMES_IN_FLIGHT) return;
  const fb = core.frameBuffer();
  let buffer = freeBuffers.pop();
  if (!buffer || buffer.byteLength !== fb.byteLength) buffer = new ArrayBuffer(fb.byteLength);
  new Uint8ClampedArray(buffer).set(fb);
  framesInFlight++;
  perf.shown++;
  post({ t: 'frame', buffer, width: core.width, height: core.height, frame: core.frames }, [buffer]);
}

function statistics() {
  const now = performance.now();
  const wall = Math.max(1, now - perf.windowStart);
  const cs = core?.stats() ?? {};
  return {
    speed: (perf.frames * clock.frameMs) / wall,  // 1 = real time
    framesPerSecond: (perf.frames * 1000) / wall,
    frameMs: perf.frames ? perf.busyMs / perf.frames : 0,
    maxFrameMs: perf.maxFrameMs,
    longestFrameMs: Math.max(perf.maxFrameMs, ...recentMaxFrameMs),  // over the last 5 s
    busy: perf.busyMs / wall,                      // share of this thread spent emulating
    shownPerSecond: (perf.shown * 1000) / wall,
    droppedFrames: clock.dropped,
    paused,
    debugBreak: debugSession.broken,   // stopped by the debugger
    turbo,
    fastForward: Boolean(core?.tape.wantsFastForward),
    rewind: rewind && core ? { ...rewind.stats(core.frameRate), rewinding } : null,
    frames: cs.frames ?? 0,
    tstates: cs.tstates ?? 0,
    machine: core?.machine ?? null,
    paging: core && core.machine !== '48k' ? core.paging : null,
    tape: core ? { blocks: core.tape.blocks, block: core.tape.block, playing: core.tape.playing, trapLoads: core.tape.trapLoads } : null,
    jit: {
      state: jit.state,
      mode: jit.mode,               // 'async': compiled in a worker of its own; 'sync': inside the frame
      // frames that waited on a compile since the start (0 in async mode)
      framesWaited: cs.jit?.runsWaited ?? 0,
      loadMs: jit.loadMs,
      warmUpMs: jit.warmUpMs,       // the compiler's warm-up so far (idle time)
      warmUpLeft: jit.warmUpLeft,   // functions of it still to do
      error: jit.error,
      core: cs.jit ?? null,
    },
    profile: cs.profile ?? null,   // the frame profile (while the statistics are shown)
  };
}

function postStats(force) {
  const now = performance.now();
  if (!force && now - lastStats < STATS_EVERY_MS) return;
  lastStats = now;
  post({ t: 'stats', stats: statistics() });
  recentMaxFrameMs.push(perf.maxFrameMs);
  if (recentMaxFrameMs.length > LONGEST_WINDOWS - 1) recentMaxFrameMs.shift();
  perf.windowStart = now;
  perf.frames = perf.busyMs = perf.maxFrameMs = perf.shown = perf.audioSamples = 0;
}

// ---- loading

function isRom(bytes, name) {
  return /\.rom$/i.test(name) || (bytes.length === MACHINE.ROM_SIZE && !/\.(tap|tzx|z80|sna|szx|zip)$/i.test(name));
}

// A ROM file runs the current model on it (one 16 KB ROM, or all of the
// model's ROMs in one file). A snapshot made for another model switches to
// that model first (machine-choice.mjs: its own hardware field decides, so
// a 48K snapshot on a 128K machine runs on a 48K; a 128K one on a +2 stays).
function load(bytes, name) {
  if (isRom(bytes, name)) {
    const model = models.find((m) => m.id === core.machine);
    if (model.romCount === 1 && bytes.length !== MACHINE.ROM_SIZE) {
      throw new Error(`${name}: a 48K ROM is ${MACHINE.ROM_SIZE} bytes, this file has ${bytes.length}`);
    }
    checkRomSize(model, bytes, name);
    const next = createMachine(core.machine, bytes);   // throws with the machine unchanged
    userRoms.set(core.machine, bytes);
    install(next);
    return { format: 'rom', warnings: [], machine: core.machine };
  }
  const needs = machineForSnapshot(snapshotMachine(module, bytes, name), core.machine);
  if (needs) {
    const next = createMachine(needs);
    let result;
    try {
      result = next.load(bytes, name);
    } catch (e) {
      next.destroy();
      throw e;
    }
    install(next);
    programLoaded = true;
    return { ...result, machine: core.machine };
  }
  const result = core.load(bytes, name);
  programLoaded = true;
  if ((result.format === 'tap' || result.format === 'tzx') && options.autoLoad !== false) {
    keys.clear();
    core.releaseAllKeys();
    typing.cancel('typing stopped: a tape is being loaded');
    // Which ROM answers: OpenSE unless the page gave this model's ROMs, and
    // of those a 128K model's full set boots to its menu.
    const rom = !userRoms.has(core.machine) ? 'opense' : core.romFallback || core.machine === '48k' ? 'sinclair48' : 'menu128';
    autoLoader = new AutoLoader(core, { rom });
  }
  return { ...result, machine: core.machine };
}

const calls = {
  load: ({ bytes, name }) => load(new Uint8Array(bytes), name),
  snapshot: ({ format }) => {
    const bytes = core.saveSnapshot(format);
    return { value: bytes, transfer: [bytes.buffer] };
  },
  screenText: () => core.screenText(),
  statistics: () => statistics(),
  // Replies when typed (a promise), so other messages are not held up.
  type: ({ text }) => typing.add(core, text),   // throws on untypeable text, before anything is pressed
  peek: ({ addr }) => core.peek(addr),
  poke: ({ addr, value }) => core.poke(addr, value),
  frames: () => core.frames,
  setMachine: ({ machine }) => setMachine(machine),
  setRoms: ({ machine, bytes }) => setRoms(machine, bytes),
  rewind: ({ seconds }) => rewindBy(seconds),
  debug: (args) => debugSession.call(args),
  jit: ({ op, args }) => jitCall(op, args),
  setStereo: ({ mode }) => {
    core.stereo = mode;   // throws on an unknown mode, before it is kept
    stereo = mode;
    return true;
  },
};

// The JIT inspector (web/jit-inspect.mjs) for the page: spectrum.jit.*.
function jitCall(op, args) {
  if (!core.jit) throw new Error('the dynarec is off on this page');
  const insp = core.jitInspector;
  switch (op) {
    case 'functions': return insp.functions(args ?? {});
    case 'function': return insp.function(args);
    case 'functionAt': return insp.functionAt(args);
    case 'map': {
      const m = insp.map();
      return { value: m, transfer: [m.heat.buffer, m.cover.buffer, m.inval.buffer] };
    }
    case 'lockstep':
      if (args !== undefined && args !== null) insp.lockstep = Boolean(args);
      return insp.lockstep;
    case 'lockstepReports': return insp.lockstepReports();
    default: throw new Error(`jit: unknown operation '${op}'`);
  }
}

async function call({ id, method, args }) {
  try {
    const fn = calls[method];
    if (!fn) throw new Error(`unknown call ${method}`);
    let value = fn(args ?? {});
    if (value instanceof Promise) {
      value.then((v) => post({ t: 'reply', id, ok: true, value: v }), (e) => post({ t: 'reply', id, ok: false, error: e.message }));
      return;
    }
    let transfer;
    if (value && value.transfer) ({ value, transfer } = value);
    post({ t: 'reply', id, ok: true, value }, transfer);
    // A load changes the picture: show it without waiting for the next tick.
    if ((method === 'load' || method === 'setMachine' || method === 'setRoms') && paused) sendFrame();
  } catch (e) {
    post({ t: 'reply', id, ok: false, error: e.message });
  }
}

// ---- messages

async function handle(msg) {
  if (!core && msg.t !== 'init' && msg.t !== 'prefetch') {
    // init failed (reported) or destroy ran: only calls need an answer.
    if (msg.t === 'call') post({ t: 'reply', id: msg.id, ok: false, error: 'the machine is not running' });
    return;
  }
  switch (msg.t) {
    case 'prefetch':
      importGlue(msg.coreUrl);
      break;
    case 'init':
      try {
        await init(msg);
      } catch (e) {
        post({ t: 'fatal', error: e.message });
      }
      break;
    // Not awaited: the compiler is 3 MB and the machine keeps running meanwhile.
    case 'jit': attachCompiler(msg); break;
    case 'audio-port': audioPort = msg.port; break;
    case 'audio-off': audioPort = null; break;
    case 'frame-return':
      framesInFlight = Math.max(0, framesInFlight - 1);
      if (freeBuffers.length < MAX_FRAMES_IN_FLIGHT) freeBuffers.push(msg.buffer);
      if (firstDrawWait) startLoop();
      break;
    case 'key': keys.push(keyCode(msg.key), msg.down); break;
    case 'keys-release':
      keys.clear();
      core.releaseAllKeys();
      break;
    case 'joystick': core.joystick(msg.bits); break;
    case 'reset':
      keys.clear();
      typing.cancel('typing stopped: the machine was reset');
      autoLoader = null;
      programLoaded = false;
      core.releaseAllKeys();
      core.reset();
      if (debugSession.broken) debugSession.call({ op: 'continue' });
      break;
    case 'pause':
      paused = true;
      clearTimeout(timer);
      timer = 0;
      postStats(true);
      break;
    case 'resume':
      if (!paused) break;
      paused = false;
      clock.restart();
      schedule(0);
      postStats(true);
      break;
    case 'turbo': turbo = Boolean(msg.on); clock.restart(); break;
    case 'rewind-hold': setRewinding(Boolean(msg.on)); break;
    case 'tape': {
      const op = { play: 'play', stop: 'stop', rewind: 'rewind', eject: 'eject' }[msg.op];
      if (op) core.tape[op]();
      postStats(true);
      break;
    }
    case 'tape-traps': core.tape.traps = Boolean(msg.on); break;
    case 'profile': options.profile = Boolean(msg.on); core.profiling = options.profile; break;
    case 'call': await call(msg); break;
    case 'destroy':
      clearTimeout(timer);
      core.destroy();
      core = null;
      self.close();
      break;
    default: log('warn', `worker: unknown message ${msg.t}`);
  }
}

// Messages are handled strictly in order; everything sent while the core
// starts waits for it.
let queue = Promise.resolve();
self.onmessage = (e) => {
  queue = queue.then(() => handle(e.data)).catch((err) => log('error', `worker: ${err.message}`));
};
