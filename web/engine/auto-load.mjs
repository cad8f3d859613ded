// Loading a tape the way a user would: reset, wait for the ROM to reach its
// prompt, type LOAD "" and ENTER. Standard blocks then load at once through
// the core's ROM trap; blocks with custom timings make the core press PLAY
// itself. With traps off the deck has to play, so we press PLAY after ENTER.
//
// OpenSE BASIC (the default ROM) takes keywords spelt out; the original 48K
// ROM turns J in K mode into LOAD, so other ROMs get the keyword form. The
// 128K models' own ROMs start in a menu whose first, highlighted entry is
// the Tape Loader (the +2A/+3's "Loader"): ENTER chooses it.
import { KeyTyper } from '../key-typer.mjs';

export class AutoLoader {
  // rom: 'opense' (spelt keywords), 'sinclair48' (keyword keys) or 'menu128'.
  constructor(core, { rom = 'opense' } = {}) {
    this.core = core;
    this.text = { opense: 'LOAD ""\n', sinclair48: 'J""\n', menu128: '\n' }[rom];
    if (!this.text) throw new Error(`AutoLoader: unknown ROM kind '${rom}'`);
    this.phase = 'boot';
    this.frames = 0;
    this.stable = 0;
    this.screen = null;
    this.typer = null;
    core.reset();
  }

  get done() {
    return this.phase === 'done';
  }

  // Call before each frame.
  step() {
    const core = this.core;
    if (this.phase === 'boot') {
      // The ROM clears and tests RAM, then prints its prompt; the display
      // file stops changing when it waits for a key (the cursor blinks in
      // the attributes, which displayFile includes, so compare the bitmap).
      const bitmap = core.displayFile().subarray(0, 6144);
      this.stable = this.screen && bitmap.every((b, i) => b === this.screen[i]) ? this.stable + 1 : 0;
      this.screen = bitmap;
      if ((++this.frames >= 20 && this.stable >= 10) || this.frames > 300) {
        this.phase = 'type';
        this.typer = new KeyTyper(this.text);
      }
      return;
    }
    if (this.phase === 'type') {
      this.typer.step(core);
      if (this.typer.done) {
        if (!core.tape.traps) core.tape.play();
        this.phase = 'done';
      }
    }
  }
}
