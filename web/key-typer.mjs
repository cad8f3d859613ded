// Types text into a SpectrumCore the way fingers do: each character's keys
// (CAPS SHIFT or SYMBOL SHIFT first, from the core's own zx_keys_for_char
// table) are held for a few frames, then released for a few frames.
//
// Why frames matter: the ROM scans the keyboard once per interrupt (50 Hz).
// A key must be down at a scan to register, and released for 5 scans before
// the same key registers again (the ROM's KSTATE debounce counter); pressed
// again sooner, the ROM takes it as a held key and waits for the 0.7 s
// auto-repeat delay. So a character repeating the previous one's key gets a
// longer release.
//
// After ENTER the ROM is busy (checking and entering the line, listing the
// program, running it) and drops keys pressed meanwhile. So after a newline
// the typer waits until the ROM is back in its keyboard wait loop (PC in
// WAIT-KEY/INPUT-AD/KEY-INPUT at a frame end, the 48K ROM's layout, which
// OpenSE BASIC keeps) with screen memory unchanged for a few frames (the
// listing routine shares code with that loop). Other ROMs and running
// programs are covered by a longer stillness, and a frame bound. The
// cursor's blink is an attribute FLASH, so it does not count as change.
//
//   const typer = new KeyTyper('PRINT 2+2\n');
//   while (!typer.done) { typer.step(core); core.runFrame(); }

import { KEYS } from './zx-constants.mjs';

export class KeyTyper {
  constructor(text, {
    holdFrames = 3, releaseFrames = 3, repeatReleaseFrames = 6,
    enterStableFrames = 3, enterStillFrames = 50, enterMaxFrames = 500, isIdle = romWaitsForKey,
  } = {}) {
    if (typeof text !== 'string') throw new Error('KeyTyper: text must be a string');
    if (holdFrames < 1 || releaseFrames < 1) throw new Error('KeyTyper: hold and release need at least one frame each');
    this.text = text;
    this.hold = holdFrames;
    this.release = releaseFrames;
    this.repeatRelease = Math.max(releaseFrames, repeatReleaseFrames);
    this.enterStable = enterStableFrames;
    this.enterStill = Math.max(enterStableFrames, enterStillFrames);
    this.isIdle = isIdle;
    this.enterMax = enterMaxFrames;
    this.settle = null;  // after ENTER: { screen, stable, left } until the screen is still
    this.strokes = null; // resolved against the core on the first step
    this.index = 0;      // stroke being typed
    this.phase = 'down'; // 'down' -> held for `hold` frames -> 'up' for the gap
    this.wait = 0;
  }

  get done() { return this.strokes !== null && this.index >= this.strokes.length; }

  // Resolves every character before pressing anything, so untypeable text
  // fails without leaving keys half-typed.
  static strokesFor(core, text) {
    return [...text].map((ch, i) => {
      const keys = core.keysForChar(ch);
      if (!keys.length) {
        const cp = ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0');
        throw new Error(`cannot type ${JSON.stringify(ch)} (U+${cp}) at position ${i}: no Spectrum key makes it`);
      }
      return keys;
    });
  }

  // Call before each runFrame(); sets the keys for the coming frame.
  step(core) {
    if (this.strokes === null) {
      this.strokes = KeyTyper.strokesFor(core, this.text);
      this.wait = 0;
    }
    if (this.done) return;
    if (this.settle && !this._settled(core)) return;
    if (this.wait > 0) {
      this.wait--;
      if (this.wait > 0) return;
    }
    const keys = this.strokes[this.index];
    if (this.phase === 'down') {
      for (const k of keys) core.keyDown(k);
      this.phase = 'up';
      this.wait = this.hold;
    } else {
      for (const k of keys) core.keyUp(k);
      const next = this.strokes[this.index + 1];
      const sameKey = next && next.some((k) => keys.includes(k) && !isShift(k));
      this.index++;
      this.phase = 'down';
      this.wait = sameKey ? this.repeatRelease : this.release;
      if (this.done) this.wait = 0;
      else if (this.text[this.index - 1] === '\n') this.settle = { screen: null, stable: 0, left: this.enterMax };
    }
  }

  // Counts frames over which the display file did not change.
  _settled(core) {
    const s = this.settle;
    const screen = core.displayFile();
    s.stable = s.screen && equalBytes(screen, s.screen) ? s.stable + 1 : 0;
    s.screen = screen;
    const idle = s.stable >= this.enterStable && this.isIdle(core);
    if (idle || s.stable >= this.enterStill || --s.left <= 0) this.settle = null;
    return this.settle === null;
  }

  // Frames still to run until done (for progress and budgets).
  get framesLeft() {
    if (this.strokes === null) return Infinity;
    return (this.strokes.length - this.index) * (this.hold + this.repeatRelease);
  }
}

// The 48K ROM's keyboard wait: WAIT-KEY..CALL-SUB (0x15D4-0x15FF) and
// KEY-INPUT (0x10A8-0x111C).
export function romWaitsForKey(core) {
  const pc = core.pc;
  return (pc >= 0x15d4 && pc < 0x1600) || (pc >= 0x10a8 && pc < 0x111d);
}

function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isShift(key) {
  return key === KEYS.CAPS || key === KEYS.SYMBOL;
}
