// The AudioWorklet processor of one Spectrum: plays the stereo samples the
// emulator thread sends (straight to this worklet through a MessagePort, as
// { left, right } Float32Arrays of one or more frames; the 48K's two are
// equal, the AY models' carry the stereo placement) from a ring buffer.
//
// Steady state without crackle: playback starts only once `target` samples
// are buffered (about three emulated frames, which covers the emulator
// thread's timer jitter), and the two clocks (the emulator's performance.now
// pacing and the sound card's) drift apart slowly, so the read rate is
// nudged by at most 0.2% towards keeping the buffer at its target. The fill
// level is smoothed over about a second first, so the 20 ms rhythm of
// arriving frames does not become a pitch wobble. On underrun the last
// sample fades out (no click) and playback waits for the buffer to refill.
import { RingBuffer } from './ring-buffer.mjs';

const MAX_RATE_NUDGE = 0.002;
const FADE = 0.995;

class SpectrumSoundProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const o = options.processorOptions ?? {};
    this.target = o.targetSamples ?? 2880;
    this.ring = new RingBuffer(this.target * 6);
    this.playing = false;
    this.frac = 0;           // read position between ring[0] and ring[1]
    this.lastLeft = 0;       // last samples played, for fading out
    this.lastRight = 0;
    this.fill = this.target; // smoothed fill level
    this.gain = 1;
    this.underruns = 0;
    this.dropped = 0;
    this.blocks = 0;
    this.port.onmessage = (e) => {
      const m = e.data;
      if (m.feed) {
        m.feed.onmessage = (f) => {
          const block = f.data;
          this.dropped += block instanceof Float32Array ? this.ring.write(block) : this.ring.write(block.left, block.right);
        };
      } else if (m.gain !== undefined) {
        this.gain = m.gain;
      }
    };
  }

  process(inputs, outputs) {
    const out = outputs[0];
    const left = out[0];
    const right = out[1] ?? left;
    const n = left.length;
    const ring = this.ring;
    if (!this.playing && ring.available >= this.target) {
      this.playing = true;
      this.frac = 0;
    }
    this.fill += (ring.available - this.fill) * 0.003;
    const nudge = Math.max(-MAX_RATE_NUDGE, Math.min(MAX_RATE_NUDGE, ((this.fill - this.target) / this.target) * 0.01));
    const step = 1 + nudge;
    for (let i = 0; i < n; i++) {
      if (this.playing && ring.available < 2) {
        this.playing = false;
        this.underruns++;
      }
      if (!this.playing) {
        this.lastLeft *= FADE;
        this.lastRight *= FADE;
        left[i] = this.lastLeft * this.gain;
        if (right !== left) right[i] = this.lastRight * this.gain;
        continue;
      }
      const l0 = ring.peekLeft(0);
      const r0 = ring.peekRight(0);
      const l = l0 + (ring.peekLeft(1) - l0) * this.frac;
      const r = r0 + (ring.peekRight(1) - r0) * this.frac;
      this.frac += step;
      const whole = Math.floor(this.frac);
      ring.skip(whole);
      this.frac -= whole;
      this.lastLeft = l;
      this.lastRight = r;
      if (right === left) {
        left[i] = ((l + r) / 2) * this.gain;   // a mono output: both channels mixed
      } else {
        left[i] = l * this.gain;
        right[i] = r * this.gain;
      }
    }
    for (let c = 2; c < out.length; c++) out[c].set(left);
    // Report to the page about twice a second (375 blocks of 128 at 48 kHz = 1 s).
    if (++this.blocks % 188 === 0) {
      this.port.postMessage({ bufferedSamples: ring.available, underruns: this.underruns, dropped: this.dropped, playing: this.playing, rate: step });
    }
    return true;
  }
}

registerProcessor('zx-spectrum-sound', SpectrumSoundProcessor);
