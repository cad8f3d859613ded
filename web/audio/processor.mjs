// The AudioWorklet processor of one Spectrum: plays the samples the
// emulator thread sends (straight to this worklet through a MessagePort)
// from a ring buffer.
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
    this.last = 0;           // last sample played, for fading out
    this.fill = this.target; // smoothed fill level
    this.gain = 1;
    this.underruns = 0;
    this.dropped = 0;
    this.blocks = 0;
    this.port.onmessage = (e) => {
      const m = e.data;
      if (m.feed) {
        m.feed.onmessage = (f) => { this.dropped += this.ring.write(f.data); };
      } else if (m.gain !== undefined) {
        this.gain = m.gain;
      }
    };
  }

  process(inputs, outputs) {
    const out = outputs[0];
    const ch0 = out[0];
    const n = ch0.length;
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
        this.last *= FADE;
        ch0[i] = this.last * this.gain;
        continue;
      }
      const a = ring.peek(0);
      const s = a + (ring.peek(1) - a) * this.frac;
      this.frac += step;
      const whole = Math.floor(this.frac);
      ring.skip(whole);
      this.frac -= whole;
      this.last = s;
      ch0[i] = s * this.gain;
    }
    for (let c = 1; c < out.length; c++) out[c].set(ch0);
    // Report to the page about twice a second (375 blocks of 128 at 48 kHz = 1 s).
    if (++this.blocks % 188 === 0) {
      this.port.postMessage({ bufferedSamples: ring.available, underruns: this.underruns, dropped: this.dropped, playing: this.playing, rate: step });
    }
    return true;
  }
}

registerProcessor('zx-spectrum-sound', SpectrumSoundProcessor);
