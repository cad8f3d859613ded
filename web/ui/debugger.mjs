// The debugger panel of the playable page: off by default, opened from the
// toolbar's Debug button or Ctrl+Shift+D.
// It drives one Spectrum's debugger (web/spectrum.mjs `debug`, which runs in
// the Worker: web/engine/debug-session.mjs):
//   - state: Running or Stopped and why; Continue (F5), Break, Step (F11),
//     Step over (F10), Step out (Shift+F11);
//   - registers (editable: click, type hex, Enter) and flags (click to flip);
//   - the beam: frame, T-state, line and T-state in the line, screen row;
//   - disassembly around PC that follows execution; click the gutter to set
//     or clear a breakpoint, click an instruction to run to it;
//   - breakpoints: on PC, memory read/write ranges, port in/out; enable,
//     remove, hit counts;
//   - memory: 128 bytes from any address, hex and text, the screen's
//     bitmap and attributes marked; click a byte to change it;
//   - the call stack guess (click an entry to see its code).
// Keys typed into the panel never reach the Spectrum: its root stops key
// events before the page's keyboard listener (KeyboardInput on document).
import { disassemble } from '../z80-disasm.mjs';
import { closeButton, el } from './dom.mjs';
import { icon } from './icons.mjs';

const hex2 = (v) => v.toString(16).toUpperCase().padStart(2, '0');
const hex4 = (v) => v.toString(16).toUpperCase().padStart(4, '0');
const WORD_REGS = ['AF', 'BC', 'DE', 'HL', 'IX', 'IY', 'SP', 'PC', "AF'", "BC'", "DE'", "HL'"];
const BYTE_REGS = ['I', 'R', 'IM', 'IFF1', 'IFF2'];
const FLAGS = ['S', 'Z', 'Y', 'H', 'X', 'PV', 'N', 'C'];
const FLAG_TITLES = { S: 'sign', Z: 'zero', Y: 'bit 5', H: 'half carry', X: 'bit 3', PV: 'parity/overflow', N: 'subtract', C: 'carry' };
const CODE_LINES = 22;
const LINES_BEFORE_PC = 5;
const MEM_ROWS = 8;
const REASONS = { breakpoint: 'breakpoint', watch: 'watchpoint', step: 'step', target: 'reached', pause: 'break' };


// "8000", "$8000", "0x8000", "#8000" are hex; "32768." or "d32768" decimal.
export function parseAddress(text) {
  const t = String(text).trim();
  let v = NaN;
  if (/^(?:\$|0x|#)?[0-9a-f]{1,4}$/i.test(t)) v = parseInt(t.replace(/^(\$|0x|#)/i, ''), 16);
  else if (/^\d{1,5}\.$/.test(t)) v = Number(t.slice(0, -1));
  else if (/^d\d{1,5}$/i.test(t)) v = Number(t.slice(1));
  return v >= 0 && v <= 0xffff ? v : null;
}

// The instructions from code.addr on, started so that one begins at pc.
function listingAround(code, pc) {
  const mem = (a) => {
    const i = (a - code.addr) & 0xffff;
    return i < code.bytes.length ? code.bytes[i] : 0;
  };
  for (let skip = 0; skip < 8; skip++) {
    const lines = disassemble(mem, (code.addr + skip) & 0xffff, 64);
    const at = lines.findIndex((l) => l.addr === pc);
    if (at >= 0) return lines.slice(Math.max(0, at - LINES_BEFORE_PC), Math.max(0, at - LINES_BEFORE_PC) + CODE_LINES);
  }
  return disassemble(mem, pc, CODE_LINES);
}

// Its stylesheet, added with the first panel.
const STYLESHEET = new URL('./debugger.css', import.meta.url);

// toolButton: the page's own button for it (else button() makes one).
export class DebuggerPanel {
  constructor(zx, { parent = document.body, toolButton = null } = {}) {
    this.zx = zx;
    this.view = null;
    this.codeAt = null;        // null: follow PC; else the address the code view starts at
    this.memAt = 0x4000;
    this.open = false;
    this.toolButton = toolButton;
    addStylesheet();
    this.build(parent);
    zx.addEventListener('break', (e) => this.broke(e.detail));
    zx.addEventListener('debugrun', () => {
      if (this.view) this.view.broken = false;
      this.renderState();
    });
    // While running and open: the registers and the beam twice a second.
    zx.addEventListener('statistics', () => {
      if (this.open && !this.view?.broken) this.refresh();
    });
  }

  // The machine stopped (a 'break' event's detail): show where.
  broke(view) {
    this.view = view;
    if (!this.open) this.show(true);
    this.codeAt = null;
    this.render();
  }

  // The toolbar's button (the page puts it in its View group).
  button() {
    const b = el('button', { type: 'button', class: 'tool', title: 'Debugger (Ctrl+Shift+D)', 'aria-label': 'Debugger', 'aria-pressed': 'false', dataset: { action: 'debugger' } },
      icon('debugger'), el('span', { class: 'tool-label' }, 'Debug'));
    b.addEventListener('pointerdown', (e) => { if (e.pointerType === 'mouse') e.preventDefault(); });
    b.addEventListener('click', () => this.show(!this.open));
    this.toolButton = b;
    return b;
  }

  // ---- construction

  build(parent) {
    const root = el('aside', { class: 'dbg', 'aria-label': 'Debugger', hidden: true, tabindex: '-1' });
    // Keys typed here are the panel's, never the Spectrum's.
    for (const type of ['keydown', 'keyup', 'keypress']) root.addEventListener(type, (e) => {
      if (type === 'keydown') this.shortcut(e);
      e.stopPropagation();
    });

    this.status = el('div', { class: 'dbg-status', role: 'status', 'aria-live': 'polite' }, 'Running');
    const head = el('header', { class: 'dbg-head' },
      el('h2', {}, 'Debugger'), this.status,
      closeButton('dbg-close', 'Close the debugger', () => this.show(false)));

    const ctl = (label, title, fn, cls = '') => el('button', { type: 'button', class: `dbg-btn ${cls}`, title, onclick: () => this.act(fn) }, label);
    this.continueBtn = ctl('Continue', 'Continue (F5)', () => this.zx.debug.continue(), 'dbg-primary');
    this.breakBtn = ctl('Break', 'Stop where it is (F5 while running)', () => this.zx.debug.break());
    const controls = el('div', { class: 'dbg-controls', role: 'toolbar', 'aria-label': 'Run control' },
      this.continueBtn, this.breakBtn,
      ctl('Step', 'Step into (F11)', () => this.zx.debug.step()),
      ctl('Over', 'Step over (F10): a CALL, RST, DJNZ, LDIR... runs to the next instruction', () => this.zx.debug.stepOver()),
      ctl('Out', 'Step out (Shift+F11): run to the return address', () => this.zx.debug.stepOut()));

    // registers
    this.regInputs = new Map();
    const regs = el('div', { class: 'dbg-regs' });
    const small = el('div', { class: 'dbg-regs dbg-regs-small' });
    for (const name of [...WORD_REGS, ...BYTE_REGS]) {
      const input = el('input', { class: 'dbg-reg', 'aria-label': name, spellcheck: 'false', autocomplete: 'off', inputmode: 'text', maxlength: WORD_REGS.includes(name) ? 4 : 2 });
      input.addEventListener('change', () => this.editRegister(name, input));
      input.addEventListener('keydown', (e) => { if (e.key === 'Enter') input.blur(); if (e.key === 'Escape') { input.value = input.dataset.value ?? ''; input.blur(); } });
      this.regInputs.set(name, input);
      (WORD_REGS.includes(name) ? regs : small).append(el('label', { class: 'dbg-reg-cell' }, el('span', {}, name), input));
    }
    this.flagButtons = new Map();
    const flags = el('div', { class: 'dbg-flags', role: 'group', 'aria-label': 'Flags' });
    for (const f of FLAGS) {
      const b = el('button', { type: 'button', class: 'dbg-flag', title: `${f}: ${FLAG_TITLES[f]} (click to flip)`, 'aria-pressed': 'false' }, f === 'PV' ? 'P/V' : f);
      b.addEventListener('click', () => this.act(() => this.zx.debug.setRegisters({ flags: { [f]: b.getAttribute('aria-pressed') !== 'true' } })).then(() => this.refresh()));
      this.flagButtons.set(f, b);
      flags.append(b);
    }
    this.halted = el('span', { class: 'dbg-halted', hidden: true }, 'HALT');
    flags.append(this.halted);
    this.position = el('div', { class: 'dbg-position' });

    // code
    this.codeAddr = el('input', { class: 'dbg-addr', placeholder: 'PC', 'aria-label': 'Show code at address', spellcheck: 'false', maxlength: 6 });
    this.codeAddr.addEventListener('keydown', (e) => { if (e.key === 'Enter') this.gotoCode(this.codeAddr.value); });
    const followBtn = el('button', { type: 'button', class: 'dbg-btn dbg-small', title: 'Follow PC', onclick: () => { this.codeAt = null; this.codeAddr.value = ''; this.render(); } }, 'PC');
    this.code = el('ol', { class: 'dbg-code', 'aria-label': 'Disassembly' });
    this.code.addEventListener('click', (e) => this.codeClick(e));

    // breakpoints
    this.bpKind = el('select', { class: 'dbg-select', 'aria-label': 'Breakpoint kind' },
      ...[['pc', 'PC'], ['read', 'Read'], ['write', 'Write'], ['in', 'Port in'], ['out', 'Port out']].map(([v, t]) => new Option(t, v)));
    this.bpAddr = el('input', { class: 'dbg-addr dbg-wide', placeholder: 'addr or from-to (hex)', 'aria-label': 'Breakpoint address', spellcheck: 'false' });
    this.bpAddr.addEventListener('keydown', (e) => { if (e.key === 'Enter') this.addBreakpoint(); });
    this.bpKind.addEventListener('change', () => {
      const port = this.bpKind.value === 'in' || this.bpKind.value === 'out';
      this.bpAddr.placeholder = port ? 'port/mask, e.g. FE/FF' : 'addr or from-to (hex)';
    });
    this.bpList = el('ul', { class: 'dbg-bps', 'aria-label': 'Breakpoints' });

    // memory
    this.memAddr = el('input', { class: 'dbg-addr', value: '4000', 'aria-label': 'Memory address', spellcheck: 'false', maxlength: 6 });
    this.memAddr.addEventListener('keydown', (e) => { if (e.key === 'Enter') this.gotoMemory(this.memAddr.value); });
    const memNav = (delta, label) => el('button', { type: 'button', class: 'dbg-btn dbg-small', title: `${delta > 0 ? 'Forward' : 'Back'} ${Math.abs(delta)} bytes`, onclick: () => this.gotoMemory(hex4((this.memAt + delta) & 0xffff)) }, label);
    this.mem = el('div', { class: 'dbg-mem', role: 'grid', 'aria-label': 'Memory' });
    this.mem.addEventListener('click', (e) => this.memClick(e));

    this.calls = el('ol', { class: 'dbg-calls', 'aria-label': 'Call stack' });
    this.calls.addEventListener('click', (e) => {
      const a = e.target.closest('[data-addr]');
      if (a) this.gotoCode(a.dataset.addr);
    });

    const section = (title, ...body) => el('section', { class: 'dbg-section' }, el('h3', {}, title), ...body);
    root.append(head, controls,
      el('div', { class: 'dbg-body' },
        section('Registers', regs, small, flags, this.position),
        section('Code', el('div', { class: 'dbg-row' }, this.codeAddr, followBtn,
          el('span', { class: 'dbg-hint' }, 'gutter: breakpoint · line: run to')), this.code),
        section('Breakpoints', el('div', { class: 'dbg-row' }, this.bpKind, this.bpAddr,
          el('button', { type: 'button', class: 'dbg-btn dbg-small', onclick: () => this.addBreakpoint() }, 'Add')), this.bpList),
        section('Memory', el('div', { class: 'dbg-row' }, this.memAddr, memNav(-128, '◀'), memNav(128, '▶'),
          el('span', { class: 'dbg-legend' }, el('i', { class: 'dbg-scr' }), 'screen ', el('i', { class: 'dbg-attr' }), 'attributes')), this.mem),
        section('Call stack (guess)', this.calls)));
    this.error = el('div', { class: 'dbg-error', role: 'alert', hidden: true });
    root.append(this.error);
    parent.append(root);
    this.root = root;

    // Ctrl+Shift+D anywhere opens and closes it.
    addEventListener('keydown', (e) => {
      if (e.ctrlKey && e.shiftKey && e.code === 'KeyD') {
        e.preventDefault();
        e.stopPropagation();
        this.show(!this.open);
      } else if (this.open && /^F(5|10|11)$/.test(e.key)) {
        this.shortcut(e);
      }
    }, true);
  }

  show(on) {
    this.open = on;
    this.root.hidden = !on;
    document.body.classList.toggle('dbg-open', on);
    this.toolButton?.setAttribute('aria-pressed', String(on));
    if (on) this.refresh();
    dispatchEvent(new Event('resize'));   // the stage fits the room left
  }

  shortcut(e) {
    const d = this.zx.debug;
    let fn = null;
    if (e.key === 'F5') fn = this.view?.broken ? () => d.continue() : () => d.break();
    else if (e.key === 'F10') fn = () => d.stepOver();
    else if (e.key === 'F11') fn = e.shiftKey ? () => d.stepOut() : () => d.step();
    if (!fn) return;
    e.preventDefault();
    e.stopPropagation();
    this.act(fn);
  }

  // Runs a debugger call; shows its error in the panel.
  async act(fn) {
    try {
      this.error.hidden = true;
      return await fn();
    } catch (e) {
      this.error.textContent = e.message;
      this.error.hidden = false;
      return undefined;
    }
  }

  async refresh() {
    const v = await this.act(() => this.zx.debug.view());
    if (!v) return;
    this.view = v;
    this.render();
  }

  // ---- rendering

  renderState() {
    const v = this.view;
    const broken = Boolean(v?.broken);
    this.root.classList.toggle('dbg-broken', broken);
    this.continueBtn.disabled = !broken;
    this.breakBtn.disabled = broken;
    if (!broken) {
      this.status.textContent = 'Running';
      return;
    }
    const s = v.stop;
    let why = REASONS[s?.reason] ?? 'stopped';
    if (s?.reason === 'breakpoint') why = `breakpoint ${s.id}`;
    if (s?.reason === 'watch') {
      const port = s.kind === 'in' || s.kind === 'out';
      why = `${s.kind} ${port ? 'port ' : ''}${hex4(s.address)} = ${hex2(s.value)} (T ${s.t})`;
    }
    this.status.textContent = `Stopped: ${why}`;
  }

  render() {
    const v = this.view;
    if (!v) return;
    this.renderState();
    const r = v.registers;
    for (const [name, input] of this.regInputs) {
      const val = r[name];
      const text = WORD_REGS.includes(name) ? hex4(val) : name === 'I' || name === 'R' ? hex2(val) : String(val);
      input.dataset.value = text;
      if (document.activeElement !== input) input.value = text;
      input.readOnly = !v.broken;
    }
    for (const [f, b] of this.flagButtons) {
      b.setAttribute('aria-pressed', String(r.flags[f]));
      b.disabled = !v.broken;
    }
    this.halted.hidden = !r.halted;
    const p = v.position;
    const where = p.screenLine === null ? 'border' : `screen row ${p.screenLine}`;
    this.position.textContent = `frame ${p.frame} · T ${p.t} · line ${p.line} (${where}) · T ${p.lineT} in the line · paging ${v.paging.join(' ')}`;
    this.renderCode();
    this.renderBreakpoints();
    this.renderMemory();
    this.renderCalls();
  }

  async renderCode() {
    const v = this.view;
    const pc = v.registers.PC;
    const lines = this.codeAt === null ? listingAround(v.code, pc)
      : await this.act(() => this.zx.debug.disassemble(this.codeAt, CODE_LINES));
    if (!lines) return;
    const bps = new Map(v.breakpoints.filter((b) => b.kind === 'pc').map((b) => [b.lo, b]));
    const items = lines.map((l) => {
      const bp = [...bps.values()].find((b) => l.addr >= b.lo && l.addr <= b.hi);
      const cls = ['dbg-line', l.addr === pc ? 'dbg-pc' : '', bp ? (bp.enabled ? 'dbg-bp' : 'dbg-bp-off') : ''].join(' ').trim();
      return el('li', { class: cls, dataset: { addr: String(l.addr) }, 'aria-current': l.addr === pc ? 'step' : null },
        el('button', { type: 'button', class: 'dbg-gutter', title: bp ? `Remove breakpoint ${bp.id}` : `Breakpoint at ${hex4(l.addr)}`, 'aria-label': bp ? `Remove breakpoint at ${hex4(l.addr)}` : `Set breakpoint at ${hex4(l.addr)}` }),
        el('span', { class: 'dbg-a' }, hex4(l.addr)),
        el('span', { class: 'dbg-b' }, l.bytes.map(hex2).join(' ')),
        el('span', { class: 'dbg-t', title: `Run to ${hex4(l.addr)}` }, l.text));
    });
    this.code.replaceChildren(...items);
  }

  renderBreakpoints() {
    const items = this.view.breakpoints.map((b) => {
      const port = b.kind === 'in' || b.kind === 'out';
      const what = port ? `port ${hex4(b.lo)} mask ${hex4(b.hi)}` : b.lo === b.hi ? hex4(b.lo) : `${hex4(b.lo)}-${hex4(b.hi)}`;
      const box = el('input', { type: 'checkbox', 'aria-label': `Enable breakpoint ${b.id}` });
      box.checked = b.enabled;
      box.addEventListener('change', () => this.act(() => this.zx.debug.enableBreakpoint(b.id, box.checked)).then(() => this.refresh()));
      return el('li', { class: b.enabled ? '' : 'dbg-off' }, box,
        el('span', { class: 'dbg-kind' }, b.kind),
        el('span', { class: 'dbg-what' }, what, b.bank !== 'any' ? ` (bank ${b.bank})` : ''),
        el('span', { class: 'dbg-hits', title: 'hits' }, `${b.hits}×`),
        el('button', { type: 'button', class: 'dbg-x', title: `Remove breakpoint ${b.id}`, 'aria-label': `Remove breakpoint ${b.id}`,
          onclick: () => this.act(() => this.zx.debug.removeBreakpoint(b.id)).then(() => this.refresh()) }, '×'));
    });
    this.bpList.replaceChildren(...(items.length ? items : [el('li', { class: 'dbg-empty' }, 'none')]));
  }

  async renderMemory() {
    const at = this.memAt;
    const bytes = await this.act(() => this.zx.debug.peek(at, Math.min(MEM_ROWS * 16, 0x10000 - at)));
    if (!bytes) return;
    const rows = [];
    for (let r = 0; r < MEM_ROWS && r * 16 < bytes.length; r++) {
      const base = at + r * 16;
      const cells = [];
      let text = '';
      for (let i = 0; i < 16 && r * 16 + i < bytes.length; i++) {
        const a = base + i, b = bytes[r * 16 + i];
        const area = a >= 0x4000 && a < 0x5800 ? 'dbg-scr' : a >= 0x5800 && a < 0x5b00 ? 'dbg-attr' : '';
        cells.push(el('span', { class: `dbg-byte ${area}`.trim(), role: 'gridcell', tabindex: '0', dataset: { addr: String(a) }, title: `${hex4(a)}: ${b}` }, hex2(b)));
        text += b >= 32 && b < 127 ? String.fromCharCode(b) : '·';
      }
      rows.push(el('div', { class: 'dbg-mem-row', role: 'row' }, el('span', { class: 'dbg-a' }, hex4(base)), el('span', { class: 'dbg-bytes' }, ...cells), el('span', { class: 'dbg-text' }, text)));
    }
    this.mem.replaceChildren(...rows);
  }

  renderCalls() {
    const calls = this.view.callStack;
    this.calls.replaceChildren(...(calls.length ? calls.map((c) => el('li', {},
      el('button', { type: 'button', class: 'dbg-link', dataset: { addr: hex4(c.call) }, title: `Show the code at ${hex4(c.call)}` },
        `${hex4(c.call)}  ${c.ret - c.call === 1 ? `RST ${hex2(c.target)}` : `CALL ${hex4(c.target)}`}`), el('span', { class: 'dbg-muted' }, ` → returns to ${hex4(c.ret)} (SP ${hex4(c.sp)})`)))
      : [el('li', { class: 'dbg-empty' }, 'no return addresses on the stack')]));
  }

  // ---- editing

  async editRegister(name, input) {
    const text = input.value.trim();
    const decimal = !WORD_REGS.includes(name) && name !== 'I' && name !== 'R';
    const v = decimal ? Number(text) : parseInt(text, 16);
    if (!/^[0-9a-f]+$/i.test(text) || !Number.isInteger(v)) {
      this.error.textContent = `${name}: '${text}' is not a ${decimal ? 'number' : 'hex number'}`;
      this.error.hidden = false;
      input.value = input.dataset.value ?? '';
      return;
    }
    await this.act(() => this.zx.debug.setRegisters({ [name]: v }));
    this.refresh();
  }

  gotoCode(text) { return this.goto(text, '8000', this.codeAddr, (a) => { this.codeAt = a; this.renderCode(); }); }
  gotoMemory(text) { return this.goto(text, '4000', this.memAddr, (a) => { this.memAt = a; this.renderMemory(); }); }

  // A view moved to the address typed (shown back in `input` as 4 hex
  // digits); not an address: the error line says so, with an example.
  goto(text, example, input, show) {
    const a = parseAddress(text);
    if (a === null) return this.act(() => { throw new Error(`'${text}' is not an address (hex, e.g. ${example})`); });
    input.value = hex4(a);
    show(a);
  }

  async codeClick(e) {
    const line = e.target.closest('.dbg-line');
    if (!line) return;
    const addr = Number(line.dataset.addr);
    const d = this.zx.debug;
    if (e.target.closest('.dbg-gutter')) {
      const bp = this.view.breakpoints.find((b) => b.kind === 'pc' && addr >= b.lo && addr <= b.hi);
      await this.act(() => (bp ? d.removeBreakpoint(bp.id) : d.addBreakpoint({ pc: addr })));
      this.refresh();
    } else if (e.target.closest('.dbg-t, .dbg-a, .dbg-b')) {
      await this.act(() => d.runTo(addr));
    }
  }

  memClick(e) {
    const cell = e.target.closest('.dbg-byte');
    if (!cell || cell.querySelector('input')) return;
    const addr = Number(cell.dataset.addr);
    const input = el('input', { class: 'dbg-poke', value: cell.textContent, maxlength: 2, 'aria-label': `Byte at ${hex4(addr)}`, spellcheck: 'false' });
    cell.textContent = '';
    cell.append(input);
    input.focus();
    input.select();
    const done = async (write) => {
      const v = parseInt(input.value, 16);
      if (write && /^[0-9a-f]{1,2}$/i.test(input.value.trim())) await this.act(() => this.zx.debug.poke(addr, v));
      this.renderMemory();
      if (write) this.refresh();
    };
    input.addEventListener('keydown', (k) => {
      if (k.key === 'Enter') done(true);
      if (k.key === 'Escape') done(false);
    });
    input.addEventListener('blur', () => done(false), { once: true });
  }

  async addBreakpoint() {
    const kind = this.bpKind.value;
    const text = this.bpAddr.value.trim();
    let spec;
    if (kind === 'in' || kind === 'out') {
      const [p, m] = text.split('/');
      const port = parseAddress(p ?? ''), mask = m === undefined ? 0xffff : parseAddress(m);
      if (port === null || mask === null) return this.act(() => { throw new Error(`'${text}': a port, and a mask after a slash (hex: FE/FF)`); });
      spec = { [kind]: port, mask };
    } else {
      const [a, b] = text.split(/\s*[-–]\s*/);
      const lo = parseAddress(a ?? ''), hi = b === undefined ? lo : parseAddress(b);
      if (lo === null || hi === null) return this.act(() => { throw new Error(`'${text}': an address or a range (hex: 4000-57FF)`); });
      spec = { [kind]: [lo, hi] };
    }
    const id = await this.act(() => this.zx.debug.addBreakpoint(spec));
    if (id) this.bpAddr.value = '';
    this.refresh();
  }
}

function addStylesheet() {
  if (document.querySelector('link[data-zx-debugger]')) return;
  document.head.append(el('link', { rel: 'stylesheet', href: STYLESHEET.href, dataset: { zxDebugger: '' } }));
}
