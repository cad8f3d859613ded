// Keyword entry on the Sinclair 48K BASIC editor (also the 48 BASIC of the
// 128K models): what the editor's cursor mode is, read from the system
// variables, and which keys give each keyword token in which mode. The
// typer (key-typer.mjs) uses it to type `LOAD ""` as J, SYMBOL+P twice
// rather than letter by letter. OpenSE BASIC and the 128K editor take words
// spelt out, so there the typer keeps typing letters.
//
// Facts (The Complete Spectrum ROM Disassembly, Logan and O'Hara):
//  - the token table (keyword names, last letter + 0x80) starts at 0x0095
//    with '?'+0x80 then RND; tokens are 0xA5 (RND) .. 0xFF (COPY);
//  - KEYBOARD decodes a key with MODE (0 K/L/C, 1 E, 2 G), FLAGS bit 3
//    (0: K mode, letters give the tokens 0xE6..0xFF, 'A' + 0xA5) and
//    FLAGS2 bit 3 (caps lock); SYMBOL SHIFT + letter uses table 'e' in
//    K, L and C mode; in E mode a letter alone uses table 'b', with either
//    shift table 'c', and SYMBOL SHIFT + digit table 'f';
//  - CAPS + SYMBOL gives 0x0E, which toggles E mode; CAPS + 9 (0x0F)
//    toggles G mode; CAPS + 2 (0x06) toggles caps lock; a character added
//    to the line ends E mode (ADD-CHAR: RES 0,(MODE));
//  - the cursor's K/L state is worked out as the line is printed (OUT-CHAR:
//    K at the start, after THEN and after ':' outside quotes; digits and
//    spaces leave it; anything else makes it L) and copied to FLAGS bit 3
//    where the cursor is printed (OUT-CURS). KEY-INPUT reprints the line
//    (ED-COPY, which clears TV_FLAG bit 3 first) while TV_FLAG bit 3 is
//    set; KEYBOARD sets FLAGS bit 5 for a key not yet taken, and decodes a
//    key in the mode of that moment, so a key pressed before the reprint
//    ends gets the old mode.
import { KEYS } from './zx-constants.mjs';

export const SYSVARS = Object.freeze({ LAST_K: 0x5c08, FLAGS: 0x5c3b, TV_FLAG: 0x5c3c, MODE: 0x5c41, FLAGS2: 0x5c6a });

// Token names 0xA5..0xFF.
export const TOKEN_NAMES = Object.freeze([
  'RND', 'INKEY$', 'PI', 'FN', 'POINT', 'SCREEN$', 'ATTR', 'AT', 'TAB', 'VAL$', 'CODE',
  'VAL', 'LEN', 'SIN', 'COS', 'TAN', 'ASN', 'ACS', 'ATN', 'LN', 'EXP', 'INT', 'SQR', 'SGN', 'ABS', 'PEEK', 'IN',
  'USR', 'STR$', 'CHR$', 'NOT', 'BIN', 'OR', 'AND', '<=', '>=', '<>', 'LINE', 'THEN', 'TO', 'STEP',
  'DEF FN', 'CAT', 'FORMAT', 'MOVE', 'ERASE', 'OPEN #', 'CLOSE #', 'MERGE', 'VERIFY', 'BEEP', 'CIRCLE',
  'INK', 'PAPER', 'FLASH', 'BRIGHT', 'INVERSE', 'OVER', 'OUT', 'LPRINT', 'LLIST', 'STOP', 'READ', 'DATA',
  'RESTORE', 'NEW', 'BORDER', 'CONTINUE', 'DIM', 'REM', 'FOR', 'GO TO', 'GO SUB', 'INPUT', 'LOAD',
  'LIST', 'LET', 'PAUSE', 'NEXT', 'POKE', 'PRINT', 'PLOT', 'RUN', 'SAVE', 'RANDOMIZE', 'IF', 'CLS',
  'DRAW', 'CLEAR', 'RETURN', 'COPY',
]);
export const FIRST_TOKEN = 0xa5;
export const TOKEN = Object.freeze(Object.fromEntries(TOKEN_NAMES.map((n, i) => [n, FIRST_TOKEN + i])));

// The token table as the ROM holds it at 0x0095: '?' then each name, its
// last character with bit 7 set.
export function tokenTableBytes() {
  const out = [0x3f | 0x80];
  for (const name of TOKEN_NAMES) {
    for (let i = 0; i < name.length; i++) out.push(name.charCodeAt(i) | (i === name.length - 1 ? 0x80 : 0));
  }
  return Uint8Array.from(out);
}
export const TOKEN_TABLE_AT = 0x0095;
const SIGNATURE = tokenTableBytes().subarray(0, 48);

// True when the ROM paged in at 0x0000 is a Sinclair-style keyword-entry
// BASIC (its token table where the 48K ROM has it).
export function isKeywordRom(core) {
  for (let i = 0; i < SIGNATURE.length; i++) if (core.peek(TOKEN_TABLE_AT + i) !== SIGNATURE[i]) return false;
  return true;
}

// The editor's cursor mode: 'K', 'L', 'C', 'E' or 'G' (the letter the ROM shows).
export function editorMode(core) {
  const mode = core.peek(SYSVARS.MODE);
  if (mode === 1) return 'E';
  if (mode === 2) return 'G';
  if (!(core.peek(SYSVARS.FLAGS) & 0x08)) return 'K';
  return core.peek(SYSVARS.FLAGS2) & 0x08 ? 'C' : 'L';
}

// The ROM has taken the last key and started reprinting the line: no key
// waiting (FLAGS bit 5), no reprint pending (TV_FLAG bit 3, which ED-COPY
// clears as it starts). The mode is current once the ROM is also back in
// its keyboard wait (key-typer.mjs checks the PC too).
export function editorSettled(core) {
  return !(core.peek(SYSVARS.FLAGS) & 0x20) && !(core.peek(SYSVARS.TV_FLAG) & 0x08);
}

const L = (ch) => KEYS[ch];
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

// Where a keyword's key is: kind 'K' (K mode, letter alone), 'S' (SYMBOL +
// letter in K/L/C mode), 'E' (E mode, letter alone), 'ES' (E mode, SYMBOL +
// key). Table 'e' (SYMBOL + letter), 'b' and 'c' (E mode letters), 'f' (E
// mode SYMBOL + digit), as the ROM has them, A..Z or 0..9.
const TABLE_E = ['STOP', '*', '?', 'STEP', '>=', 'TO', 'THEN', '^', 'AT', '-', '+', '=', '.', ',', ';', '"', '<=', '<', 'NOT', '>', 'OR', '/', '<>', '£', 'AND', ':'];
const TABLE_B = ['READ', 'BIN', 'LPRINT', 'DATA', 'TAN', 'SGN', 'ABS', 'SQR', 'CODE', 'VAL', 'LEN', 'USR', 'PI', 'INKEY$', 'PEEK', 'TAB', 'SIN', 'INT', 'RESTORE', 'RND', 'CHR$', 'LLIST', 'COS', 'EXP', 'STR$', 'LN'];
const TABLE_C = ['~', 'BRIGHT', 'PAPER', '\\', 'ATN', '{', '}', 'CIRCLE', 'IN', 'VAL$', 'SCREEN$', 'ATTR', 'INVERSE', 'OVER', 'OUT', '©', 'ASN', 'VERIFY', '|', 'MERGE', ']', 'FLASH', 'ACS', 'INK', '[', 'BEEP'];
const TABLE_F = ['FORMAT', 'DEF FN', 'FN', 'LINE', 'OPEN #', 'CLOSE #', 'MOVE', 'ERASE', 'POINT', 'CAT'];

// name -> { kind, key }, for every token and for the symbols only E mode types.
export const KEYWORD_KEYS = (() => {
  const map = new Map();
  for (let i = 0; i < 26; i++) map.set(TOKEN_NAMES[TOKEN.NEW - FIRST_TOKEN + i], { kind: 'K', key: L(LETTERS[i]) });
  for (let i = 0; i < 26; i++) map.set(TABLE_E[i], { kind: 'S', key: L(LETTERS[i]) });
  for (let i = 0; i < 26; i++) map.set(TABLE_B[i], { kind: 'E', key: L(LETTERS[i]) });
  for (let i = 0; i < 26; i++) map.set(TABLE_C[i], { kind: 'ES', key: L(LETTERS[i]) });
  for (let i = 0; i < 10; i++) map.set(TABLE_F[i], { kind: 'ES', key: L(String(i)) });
  return map;
})();

// Keyword names as they may be written: both 'GO TO' and 'GOTO', ...,
// longest first so that INKEY$ wins over IN and INPUT over IN.
const SPELLINGS = (() => {
  const list = [];
  for (const name of TOKEN_NAMES) {
    list.push({ text: name, name });
    if (name.includes(' ')) list.push({ text: name.replace(' ', ''), name });
  }
  return list.sort((a, b) => b.text.length - a.text.length);
})();

const isWordChar = (c) => c !== undefined && /[A-Za-z0-9]/.test(c);
const isLetter = (c) => c !== undefined && /[A-Za-z]/.test(c);

// The keyword written at text[i], or null: { name, length }. Alphabetic
// keywords need a word boundary on both sides ('TOTAL' is no TO), and are
// matched in capitals, or in any case where only a keyword can go (K mode).
export function keywordAt(text, i, { anyCase = false } = {}) {
  for (const { text: spelling, name } of SPELLINGS) {
    const word = text.substr(i, spelling.length);
    if (word.length !== spelling.length) continue;
    if (word !== spelling && !(anyCase && word.toUpperCase() === spelling)) continue;
    if (isLetter(spelling[0]) && isWordChar(text[i - 1])) continue;
    const last = spelling[spelling.length - 1];
    if (/[A-Z]/.test(last) && isWordChar(text[i + spelling.length])) continue;
    return { name, length: spelling.length };
  }
  return null;
}

export const isAlphaKeyword = (name) => /^[A-Z]/.test(name);
