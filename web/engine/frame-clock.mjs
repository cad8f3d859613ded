// The 50 Hz emulation clock. The Spectrum's frame is 69,888 T-states at
// 3.5 MHz (19.968 ms, 50.08 Hz); the display refreshes at whatever rate the
// monitor has, so emulation is paced by wall time, not by
// requestAnimationFrame.
//
// Each tick asks "how many frames are due since the epoch?". After the tab
// was in the background (timers throttled to 1 Hz or stopped) that number can
// be large; running them all would freeze the page and play seconds of stale
// sound, so at most maxCatchUp frames run and the rest are dropped (counted).
import { MACHINE } from '../zx-constants.mjs';

export const FRAME_MS = (MACHINE.FRAME_T / MACHINE.CPU_HZ) * 1000;

export class FrameClock {
  constructor({ now = () => performance.now(), maxCatchUp = 5 } = {}) {
    this.now = now;
    this.maxCatchUp = maxCatchUp;
    this.dropped = 0;
    this.restart();
  }

  // Forget the past: the next frame is due one frame from now.
  restart() {
    this.epoch = this.now();
    this.emitted = 0;
  }

  // Frames to run now (0..maxCatchUp). The caller runs them, then calls done(n).
  due() {
    const t = this.now();
    let n = Math.floor((t - this.epoch) / FRAME_MS) - this.emitted;
    if (n > this.maxCatchUp) {
      this.dropped += n - this.maxCatchUp;
      // Re-anchor so that the frames we do run are the only ones owed.
      this.epoch = t - (this.emitted + this.maxCatchUp) * FRAME_MS;
      n = this.maxCatchUp;
    }
    return Math.max(0, n);
  }

  done(n) {
    this.emitted += n;
  }

  // Milliseconds until the next frame is due (for setTimeout).
  msUntilNext() {
    return Math.max(0, this.epoch + (this.emitted + 1) * FRAME_MS - this.now());
  }
}
