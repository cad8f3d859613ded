// Types text into a SpectrumCore the way fingers do: each stroke's keys
// (CAPS SHIFT or SYMBOL SHIFT with a key, or a key alone) are held for a
// few frames, then released for a few frames.
//
// Why frames matter: the ROM scans the keyboard once per interrupt (50 Hz).
// A key must be down at a scan to register, and released for 5 scans before
// the same key registers again (the ROM's KSTATE debounce counter); pressed
// again sooner, the ROM takes it as a held key and waits for the 0.7 s
// auto-repeat delay. So a stroke repeating the previous one's key gets a
// longer release.
//
// Two ways of typing, chosen on the first step from the ROM paged in:
//  - spelt out (OpenSE BASIC, the 128K editor, programs): one stroke per
//    character, from the core's zx_keys_for_char table;
//  - keyword entry (the Sinclair 48K ROM and the 48 BASIC of the 128K
//    models, recognised by their token table: keyword-keys.mjs): before
//    each stroke the typer reads the editor's cursor mode (K, L, C, E, G)
//    from the system variables and types a keyword as the one key that
//    gives its token in that mode (PRINT is P in K mode, TO is SYMBOL+F,
//    SQR is E mode then H), switching E mode, G mode or caps lock when a
//    character needs it. Text inside quotes or after REM is typed as it is.
//    A space next to a keyword is left out, as the ROM prints the
//    keyword's own spaces. Keywords are recognised in capitals (in K mode,
//    where only a keyword can go, in any case), so lower-case variable
//    names such as `to` stay letters. A keyword that the cursor's mode
//    cannot take (PRINT in L mode) is typed letter by letter. Option
//    `keywords`: 'auto' (default), true or false.
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
import { KEYWORD_KEYS, TOKEN, keywordAt, isAlphaKeyword, isKeywordRom, editorMode, editorSettled } from './keyword-keys.mjs';

// Symbols that only E mode types on the 48K keyboard (table 'c'), and the pound sign.
const E_SYMBOLS = new Set(['~', '\\', '{', '}', '|', '[', ']', '©']);
const MAX_MODE_SWITCHES = 2; // strokes in a row that only change mode before the typer gives up on them

export class KeyTyper {
  constructor(text, {
    holdFrames = 3, releaseFrames = 3, repeatReleaseFrames = 6,
    enterStableFrames = 3, enterStillFrames = 50, enterMaxFrames = 500, isIdle = romWaitsForKey,
    keywords = 'auto', editorWaitFrames = 25, settleAtEnd = 0,
  } = {}) {
    if (typeof text !== 'string') throw new Error('KeyTyper: text must be a string');
    if (holdFrames < 1 || releaseFrames < 1) throw new Error('KeyTyper: hold and release need at least one frame each');
    if (keywords !== 'auto' && typeof keywords !== 'boolean') throw new Error(`KeyTyper: keywords must be 'auto', true or false, got ${JSON.stringify(keywords)}`);
    this.text = newlines(text);
    this.hold = holdFrames;
    this.release = releaseFrames;
    this.repeatRelease = Math.max(releaseFrames, repeatReleaseFrames);
    this.enterStable = enterStableFrames;
    this.enterStill = Math.max(enterStableFrames, enterStillFrames);
    this.isIdle = isIdle;
    this.enterMax = enterMaxFrames;
    this.keywordsOption = keywords;
    this.editorWait = editorWaitFrames;
    this.settleAtEnd = settleAtEnd; // frames at most to wait, after a final ENTER, for the ROM to finish
    this.keywords = null;  // keyword entry on? decided on the first step
    this.settle = null;    // after ENTER: { screen, stable, left } until the screen is still
    this.started = false;
    this.pos = 0;          // next character of text to type
    this.stroke = null;    // the stroke held down: { keys, consume, token? }
    this.last = null;      // keys of the last stroke, and the frame it was released
    this.releasedAt = -Infinity;
    this.frame = 0;        // steps so far
    this.wait = 0;
    this.waited = 0;       // frames waited for the editor before this stroke
    this.editorGone = false; // the editor did not take a key in time: stop waiting for it
    this.switches = 0;     // mode-only strokes in a row
    this.quote = false;    // keyword entry: inside a string
    this.rem = false;      // keyword entry: after REM
    this.strokes = 0;      // strokes typed (for tests and statistics)
    this.tokens = [];      // tokens typed as keywords, in order
  }

  // Every key typed and released (and, with settleAtEnd, the ROM done with
  // a final ENTER: back in its keyboard loop, or settleAtEnd frames passed).
  get done() { return this.typed && this.settle === null; }

  get typed() { return this.started && this.pos >= this.text.length && this.stroke === null; }

  // Throws, naming the character and its position, if some character of
  // `text` has no key on this machine, so nothing is half-typed.
  static check(core, text, { keywords = 'auto' } = {}) {
    const keywordRom = keywords === 'auto' ? isKeywordRom(core) : Boolean(keywords);
    [...newlines(text)].forEach((ch, i) => {
      if (core.keysForChar(ch).length) return;
      if (keywordRom && (E_SYMBOLS.has(ch) || ch === '£')) return;
      const cp = ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0');
      throw new Error(`cannot type ${JSON.stringify(ch)} (U+${cp}) at position ${i}: no Spectrum key makes it`);
    });
    return keywordRom;
  }

  // Call before each runFrame(); sets the keys for the coming frame.
  step(core) {
    this.frame++;
    if (!this.started) {
      this.keywords = KeyTyper.check(core, this.text, { keywords: this.keywordsOption });
      this.started = true;
      this.wait = 0;
    }
    if (this.settle && !this._settled(core)) return;
    if (this.done) return;
    if (this.wait > 0) {
      this.wait--;
      if (this.wait > 0) return;
    }
    if (this.stroke === null) {
      // The editor must have taken the last key and reprinted the line (the
      // mode is worked out as it prints), and be back in its keyboard wait,
      // for its mode to be current. A program that reads the keyboard
      // itself never takes keys: after one wait in vain the typer stops
      // waiting until the next ENTER.
      if (this.keywords && !this.editorGone && !(editorSettled(core) && this.isIdle(core))) {
        if (this.waited++ < this.editorWait) return;
        this.editorGone = true;
      }
      this.waited = 0;
      const stroke = this._plan(core);
      if (!stroke) return; // only spaces left out
      const since = this.frame - this.releasedAt;
      if (this.last && sharesKey(this.last, stroke.keys) && since < this.repeatRelease) {
        this.wait = this.repeatRelease - since;
        return;
      }
      for (const k of stroke.keys) core.keyDown(k);
      this.stroke = stroke;
      this.wait = this.hold;
    } else {
      const stroke = this.stroke;
      for (const k of stroke.keys) core.keyUp(k);
      this.stroke = null;
      this.last = stroke.keys;
      this.releasedAt = this.frame;
      this.strokes++;
      if (stroke.token !== undefined) this.tokens.push(stroke.token);
      const typed = this.text.substr(this.pos, stroke.consume);
      this._track(typed, stroke.token);
      this.pos += stroke.consume;
      this.switches = stroke.consume ? 0 : this.switches + 1;
      this.wait = this.typed ? 0 : this.release;
      if (typed.includes('\n') && (!this.typed || this.settleAtEnd > 0)) {
        this.settle = { screen: null, stable: 0, left: this.typed ? this.settleAtEnd : this.enterMax };
        this.editorGone = false;
      }
    }
  }

  // The next stroke at this.pos: { keys, consume (characters of text), token }.
  _plan(core) {
    const text = this.text;
    if (!this.keywords) return { keys: core.keysForChar(text[this.pos]), consume: 1 };
    const mode = editorMode(core);
    const literal = this.quote || this.rem;
    // A space before a keyword that becomes a token is left out.
    while (!literal && text[this.pos] === ' ' && this._tokenAt(this.pos + 1, mode)) this.pos++;
    if (this.pos >= text.length) return null;
    const giveUp = this.switches >= MAX_MODE_SWITCHES;
    const kw = literal ? null : this._tokenAt(this.pos, mode);
    if (kw) {
      const { kind, key } = KEYWORD_KEYS.get(kw.name);
      const change = giveUp ? null : modeChange(kind, mode);
      if (change) return { keys: change, consume: 0 };
      if (!giveUp || kind === 'K' || kind === 'S') {
        const space = isAlphaKeyword(kw.name) && text[this.pos + kw.length] === ' ' ? 1 : 0;
        return { keys: kind === 'K' || kind === 'E' ? [key] : [KEYS.SYMBOL, key], consume: kw.length + space, token: TOKEN[kw.name] };
      }
    }
    const ch = text[this.pos];
    if (ch === '\n' || ch === ' ') return { keys: core.keysForChar(ch), consume: 1 };
    if (E_SYMBOLS.has(ch)) {
      if (mode !== 'E' && !giveUp) return { keys: modeChange('ES', mode), consume: 0 };
      return { keys: [KEYS.SYMBOL, KEYWORD_KEYS.get(ch).key], consume: 1 };
    }
    if (!giveUp && (mode === 'E' || mode === 'G')) return { keys: modeChange('S', mode), consume: 0 };
    if (ch === '£') return { keys: [KEYS.SYMBOL, KEYS.X], consume: 1 };
    if (/[a-z]/.test(ch) && mode === 'C' && !giveUp) return { keys: [KEYS.CAPS, KEYS['2']], consume: 0 }; // caps lock off
    if (/[A-Z]/.test(ch) && mode === 'C') return { keys: [KEYS[ch]], consume: 1 };
    return { keys: core.keysForChar(ch), consume: 1 };
  }

  // A keyword at text[i] that the editor in `mode` takes as a token.
  _tokenAt(i, mode) {
    const kw = keywordAt(this.text, i, { anyCase: mode === 'K' });
    if (!kw) return null;
    if (KEYWORD_KEYS.get(kw.name).kind === 'K' && mode !== 'K') return null;
    return kw;
  }

  // Quotes and REM make what follows literal, up to the end of the line.
  _track(typed, token) {
    if (token === TOKEN.REM) this.rem = true;
    for (const ch of typed) {
      if (ch === '"') this.quote = !this.quote;
      if (ch === '\n') this.quote = this.rem = false;
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
    if (!this.started) return Infinity;
    return (this.text.length - this.pos) * (this.hold + this.repeatRelease);
  }
}

// Text pasted from elsewhere may end its lines with CR LF or CR: all are ENTER.
function newlines(text) {
  return String(text).replace(/\r\n?/g, '\n');
}

// Keys that take the editor from `mode` to one where a key of `kind` ('K',
// 'S', 'E', 'ES': see keyword-keys.mjs) works; null if it already does.
function modeChange(kind, mode) {
  const toggleE = [KEYS.CAPS, KEYS.SYMBOL];
  const toggleG = [KEYS.CAPS, KEYS['9']];
  if (kind === 'E' || kind === 'ES') return mode === 'E' ? null : mode === 'G' ? toggleG : toggleE;
  return mode === 'E' ? toggleE : mode === 'G' ? toggleG : null;
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

// Whether two strokes share the key the ROM debounces: the non-shift key,
// or SYMBOL SHIFT for CAPS+SYMBOL (the ROM's main key for E mode).
function mainKeys(keys) {
  const main = keys.filter((k) => !isShift(k));
  return main.length ? main : keys.filter((k) => k === KEYS.SYMBOL);
}
function sharesKey(a, b) {
  const ma = mainKeys(a);
  return mainKeys(b).some((k) => ma.includes(k));
}
