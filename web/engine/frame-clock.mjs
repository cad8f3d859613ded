// The emulation clock. Each model has its own frame: the 48K's is 69,888
// T-states at 3.5 MHz (19.968 ms, 50.08 Hz), the 128K's 70,908 at 3.5469 MHz
// (19.992 ms, 50.02 Hz), the Pentagon's 71,680 at 3.5 MHz (20.48 ms, 48.83
// Hz): the worker sets frameMs from the running machine (SpectrumCore's
// frameRate). The display refreshes at whatever rate the monitor has, so
// emulation is paced by wall time, not by requestAnimationFrame.
//
// Each tick asks "how many frames are due since the epoch?". After the tab
// was in the background (timers throttled to 1 Hz or stopped) that number can
// be large; running them all would freeze the page and play seconds of stale
// sound, so at most maxCatchUp frames run and the rest are dropped (counted).
import { MACHINE } from '../zx-constants.mjs';

// The 48K's frame, the default.
export const FRAME_MS = (MACHINE.FRAME_T / MACHINE.CPU_HZ) * 1000;

export class FrameClock {
  constructor({ now = () => performance.now(), maxCatchUp = 5, frameMs = FRAME_MS } = {}) {
    this.now = now;
    this.maxCatchUp = maxCatchUp;
    this.frameMs = frameMs;
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
    let n = Math.floor((t - this.epoch) / this.frameMs) - this.emitted;
    if (n > this.maxCatchUp) {
      this.dropped += n - this.maxCatchUp;
      // Re-anchor so that the frames we do run are the only ones owed.
      this.epoch = t - (this.emitted + this.maxCatchUp) * this.frameMs;
      n = this.maxCatchUp;
    }
    return Math.max(0, n);
  }

  // A machine with another frame length: paced from now on at its rate.
  setFrameMs(ms) {
    if (!(ms > 0)) throw new Error(`FrameClock: frame length must be > 0 ms, got ${ms}`);
    this.frameMs = ms;
    this.restart();
  }

  done(n) {
    this.emitted += n;
  }

  // Milliseconds until the next frame is due (for setTimeout).
  msUntilNext() {
    return Math.max(0, this.epoch + (this.emitted + 1) * this.frameMs - this.now());
  }
}
