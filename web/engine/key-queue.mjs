// Key events reach the machine only at frame boundaries, and the ROM reads
// the keyboard once per frame (in the 50 Hz interrupt). Its debounce (the
// 48K ROM's KEYBOARD routine, kept by OpenSE) has two KSTATE slots; a slot
// is freed only about 5 frames after its key was last seen down, and a key
// pressed while no slot is free is ignored. So key strokes that arrive in a
// burst (a worker that was busy compiling, a tab that was in the background,
// a synthesised or very fast typist) would be lost if applied back to back.
//
// The queue keeps the events' order and delays only what the ROM would lose:
//   - a release waits until its key has been down for minHold frames;
//   - a press of the same key waits minGap frames after its release;
//   - a tap (a press while no key is held) waits until minTapInterval frames
//     after the previous press.
// Chords (a key pressed while another is held, as in games) and a human's
// key strokes, which are 100 ms or more apart, pass through with no delay.
export class KeyQueue {
  constructor({ press, release, minHold = 3, minGap = 6, minTapInterval = 6 }) {
    this.press = press;
    this.release = release;
    this.minHold = minHold;
    this.minGap = minGap;
    this.minTapInterval = minTapInterval;
    this.events = [];
    this.downAt = new Map();   // key -> frame number it went down
    this.upAt = new Map();     // key -> frame number it went up
    this.lastPress = -Infinity;
  }

  push(key, down) {
    this.events.push({ key, down });
  }

  clear() {
    this.events.length = 0;
  }

  // Applies every event that is due at frame number `frame`.
  apply(frame) {
    while (this.events.length) {
      const { key, down } = this.events[0];
      if (down) {
        const up = this.upAt.get(key);
        if (up !== undefined && frame - up < this.minGap) return;
        if (this.downAt.size === 0 && frame - this.lastPress < this.minTapInterval) return;
        this.downAt.set(key, frame);
        this.lastPress = frame;
        this.press(key);
      } else {
        const at = this.downAt.get(key);
        if (at !== undefined && frame - at < this.minHold) return;
        this.downAt.delete(key);
        this.upAt.set(key, frame);
        this.release(key);
      }
      this.events.shift();
    }
  }

  get pending() {
    return this.events.length;
  }
}
