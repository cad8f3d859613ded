// Gamepads as a Kempston joystick: the d-pad or the left stick steer, the
// face buttons and triggers fire. The Gamepad API has no events for button
// changes, so connected pads are polled once per display frame; nothing
// runs while none is connected.
import { JOY } from '../zx-constants.mjs';

const DEAD_ZONE = 0.4;

export class GamepadInput {
  constructor(onBits) {
    this.onBits = onBits;
    this.bits = 0;
    this.raf = 0;
    this.poll = () => this.read();
    this.onConnect = () => { if (!this.raf) this.raf = requestAnimationFrame(this.poll); };
    addEventListener('gamepadconnected', this.onConnect);
    if (navigator.getGamepads && [...navigator.getGamepads()].some(Boolean)) this.onConnect();
  }

  read() {
    this.raf = 0;
    const pads = [...(navigator.getGamepads?.() ?? [])].filter(Boolean);
    let bits = 0;
    for (const p of pads) {
      const b = (i) => Boolean(p.buttons[i]?.pressed);
      const x = p.axes[0] ?? 0;
      const y = p.axes[1] ?? 0;
      if (b(15) || x > DEAD_ZONE) bits |= JOY.RIGHT;
      if (b(14) || x < -DEAD_ZONE) bits |= JOY.LEFT;
      if (b(13) || y > DEAD_ZONE) bits |= JOY.DOWN;
      if (b(12) || y < -DEAD_ZONE) bits |= JOY.UP;
      if ([0, 1, 2, 3, 6, 7].some(b)) bits |= JOY.FIRE;
    }
    if (bits !== this.bits) {
      this.bits = bits;
      this.onBits(bits);
    }
    if (pads.length) this.raf = requestAnimationFrame(this.poll);
  }

  destroy() {
    cancelAnimationFrame(this.raf);
    removeEventListener('gamepadconnected', this.onConnect);
  }
}
