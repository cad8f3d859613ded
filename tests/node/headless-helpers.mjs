// Shared by the headless runner's tests: paths and small checks.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const helloTap = path.join(root, 'build/z80/hello.tap');
export const cli = path.join(root, 'web/node/cli.mjs');

export function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

export function frameHash(zx) {
  return sha256(zx.core.frameBuffer());
}

export function requireHelloTap() {
  if (!existsSync(helloTap)) throw new Error(`${helloTap} is missing: run 'make z80bin'`);
  return helloTap;
}

// The screen's non-blank lines, right-trimmed.
export function lines(zx) {
  return zx.screenText().map((l) => l.trimEnd()).filter(Boolean);
}

// A 48K SNA that runs build/z80/NAME.bin (a game-like program of
// tests/z80src, assembled by make z80bin) from 8000h: the code at 8000h,
// SP FE00h with 8000h on the stack (an SNA's PC), IM 1, interrupts off.
// Used by the dynarec's tests and by bench/bench_machine.mjs, bench_chain.mjs.
export function gameSnapshot(name) {
  const file = path.join(root, `build/z80/${name}.bin`);
  if (!existsSync(file)) throw new Error(`${file} is missing: run 'make z80bin'`);
  const sna = new Uint8Array(27 + 49152);
  const sp = 0xfe00;
  sna[19] = 4;
  sna[23] = sp & 0xff; sna[24] = sp >> 8;
  sna[25] = 1;
  sna.set(readFileSync(file), 27 + 0x8000 - 0x4000);
  sna[27 + sp - 0x4000] = 0x00; sna[27 + sp + 1 - 0x4000] = 0x80;
  return sna;
}

// Starts a headless machine (web/node/headless.mjs) on a program: the
// game-like program NAME (gameSnapshot), or ROM BASIC with `basic` (its
// lines) typed in and RUN entered, its run starting at once (no frames
// settle after RUN). The dynarec's tests and bench/machine-workloads.mjs.
export function startProgram(zx, { game = null, basic = null }) {
  if (basic) {
    zx.boot();
    for (const line of basic) zx.type(line + '\n');
    zx.type('RUN\n', { settleFrames: 0 });
  } else {
    zx.load(gameSnapshot(game), `${game}.sna`);
  }
}
