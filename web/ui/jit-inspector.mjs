// The JIT inspector panel: a drawer beside the Spectrum showing what the
// dynarec made of the running program, through spectrum.jit (web/
// spectrum.mjs -> the Worker -> web/jit-inspect.mjs):
//   - the compiled functions, filterable and sortable (runs, bytes,
//     compile time, time spent, invalidations);
//   - the selected one's guest code (disassembled) beside its Wasm text,
//     with the exits it took;
//   - the 64K map (256 x 256, one cell per address) coloured by hotness,
//     compiled coverage or invalidations; a click selects the function there;
//   - lockstep on/off with its reports;
//   - the frame profile as stacked bars over time.
// Off by default; loaded on first use (app.mjs imports it lazily). Keys
// typed in the panel stay in the panel: they never reach the Spectrum.

import { PROFILE_CATEGORIES } from '../frame-profile.mjs';
import { COVER, JIT_STATES } from '../jit-inspect.mjs';
import { formatLockstepReport } from '../spectrum-core.mjs';
import { closeButton, el } from './dom.mjs';

const REFRESH_MS = 1000;
const CHART_BARS = 120;           // samples kept (statistics arrive twice a second: a minute)
const ROW_LIMIT = 300;
const FRAME_MS = 20;              // one 50 Hz frame

const CATEGORY_COLOURS = {
  compiled: '#4cb050', dispatcher: '#2fa6e0', interpreter: '#e0403a', compile: '#f5c542',
  video: '#b36ae2', audio: '#e88a3a', glue: '#7d8597', other: '#4a4f5c', profiler: '#2b2e36',
};
const COVER_COLOURS = {
  [COVER.COMPILED]: [76, 176, 80], [COVER.LOAD_FORM]: [47, 196, 200], [COVER.INVALIDATED]: [240, 140, 40],
  [COVER.QUEUED]: [245, 197, 66], [COVER.UNCOMPILABLE]: [224, 64, 58], [COVER.COUNTING]: [110, 90, 160],
};
const COVER_NAMES = {
  [COVER.COMPILED]: 'compiled', [COVER.LOAD_FORM]: 'load form', [COVER.INVALIDATED]: 'invalidated',
  [COVER.QUEUED]: 'queued', [COVER.UNCOMPILABLE]: 'not compiled', [COVER.COUNTING]: 'counting',
};
// [key, header, sort key, what the column shows]
const COLUMNS = [
  ['pc', 'Entry', 'pc', 'Entry address, and where it is: ROM n or RAM bank n (B)'], ['span', 'Span', null, 'Guest bytes it was built from (first–last)'],
  ['blocks', 'Blk', 'blocks', 'Basic blocks'], ['bytes', 'Bytes', 'bytes', 'Its share of its module\'s Wasm bytes'],
  ['compileMs', 'Comp ms', 'compileMs', 'Its compile request\'s time (shared by the functions built together)'],
  ['runs', 'Runs', 'runs', 'Times its code was entered'], ['ms', 'ms', 'ms', 'Time in its code while this panel is open (the frame profile is on)'],
  ['invalidations', 'Inval', 'invalidations', 'Stores into its code that invalidated it'], ['state', 'State', null, 'State in the code cache'],
];

const hex4 = (v) => v.toString(16).toUpperCase().padStart(4, '0');
const hex2 = (v) => v.toString(16).toUpperCase().padStart(2, '0');
const num = (v) => v.toLocaleString('en');
const ms = (v) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2));


let cssAdded = false;
function addCss() {
  if (cssAdded) return;
  cssAdded = true;
  document.head.append(el('link', { rel: 'stylesheet', href: new URL('./jit-inspector.css', import.meta.url).href }));
}

// Wasm text with its operators coloured by kind.
function wasmHtml(text) {
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return text.split('\n').map((line) => {
    const m = /^(\s*)([a-z_0-9.]+)(.*)$/.exec(line);
    if (!m) return `<span class="w-decl">${esc(line)}</span>`;
    const [, ind, op, rest] = m;
    let cls = 'w-op';
    if (/^(block|loop|if|else|end|br|br_if|br_table|return|unreachable)$/.test(op)) cls = 'w-flow';
    else if (/load|store/.test(op)) cls = 'w-mem';
    else if (/call/.test(op)) cls = 'w-call';
    else if (/^local\.|^global\./.test(op)) cls = 'w-local';
    else if (/\.const$/.test(op)) cls = 'w-const';
    const r = esc(rest).replace(/(;;.*$|\(;.*?;\))/g, '<span class="w-comment">$1</span>');
    return `${ind}<span class="${cls}">${op}</span>${r}`;
  }).join('\n');
}

export class JitInspectorPanel {
  // zx: a Spectrum (web/spectrum.mjs). parent: where the drawer goes.
  constructor(zx, { parent = document.body } = {}) {
    addCss();
    this.zx = zx;
    this.sort = 'runs';
    this.filter = '';
    this.allStates = false;
    this.mapMode = 'heat';
    this.selected = null;      // id
    this.detail = null;        // the selected function's details
    this.list = [];
    this.mapData = null;
    this.samples = [];
    this.lastProfile = null;
    this.timer = null;
    this.busy = false;
    this.build();
    parent.append(this.root);
    this.onStats = (e) => this.profileArrived(e.detail?.profile);
    zx.addEventListener('statistics', this.onStats);
  }

  build() {
    const stopKeys = (e) => { e.stopPropagation(); };
    this.root = el('aside', { class: 'jit-inspector', hidden: true, 'aria-label': 'JIT inspector', tabindex: '-1' });
    for (const t of ['keydown', 'keyup', 'keypress']) this.root.addEventListener(t, stopKeys);

    this.summary = el('span', { class: 'ji-summary' });
    this.lockBox = el('input', { type: 'checkbox', onchange: () => this.setLockstep(this.lockBox.checked) });
    const head = el('header', { class: 'ji-head' },
      el('h2', { text: 'JIT inspector' }), this.summary,
      el('label', { class: 'ji-check', title: 'Check every compiled run against the interpreter (slow)' }, this.lockBox, ' Lockstep'),
      closeButton('ji-close', 'Close the JIT inspector', () => { this.visible = false; }));

    // functions table
    this.filterInput = el('input', {
      type: 'search', class: 'ji-filter', placeholder: 'Filter: address (8000), state, ROM, bank 2', 'aria-label': 'Filter functions',
      oninput: () => { this.filter = this.filterInput.value; this.refresh(); },
    });
    this.statesSelect = el('select', { class: 'ji-select', 'aria-label': 'Which entries', onchange: () => { this.allStates = this.statesSelect.value === 'all'; this.refresh(); } },
      new Option('Compiled and waiting', 'compiled'), new Option('Also entries counting', 'all'));
    this.countText = el('span', { class: 'ji-count' });
    this.thead = el('tr');
    for (const [key, label, sortKey, what] of COLUMNS) {
      const th = el('th', { scope: 'col', class: `c-${key}`, title: what }, label);
      if (sortKey) {
        th.classList.add('sortable');
        th.tabIndex = 0;
        const go = () => { this.sort = sortKey; this.refresh(); };
        th.addEventListener('click', go);
        th.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(); } });
      }
      th.dataset.sort = sortKey ?? '';
      this.thead.append(th);
    }
    this.tbody = el('tbody');
    this.tbody.addEventListener('click', (e) => {
      const tr = e.target.closest('tr[data-id]');
      if (tr) this.select(Number(tr.dataset.id));
    });
    this.tbody.addEventListener('keydown', (e) => {
      const tr = e.target.closest('tr[data-id]');
      if (!tr) return;
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.select(Number(tr.dataset.id)); }
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const next = e.key === 'ArrowDown' ? tr.nextElementSibling : tr.previousElementSibling;
        if (next) { next.focus(); this.select(Number(next.dataset.id)); }
      }
    });
    const table = el('div', { class: 'ji-table-wrap' }, el('table', { class: 'ji-table' }, el('thead', {}, this.thead), this.tbody));
    const listPane = el('section', { class: 'ji-list', 'aria-label': 'Compiled functions' },
      el('div', { class: 'ji-tools' }, this.filterInput, this.statesSelect, this.countText), table);

    // the 64K map
    this.canvas = el('canvas', { class: 'ji-map', width: 256, height: 256, 'aria-label': 'The 64K address space, one cell per address: click to select the function there' });
    this.mapCtx = this.canvas.getContext('2d');
    this.mapImage = this.mapCtx.createImageData(256, 256);
    this.canvas.addEventListener('click', (e) => this.mapClick(e));
    this.canvas.addEventListener('mousemove', (e) => this.mapHover(e));
    this.canvas.addEventListener('mouseleave', () => { this.mapInfo.textContent = '\u00a0'; });
    const modeButtons = [['heat', 'Hotness'], ['cover', 'Coverage'], ['inval', 'Invalidations']].map(([mode, label]) =>
      el('button', { type: 'button', class: 'ji-seg', 'data-mode': mode, 'aria-pressed': String(mode === this.mapMode), text: label, onclick: () => this.setMapMode(mode) }));
    this.modeButtons = modeButtons;
    this.mapInfo = el('div', { class: 'ji-map-info', text: '\u00a0' });
    this.legend = el('div', { class: 'ji-legend' });
    const axis = el('div', { class: 'ji-axis', 'aria-hidden': 'true' },
      ...[['0000', 0, 'ROM'], ['4000', 64, 'screen'], ['5B00', 91, ''], ['8000', 128, ''], ['C000', 192, '']].map(([t, row, note]) =>
        el('span', { style: `top:${(row / 256) * 100}%`, text: `${t}${note ? ' ' + note : ''}` })));
    const mapPane = el('section', { class: 'ji-mapbox', 'aria-label': '64K map' },
      el('div', { class: 'ji-seggroup', role: 'group', 'aria-label': 'Colour the map by' }, ...modeButtons),
      el('div', { class: 'ji-map-frame' }, axis, this.canvas), this.legend, this.mapInfo);

    // selected function
    this.detailHead = el('div', { class: 'ji-detail-head', text: 'Select a function in the table or on the map.' });
    this.exitsBar = el('div', { class: 'ji-exits' });
    this.guestPre = el('pre', { class: 'ji-code ji-guest', 'aria-label': 'Guest code' });
    this.wasmPre = el('pre', { class: 'ji-code ji-wasm', 'aria-label': 'Wasm text' });
    const detail = el('section', { class: 'ji-detail', 'aria-label': 'Selected function' },
      this.detailHead, this.exitsBar,
      el('div', { class: 'ji-code-row' },
        el('div', { class: 'ji-code-col' }, el('h3', { text: 'Guest code (Z80)' }), this.guestPre),
        el('div', { class: 'ji-code-col wide' }, el('h3', { text: 'Generated Wasm' }), this.wasmPre)));

    // frame profile chart and lockstep reports
    this.chart = el('canvas', { class: 'ji-chart', width: 720, height: 150, 'aria-label': 'Frame profile: milliseconds per frame by category' });
    this.chartLegend = el('div', { class: 'ji-legend' },
      ...PROFILE_CATEGORIES.filter((k) => k !== 'profiler').map((k) => el('span', { class: 'ji-key' }, el('i', { style: `background:${CATEGORY_COLOURS[k]}` }), k)));
    this.chartNote = el('div', { class: 'ji-chart-note' });
    const chartPane = el('section', { class: 'ji-profile', 'aria-label': 'Frame profile' },
      el('h3', { text: 'Frame profile: ms per frame, twice a second (dashed: one 50 Hz frame; white cap: clipped)' }), this.chart, this.chartLegend, this.chartNote);
    this.lockPre = el('pre', { class: 'ji-code ji-lock', hidden: true });
    this.lockText = el('div', { class: 'ji-lock-text' });

    this.root.append(head,
      el('div', { class: 'ji-top' }, listPane, mapPane),
      detail, chartPane,
      el('section', { class: 'ji-lockstep', 'aria-label': 'Lockstep' }, this.lockText, this.lockPre));
    this.drawLegend();
  }

  get visible() { return !this.root.hidden; }
  set visible(on) {
    on = Boolean(on);
    if (on === this.visible) return;
    this.root.hidden = !on;
    document.body.classList.toggle('ji-open', on);
    this.zx.jit.profile(on);
    this.onToggle?.(on);
    if (on) {
      this.samples = [];
      this.lastProfile = null;
      this.refresh();
      this.timer = setInterval(() => this.refresh(), REFRESH_MS);
      this.zx.jit.lockstep().then((v) => { this.lockBox.checked = v; }).catch(() => {});
    } else {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  async setLockstep(on) {
    try {
      this.lockBox.checked = await this.zx.jit.lockstep(on);
    } catch (e) {
      this.lockText.textContent = e.message;
    }
  }

  async refresh() {
    if (this.busy || !this.visible) return;
    this.busy = true;
    try {
      const states = this.allStates ? Object.keys(JIT_STATES) : undefined;
      const [list, map, reports] = await Promise.all([
        this.zx.jit.functions({ filter: this.filter, sort: this.sort, states }),
        this.zx.jit.map(),
        this.zx.jit.lockstepReports(),
      ]);
      this.list = list;
      this.mapData = map;
      this.drawTable();
      this.drawMap();
      this.showLockstep(reports);
      const sel = this.selected !== null ? list.find((f) => f.id === this.selected) : null;
      if (this.selected !== null && (!this.detail || !sel || sel.compiles !== this.detail.compiles || sel.state !== this.detail.state)) {
        await this.loadDetail(this.selected);
      } else if (sel && this.detail) {
        Object.assign(this.detail, sel);
        this.drawDetailHead();
      }
    } catch (e) {
      this.summary.textContent = e.message;
    } finally {
      this.busy = false;
    }
  }

  drawTable() {
    const list = this.list;
    const compiled = list.filter((f) => f.state === 'compiled' || f.state === 'load-form');
    const bytes = compiled.reduce((n, f) => n + f.bytes, 0);
    this.summary.textContent = `${compiled.length} compiled · ${num(bytes)} bytes of Wasm`;
    this.countText.textContent = list.length > ROW_LIMIT ? `${ROW_LIMIT} of ${list.length}` : `${list.length} shown`;
    for (const th of this.thead.children) th.setAttribute('aria-sort', th.dataset.sort === this.sort ? (this.sort === 'pc' ? 'ascending' : 'descending') : 'none');
    const maxRuns = Math.max(1, ...list.map((f) => f.runs));
    const rows = list.slice(0, ROW_LIMIT).map((f) => {
      const tr = el('tr', { 'data-id': String(f.id), tabindex: '-1', class: `s-${f.state}${f.id === this.selected ? ' selected' : ''}${f.visible ? '' : ' away'}` });
      const span = f.lo >= 0 ? `${hex4(f.lo)}–${hex4(f.hi)}` : '—';
      const bar = el('i', { class: 'ji-bar', style: `width:${Math.max(1, (Math.log1p(f.runs) / Math.log1p(maxRuns)) * 100)}%` });
      tr.append(
        el('td', { class: 'c-pc mono', title: f.where }, hex4(f.pc), el('small', { text: shortWhere(f.where) })),
        el('td', { class: 'c-span mono', text: span }),
        el('td', { class: 'c-blocks num', text: String(f.blocks || '') }),
        el('td', { class: 'c-bytes num', text: f.bytes ? num(f.bytes) : '' }),
        el('td', { class: 'c-compileMs num', text: f.compiles ? ms(f.compileMs) : '' }),
        el('td', { class: 'c-runs num' }, bar, el('span', { text: num(f.runs) })),
        el('td', { class: 'c-ms num', text: f.ms ? ms(f.ms) : '' }),
        el('td', { class: 'c-invalidations num', text: f.invalidations ? num(f.invalidations) : '' }),
        el('td', { class: 'c-state', title: JIT_STATES[f.state] ?? '' }, el('span', { class: 'ji-state', text: f.state })),
      );
      return tr;
    });
    // A focused row is replaced by its new self: focus must not fall back to
    // the page, where keys would reach the Spectrum.
    const focused = this.tbody.contains(document.activeElement) ? document.activeElement.closest('tr')?.dataset.id : null;
    this.tbody.replaceChildren(...rows);
    if (focused !== null && focused !== undefined) {
      const again = rows.find((r) => r.dataset.id === focused);
      if (again) again.focus({ preventScroll: true });
      else this.root.focus({ preventScroll: true });
    }
  }

  async select(id) {
    this.selected = id;
    for (const tr of this.tbody.children) tr.classList.toggle('selected', Number(tr.dataset.id) === id);
    await this.loadDetail(id);
    this.drawMap();
  }

  async loadDetail(id) {
    try {
      this.detail = await this.zx.jit.function(id);
    } catch (e) {
      this.detail = null;
      this.detailHead.textContent = e.message;
      this.guestPre.textContent = '';
      this.wasmPre.textContent = '';
      this.exitsBar.replaceChildren();
      return;
    }
    const d = this.detail;
    this.drawDetailHead();
    this.guestPre.replaceChildren(...d.guest.map((i) => el('div', { class: `ji-line${i.addr === d.pc ? ' entry' : ''}` },
      el('span', { class: 'g-addr', text: hex4(i.addr) }),
      el('span', { class: 'g-bytes', text: i.bytes.map(hex2).join(' ') }),
      el('span', { class: 'g-text', text: i.text }))));
    if (d.wasm) this.wasmPre.innerHTML = wasmHtml(d.wasm);
    else this.wasmPre.textContent = `(no Wasm: ${JIT_STATES[d.state] ?? d.state})`;
  }

  drawDetailHead() {
    const d = this.detail;
    if (!d) return;
    const parts = [
      el('b', { class: 'mono', text: `$${hex4(d.pc)}` }), ` ${d.where} · `,
      el('span', { class: 'ji-state', text: d.state }),
      ` · ${d.blocks} block${d.blocks === 1 ? '' : 's'}`,
      d.lo >= 0 ? ` · ${hex4(d.lo)}–${hex4(d.hi)}` : '',
      d.bytes ? ` · ${num(d.bytes)} bytes` : '',
      d.module ? ` (its module: ${d.module.functions} function${d.module.functions === 1 ? '' : 's'}, ${num(d.module.bytes)} bytes)` : '',
      d.compiles ? ` · compiled ${d.compiles}×, request ${d.request} took ${ms(d.compileMs)} ms` : '',
      ` · ${num(d.runs)} runs`,
      d.ms ? ` · ${ms(d.ms)} ms in it` : '',
      d.hits ? ` · ${num(d.hits)} interpreted` : '',
      d.invalidations || d.operandChanges || d.otherChanges ? ` · invalidated ${d.invalidations}× (operand changes ${d.operandChanges}, other ${d.otherChanges})` : '',
      d.loaded ? ` · ${d.loaded} patched bytes read from memory` : '',
      d.profile === 'compiled' ? ` · its indirect jumps' targets compiled in: ${d.targets.map((t) => `$${hex4(t)}`).join(' ')}`
        : d.indirectExits ? ` · ${num(d.indirectExits)} indirect-jump exits recorded` : '',
    ];
    this.detailHead.replaceChildren(...parts.filter((p) => p !== ''));
    const total = d.exits.normal + d.exits.deadline + d.exits.smc + d.exits.paged;
    const kinds = [['normal', 'left for other code'], ['deadline', 'frame or interrupt deadline'], ['smc', 'its code was written'], ['paged', 'memory paged']];
    const taken = total ? kinds.filter(([k]) => d.exits[k] > 0) : [];
    this.exitsBar.replaceChildren(el('span', { class: 'ji-exits-label', text: total ? 'Exits' : 'Exits: none yet' }),
      ...taken.map(([k, what]) => el('span', { class: `ji-exit e-${k}`, title: what, style: `flex-grow:${Math.max(d.exits[k] / total, 0.04)}` },
        `${k} ${num(d.exits[k])}`)));
  }

  // ---- map

  setMapMode(mode) {
    this.mapMode = mode;
    for (const b of this.modeButtons) b.setAttribute('aria-pressed', String(b.dataset.mode === mode));
    this.drawLegend();
    this.drawMap();
  }

  drawLegend() {
    const key = (colour, text) => el('span', { class: 'ji-key' }, el('i', { style: `background:${colour}` }), text);
    if (this.mapMode === 'cover') {
      this.legend.replaceChildren(...Object.entries(COVER_COLOURS).map(([c, [r, g, b]]) => key(`rgb(${r},${g},${b})`, COVER_NAMES[c])));
    } else if (this.mapMode === 'heat') {
      this.legend.replaceChildren(el('span', { class: 'ji-ramp heat' }), el('span', { text: 'executions (log scale); dim green: compiled, not run yet' }));
    } else {
      this.legend.replaceChildren(el('span', { class: 'ji-ramp inval' }), el('span', { text: 'stores that invalidated code; dim green: compiled' }));
    }
  }

  drawMap() {
    const d = this.mapData;
    if (!d) return;
    const px = this.mapImage.data;
    const { heat, cover, inval } = d;
    let maxHeat = 1, maxInval = 1;
    for (let a = 0; a < 65536; a++) {
      if (heat[a] > maxHeat) maxHeat = heat[a];
      if (inval[a] > maxInval) maxInval = inval[a];
    }
    const lh = Math.log1p(maxHeat), li = Math.log1p(maxInval);
    for (let a = 0; a < 65536; a++) {
      let r = 18, g = 19, b = 24;
      if (a >= 0x4000 && a < 0x5b00) { r = 24; g = 24; b = 34; } // the screen, faintly
      const c = cover[a];
      if (this.mapMode === 'cover') {
        if (c) [r, g, b] = COVER_COLOURS[c];
      } else if (this.mapMode === 'heat') {
        if (heat[a]) {
          const t = 0.15 + 0.85 * (Math.log1p(heat[a]) / lh);
          [r, g, b] = ramp(t);
        } else if (c === COVER.COMPILED || c === COVER.LOAD_FORM) { r = 30; g = 62; b = 36; }
      } else if (inval[a]) {
        const t = 0.3 + 0.7 * (Math.log1p(inval[a]) / li);
        r = 255; g = Math.round(220 * (1 - t)); b = Math.round(60 * (1 - t));
      } else if (c) { r = 30; g = 62; b = 36; }
      const i = a * 4;
      px[i] = r; px[i + 1] = g; px[i + 2] = b; px[i + 3] = 255;
    }
    // the selected function's bytes, outlined in white
    if (this.detail) {
      for (const [first, last] of this.detail.ranges) {
        for (let a = first; ; a = (a + 1) & 0xffff) {
          const i = a * 4;
          px[i] = 255; px[i + 1] = 255; px[i + 2] = 255;
          if (a === last) break;
        }
      }
    }
    this.mapCtx.putImageData(this.mapImage, 0, 0);
  }

  mapAddress(e) {
    const r = this.canvas.getBoundingClientRect();
    const x = Math.min(255, Math.max(0, Math.floor(((e.clientX - r.left) / r.width) * 256)));
    const y = Math.min(255, Math.max(0, Math.floor(((e.clientY - r.top) / r.height) * 256)));
    return y * 256 + x;
  }

  mapHover(e) {
    const a = this.mapAddress(e);
    const d = this.mapData;
    if (!d) return;
    const c = d.cover[a];
    this.mapInfo.textContent = `$${hex4(a)} · ${c ? COVER_NAMES[c] : 'no code compiled'}` +
      (d.heat[a] ? ` · ${num(d.heat[a])} executions` : '') + (d.inval[a] ? ` · ${num(d.inval[a])} invalidating stores` : '');
  }

  async mapClick(e) {
    const a = this.mapAddress(e);
    try {
      const f = await this.zx.jit.functionAt(a);
      if (f) await this.select(f.id);
      else this.mapInfo.textContent = `$${hex4(a)}: no function here`;
    } catch (err) {
      this.mapInfo.textContent = err.message;
    }
  }

  // ---- lockstep

  showLockstep(r) {
    if (!r) return;
    this.lockText.textContent = this.lockBox.checked || r.checks
      ? `Lockstep: ${num(r.checks)} compiled runs checked against the interpreter, ${num(r.divergences)} divergence${r.divergences === 1 ? '' : 's'}.`
      : 'Lockstep is off: tick it to check every compiled run against the interpreter (slow).';
    this.lockPre.hidden = !r.reports.length;
    if (r.reports.length) this.lockPre.textContent = r.reports.map((x) => formatLockstepReport(x)).join('\n\n');
  }

  // ---- frame profile chart

  profileArrived(p) {
    if (!this.visible || !p) return;
    const prev = this.lastProfile;
    this.lastProfile = p;
    if (!prev || p.frames <= prev.frames) return; // restarted or no frames since
    const frames = p.frames - prev.frames;
    const sample = { frames };
    for (const k of PROFILE_CATEGORIES) sample[k] = Math.max(0, (p.categories[k].ms - prev.categories[k].ms) / frames);
    this.samples.push(sample);
    if (this.samples.length > CHART_BARS) this.samples.shift();
    this.drawChart();
  }

  drawChart() {
    const c = this.chart;
    const ctx = c.getContext('2d');
    const w = c.width, h = c.height, pad = 22;
    ctx.clearRect(0, 0, w, h);
    ctx.fillStyle = '#16181d';
    ctx.fillRect(0, 0, w, h);
    const cats = PROFILE_CATEGORIES.filter((k) => k !== 'profiler');
    const totals = this.samples.map((s) => cats.reduce((n, k) => n + s[k], 0));
    // The scale follows the usual frames: a rare long one (a load, a burst
    // of compiles) is clipped, marked by a cap, rather than flattening the rest.
    const sorted = [...totals].sort((a, b) => a - b);
    const usual = sorted[Math.floor(sorted.length * 0.9)] ?? 0;
    const top = Math.max(0.5, Math.min(sorted.at(-1) ?? 0, usual * 1.6) * 1.1);
    const y = (v) => h - pad - (v / top) * (h - pad - 6);
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = '#9aa0ad';
    ctx.strokeStyle = '#2b2e36';
    for (const v of niceTicks(top)) {
      ctx.beginPath(); ctx.moveTo(34, y(v)); ctx.lineTo(w, y(v)); ctx.stroke();
      ctx.fillText(`${v}`, 4, y(v) + 4);
    }
    const bw = (w - 36) / CHART_BARS;
    this.samples.forEach((s, i) => {
      let acc = 0;
      const x = 36 + (CHART_BARS - this.samples.length + i) * bw;
      for (const k of cats) {
        if (!s[k] || acc >= top) { acc += s[k]; continue; }
        const v = Math.min(s[k], top - acc);
        ctx.fillStyle = CATEGORY_COLOURS[k];
        ctx.fillRect(x, y(acc + v), Math.max(1, bw - 1), y(acc) - y(acc + v));
        acc += s[k];
      }
      if (acc > top) { // clipped
        ctx.fillStyle = '#ffffff';
        ctx.fillRect(x, y(top), Math.max(1, bw - 1), 2);
      }
    });
    if (FRAME_MS <= top) {
      ctx.strokeStyle = '#f5c542';
      ctx.setLineDash([4, 3]);
      ctx.beginPath(); ctx.moveTo(34, y(FRAME_MS)); ctx.lineTo(w, y(FRAME_MS)); ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.fillStyle = '#9aa0ad';
    ctx.fillText('ms/frame', 4, h - 6);
    const last = this.samples.at(-1);
    if (last) {
      const total = cats.reduce((n, k) => n + last[k], 0);
      const share = (k) => (total ? Math.round((last[k] / total) * 100) : 0);
      this.chartNote.textContent = `Last: ${total.toFixed(2)} ms a frame · compiled ${share('compiled')}% · interpreter ${share('interpreter')}% · dispatcher ${share('dispatcher')}% · compile ${share('compile')}% · video ${share('video')}%`;
    }
  }

  destroy() {
    this.visible = false;
    this.zx.removeEventListener('statistics', this.onStats);
    this.root.remove();
  }
}

// "ROM 0 $15FE" -> "R0 15FE", "bank 2 $0006" -> "B2 0006" (the full name is the cell's title).
function shortWhere(w) {
  const m = /^(ROM|bank) (\d+) \$([0-9A-F]{4})$/.exec(w);
  return m ? `${m[1] === 'ROM' ? 'R' : 'B'}${m[2]} ${m[3]}` : w;
}

// Dark blue -> green -> yellow -> white.
function ramp(t) {
  const stops = [[20, 40, 110], [30, 150, 120], [240, 200, 60], [255, 255, 235]];
  const x = Math.min(0.999, Math.max(0, t)) * (stops.length - 1);
  const i = Math.floor(x), f = x - i;
  return [0, 1, 2].map((k) => Math.round(stops[i][k] + (stops[i + 1][k] - stops[i][k]) * f));
}

// About five gridlines at round values.
function niceTicks(top) {
  const raw = top / 5, p = 10 ** Math.floor(Math.log10(raw)), m = raw / p;
  const step = (m >= 5 ? 10 : m >= 2 ? 5 : m >= 1 ? 2 : 1) * p;
  const out = [];
  for (let v = 0; v <= top; v += step) out.push(+v.toFixed(2));
  return out;
}
