// Key events reach the machine only at frame boundaries, and the ROM reads
// the keyboard once per frame (in the 50 Hz interrupt). A key pressed and
// released between two interrupts (a quick tap on a touch screen, a key
// press synthesised by a test or a very fast typist) would never be seen.
// So a release waits until its key has been down for minHold frames, and a
// press of a key released less than minGap frames ago waits too. Events keep
// their order; a human's key strokes, which are tens of ms apart, pass
// through with no delay at all.
export class KeyQueue {
  constructor({ press, release, minHold = 2, minGap = 1 }) {
    this.press = press;
    this.release = release;
    this.minHold = minHold;
    this.minGap = minGap;
    this.events = [];
    this.downAt = new Map();   // key -> frame number it went down
    this.upAt = new Map();     // key -> frame number it went up
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
        this.downAt.set(key, frame);
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
