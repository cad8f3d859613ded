// Rewind: going back in time up to a minute, from a ring of snapshots the
// emulator thread takes as the machine runs.
//
// Every `interval` seconds of emulated time (0.5 s: 25 frames on a 48K)
// the running machine is saved as a Z80 snapshot (the core's own writer:
// every model, T-state exact, its RLE keeps a typical 48K state near 10-30
// KB). The ring keeps the newest snapshots within `seconds` (60) of
// emulated time and within `maxBytes` together (16 MiB: enough for 60 s of
// even incompressible 128K states, 120 x ~131 KB), dropping the oldest
// first: memory stays bounded whatever runs.
//
// Going back loads an older snapshot; the ones after it are dropped (the
// machine's future is rewritten from there). The tape deck is not part of
// a snapshot: an inserted tape stays where it is.
//
//   const rewind = new Rewind();
//   after each frame:   rewind.afterFrame(core);
//   hold to go back:    rewind.stepBack(core)   (one interval per call)
//   or at once:         rewind.back(core, 5)    (about 5 s)
export const REWIND_DEFAULTS = Object.freeze({ interval: 0.5, seconds: 60, maxBytes: 16 * 1024 * 1024 });

export class Rewind {
  // interval: seconds of emulated time between snapshots; seconds: how far
  // back the ring reaches; maxBytes: the most its snapshots may take.
  constructor({ interval = REWIND_DEFAULTS.interval, seconds = REWIND_DEFAULTS.seconds, maxBytes = REWIND_DEFAULTS.maxBytes } = {}) {
    const positive = (v, name) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new Error(`rewind.${name}: expected a number > 0, got ${v}`);
      return v;
    };
    this.interval = positive(interval, 'interval');
    this.seconds = positive(seconds, 'seconds');
    this.maxBytes = positive(maxBytes, 'maxBytes');
    this.entries = [];   // [{ frame, bytes }], oldest first
    this.bytes = 0;      // the entries' snapshots together
    this.frame = 0;      // emulated frames so far (moves back with the machine)
    this.lastTaken = -Infinity;
    this.taken = 0;      // snapshots taken in all (for statistics)
  }

  // Call after each emulated frame: takes a snapshot when one is due.
  afterFrame(core) {
    this.frame++;
    if (this.frame - this.lastTaken < this.interval * core.frameRate) {
      this._trim(core.frameRate);
      return false;
    }
    this.push(core.saveSnapshot('z80'), core.frameRate);
    return true;
  }

  // A snapshot of the machine now (the ring takes ownership of the bytes).
  push(bytes, frameRate) {
    this.entries.push({ frame: this.frame, bytes });
    this.bytes += bytes.length;
    this.lastTaken = this.frame;
    this.taken++;
    this._trim(frameRate);
    if (this.bytes > this.maxBytes) this.clear();   // a single snapshot larger than the whole budget
  }

  // Drops the oldest snapshots beyond the byte budget or the time reach.
  _trim(frameRate) {
    const reach = this.seconds * frameRate;
    while (this.entries.length > 1 && (this.bytes > this.maxBytes || this.frame - this.entries[0].frame > reach)) {
      this.bytes -= this.entries.shift().bytes.length;
    }
  }

  // Seconds of emulated time the ring can go back from now.
  available(frameRate) {
    return this.entries.length ? (this.frame - this.entries[0].frame) / frameRate : 0;
  }

  // Goes back one step: to the newest snapshot taken before now (the one
  // taken at this very frame counts only when it is the last one left).
  // Returns false when there is nothing further back.
  stepBack(core) {
    while (this.entries.length > 1 && this.entries.at(-1).frame >= this.frame) this._drop();
    const e = this.entries.at(-1);
    if (!e || e.frame >= this.frame) return false;
    this._restore(core, e);
    return true;
  }

  // Goes back about `seconds` (to the newest snapshot at least that old, or
  // the oldest there is). Returns the seconds actually gone back.
  back(core, seconds) {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
      throw new Error(`rewind: expected a number of seconds > 0, got ${seconds}`);
    }
    const from = this.frame;
    const target = this.frame - seconds * core.frameRate;
    while (this.entries.length > 1 && this.entries.at(-1).frame > target) this._drop();
    const e = this.entries.at(-1);
    if (!e || e.frame >= this.frame) return 0;
    this._restore(core, e);
    return (from - e.frame) / core.frameRate;
  }

  clear() {
    this.entries = [];
    this.bytes = 0;
    this.lastTaken = -Infinity;
  }

  stats(frameRate) {
    return {
      seconds: this.available(frameRate),
      snapshots: this.entries.length,
      bytes: this.bytes,
      maxBytes: this.maxBytes,
      maxSeconds: this.seconds,
    };
  }

  _drop() {
    this.bytes -= this.entries.pop().bytes.length;
  }

  // The machine as the entry saved it; the entry stays as the newest (going
  // back further continues from it, running on replaces what came after).
  _restore(core, e) {
    core.load(e.bytes, 'rewind.z80');
    this.frame = e.frame;
    this.lastTaken = e.frame;
  }
}
