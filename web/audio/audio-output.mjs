// Sound for the page: one AudioContext shared by every Spectrum on it (a
// page may only have a few, and one mixes them for free), one AudioWorklet
// node per Spectrum.
//
// Browsers keep audio suspended until the user interacts with the page, so
// the context is created inside the first pointer or key gesture. The
// emulator thread writes samples straight into the worklet through a
// MessageChannel: sound never waits on the page's own thread.
export const SAMPLE_RATE = 48000; // the core produces this; the context resamples if the device differs

let context = null;
let moduleReady = null;
const waiting = new Set();

function createContext() {
  if (context) return context;
  const Ctx = globalThis.AudioContext ?? globalThis.webkitAudioContext;
  if (!Ctx) return null;
  context = new Ctx({ sampleRate: SAMPLE_RATE, latencyHint: 'interactive' });
  moduleReady = context.audioWorklet.addModule(new URL('./processor.mjs', import.meta.url));
  return context;
}

function onGesture() {
  const ctx = createContext();
  if (!ctx) return;
  if (ctx.state !== 'running') ctx.resume().catch(() => {});
  for (const start of waiting) start();
  waiting.clear();
  for (const type of ['pointerdown', 'keydown']) removeEventListener(type, onGesture, true);
}

function whenGesture(start) {
  if (context) {
    start();
    return;
  }
  if (!waiting.size) for (const type of ['pointerdown', 'keydown']) addEventListener(type, onGesture, true);
  waiting.add(start);
}

// The sound of one Spectrum. connect(port) receives the MessagePort the
// emulator thread should post sample blocks to.
export class SoundOutput {
  constructor({ connect, onStats, targetMs = 60 }) {
    this.connect = connect;
    this.onStats = onStats;
    this.targetMs = targetMs;
    this.node = null;
    this.muted = false;
    this.closed = false;
    this.state = 'waiting for a click or key';
    this._start = () => this.start();
    whenGesture(this._start);
  }

  async start() {
    try {
      await moduleReady;
      if (this.closed) return;
      const node = new AudioWorkletNode(context, 'zx-spectrum-sound', {
        numberOfInputs: 0,
        outputChannelCount: [2],
        processorOptions: { targetSamples: Math.round((SAMPLE_RATE * this.targetMs) / 1000) },
      });
      const feed = new MessageChannel();
      node.port.postMessage({ feed: feed.port1 }, [feed.port1]);
      node.port.onmessage = (e) => this.onStats?.(e.data);
      node.connect(context.destination);
      this.node = node;
      this.setMuted(this.muted);
      this.connect(feed.port2);
      this.state = 'on';
    } catch (e) {
      this.state = `unavailable (${e.message})`;
    }
  }

  setMuted(muted) {
    this.muted = muted;
    this.node?.port.postMessage({ gain: muted ? 0 : 1 });
  }

  close() {
    this.closed = true;
    waiting.delete(this._start);
    this.node?.disconnect();
    this.node = null;
  }
}
