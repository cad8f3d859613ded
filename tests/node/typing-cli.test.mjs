// zx-headless: key chords, --until-text failures that show the screen, and
// --answer-scroll (OpenSE BASIC, the default ROM); --type on a keyword-entry
// ROM (the test ROM of tests/z80src/keyword_editor.asm).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli, root } from './headless-helpers.mjs';
import { createHeadless, keyChord, formatScreen, KEYS } from '../../web/node/headless.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'zx-typing-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function run(...args) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const bottom = (out) => out.split('\n').filter((l) => l.trim()).pop();

test('--key takes chords: SYMBOL+P types a quote, CAPS+5 moves the cursor left, with --hold', () => {
  const r = run('--boot', '--key', 'SYMBOL+P', '--frames', '10', '--key', 'sym+o', '--frames', '10',
    '--key', 'CAPS+5', '--hold', '2', '--frames', '10', '--key', 'X', '--frames', '10', '--screen-text');
  assert.equal(r.code, 0, r.err);
  // '"' then ';', the cursor moved back over ';', X inserted before it
  // (OpenSE's cursor is a glyph the reader shows as '?').
  assert.match(bottom(r.out), /^"x\?;\s*$/);
});

test('a bad chord fails naming the key', () => {
  for (const [key, message] of [['SYMBOL+', /unknown key 'SYMBOL\+'.*a chord joins them with \+/], ['CAPS+F1', /unknown key 'F1'/]]) {
    const r = run('--key', key);
    assert.equal(r.code, 1, key);
    assert.match(r.err, message);
  }
  assert.deepEqual(keyChord('SYMBOL+F'), [KEYS.SYMBOL, KEYS.F]);
  assert.deepEqual(keyChord(['caps', '1']), [KEYS.CAPS, KEYS['1']]);
  assert.deepEqual(keyChord(KEYS.ENTER), [KEYS.ENTER]);
});

const program = ['--type', '10 FOR i=1 TO 60\\n20 PRINT i\\n30 NEXT i\\nRUN\\n'];

test('--until-text that fails prints the screen, showing why (here: the scroll? prompt)', () => {
  const r = run(...program, '--until-text', 'OK, 30:1', '--max-frames', '400');
  assert.equal(r.code, 1);
  assert.match(r.err, /screen text "OK, 30:1" not met after 400 frames; the screen shows:\n/);
  assert.match(r.err, /^ {2}1\n {2}2\n/m, 'the printed numbers');
  assert.match(r.err, /^ {2}Scroll\?$/m, 'the prompt the program stopped at');
});

test('--answer-scroll lets a program that prints a lot run to its end', () => {
  const r = run(...program, '--answer-scroll', '--until-text', 'OK, 30:1', '--max-frames', '1000', '--screen-text');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^60\s*$/m);
  assert.doesNotMatch(r.out, /Scroll\?/);
});

test('the API: answerScroll counts its answers; runUntilText errors carry the screen', async () => {
  const zx = await createHeadless();
  zx.answerScroll = true;
  zx.boot();
  zx.type('10 FOR i=1 TO 60\n20 PRINT i\n30 NEXT i\nRUN\n');
  zx.runUntilText('OK, 30:1', { maxFrames: 1000 });
  assert.ok(zx.scrollAnswers >= 2, `answered ${zx.scrollAnswers} times`);
  const e = (() => { try { zx.runUntilText('NEVER', { maxFrames: 5 }); } catch (err) { return err; } return null; })();
  assert.ok(e, 'runUntilText failed');
  assert.equal(e.screen.length, 24);
  assert.ok(e.message.endsWith(formatScreen(e.screen)));
  zx.destroy();
  assert.equal(formatScreen(Array(24).fill(' '.repeat(32))), '  (the screen is blank)');
});

test('--type on a keyword-entry ROM enters LOAD "" as the LOAD token', () => {
  const rom = path.join(root, 'build/z80/keyword_editor.bin');
  const sna = path.join(dir, 'typed.sna');
  const r = run('--rom', rom, '--type', 'LOAD ""\\n', '--screen-text', '--save-sna', sna);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^keyword editor test ROM/, 'the CLI booted to the test ROM\'s banner');
  // The editor's log of entered lines (7000h up to LOGPTR, 5F02h), from the
  // SNA's RAM (27-byte header, then 4000h on).
  const ram = readFileSync(sna).subarray(27);
  const end = ram[0x5f02 - 0x4000] | (ram[0x5f03 - 0x4000] << 8);
  assert.deepEqual([...ram.subarray(0x7000 - 0x4000, end - 0x4000)], [0xef, 0x22, 0x22, 0x0d]);
});
