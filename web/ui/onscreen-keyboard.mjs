// An on-screen Spectrum 48K keyboard for touch screens: the 40 keys in the
// original's four rows, with the symbol-shift characters in red and, where
// there is room, the keywords. One tap is one key press.
//
// CAPS SHIFT and SYMBOL SHIFT latch on a tap (one finger cannot hold a shift
// and tap a key) and unlatch after the next key; tapping SYMBOL SHIFT while
// CAPS SHIFT is latched gives both at once (extended mode). Holding a shift
// with one finger and tapping with another works as well.
//
// The keyboard is a panel with a title bar whose button hides it (onHide);
// the page decides where the panel goes (below the screen, or beside it
// when the screen is wide and short).
import { closeButton } from './dom.mjs';

// [key, label, symbol-shift label, keyword]
const ROWS = [
  [['1', '1', '!', 'EDIT'], ['2', '2', '@', 'CAPS LOCK'], ['3', '3', '#', 'TRUE VID'], ['4', '4', '$', 'INV VID'],
    ['5', '5', '%', '←'], ['6', '6', '&', '↓'], ['7', '7', "'", '↑'], ['8', '8', '(', '→'], ['9', '9', ')', 'GRAPH'], ['0', '0', '_', 'DELETE']],
  [['Q', 'Q', '<=', 'PLOT'], ['W', 'W', '<>', 'DRAW'], ['E', 'E', '>=', 'REM'], ['R', 'R', '<', 'RUN'], ['T', 'T', '>', 'RAND'],
    ['Y', 'Y', 'AND', 'RETURN'], ['U', 'U', 'OR', 'IF'], ['I', 'I', 'AT', 'INPUT'], ['O', 'O', ';', 'POKE'], ['P', 'P', '"', 'PRINT']],
  [['A', 'A', 'STOP', 'NEW'], ['S', 'S', 'NOT', 'SAVE'], ['D', 'D', 'STEP', 'DIM'], ['F', 'F', 'TO', 'FOR'], ['G', 'G', 'THEN', 'GO TO'],
    ['H', 'H', '↑', 'GO SUB'], ['J', 'J', '-', 'LOAD'], ['K', 'K', '+', 'LIST'], ['L', 'L', '=', 'LET'], ['ENTER', 'ENTER', '', '']],
  [['CAPS', 'CAPS SHIFT', '', ''], ['Z', 'Z', ':', 'COPY'], ['X', 'X', '£', 'CLEAR'], ['C', 'C', '?', 'CONT'], ['V', 'V', '/', 'CLS'],
    ['B', 'B', '*', 'BORDER'], ['N', 'N', ',', 'NEXT'], ['M', 'M', '.', 'PAUSE'], ['SYMBOL', 'SYMBOL SHIFT', '', ''], ['SPACE', 'BREAK SPACE', '', '']],
];

const SHIFTS = new Set(['CAPS', 'SYMBOL']);
// Labels for a narrow keyboard (a phone held sideways puts it beside the screen).
const SHORT = { CAPS: 'CAPS', SYMBOL: 'SYM', SPACE: 'SPACE', ENTER: 'ENTER' };

export class OnScreenKeyboard {
  // press(name, down) drives the Spectrum; onHide() is the hide button.
  constructor(parent, press, { onHide } = {}) {
    this.press = press;
    this.latched = new Set();   // shifts latched by a tap
    this.pointers = new Map();  // pointerId -> key name held by that finger
    this.el = document.createElement('div');
    this.el.className = 'zx-osk';
    this.el.setAttribute('role', 'group');
    this.el.setAttribute('aria-label', 'Spectrum keyboard');
    this.buttons = new Map();
    if (onHide) {
      const bar = document.createElement('div');
      bar.className = 'zx-osk-bar';
      const title = document.createElement('span');
      title.textContent = 'Keyboard';
      bar.append(title, closeButton('zx-osk-hide', 'Hide the keyboard', onHide));
      this.el.append(bar);
    }
    for (const row of ROWS) {
      const r = document.createElement('div');
      r.className = 'zx-osk-row';
      for (const [key, label, sym, word] of row) r.append(this.keyButton(key, label, sym, word));
      this.el.append(r);
    }
    this.el.addEventListener('pointerdown', (e) => this.down(e));
    for (const type of ['pointerup', 'pointercancel', 'lostpointercapture']) this.el.addEventListener(type, (e) => this.up(e));
    // Keyboard and screen-reader users activate buttons with click only.
    this.el.addEventListener('click', (e) => this.click(e));
    this.el.addEventListener('contextmenu', (e) => e.preventDefault());
    parent.append(this.el);
  }

  keyButton(key, label, sym, word) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'zx-key';
    b.dataset.key = key;
    if (SHIFTS.has(key)) b.classList.add('zx-key-shift');
    if (key === 'ENTER' || key === 'SPACE') b.classList.add('zx-key-wide');
    b.setAttribute('aria-label', label.replace('BREAK SPACE', 'Space').toLowerCase().replace(/^./, (c) => c.toUpperCase()));
    if (SHIFTS.has(key)) b.setAttribute('aria-pressed', 'false');
    const main = document.createElement('span');
    main.className = 'zx-key-main';
    if (SHORT[key]) {
      const full = document.createElement('span');
      full.className = 'zx-key-full';
      full.textContent = label;
      const short = document.createElement('span');
      short.className = 'zx-key-short';
      short.textContent = SHORT[key];
      main.append(full, short);
    } else {
      main.textContent = label;
    }
    b.append(main);
    if (sym) {
      const s = document.createElement('span');
      s.className = 'zx-key-sym';
      s.textContent = sym;
      b.append(s);
    }
    if (word) {
      const w = document.createElement('span');
      w.className = 'zx-key-word';
      w.textContent = word;
      b.append(w);
    }
    this.buttons.set(key, b);
    return b;
  }

  down(e) {
    const b = e.target.closest('.zx-key');
    if (!b) return;
    e.preventDefault();            // no focus change, no text selection, no double-tap zoom
    b.setPointerCapture?.(e.pointerId);
    const key = b.dataset.key;
    this.pointers.set(e.pointerId, key);
    this.pointerUsed = true;
    if (SHIFTS.has(key)) {
      this.toggleShift(key);
      return;
    }
    b.classList.add('zx-key-down');
    this.press(key, true);
  }

  up(e) {
    const key = this.pointers.get(e.pointerId);
    if (key === undefined) return;
    this.pointers.delete(e.pointerId);
    if (SHIFTS.has(key)) return;
    this.buttons.get(key).classList.remove('zx-key-down');
    this.press(key, false);
    this.releaseShifts();
  }

  click(e) {
    // Pointer input was handled on pointerdown/up; this is Enter/Space on a
    // focused button (e.detail is 0 for keyboard-generated clicks).
    const b = e.target.closest('.zx-key');
    if (!b || e.detail !== 0) return;
    const key = b.dataset.key;
    if (SHIFTS.has(key)) {
      this.toggleShift(key);
      return;
    }
    this.press(key, true);
    this.press(key, false);
    this.releaseShifts();
  }

  toggleShift(key) {
    if (this.latched.has(key)) {
      this.latched.delete(key);
      this.press(key, false);
    } else if (key === 'SYMBOL' && this.latched.has('CAPS')) {
      // CAPS + SYMBOL: extended mode, a momentary press of both.
      this.press('SYMBOL', true);
      this.press('SYMBOL', false);
      this.releaseShifts();
    } else {
      this.latched.add(key);
      this.press(key, true);
    }
    this.showShifts();
  }

  releaseShifts() {
    for (const k of this.latched) this.press(k, false);
    this.latched.clear();
    this.showShifts();
  }

  showShifts() {
    for (const k of SHIFTS) {
      const on = this.latched.has(k);
      this.buttons.get(k).classList.toggle('zx-key-latched', on);
      this.buttons.get(k).setAttribute('aria-pressed', String(on));
    }
  }

  set visible(on) { this.el.hidden = !on; }
  get visible() { return !this.el.hidden; }

  destroy() {
    this.releaseShifts();
    this.el.remove();
  }
}
