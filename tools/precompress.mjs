// Writes X.br (brotli, best quality) and X.gz (gzip -9) beside each file X
// given (or each compressible file in a directory given), for web/serve.mjs
// to send to browsers that accept them. Skips a file whose variants are
// already newer than it; drops a variant that would not be smaller.
//   node tools/precompress.mjs build/wasm/web build/gen/zx-constants.mjs
import { readFileSync, writeFileSync, statSync, readdirSync, rmSync, renameSync } from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { COMPRESSIBLE } from '../web/serve.mjs';

const VARIANTS = [
  ['.br', (b) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length } })],
  ['.gz', (b) => zlib.gzipSync(b, { level: 9 })],
];

function mtime(f) {
  try { return statSync(f).mtimeMs; } catch { return -1; }
}

function files(arg) {
  const st = statSync(arg);
  if (!st.isDirectory()) return [arg];
  return readdirSync(arg).map((f) => path.join(arg, f))
    .filter((f) => COMPRESSIBLE.has(path.extname(f).toLowerCase()) && statSync(f).isFile());
}

const args = process.argv.slice(2);
if (!args.length) {
  console.error('usage: node tools/precompress.mjs FILE|DIR...');
  process.exit(2);
}
let written = 0;
for (const f of args.flatMap(files)) {
  const t = mtime(f);
  if (VARIANTS.every(([ext]) => mtime(f + ext) >= t)) continue;
  const raw = readFileSync(f);
  for (const [ext, compress] of VARIANTS) {
    const out = compress(raw);
    if (out.length >= raw.length) {
      rmSync(f + ext, { force: true });
      continue;
    }
    writeFileSync(f + ext + '.tmp', out);
    renameSync(f + ext + '.tmp', f + ext);
    written++;
  }
}
if (written) console.log(`precompress: ${written} file(s) written`);
