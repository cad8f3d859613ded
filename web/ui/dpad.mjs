// An on-screen joystick for touch screens: a d-pad (eight directions: a
// finger's angle from the pad's centre picks one of eight 45-degree
// sectors, so sliding the thumb round changes direction without lifting it)
// and a fire button. Each finger is tracked on its own (pointer events with
// capture), so fire works while steering and two fingers on the pad add up.
// The result is Kempston bits (JOY); the Spectrum maps them to the selected
// joystick (Kempston, Sinclair or cursor).
import { JOY } from '../zx-constants.mjs';

// Sectors counter-clockwise from "right", 45 degrees each.
const SECTORS = [JOY.RIGHT, JOY.RIGHT | JOY.UP, JOY.UP, JOY.UP | JOY.LEFT, JOY.LEFT, JOY.LEFT | JOY.DOWN, JOY.DOWN, JOY.DOWN | JOY.RIGHT];
// A touch this close to the centre (share of the pad's radius) steers nowhere.
const DEAD_ZONE = 0.22;

const ARROWS = [['up', JOY.UP], ['right', JOY.RIGHT], ['down', JOY.DOWN], ['left', JOY.LEFT]];

// The direction bits for a point (dx, dy from the centre, y down) on a pad of radius r.
export function directionBits(dx, dy, r) {
  if (Math.hypot(dx, dy) < r * DEAD_ZONE) return 0;
  const angle = Math.atan2(-dy, dx);   // counter-clockwise, y up
  const sector = Math.round(angle / (Math.PI / 4));
  return SECTORS[(sector + 8) % 8];
}

export class DPad {
  // onBits(bits): the pad's Kempston bits changed.
  constructor(parent, onBits) {
    this.onBits = onBits;
    this.bits = 0;
    this.pointers = new Map();   // pointerId -> { el, bits }
    this.el = document.createElement('div');
    this.el.className = 'zx-joypad';
    this.el.setAttribute('role', 'group');
    this.el.setAttribute('aria-label', 'Joystick');

    this.pad = document.createElement('div');
    this.pad.className = 'zx-dpad';
    this.arrows = new Map();
    for (const [name, bit] of ARROWS) {
      const a = document.createElement('span');
      a.className = `zx-dpad-arrow zx-dpad-${name}`;
      a.setAttribute('aria-hidden', 'true');
      this.arrows.set(bit, a);
      this.pad.append(a);
    }
    const hub = document.createElement('span');
    hub.className = 'zx-dpad-hub';
    this.pad.append(hub);

    this.fire = document.createElement('div');
    this.fire.className = 'zx-fire';
    this.fire.textContent = 'FIRE';

    this.el.append(this.pad, this.fire);
    for (const el of [this.pad, this.fire]) {
      el.addEventListener('pointerdown', (e) => this.down(e, el));
      el.addEventListener('pointermove', (e) => this.move(e));
      for (const type of ['pointerup', 'pointercancel', 'lostpointercapture']) el.addEventListener(type, (e) => this.up(e));
    }
    this.el.addEventListener('contextmenu', (e) => e.preventDefault());
    parent.append(this.el);
  }

  down(e, el) {
    e.preventDefault();   // no focus change, no scrolling, no double-tap zoom
    el.setPointerCapture?.(e.pointerId);
    this.pointers.set(e.pointerId, { el, bits: el === this.fire ? JOY.FIRE : this.padBits(e) });
    this.update();
  }

  move(e) {
    const p = this.pointers.get(e.pointerId);
    if (!p || p.el !== this.pad) return;
    p.bits = this.padBits(e);
    this.update();
  }

  up(e) {
    if (!this.pointers.delete(e.pointerId)) return;
    this.update();
  }

  padBits(e) {
    const r = this.pad.getBoundingClientRect();
    return directionBits(e.clientX - (r.left + r.width / 2), e.clientY - (r.top + r.height / 2), r.width / 2);
  }

  update() {
    let bits = 0;
    for (const p of this.pointers.values()) bits |= p.bits;
    for (const [bit, a] of this.arrows) a.classList.toggle('zx-on', (bits & bit) !== 0);
    this.fire.classList.toggle('zx-on', (bits & JOY.FIRE) !== 0);
    if (bits === this.bits) return;
    this.bits = bits;
    this.onBits(bits);
  }

  releaseAll() {
    this.pointers.clear();
    this.update();
  }

  set visible(on) {
    this.el.hidden = !on;
    if (!on) this.releaseAll();
  }

  get visible() { return !this.el.hidden; }

  destroy() {
    this.releaseAll();
    this.el.remove();
  }
}
