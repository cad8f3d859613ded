// Builds a TAP file that loads and runs a machine-code binary: a BASIC
// loader program, auto-running at line 10,
//     10 CLEAR org-1: LOAD "" CODE : RANDOMIZE USR org
// then the CODE header and data blocks.
//
//   node tools/mktap.mjs IN.bin OUT.tap [--org 32768] [--name NAME]
//
// TAP layout (World of Spectrum "TAP format"): each block is a 16-bit
// little-endian length, then flag (0x00 header, 0xFF data), the bytes, and
// an XOR checksum of flag and bytes. A header holds type (0 program, 3 code),
// a 10-character name, the data length and two parameters (program:
// autostart line and program length; code: start address and 32768).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const TOKENS = { CODE: 0xaf, USR: 0xc0, LOAD: 0xef, RANDOMIZE: 0xf9, CLEAR: 0xfd };

export function tapBlock(flag, data) {
  const out = new Uint8Array(data.length + 4);
  const body = data.length + 2;
  out[0] = body & 0xff;
  out[1] = body >> 8;
  out[2] = flag;
  out.set(data, 3);
  let x = flag;
  for (const b of data) x ^= b;
  out[out.length - 1] = x;
  return out;
}

export function headerBlock(type, name, length, param1, param2) {
  const h = new Uint8Array(17);
  h[0] = type;
  const padded = String(name).slice(0, 10).padEnd(10, ' ');
  for (let i = 0; i < 10; i++) h[1 + i] = padded.charCodeAt(i) & 0x7f;
  put16(h, 11, length);
  put16(h, 13, param1);
  put16(h, 15, param2);
  return tapBlock(0x00, h);
}

function put16(a, at, v) {
  a[at] = v & 0xff;
  a[at + 1] = (v >> 8) & 0xff;
}

// A BASIC number as the ROM stores it after its digits: 0x0E and the
// 5-byte "small integer" form (0, sign, low, high, 0).
export function basicNumber(n) {
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`basicNumber: ${n} is not 0..65535`);
  return [...String(n)].map((c) => c.charCodeAt(0)).concat([0x0e, 0, 0, n & 0xff, n >> 8, 0]);
}

// One program line: number (big-endian), length of the rest (little-endian),
// the tokenised bytes, ENTER.
export function basicLine(number, bytes) {
  const body = [...bytes, 0x0d];
  return [number >> 8, number & 0xff, body.length & 0xff, body.length >> 8, ...body];
}

const ascii = (s) => [...s].map((c) => c.charCodeAt(0));

export function loaderProgram(org) {
  const T = TOKENS;
  return new Uint8Array(basicLine(10, [
    T.CLEAR, ...basicNumber(org - 1), ...ascii(':'),
    T.LOAD, ...ascii('""'), T.CODE, ...ascii(':'),
    T.RANDOMIZE, T.USR, ...basicNumber(org),
  ]));
}

// The whole TAP: program header + loader, code header + code.
export function makeLoaderTap(code, { org = 32768, name = 'loader' } = {}) {
  if (!(code instanceof Uint8Array) || code.length === 0) throw new Error('mktap: the code is empty');
  if (org < 0x5d00 || org + code.length > 0x10000) {
    throw new Error(`mktap: ${code.length} bytes at ${org} do not fit between BASIC and 0xFFFF`);
  }
  const basic = loaderProgram(org);
  return concat([
    headerBlock(0, name, basic.length, 10, basic.length),
    tapBlock(0xff, basic),
    headerBlock(3, name, code.length, org, 32768),
    tapBlock(0xff, code),
  ]);
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function main(argv) {
  const files = [];
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--org') opts.org = Number(argv[++i]);
    else if (a === '--name') opts.name = argv[++i];
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else files.push(a);
  }
  if (files.length !== 2 || (opts.org !== undefined && !Number.isInteger(opts.org))) {
    throw new Error('usage: node tools/mktap.mjs IN.bin OUT.tap [--org ADDRESS] [--name NAME]');
  }
  const [input, output] = files;
  opts.name ??= input.replace(/^.*\//, '').replace(/\.[^.]*$/, '');
  writeFileSync(output, makeLoaderTap(new Uint8Array(readFileSync(input)), opts));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(`mktap: ${e.message.replace(/^mktap: /, '')}`);
    process.exit(1);
  }
}
