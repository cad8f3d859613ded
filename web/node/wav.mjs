// WAV (RIFF, 16-bit PCM, mono) from float samples in -1..1.
export function encodeWav(samples, sampleRate) {
  const n = samples.length;
  const out = Buffer.alloc(44 + n * 2);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + n * 2, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16);             // fmt chunk size
  out.writeUInt16LE(1, 20);              // PCM
  out.writeUInt16LE(1, 22);              // channels
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28); // byte rate
  out.writeUInt16LE(2, 32);              // block align
  out.writeUInt16LE(16, 34);             // bits per sample
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    out.writeInt16LE(Math.round(s * 32767), 44 + i * 2);
  }
  return out;
}

// Collects each frame's samples without copying them twice per frame.
export class AudioRecorder {
  constructor(sampleRate) {
    this.sampleRate = sampleRate;
    this.chunks = [];
    this.length = 0;
  }
  push(samples) {
    if (!samples.length) return;
    this.chunks.push(samples);
    this.length += samples.length;
  }
  samples() {
    const all = new Float32Array(this.length);
    let at = 0;
    for (const c of this.chunks) { all.set(c, at); at += c.length; }
    return all;
  }
  toWav() { return encodeWav(this.samples(), this.sampleRate); }
}
