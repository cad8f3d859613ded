// Reads the Spectrum screen as text: each 8x8 cell of the 256x192 bitmap in
// screen memory is matched against the font the ROM prints with. Reading the
// bitmap (not the frame buffer) makes it independent of colours, border,
// FLASH and the picture's timing.
//
// The font is where the CHARS system variable points (+256, since CHARS
// addresses character 0), so a program's own font is read too; if CHARS
// does not point at a plausible font (a program used that memory for
// something else), the ROM's font at 0x3D00 is used.

const CHARS = 23606;
const ROM_FONT = 0x3d00;
const FIRST = 32;
const COUNT = 96; // ' ' .. '©'

// Byte offset of pixel row y (0-191), column 0, in the bitmap at 0x4000.
export function bitmapRow(y) {
  return 0x4000 | ((y & 0xc0) << 5) | ((y & 7) << 8) | ((y & 0x38) << 2);
}

// An 8-byte glyph as a string key (8 char codes).
function cellKey(peek, addr) {
  return String.fromCharCode(peek(addr), peek(addr + 1), peek(addr + 2), peek(addr + 3),
    peek(addr + 4), peek(addr + 5), peek(addr + 6), peek(addr + 7));
}

function glyphChar(code) {
  return code === 127 ? '©' : String.fromCharCode(code);
}

// Map from an 8-byte glyph (as a string of 8 char codes) to its character,
// inverse video included. A font with too few distinct glyphs is not one.
function buildTable(glyphs) {
  const table = new Map();
  for (let c = 0; c < COUNT; c++) {
    const key = glyphs[c];
    let inverse = '';
    for (let i = 0; i < 8; i++) inverse += String.fromCharCode(~key.charCodeAt(i) & 0xff);
    const ch = glyphChar(FIRST + c);
    if (!table.has(key)) table.set(key, ch);
    if (!table.has(inverse)) table.set(inverse, ch);
  }
  return table;
}

// Callers read the screen every frame while they wait for a text; the font
// hardly ever changes, so the last few tables are kept with the font bytes
// they were built from.
const tables = []; // { bytes: Uint8Array(COUNT * 8), table }
const fontBytes = new Uint8Array(COUNT * 8);
function fontTable(peek, base) {
  for (let i = 0; i < fontBytes.length; i++) fontBytes[i] = peek(base + i);
  const same = (t) => { for (let i = 0; i < fontBytes.length; i++) if (t.bytes[i] !== fontBytes[i]) return false; return true; };
  let hit = tables.find(same);
  if (!hit) {
    const glyphs = [];
    for (let c = 0; c < COUNT; c++) glyphs.push(cellKey((a) => fontBytes[a], c * 8));
    hit = { bytes: fontBytes.slice(), table: buildTable(glyphs) };
    if (tables.length >= 4) tables.shift();
    tables.push(hit);
  }
  return hit.table;
}

function plausible(table) {
  return table.size >= COUNT; // a real font has ~96 distinct glyphs (x2 with inverse)
}

// peek(addr) reads guest memory. Returns 24 strings of 32 characters;
// unrecognised cells are '?' (a blank or full cell always matches space).
export function screenText(peek, { unknown = '?' } = {}) {
  const chars = (peek(CHARS) | (peek(CHARS + 1) << 8)) + 256;
  let table = chars + COUNT * 8 <= 0x10000 ? fontTable(peek, chars) : null;
  if (!table || !plausible(table)) table = fontTable(peek, ROM_FONT);
  const rows = [];
  for (let row = 0; row < 24; row++) {
    const lines = [];
    for (let i = 0; i < 8; i++) lines.push(bitmapRow(row * 8 + i));
    let line = '';
    for (let col = 0; col < 32; col++) {
      const key = String.fromCharCode(peek(lines[0] + col), peek(lines[1] + col), peek(lines[2] + col), peek(lines[3] + col),
        peek(lines[4] + col), peek(lines[5] + col), peek(lines[6] + col), peek(lines[7] + col));
      line += table.get(key) ?? unknown;
    }
    rows.push(line);
  }
  return rows;
}
