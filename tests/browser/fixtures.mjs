// Test media built from bytes at test time (no binaries in the repo), with
// the TAP helpers of tools/mktap.mjs.
import { tapBlock, headerBlock, basicNumber, basicLine } from '../../tools/mktap.mjs';

const PRINT = 0xf5;
const BORDER = 0xe7;
const ascii = (s) => [...s].map((c) => c.charCodeAt(0));

// A BASIC program that runs itself from line 10:
//   10 BORDER 2: PRINT "<text>"
export function helloTap(text, name = 'hello') {
  const program = new Uint8Array(basicLine(10, [BORDER, ...basicNumber(2), ...ascii(':'), PRINT, ...ascii(`"${text}"`)]));
  const header = headerBlock(0, name, program.length, 10, program.length);
  const data = tapBlock(0xff, program);
  return new Uint8Array([...header, ...data]);
}

// Text drawn into a 6,912-byte Spectrum screen (bitmap and attributes,
// black ink on white paper) with the 8x8 font `font` (96 glyphs from ' ',
// as at ROM 0x3D00), at character row `row`, column 0.
export function screenWithText(font, lines) {
  const screen = new Uint8Array(6912).fill(0x38, 6144);
  for (const [row, text] of lines) {
    [...text].forEach((ch, col) => {
      const glyph = (ch.charCodeAt(0) - 32) * 8;
      for (let y = 0; y < 8; y++) {
        const py = row * 8 + y;
        const at = ((py & 0xc0) << 5) | ((py & 7) << 8) | ((py & 0x38) << 2) | col;
        screen[at] = font[glyph + y];
      }
    });
  }
  return screen;
}

// A Z80 v3 snapshot of a ZX Spectrum 128K (hardware mode 4), pages stored
// uncompressed (block length 0xFFFF), following the format as documented
// with Gerton Lunter's Z80 emulator and in the World of Spectrum FAQ:
// 30-byte header (PC 0 there), extra header length 54, PC, hardware mode,
// the last write to 0x7FFD, the AY's registers, then each RAM bank as page
// 3 + bank. banks: { n: Uint8Array(16384) } (missing ones are zeros).
export function z80Snapshot128({ pc, sp, port7ffd, banks = {}, ay = [] }) {
  const head = new Uint8Array(30 + 2 + 54);
  const dv = new DataView(head.buffer);
  dv.setUint16(8, sp, true);
  head[12] = 0x0e;             // bit 0 R's bit 7 = 0, border 7 (bits 1-3)
  head[27] = 0;                // IFF1: interrupts off
  head[29] = 1;                // IM 1
  dv.setUint16(30, 54, true);  // v3
  dv.setUint16(32, pc, true);
  head[34] = 4;                // hardware: 128K
  head[35] = port7ffd;
  ay.forEach((v, i) => { head[39 + i] = v; });
  const parts = [head];
  for (let bank = 0; bank < 8; bank++) {
    const page = new Uint8Array(3 + 16384);
    page[0] = 0xff;
    page[1] = 0xff;
    page[2] = 3 + bank;
    if (banks[bank]) page.set(banks[bank], 3);
    parts.push(page);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
