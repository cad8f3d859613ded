// The worker's typing: texts given to type() are typed one after another
// (web/key-typer.mjs), each with a promise that resolves when its last key
// is up and, after a final ENTER, the ROM has finished with the line (back
// in its keyboard loop, or at most `settleAtEnd` frames later). A reset or
// a change of machine cancels what is left: those promises reject.
//
//   const typing = new TypeQueue({ onTyped: (r) => post({ t: 'typed', ...r }) });
//   const done = typing.add(core, 'PRINT 2+2\n');   // throws on untypeable text
//   each frame: typing.step(core); core.runFrame();
import { KeyTyper } from '../key-typer.mjs';

export class TypeQueue {
  constructor({ onTyped = null, settleAtEnd = 50 } = {}) {
    this.onTyped = onTyped;
    this.settleAtEnd = settleAtEnd;
    this.items = [];   // { text, resolve, reject }
    this.typer = null; // typing items[0]
    this.frames = 0;   // frames items[0] has taken
  }

  get busy() { return this.items.length > 0; }

  // Checks the text against the running ROM at once (nothing is queued if
  // a character has no key) and resolves { text, frames, strokes, keywords }.
  add(core, text) {
    if (typeof text !== 'string') throw new Error(`type: expected a string, got ${typeof text}`);
    KeyTyper.check(core, text);
    return new Promise((resolve, reject) => this.items.push({ text, resolve, reject }));
  }

  // Call before each frame.
  step(core) {
    if (!this.items.length) return;
    const item = this.items[0];
    this.typer ??= new KeyTyper(item.text, { settleAtEnd: this.settleAtEnd });
    try {
      this.typer.step(core);
    } catch (e) {
      // The machine changed under a queued text (a ROM without its keys).
      this.items.shift();
      this.typer = null;
      this.frames = 0;
      item.reject(e);
      return;
    }
    this.frames++;
    if (!this.typer.done) return;
    const result = { text: item.text, frames: this.frames, strokes: this.typer.strokes, keywords: this.typer.keywords };
    this.items.shift();
    this.typer = null;
    this.frames = 0;
    this.onTyped?.(result);
    item.resolve(result);
  }

  // Drops the typing in progress and everything queued.
  cancel(reason) {
    const items = this.items.splice(0);
    this.typer = null;
    this.frames = 0;
    for (const item of items) item.reject(new Error(reason));
  }
}
