// The statistics panel over the screen: emulated speed, the cost of a
// frame, the sound buffer, where a frame's time goes, and the dynarec, in
// sections that can be folded. It reads the figures the emulator thread
// posts twice a second; the panel scrolls inside the screen when they do
// not fit. While the machine is paused the figures stay as they were (the
// paused machine runs no frames to measure). While it is shown the frame
// profile runs (a frame then costs more: core/platform/profile.h).
import { PROFILE_CATEGORIES } from '../frame-profile.mjs';
import { closeButton } from './dom.mjs';

// "Longest frame" covers this much of the recent past (the worker posts the
// longest of each half-second window).
const LONGEST_WINDOW_MS = 5000;

export class StatsOverlay {
  // onClose(): the panel's own close button.
  constructor(parent, { onClose } = {}) {
    this.el = document.createElement('div');
    this.el.className = 'zx-stats';
    this.el.setAttribute('role', 'region');
    this.el.setAttribute('aria-label', 'Statistics');
    this.el.setAttribute('aria-live', 'off');
    this.el.hidden = true;
    const head = document.createElement('div');
    head.className = 'zx-stats-head';
    const title = document.createElement('span');
    title.className = 'zx-stats-title';
    title.textContent = 'Statistics';
    this.state = document.createElement('span');
    this.state.className = 'zx-stats-state';
    head.append(title, this.state);
    if (onClose) head.append(closeButton('zx-stats-close', 'Close the statistics', onClose));
    this.body = document.createElement('div');
    this.body.className = 'zx-stats-body';
    this.el.append(head, this.body);
    this.sections = new Map();   // title -> { details, table }
    this.windows = [];           // [time, longest frame ms] of recent windows
    this.last = null;            // the last figures shown while running
    parent.append(this.el);
  }

  set visible(on) { this.el.hidden = !on; }
  get visible() { return !this.el.hidden; }

  update(s) {
    if (!s) return;
    const now = performance.now();
    // The worker's last post on pausing covers a fraction of a window: the
    // figures before it stand.
    if (!s.paused) {
      this.windows.push([now, s.maxFrameMs ?? 0]);
      while (this.windows.length && now - this.windows[0][0] > LONGEST_WINDOW_MS) this.windows.shift();
      this.last = s;
    }
    this.state.textContent = s.paused ? 'paused: figures frozen' : '';
    this.el.classList.toggle('zx-stats-paused', Boolean(s.paused));
    if (this.el.hidden || !this.last) return;
    if (s.paused && this.shownFrozen === this.last) return;
    this.shownFrozen = s.paused ? this.last : null;
    this.render(statsSections(this.last, Math.max(0, ...this.windows.map((w) => w[1]))));
  }

  render(sections) {
    const seen = new Set();
    for (const { title, rows } of sections) {
      seen.add(title);
      let sec = this.sections.get(title);
      if (!sec) {
        const details = document.createElement('details');
        details.open = true;
        details.className = 'zx-stats-section';
        const summary = document.createElement('summary');
        summary.textContent = title;
        const table = document.createElement('table');
        details.append(summary, table);
        this.body.append(details);
        sec = { details, table };
        this.sections.set(title, sec);
      }
      sec.details.hidden = false;
      const body = document.createElement('tbody');
      for (const [k, v, bar] of rows) {
        const tr = body.insertRow();
        const th = document.createElement('th');
        th.scope = 'row';
        th.textContent = k;
        tr.append(th);
        const td = tr.insertCell();
        if (bar !== undefined) {
          const b = document.createElement('span');
          b.className = 'zx-stats-bar';
          b.style.setProperty('--share', String(Math.min(1, Math.max(0, bar))));
          td.append(b);
        }
        td.append(text(v));
      }
      sec.table.replaceChildren(body);
    }
    for (const [title, sec] of this.sections) if (!seen.has(title)) sec.details.hidden = true;
  }
}

// The figures as sections of [label, text, optional bar share] rows; every
// value is text (a nested object never reaches the page raw).
export function statsSections(s, longestRecentMs = s.maxFrameMs ?? 0) {
  const out = [];
  const paging = s.paging ? `7FFD ${hex(s.paging.port7ffd)}${s.machine === 'plus2a' || s.machine === 'plus3' ? ` · 1FFD ${hex(s.paging.port1ffd)}` : ''}` : null;
  const emulation = [
    ['Machine', s.machine ?? '?'],
    ['Speed', `${pct(s.speed)} of real time${s.turbo ? ' (turbo)' : s.fastForward ? ' (tape fast-forward)' : ''}`],
    ['Emulated', `${fixed(s.framesPerSecond, 1)} frames/s`],
    ['Shown', `${fixed(s.shownPerSecond, 1)} frames/s`],
  ];
  if (paging) emulation.splice(1, 0, ['Paging', paging]);
  if (s.droppedFrames) emulation.push(['Skipped', `${count(s.droppedFrames)} frames (late ticks, capped catch-up)`]);
  if (s.tape?.blocks) emulation.push(['Tape', `${s.tape.playing ? 'playing' : 'stopped'}, block ${Math.min(s.tape.block + 1, s.tape.blocks)} of ${s.tape.blocks}`]);
  out.push({ title: 'Emulation', rows: emulation });

  const frame = [
    ['Average', ms(s.frameMs)],
    ['Longest', `${ms(Math.max(longestRecentMs, s.longestFrameMs ?? 0))} in the last ${LONGEST_WINDOW_MS / 1000} s`],
    ['Thread busy', pct(s.busy)],
  ];
  if (s.profile) frame.push(['Since opened', `longest ${ms(s.profile.longestFrameMs)} of ${count(s.profile.frames)} frames`]);
  if (s.firstFrameMs) frame.push(['First frame', `${Math.round(s.firstFrameMs)} ms after start`]);
  out.push({ title: 'Frame time', rows: frame });

  out.push({
    title: 'Sound',
    rows: s.audio
      ? [['Buffered', `${Math.round(s.audio.bufferedMs)} ms`], ['Underruns', count(s.audio.underruns)], ...(s.audio.dropped ? [['Dropped', count(s.audio.dropped)]] : [])]
      : [['State', String(s.audioState ?? 'off')]],
  });

  if (s.profile) {
    const rows = PROFILE_CATEGORIES.map((k) => [k, s.profile.categories[k]])
      .filter(([, c]) => c && c.share >= 0.005)
      .map(([k, c]) => [k, `${pct1(c.share)} · ${fixed(c.msPerFrame * 1000, 0)} µs/frame`, c.share]);
    rows.unshift(['All', `${ms(s.profile.msPerFrame, 3)} a frame`]);
    out.push({ title: 'Where a frame goes', rows });
  }

  out.push({ title: 'Dynarec', rows: dynarecRows(s.jit) });
  return out;
}

function dynarecRows(j) {
  const rows = [['State', dynarecText(j)]];
  if (j?.state === 'ready') {
    rows.push(['Compiling', `${j.mode === 'async' ? 'in its own Worker' : 'inside the frame'}; ` +
      `${count(j.framesWaited ?? 0)} frames waited on a compile`]);
  }
  const c = j?.core;
  if (!c) return rows;
  const used = new Set();
  const take = (...keys) => { keys.forEach((k) => used.add(k)); return keys.map((k) => c[k] ?? 0); };
  const [insnsTotal, insnsCompiled, share, halted, chained] = take('insnsTotal', 'insnsCompiled', 'compiledShare', 'insnsHalted', 'chained');
  rows.push(['Run compiled', `${pct1(share)} of ${count(insnsTotal)} instructions` +
    (halted ? ` (${pct1(insnsCompiled / Math.max(1, insnsTotal - halted))} besides HALT)` : '')]);
  if (chained) rows.push(['Chained', `${count(chained)} exits went on in compiled code`]);
  const [functions, blocks, regions, regionBlocks, requests] = take('functions', 'blocks', 'regions', 'regionBlocks', 'requests');
  rows.push(['Compiled', `${count(functions)} functions in ${count(requests)} modules`]);
  rows.push(['Of which', `${count(blocks)} blocks, ${count(regions)} regions (${count(regionBlocks)} blocks)`]);
  const [live, maxFunctions, codeBytes, maxBytes, bytesGenerated] = take('liveFunctions', 'maxFunctions', 'codeBytes', 'maxBytes', 'bytesGenerated');
  rows.push(['Alive', `${count(live)} of ${count(maxFunctions)} functions, ${kb(codeBytes)} of ${kb(maxBytes)}`, maxBytes ? codeBytes / maxBytes : 0]);
  rows.push(['Generated', `${kb(bytesGenerated)} in all`]);
  const [compileMs, buildMs, writeMs, wasmMs, instMs, failures, workerMs] = take('compileMs', 'buildMs', 'writeMs', 'wasmCompileMs', 'instantiateMs', 'compileFailures', 'workerMs');
  // compileMs is the emulation's thread's; with a compile Worker the parts
  // are mostly the Worker's (workerMs), so the total is both threads'
  const parts = `compiler ${fixed(buildMs, 1)} + ${fixed(writeMs, 1)}, Wasm ${fixed(wasmMs, 1)} + ${fixed(instMs, 1)}`;
  if (workerMs) rows.push(['Compile time', `${ms(compileMs + workerMs, 1)}: ${parts} (Worker ${fixed(workerMs, 1)}, emulation ${fixed(compileMs, 1)})`]);
  else rows.push(['Compile time', `${ms(compileMs, 1)}: ${parts}`]);
  if (failures) rows.push(['Failed', `${count(failures)} compile requests`]);
  const [hits, misses] = take('cacheHits', 'cacheMisses');
  rows.push(['Cache', `${count(hits)} hits, ${count(misses)} misses`]);
  const [inval, reval, evict, flushes, uncompilable] = take('invalidations', 'revalidations', 'evictions', 'flushes', 'uncompilable');
  rows.push(['Invalidated', `${count(inval)} (revalidated ${count(reval)})`]);
  rows.push(['Evicted', `${count(evict)}, ${count(flushes)} flushes`]);
  if (uncompilable) rows.push(['Uncompilable', count(uncompilable)]);
  used.add('exits');
  if (c.exits && typeof c.exits === 'object') rows.push(['Exits', pairs(c.exits)]);
  const [smcLoad, smcOperand, smcOther, backoffs, givenUp, recalled] = take('smcLoadFunctions', 'smcOperandChanges', 'smcOtherChanges', 'backoffs', 'givenUp', 'spotsRecalled');
  rows.push(['Self-modifying', `${count(smcOperand)} operand + ${count(smcOther)} other changes; ${count(smcLoad)} functions load operands`]);
  if (backoffs || givenUp || recalled) rows.push(['Backed off', `${count(backoffs)} times, ${count(givenUp)} spots given up, ${count(recalled)} recalled`]);
  const [checks, divergences] = take('lockstepChecks', 'lockstepDivergences');
  used.add('lockstepReports');
  if (checks) rows.push(['Lockstep', `${count(checks)} checks, ${count(divergences)} divergences`]);
  // Whatever the core adds later still shows, as text.
  for (const [k, v] of Object.entries(c)) if (!used.has(k)) rows.push([k, valueText(v)]);
  return rows;
}

function dynarecText(j) {
  switch (j?.state) {
    case undefined: return '?';
    case 'off': return 'off (interpreter only)';
    case 'loading': return 'loading the compiler…';
    case 'ready': return `ready: compiler loaded in ${Math.round(j.loadMs)} ms, ` +
      (j.warmUpLeft ? `warming up (${j.warmUpLeft} functions to go)` : `warmed up in ${Math.round(j.warmUpMs)} ms of idle time`);
    case 'failed': return `unavailable: ${j.error}`;
    default: return String(j.state);
  }
}

// Any value as short text: numbers with separators, objects as "key value" pairs.
export function valueText(v) {
  if (typeof v === 'number') return Number.isInteger(v) ? count(v) : fixed(v, 2);
  if (Array.isArray(v)) return `${v.length} item${v.length === 1 ? '' : 's'}`;
  if (v && typeof v === 'object') return pairs(v);
  return String(v);
}

function pairs(o) {
  return Object.entries(o).map(([k, v]) => `${k} ${typeof v === 'object' && v !== null ? '…' : valueText(v)}`).join(', ');
}

function text(v) { return document.createTextNode(typeof v === 'string' ? v : valueText(v)); }
function fixed(x, digits) { return Number.isFinite(x) ? x.toFixed(digits) : '–'; }
function pct(x) { return Number.isFinite(x) ? `${Math.round(x * 100)}%` : '–'; }
function pct1(x) { return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–'; }
function ms(x, digits = 2) { return `${fixed(x, digits)} ms`; }
function count(v) { return Number.isFinite(v) ? Math.round(v).toLocaleString('en') : '–'; }
function kb(bytes) { return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.round(bytes / 1024).toLocaleString('en')} KB`; }
function hex(v) { return v.toString(16).toUpperCase().padStart(2, '0'); }
