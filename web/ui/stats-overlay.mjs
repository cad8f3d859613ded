// The statistics overlay: emulated speed, the cost of a frame, how many
// frames reach the display, the sound buffer and the dynarec's state. It
// reads the figures the emulator thread posts twice a second. While it is
// shown the frame profile runs (a frame then costs more: core/platform/profile.h).
import { formatProfile } from '../frame-profile.mjs';

export class StatsOverlay {
  constructor(parent) {
    this.el = document.createElement('div');
    this.el.className = 'zx-stats';
    this.el.setAttribute('aria-live', 'off');
    this.el.hidden = true;
    parent.append(this.el);
  }

  set visible(on) { this.el.hidden = !on; }
  get visible() { return !this.el.hidden; }

  update(s) {
    if (this.el.hidden) return;
    const pct = (x) => `${Math.round(x * 100)}%`;
    const ms = (x) => `${x.toFixed(2)} ms`;
    const paging = s.paging ? ` · 7FFD ${hex(s.paging.port7ffd)}${s.machine === 'plus2a' || s.machine === 'plus3' ? ` 1FFD ${hex(s.paging.port1ffd)}` : ''}` : '';
    const rows = [
      ['Machine', `${s.machine ?? '?'}${paging}`],
      ['Speed', s.paused ? 'paused' : `${pct(s.speed)}${s.turbo ? ' (turbo)' : s.fastForward ? ' (tape)' : ''}`],
      ['Emulated', `${s.framesPerSecond.toFixed(1)} frames/s`],
      ['Frame time', `${ms(s.frameMs)} (max ${ms(s.maxFrameMs)}; longest in 5 s ${ms(s.longestFrameMs ?? s.maxFrameMs)})`],
      ['Shown', `${s.shownPerSecond.toFixed(1)} frames/s`],
    ];
    if (s.droppedFrames) rows.push(['Skipped', `${s.droppedFrames} frames (late ticks, capped catch-up)`]);
    if (s.firstFrameMs) rows.push(['First frame', `${Math.round(s.firstFrameMs)} ms`]);
    rows.push(['Sound', s.audio ? `${Math.round(s.audio.bufferedMs)} ms buffered, ${s.audio.underruns} underruns` : s.audioState]);
    if (s.profile) {
      // Where a frame's time goes since the statistics were opened (formatProfile, compact).
      rows.push(['Frame profile', formatProfile(s.profile, { compact: true })]);
      rows.push(['Longest frame', `${ms(s.profile.longestFrameMs)} of ${s.profile.frames.toLocaleString('en')} frames`]);
    }
    rows.push(['Dynarec', dynarecText(s.jit)]);
    if (s.jit.state === 'ready') {
      rows.push(['Compiling', `${s.jit.mode === 'async' ? 'in its own Worker' : 'inside the frame'}; ` +
        `${(s.jit.framesWaited ?? 0).toLocaleString('en')} frames waited on a compile`]);
    }
    const c = s.jit.core;
    if (c && c.requests) {
      rows.push(['Compiled', `${c.functions} functions in ${c.requests} modules, ${(c.codeBytes / 1024).toFixed(0)} KB alive`]);
      rows.push(['Compile', `${c.compileMs.toFixed(1)} ms: Binaryen ${c.buildMs.toFixed(1)} + ${c.writeMs.toFixed(1)}, ` +
        `Wasm ${c.wasmCompileMs.toFixed(1)} + ${c.instantiateMs.toFixed(1)}${c.compileFailures ? `, ${c.compileFailures} failed` : ''}`]);
    }
    if (s.jit.core) {
      for (const [k, v] of Object.entries(s.jit.core)) rows.push([k, typeof v === 'number' ? formatNumber(v) : String(v)]);
    }
    const table = document.createElement('table');
    for (const [k, v] of rows) {
      const tr = table.insertRow();
      tr.insertCell().textContent = k;
      tr.insertCell().textContent = v;
    }
    this.el.replaceChildren(table);
  }
}

function dynarecText(j) {
  switch (j.state) {
    case 'off': return 'off (interpreter only)';
    case 'loading': return 'loading the compiler…';
    case 'ready': return `ready (compiler loaded in ${Math.round(j.loadMs)} ms, ` +
      (j.warmUpLeft ? `warming up: ${j.warmUpLeft} functions to go)` :
        `warmed up in ${Math.round(j.warmUpMs)} ms ${j.mode === 'async' ? 'in its Worker' : 'of idle time'})`);
    case 'failed': return `unavailable: ${j.error}`;
    default: return j.state;
  }
}

function formatNumber(v) {
  return Number.isInteger(v) ? v.toLocaleString('en') : v.toFixed(2);
}

function hex(v) { return v.toString(16).toUpperCase().padStart(2, '0'); }
