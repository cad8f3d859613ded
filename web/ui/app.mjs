// The playable page (index.html): one Spectrum filling the stage, a toolbar,
// a machine selector, file picker, drag and drop, and ?load=URL. The chosen
// machine (localStorage "zx.machine", or ?machine=ID) and the user's ROMs
// per machine (IndexedDB, rom-store.mjs) are remembered; a 128K model
// without its ROMs shows the ROM prompt (rom-prompt.mjs).
import { createSpectrum } from '../spectrum.mjs';
import { icon } from './icons.mjs';
import { loadAllRoms, saveRoms } from './rom-store.mjs';
// Loaded after the first frame (the page's bundle keeps them out of its
// first file): the debugger panel (debugger.mjs), save slots
// (save-slots.mjs), the ROM prompt (rom-prompt.mjs) and the JIT inspector
// (jit-inspector.mjs, on first use).

const stage = document.getElementById('stage');
const modelLabel = document.getElementById('model');
const toolbar = document.getElementById('toolbar');
const fileInput = document.getElementById('file');
const veil = document.getElementById('drop-veil');
const params = new URLSearchParams(location.search);

const startMachine = (params.get('machine') ?? localStorage.getItem('zx.machine') ?? '48k').toLowerCase();
// The 48K never needs the store before its first frame; another model
// waits the few ms IndexedDB takes, so that it boots on its own ROMs.
const storedRoms = loadAllRoms();
const startRoms = startMachine === '48k' ? {} : await storedRoms;

const zx = createSpectrum(stage, {
  machine: startMachine,
  roms: startRoms,
  stereo: localStorage.getItem('zx.stereo') ?? 'abc',
  fit: 'contain',
  keyboard: 'document',
  stats: params.has('stats'),
  jit: params.get('jit') !== 'off',
  compile: params.get('compile') === 'sync' ? 'sync' : 'async', // ?compile=sync: inside the frame
  joystick: localStorage.getItem('zx.joystick') ?? 'cursor',
  // Touch devices get the d-pad unless the player hid it.
  onScreenJoystick: localStorage.getItem('zx.dpad') === null ? undefined : localStorage.getItem('zx.dpad') === '1',
  smooth: localStorage.getItem('zx.smooth') === '1',
  // The bundled page starts the emulator's Worker from its HTML (tools/bundle.mjs).
  engine: window.zxEngine,
});
window.zxEngine = undefined;
window.spectrum = zx;

// ---- toolbar

function button(name, label, onClick, { toggle = false, text = label } = {}) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'tool';
  b.title = label;
  b.setAttribute('aria-label', label);
  if (toggle) b.setAttribute('aria-pressed', 'false');
  b.dataset.action = name;
  const caption = document.createElement('span');
  caption.className = 'tool-label';
  caption.textContent = text;
  b.append(icon(name), caption);
  // A mouse click must not leave focus on the button: Enter and Space
  // belong to the Spectrum (keyboard users still tab to buttons).
  b.addEventListener('pointerdown', (e) => { if (e.pointerType === 'mouse') e.preventDefault(); });
  b.addEventListener('click', onClick);
  return b;
}

function group(label, ...items) {
  const g = document.createElement('div');
  g.className = 'tool-group';
  g.setAttribute('role', 'group');
  g.setAttribute('aria-label', label);
  g.append(...items);
  return g;
}

function pressed(b, on) {
  b.setAttribute('aria-pressed', String(on));
}

const pauseButton = button('pause', 'Pause', () => (zx.paused ? zx.resume() : zx.pause()), { toggle: true });
const turboButton = button('turbo', 'Turbo', () => { zx.turbo = !zx.turbo; pressed(turboButton, zx.turbo); }, { toggle: true });
const keyboardButton = button('keyboard', 'On-screen keyboard', () => {
  zx.onScreenKeyboard = !zx.onScreenKeyboard;
}, { toggle: true, text: 'Keyboard' });
const dpadButton = button('dpad', 'On-screen joystick', () => {
  zx.onScreenJoystick = !zx.onScreenJoystick;
  localStorage.setItem('zx.dpad', zx.onScreenJoystick ? '1' : '0');
}, { toggle: true, text: 'Joystick' });
const statsButton = button('stats', 'Statistics', () => {
  zx.showStats = !zx.showStats;
}, { toggle: true, text: 'Stats' });
// The JIT inspector (web/ui/jit-inspector.mjs), loaded on first use.
let inspector = null;
const inspectorButton = button('inspector', 'JIT inspector', async () => {
  if (!inspector) {
    const { JitInspectorPanel } = await import('./jit-inspector.mjs');
    inspector = new JitInspectorPanel(zx);
    inspector.onToggle = (on) => pressed(inspectorButton, on);
  }
  inspector.visible = !inspector.visible;
}, { toggle: true, text: 'Inspect' });
inspectorButton.hidden = params.get('jit') === 'off';
// The debugger panel: loaded after the first frame, or at once by its
// button, Ctrl+Shift+D or a break (a breakpoint set through the API).
let debuggerPanel = null;
let debuggerLoading = null;
const debugButton = button('debugger', 'Debugger (Ctrl+Shift+D)', () => {
  loadDebugger().then((p) => p.show(!p.open)).catch(() => {});
}, { toggle: true, text: 'Debug' });
function loadDebugger() {
  if (!debuggerLoading) {
    debuggerLoading = import('./debugger.mjs').then(({ DebuggerPanel }) => {
      debuggerPanel = new DebuggerPanel(zx, { toolButton: debugButton });
      removeEventListener('keydown', debuggerKey, true);
      return debuggerPanel;
    });
    debuggerLoading.catch((e) => {
      debuggerLoading = null;
      zx.notify(`The debugger is unavailable: ${e.message}`, 'error');
    });
  }
  return debuggerLoading;
}
// Until the panel is here (it then listens for itself).
function debuggerKey(e) {
  if (!(e.ctrlKey && e.shiftKey && e.code === 'KeyD')) return;
  e.preventDefault();
  e.stopPropagation();
  loadDebugger().then((p) => p.show(!p.open)).catch(() => {});
}
addEventListener('keydown', debuggerKey, true);
zx.addEventListener('break', (e) => {
  if (!debuggerPanel) loadDebugger().then((p) => p.broke(e.detail)).catch(() => {});
});
const muteButton = button('sound', 'Sound on', () => {
  zx.muted = !zx.muted;
  muteButton.querySelector('svg').replaceWith(icon(zx.muted ? 'mute' : 'sound'));
  muteButton.setAttribute('aria-label', zx.muted ? 'Sound off' : 'Sound on');
  muteButton.querySelector('.tool-label').textContent = zx.muted ? 'Muted' : 'Sound';
}, { text: 'Sound' });
const machineSelect = document.createElement('select');
machineSelect.className = 'tool-select machine-select';
machineSelect.setAttribute('aria-label', 'Machine');
machineSelect.title = 'Machine';
machineSelect.append(new Option(startMachine, startMachine, true, true));
machineSelect.addEventListener('change', async () => {
  const id = machineSelect.value;
  machineSelect.blur();
  try {
    await zx.setMachine(id);
    localStorage.setItem('zx.machine', id);
  } catch {
    // Shown by the Spectrum; the selector goes back to the running machine.
    showMachine();
  }
});

const stereoSelect = document.createElement('select');
stereoSelect.className = 'tool-select';
stereoSelect.setAttribute('aria-label', 'AY sound stereo');
stereoSelect.title = 'Where the AY chip\'s three channels sound';
for (const [value, text] of [['abc', 'Stereo: ABC'], ['acb', 'Stereo: ACB'], ['mono', 'Mono']]) {
  stereoSelect.append(new Option(text, value, false, value === zx.stereo));
}
stereoSelect.addEventListener('change', () => {
  zx.stereo = stereoSelect.value;
  localStorage.setItem('zx.stereo', stereoSelect.value);
  stereoSelect.blur();
});

const tapeStatus = document.createElement('output');
tapeStatus.className = 'tape-status';
tapeStatus.textContent = 'No tape';

const joystickSelect = document.createElement('select');
joystickSelect.className = 'tool-select';
joystickSelect.setAttribute('aria-label', 'Joystick (arrow keys, gamepads, touch d-pad)');
joystickSelect.title = 'The joystick that the arrow keys, gamepads and the touch d-pad drive';
for (const [value, text] of [['cursor', 'Joystick: cursor'], ['kempston', 'Joystick: Kempston'], ['sinclair', 'Joystick: Sinclair']]) {
  joystickSelect.append(new Option(text, value, false, value === zx.joystickMode));
}
joystickSelect.addEventListener('change', () => {
  zx.setJoystickMode(joystickSelect.value);
  localStorage.setItem('zx.joystick', joystickSelect.value);
  joystickSelect.blur();
});

// Save slots (save-slots.mjs, loaded after the first frame) and rewind:
// the button goes back in time while held (a keyboard press: 5 s at once).
let saveSlots = null;
const slotsButton = button('slots', 'Save slots (F9)', () => saveSlots?.toggle(), { text: 'Slots' });
const rewindButton = button('back', 'Rewind: hold to go back in time (F8)', (e) => {
  if (e.detail === 0) zx.rewind(5).catch(() => {});   // Enter or Space
}, { text: 'Go back' });
rewindButton.addEventListener('pointerdown', (e) => {
  rewindButton.setPointerCapture?.(e.pointerId);
  zx.rewinding = true;
});
rewindButton.addEventListener('contextmenu', (e) => e.preventDefault());   // a long press on touch
for (const type of ['pointerup', 'pointercancel', 'lostpointercapture']) {
  rewindButton.addEventListener(type, () => { if (zx.rewinding) zx.rewinding = false; });
}

const smoothLabel = document.createElement('label');
smoothLabel.className = 'tool-check';
const smoothBox = document.createElement('input');
smoothBox.type = 'checkbox';
smoothBox.checked = zx.smooth;
smoothBox.addEventListener('change', () => {
  zx.smooth = smoothBox.checked;
  localStorage.setItem('zx.smooth', smoothBox.checked ? '1' : '0');
  smoothBox.blur();
});
smoothLabel.append(smoothBox, ' Smooth');

toolbar.append(
  group('Files',
    button('open', 'Load a file', () => fileInput.click(), { text: 'Load' }),
    button('save', 'Save a snapshot', saveSnapshot, { text: 'Save' })),
  group('Time', slotsButton, rewindButton),
  group('Machine',
    machineSelect,
    button('reset', 'Reset', () => { zx.reset(); zx.notify('Reset'); }),
    pauseButton,
    turboButton),
  group('Tape',
    button('play', 'Play tape', () => zx.tape.play(), { text: 'Play' }),
    button('stop', 'Stop tape', () => zx.tape.stop(), { text: 'Stop' }),
    button('rewind', 'Rewind tape', () => zx.tape.rewind(), { text: 'Rewind' }),
    button('eject', 'Eject tape', () => zx.tape.eject(), { text: 'Eject' }),
    tapeStatus),
  group('View',
    keyboardButton,
    dpadButton,
    statsButton,
    inspectorButton,
    muteButton,
    button('fullscreen', 'Fullscreen', () => zx.toggleFullscreen()),
    debugButton),
  group('Settings', joystickSelect, stereoSelect, smoothLabel),
);
function showControls() {
  pressed(keyboardButton, zx.onScreenKeyboard);
  pressed(dpadButton, zx.onScreenJoystick);
  pressed(statsButton, zx.showStats);
}
showControls();
// The keyboard's and the statistics' own close buttons, and the toolbar's.
zx.addEventListener('controls', showControls);

zx.addEventListener('pause', () => {
  pressed(pauseButton, true);
  pauseButton.querySelector('svg').replaceWith(icon('play'));
  pauseButton.querySelector('.tool-label').textContent = 'Resume';
  pauseButton.setAttribute('aria-label', 'Resume');
});
zx.addEventListener('resume', () => {
  pressed(pauseButton, false);
  pauseButton.querySelector('svg').replaceWith(icon('pause'));
  pauseButton.querySelector('.tool-label').textContent = 'Pause';
  pauseButton.setAttribute('aria-label', 'Pause');
});
zx.addEventListener('statistics', (e) => {
  const t = e.detail.tape;
  tapeStatus.textContent = !t || !t.blocks ? 'No tape'
    : `${t.playing ? 'Playing' : 'Stopped'} · block ${Math.min(t.block + 1, t.blocks)}/${t.blocks}`;
});

// ---- the machine: header, selector, ROM prompt

// The ROM prompt, made the first time a model needs it.
let romPrompt = null;
let romPromptLoading = null;
function showRomPrompt(model) {
  romPromptLoading ??= import('./rom-prompt.mjs').then(({ RomPrompt }) => {
    romPrompt = new RomPrompt(document.getElementById('notices'), {
      onRoms: async (m, bytes) => {
        await zx.setRoms(m.id, bytes);
        const kept = await saveRoms(m.id, bytes);
        zx.notify(kept ? `The ${m.name}'s ROMs are loaded and kept in this browser` : `The ${m.name}'s ROMs are loaded (this browser cannot keep them)`);
      },
    });
    return romPrompt;
  });
  romPromptLoading.then(() => {
    // Still wanted: the machine may have changed while it loaded.
    const d = zx.machineDetails;
    if (d?.machine === model.id && d.romFallback && !d.userRom) romPrompt.show(model);
  }, (e) => {
    romPromptLoading = null;
    zx.notify(`Could not show the ROM prompt: ${e.message}`, 'error');
  });
}

function showMachine() {
  const d = zx.machineDetails;
  if (!d) return;
  modelLabel.textContent = d.name.replace(/^ZX Spectrum /, '');
  document.title = d.name;
  if (machineSelect.options.length !== zx.machines.length) {
    machineSelect.replaceChildren(...zx.machines.map((m) => new Option(m.name.replace(/^ZX Spectrum /, ''), m.id)));
  }
  machineSelect.value = d.machine;
  stereoSelect.disabled = !d.hasAy;
  // A 128K model on the built-in ROM: ask for its own.
  if (d.romFallback && d.romCount > 1 && !d.userRom) showRomPrompt({ id: d.machine, name: d.name, romCount: d.romCount });
  else romPrompt?.hide();
}

zx.addEventListener('machine', showMachine);

// ---- files

async function loadFile(source, name) {
  try {
    await zx.load(source, name);
  } catch {
    // Shown on the screen by the Spectrum itself; the program keeps running.
  }
}

fileInput.addEventListener('change', () => {
  const file = fileInput.files[0];
  fileInput.value = '';
  if (file) loadFile(file);
});

let dragDepth = 0;
addEventListener('dragenter', (e) => {
  if (![...e.dataTransfer.types].includes('Files')) return;
  e.preventDefault();
  dragDepth++;
  veil.hidden = false;
});
addEventListener('dragover', (e) => e.preventDefault());
addEventListener('dragleave', () => { if (--dragDepth <= 0) { dragDepth = 0; veil.hidden = true; } });
addEventListener('drop', (e) => {
  e.preventDefault();
  dragDepth = 0;
  veil.hidden = true;
  const file = e.dataTransfer.files[0];
  if (file) loadFile(file);
});

async function saveSnapshot() {
  try {
    const bytes = await zx.snapshot('z80');
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
    a.download = `spectrum-${stamp}.z80`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  } catch (e) {
    zx.notify(`Could not save a snapshot: ${e.message}`, 'error');
  }
}

// ---- start

// A remembered machine this build does not know: forget it (the error is
// on the screen), so that the next visit starts a 48K.
zx.ready.catch(() => localStorage.removeItem('zx.machine'));

zx.ready.then(async () => {
  const late = document.getElementById('late-head');
  if (late) {
    for (const l of document.head.querySelectorAll('link[rel="icon"]')) l.remove();
    document.head.append(late.content);
  }
  showMachine();
  // The selftest's contract: true once the core is up and drawing.
  window.zxCoreReady = true;
  loadDebugger().catch(() => {});
  import('./save-slots.mjs').then(({ SaveSlots }) => {
    saveSlots = new SaveSlots(zx);
    saveSlots.installKeys(window);
    window.zxSaveSlots = saveSlots;
  }).catch((e) => zx.notify(`Save slots are unavailable: ${e.message}`, 'error'));
  // The other models' remembered ROMs, for when the player switches.
  const roms = await storedRoms;
  for (const [id, bytes] of Object.entries(roms)) {
    if (!(id in startRoms)) zx.setRoms(id, bytes).catch(() => {});
  }
  const url = params.get('load');
  if (url) loadFile(url);
});
