// Shared by the headless runner's tests: paths and small checks.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
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
