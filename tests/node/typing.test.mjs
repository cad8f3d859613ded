// Keyword-aware typing (web/key-typer.mjs, web/keyword-keys.mjs) on a
// keyword-entry ROM: build/z80/keyword_editor.bin (tests/z80src/
// keyword_editor.asm) is a test ROM with the Sinclair 48K editor's system
// variables, token codes and K/L/C/E/G decisions; every line entered is
// logged in RAM as the bytes the editor took, so each test checks the
// token stream the typer produced. Also: the same text on OpenSE BASIC
// (spelt out), and the keyword matcher on its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createHeadless } from '../../web/node/headless.mjs';
import { KeyTyper } from '../../web/key-typer.mjs';
import { keywordAt, isKeywordRom, editorMode, TOKEN, tokenTableBytes } from '../../web/keyword-keys.mjs';
import { root } from './headless-helpers.mjs';

const rom = readFileSync(path.join(root, 'build/z80/keyword_editor.bin'));
const LOG = 0x7000, LOGPTR = 0x5f02;

async function editor() {
  const zx = await createHeadless({ rom: new Uint8Array(rom) });
  zx.runFrames(5);
  return zx;
}

// The bytes of the lines entered since `from` (each ends with 0x0D).
function log(zx, from = LOG) {
  const end = zx.core.peek(LOGPTR) | (zx.core.peek(LOGPTR + 1) << 8);
  const out = [];
  for (let a = from; a < end; a++) out.push(zx.core.peek(a));
  return out;
}

const bytes = (...parts) => parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : [p]));
const hex = (arr) => arr.map((b) => b.toString(16).padStart(2, '0')).join(' ');

function typeAndCheck(zx, text, expected, options) {
  const before = log(zx).length;
  zx.type(text, options);
  assert.equal(hex(log(zx).slice(before)), hex(expected), `typing ${JSON.stringify(text)}`);
}

test('the test ROM is recognised as keyword entry, OpenSE BASIC is not, and the editor starts in K mode', async () => {
  assert.deepEqual([...rom.subarray(0x95, 0x95 + tokenTableBytes().length)], [...tokenTableBytes()], 'the ROM holds the 48K token table at 0095h');
  const zx = await editor();
  assert.equal(isKeywordRom(zx.core), true);
  assert.equal(editorMode(zx.core), 'K');
  zx.destroy();
  const se = await createHeadless();
  se.boot();
  assert.equal(isKeywordRom(se.core), false);
  se.destroy();
});

test('LOAD "" is J then two SYMBOL+P: the LOAD token, not LET OAD', async () => {
  const zx = await editor();
  const typer = new KeyTyper('LOAD ""\n');
  while (!typer.done) { typer.step(zx.core); zx.runFrames(1); }
  zx.runFrames(10);
  assert.equal(typer.keywords, true);
  assert.equal(hex(log(zx)), hex(bytes(TOKEN.LOAD, '""', 0x0d)));
  assert.deepEqual(typer.tokens, [TOKEN.LOAD]);
  assert.equal(typer.strokes, 4, 'LOAD, ", ", ENTER');
  zx.destroy();
});

test('K-mode keywords, SYMBOL SHIFT keywords and E-mode functions each become one token', async () => {
  const zx = await editor();
  typeAndCheck(zx, '10 FOR i=1 TO 10 STEP 2\n', bytes('10', TOKEN.FOR, 'i=1', TOKEN.TO, '10', TOKEN.STEP, '2', 0x0d));
  typeAndCheck(zx, 'PRINT SQR 16; PI\n', bytes(TOKEN.PRINT, TOKEN.SQR, '16;', TOKEN.PI, 0x0d));
  typeAndCheck(zx, 'PRINT AT 1,2; INK 3; CHR$ 65; SCREEN$ (0,0)\n',
    bytes(TOKEN.PRINT, TOKEN.AT, '1,2;', TOKEN.INK, '3;', TOKEN['CHR$'], '65;', TOKEN['SCREEN$'], '(0,0)', 0x0d));
  typeAndCheck(zx, 'GOTO 10\r\nGO SUB 20\r', bytes(TOKEN['GO TO'], '10', 0x0d, TOKEN['GO SUB'], '20', 0x0d));
  typeAndCheck(zx, 'DEF FN f(x)=x*x\n', bytes(TOKEN['DEF FN'], 'f(x)=x*x', 0x0d));
  typeAndCheck(zx, 'LET t=INKEY$: LET total=1\n', bytes(TOKEN.LET, 't=', TOKEN['INKEY$'], ':', TOKEN.LET, 'total=1', 0x0d));
  zx.destroy();
});

test('after THEN and after a colon the cursor is in K mode again; strings are typed as they are', async () => {
  const zx = await editor();
  typeAndCheck(zx, '20 IF a<=b AND c<>d THEN PRINT "GO TO":STOP\n',
    bytes('20', TOKEN.IF, 'a', TOKEN['<='], 'b', TOKEN.AND, 'c', TOKEN['<>'], 'd', TOKEN.THEN, TOKEN.PRINT, '"GO TO":', TOKEN.STOP, 0x0d));
  typeAndCheck(zx, 'print "a:b"\n', bytes(TOKEN.PRINT, '"a:b"', 0x0d), undefined);
  typeAndCheck(zx, 'REM TO do\n', bytes(TOKEN.REM, 'TO do', 0x0d));
  typeAndCheck(zx, 'PRINT "[~]{|}\\", "£©"\n', bytes(TOKEN.PRINT, '"[~]{|}\\", "', 0x60, 0x7f, '"', 0x0d));
  zx.destroy();
});

test('caps lock on: a small letter turns it off first; a keyword the mode cannot take is spelt out', async () => {
  const zx = await editor();
  zx.core.poke(0x5c6a, zx.core.peek(0x5c6a) | 0x08); // caps lock
  typeAndCheck(zx, '10 LET B=1: LET b=2\n', bytes('10', TOKEN.LET, 'B=1:', TOKEN.LET, 'b=2', 0x0d));
  assert.equal(zx.core.peek(0x5c6a) & 0x08, 0, 'caps lock was turned off for the small b');
  // PRINT after PRINT: the cursor is in L mode, so the second one is letters.
  typeAndCheck(zx, 'PRINT PRINT\n', bytes(TOKEN.PRINT, 'PRINT', 0x0d));
  zx.destroy();
});

test('keywords: false types letter by letter (the old behaviour: LET OAD "")', async () => {
  const zx = await editor();
  typeAndCheck(zx, 'LOAD ""\n', bytes(TOKEN.LET, 'OAD ""', 0x0d), { keywords: false });
  zx.destroy();
});

test('a character no key makes fails before any key goes down', async () => {
  const zx = await editor();
  assert.throws(() => zx.type('PRINT "é"\n'), /cannot type "é" \(U\+00E9\) at position 7/);
  assert.equal(log(zx).length, 0);
  zx.destroy();
});

test('OpenSE BASIC takes keywords spelt out: the typer types every letter', async () => {
  const zx = await createHeadless();
  zx.boot();
  const typer = new KeyTyper('PRINT 6*7\n');
  while (!typer.done) { typer.step(zx.core); zx.runFrames(1); }
  zx.runFrames(10);
  assert.equal(typer.keywords, false);
  assert.equal(typer.strokes, 10);
  assert.ok(zx.screenText().some((l) => l.startsWith('42')), zx.screenText().join('\n'));
  zx.destroy();
});

test('keywordAt: word boundaries, spellings, longest match, case', () => {
  assert.equal(keywordAt('TOTAL', 0), null);
  assert.equal(keywordAt('a TO b', 2).name, 'TO');
  assert.equal(keywordAt('xTO', 1), null);
  assert.deepEqual(keywordAt('GOTO 10', 0), { name: 'GO TO', length: 4 });
  assert.deepEqual(keywordAt('GO SUB 10', 0), { name: 'GO SUB', length: 6 });
  assert.equal(keywordAt('INKEY$', 0).name, 'INKEY$');
  assert.equal(keywordAt('INPUT a', 0).name, 'INPUT');
  assert.equal(keywordAt('IN 254', 0).name, 'IN');
  assert.equal(keywordAt('print', 0), null);
  assert.equal(keywordAt('print', 0, { anyCase: true }).name, 'PRINT');
  assert.equal(keywordAt('a<=b', 1).name, '<=');
  assert.equal(keywordAt('PI2', 0), null);
});

test('on a 128K the ROM paged in decides: OpenSE (the fallback) is spelt out, the keyword ROM in slot 0 takes keywords', async () => {
  const se48 = await createHeadless();
  const opense = se48.core.rom();
  se48.destroy();
  const spelt = await createHeadless({ machine: '128k' });
  spelt.boot();
  assert.equal(isKeywordRom(spelt.core), false);
  spelt.type('PRINT 6*7\n');
  assert.ok(spelt.screenText().some((l) => l.startsWith('42')), spelt.screenText().join('\n'));
  spelt.destroy();
  const keyed = await createHeadless({ machine: '128k', rom: [new Uint8Array(rom), opense] });
  keyed.runFrames(5);
  assert.equal(isKeywordRom(keyed.core), true);
  typeAndCheck(keyed, 'LOAD ""\n', bytes(TOKEN.LOAD, '""', 0x0d));
  keyed.destroy();
});

test('the typer waits for the editor to reprint the line before the next key (the mode is known only then)', async () => {
  // SLOW (5F10h): each reprint of the test ROM's line takes 8 frames, as a
  // long line does on the 48K ROM; a key pressed meanwhile is decoded in
  // the old mode.
  const zx = await editor();
  zx.core.poke(0x5f10, 8);
  typeAndCheck(zx, 'PRINT a;b\n', bytes(TOKEN.PRINT, 'a;b', 0x0d));
  zx.destroy();
  const hasty = await editor();
  hasty.core.poke(0x5f10, 8);
  const before = log(hasty).length;
  hasty.type('PRINT a;b\n', { editorWaitFrames: 0 });
  assert.notEqual(hex(log(hasty).slice(before)), hex(bytes(TOKEN.PRINT, 'a;b', 0x0d)), 'without the wait, a key lands in the stale K mode');
  hasty.destroy();
});
