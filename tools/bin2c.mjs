// node tools/bin2c.mjs FILE NAME > out.c
// Emits `const unsigned char NAME[]` and `const unsigned int NAME_size`.
import { readFileSync } from 'node:fs';

const [file, name] = process.argv.slice(2);
if (!file || !name) {
  console.error('usage: node tools/bin2c.mjs FILE SYMBOL');
  process.exit(2);
}
const bytes = readFileSync(file);
const rows = [];
for (let i = 0; i < bytes.length; i += 16) rows.push('  ' + [...bytes.subarray(i, i + 16)].join(','));
process.stdout.write(`/* Generated from ${file} by tools/bin2c.mjs; do not edit or commit. */\n` +
  `const unsigned char ${name}[${bytes.length}] = {\n${rows.join(',\n')}\n};\n` +
  `const unsigned int ${name}_size = ${bytes.length};\n`);
