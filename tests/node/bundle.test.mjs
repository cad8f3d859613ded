// tools/bundle.mjs: the page's bundle refers only to files it wrote, under
// names that are hashes of their content; the source page's modules and
// the unhashed Wasm programs are out of it; a second run rewrites nothing
// and files of an earlier build are removed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let out, first;
const bundle = () => execFileSync(process.execPath, [path.join(repo, 'tools/bundle.mjs'), '--out', out], { cwd: repo, encoding: 'utf8' });

before(() => {
  out = mkdtempSync(path.join(tmpdir(), 'zx-dist-'));
  writeFileSync(path.join(out, 'app.OLDOLDOL.js'), 'from an earlier build');
  first = bundle();
});
after(() => rmSync(out, { recursive: true, force: true }));

const read = (f) => readFileSync(path.join(out, f), 'utf8');
const manifest = () => JSON.parse(read('manifest.json'));

test('the page refers to the bundle only, and every file it names is there', () => {
  const html = read('index.html');
  const prefix = path.relative(repo, out).split(path.sep).join('/');
  const refs = [...html.matchAll(/(?:src|href)="([^"#]+)"|new (?:Worker|URL)\("([^"]+)"/g)].map((m) => m[1] ?? m[2])
    .filter((r) => !r.startsWith('data:'));
  assert.ok(refs.length >= 4, refs.join(' '));
  for (const r of refs) {
    assert.ok(r.startsWith(`${prefix}/`), `${r} is in the bundle's directory`);
    assert.ok(existsSync(path.join(out, r.slice(prefix.length + 1))), `${r} exists`);
  }
  assert.doesNotMatch(html, /(src|href)="web\//, 'no source module or stylesheet');
  assert.match(html, /<style data-zx-spectrum>[^<]*\.zx-spectrum\{/, 'the page\'s stylesheets inline, marked for spectrum.mjs');
  assert.match(html, /<header class="bar">/, 'the body is the source page\'s');
  const m = manifest();
  assert.ok(html.includes(`${prefix}/${m.entry}`) && html.includes(`${prefix}/${m.worker}`));
});

test('the page\'s bundle names the hashed Wasm programs, Worker and worklet, never the sources', () => {
  const m = manifest();
  const app = read(m.entry);
  for (const f of Object.values(m.programs)) {
    if (f.startsWith('zxcore') || f.startsWith('zxjit')) assert.ok(app.includes(JSON.stringify(f).slice(1, -1)), `the page's bundle names ${f}`);
  }
  assert.doesNotMatch(app, /zxcore\.(mjs|wasm)"|build\/wasm\/web|engine\/worker\.mjs|processor\.mjs/);
  const names = readdirSync(out);
  const processor = names.find((n) => /^processor\.[A-Z2-7]{8}\.js$/.test(n));
  assert.ok(processor && app.includes(processor), 'the audio worklet is bundled and named');
  const worker = read(m.worker);
  const compileWorker = names.find((n) => /^compile-worker\.[A-Z2-7]{8}\.js$/.test(n));
  assert.ok(compileWorker && worker.includes(compileWorker), 'the emulator thread names the compiler thread\'s bundle');
  // The inputs are the sources, and include what the page and its threads import.
  for (const f of ['index.html', 'web/ui/app.mjs', 'web/spectrum.mjs', 'web/engine/worker.mjs', 'web/spectrum-core.mjs', 'build/gen/zx-constants.mjs']) {
    assert.ok(m.inputs.includes(f), `${f} is an input`);
  }
});

test('hex-hashed names are the sha-256 of their content; the Wasm programs are byte copies', () => {
  const m = manifest();
  for (const n of readdirSync(out)) {
    const h = /\.([0-9a-f]{10})\.[a-z]+$/.exec(n);
    if (!h) continue;
    assert.equal(createHash('sha256').update(readFileSync(path.join(out, n))).digest('hex').slice(0, 10), h[1], n);
  }
  for (const [src, copy] of Object.entries(m.programs)) {
    assert.deepEqual(readFileSync(path.join(out, copy)), readFileSync(path.join(repo, 'build/wasm/web', src)), copy);
  }
});

test('a second run writes nothing new; an earlier build\'s files are gone', () => {
  assert.match(first, /1 old removed/);
  assert.ok(!existsSync(path.join(out, 'app.OLDOLDOL.js')));
  const again = bundle();
  assert.match(again, / 0 file\(s\) written, 0 old removed/);
});
