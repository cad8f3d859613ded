// WAV (RIFF, 16-bit PCM, mono or stereo) from float samples in -1..1.

// samples: a Float32Array (mono) or { left, right } of equal length (stereo).
export function encodeWav(samples, sampleRate) {
  const stereo = !(samples instanceof Float32Array) && !Array.isArray(samples);
  const channels = stereo ? 2 : 1;
  const n = stereo ? samples.left.length : samples.length;
  const bytes = n * 2 * channels;
  const out = Buffer.alloc(44 + bytes);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + bytes, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16);                        // fmt chunk size
  out.writeUInt16LE(1, 20);                         // PCM
  out.writeUInt16LE(channels, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2 * channels, 28); // byte rate
  out.writeUInt16LE(2 * channels, 32);              // block align
  out.writeUInt16LE(16, 34);                        // bits per sample
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(bytes, 40);
  const pcm = (s) => Math.round(Math.max(-1, Math.min(1, s)) * 32767);
  for (let i = 0; i < n; i++) {
    if (stereo) {
      out.writeInt16LE(pcm(samples.left[i]), 44 + i * 4);   // frames interleaved: left, right
      out.writeInt16LE(pcm(samples.right[i]), 46 + i * 4);
    } else {
      out.writeInt16LE(pcm(samples[i]), 44 + i * 2);
    }
  }
  return out;
}

// Collects each frame's samples (Float32Array, or { left, right } with
// channels 2) without copying them twice per frame.
export class AudioRecorder {
  constructor(sampleRate, channels = 1) {
    if (channels !== 1 && channels !== 2) throw new Error(`AudioRecorder: 1 or 2 channels, not ${channels}`);
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.chunks = [];
    this.length = 0;
  }
  push(samples) {
    const n = this.channels === 2 ? samples.left.length : samples.length;
    if (!n) return;
    this.chunks.push(samples);
    this.length += n;
  }
  samples() {
    const join = (pick) => {
      const all = new Float32Array(this.length);
      let at = 0;
      for (const c of this.chunks) { const part = pick(c); all.set(part, at); at += part.length; }
      return all;
    };
    return this.channels === 2 ? { left: join((c) => c.left), right: join((c) => c.right) } : join((c) => c);
  }
  toWav() { return encodeWav(this.samples(), this.sampleRate); }
}
