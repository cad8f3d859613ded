// Listens to a PC keyboard and drives one Spectrum's keys and Kempston
// joystick. Each PC key held maps to a set of Spectrum keys; the Spectrum's
// matrix is the union of those sets, and only changes to it are sent. A
// punctuation key held with Shift removes CAPS SHIFT from that union, so
// Shift+2 giving `"` on a UK layout types `"`, not CAPS+SYMBOL+P.
import { mapKey } from './keymap.mjs';

const TEXT_ENTRY = 'input, textarea, select, [contenteditable=""], [contenteditable="true"]';

export class KeyboardInput {
  // target: the element (or window) whose key events drive this Spectrum.
  // send(name, down): one Spectrum key changes; joy(bits): keyboard
  // joystick bits changed.
  constructor(target, { send, joy, joystickMode = () => 'cursor' }) {
    this.target = target;
    this.send = send;
    this.joy = joy;
    this.joystickMode = joystickMode;
    this.held = new Map();        // event.code -> mapping
    this.down = new Set();        // Spectrum keys currently pressed by us
    this.joyBits = 0;
    this.onKeyDown = (e) => this.key(e, true);
    this.onKeyUp = (e) => this.key(e, false);
    this.onBlur = () => this.releaseAll();
    target.addEventListener('keydown', this.onKeyDown);
    target.addEventListener('keyup', this.onKeyUp);
    target.addEventListener('blur', this.onBlur, true);
    addEventListener('blur', this.onBlur);
  }

  key(e, down) {
    if (e.metaKey) return;  // the OS's and browser's shortcuts
    const el = e.target;
    if (el instanceof Element) {
      if (el.closest(TEXT_ENTRY)) return;
      // A focused button keeps Enter and Space for itself (keyboard users).
      if (el.closest('button, a[href], summary') && (e.code === 'Enter' || e.code === 'Space')) return;
    }
    if (!down) {
      if (this.held.delete(e.code)) {
        e.preventDefault();
        this.update();
      }
      return;
    }
    const mapping = mapKey(e, { joystick: this.joystickMode() });
    if (!mapping) return;
    e.preventDefault();   // no scrolling on Space or arrows, no Alt menu
    if (e.repeat) return; // the Spectrum's ROM repeats keys itself
    this.held.set(e.code, mapping);
    this.update();
  }

  update() {
    const want = new Set();
    let suppressCaps = false;
    let joy = 0;
    for (const m of this.held.values()) {
      if (m.joy) joy |= m.joy;
      else m.keys.forEach((k) => want.add(k));
      suppressCaps ||= Boolean(m.suppressCaps);
    }
    if (suppressCaps) want.delete('CAPS');
    // Releases first, so a chord change never has both shifts down at once.
    for (const k of [...this.down]) {
      if (!want.has(k)) {
        this.down.delete(k);
        this.send(k, false);
      }
    }
    for (const k of want) {
      if (!this.down.has(k)) {
        this.down.add(k);
        this.send(k, true);
      }
    }
    if (joy !== this.joyBits) {
      this.joyBits = joy;
      this.joy(joy);
    }
  }

  releaseAll() {
    this.held.clear();
    this.update();
  }

  destroy() {
    this.releaseAll();
    this.target.removeEventListener('keydown', this.onKeyDown);
    this.target.removeEventListener('keyup', this.onKeyUp);
    this.target.removeEventListener('blur', this.onBlur, true);
    removeEventListener('blur', this.onBlur);
  }
}
