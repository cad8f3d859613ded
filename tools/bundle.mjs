// Bundles the playable page for delivery: build/dist/ gets, with content
// hashes in their names (served as immutable, web/serve.mjs):
//   app.HASH.js            the page's module graph (web/ui/app.mjs) in one
//                          file, plus chunk.HASH.js files for what it loads
//                          later (debugger, save slots, JIT inspector...)
//   worker.HASH.js         the emulator thread (web/engine/worker.mjs)
//   compile-worker.HASH.js the compiler's thread (web/engine/compile-worker.mjs)
//   processor.HASH.js      the AudioWorklet (web/audio/processor.mjs)
//   *.HASH.css             the stylesheets loaded on demand
//   zxcore.HEX.mjs .wasm, zxjit.HEX.mjs .wasm   copies of the Wasm programs
//   index.html             index.html with the bundles in place of the
//                          source modules and its stylesheets inlined
//   manifest.json          the source files it was made from (serve.mjs
//                          falls back to the source page when one is newer)
// The source modules stay as they are: the embedding API (web/spectrum.mjs)
// and Node import them directly.
//
// A module's `new URL('REL', import.meta.url)` names a file the bundle must
// provide: a Worker or worklet (bundled as its own entry), a stylesheet
// (copied, minified) or the Wasm programs' directory (the hashed copies,
// named through spectrum.mjs's PROGRAM_FILES). Any other use of
// import.meta.url fails the build, so a new one cannot silently point into
// the source tree.
//   node tools/bundle.mjs [--out build/dist]
import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync, renameSync, statSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const outAt = argv.indexOf('--out');
const out = path.resolve(root, outAt >= 0 ? argv[outAt + 1] : 'build/dist');
const programsDir = path.join(root, 'build/wasm/web');
const PROGRAMS = ['zxcore.mjs', 'zxcore.wasm', 'zxjit.mjs', 'zxjit.wasm'];

function fail(message) {
  console.error(`bundle: ${message}`);
  process.exit(1);
}

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  fail('esbuild is missing: run `make setup` (npm ci installs it)');
}

const rel = (f) => path.relative(root, f).split(path.sep).join('/');
const hex = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 10);

// name -> bytes of everything written to build/dist this run
const outputs = new Map();
const inputs = new Set();

function emit(name, bytes) {
  outputs.set(name, Buffer.from(bytes));
  return name;
}

// ---- the Wasm programs: hashed copies

const programFiles = {};
for (const f of PROGRAMS) {
  const src = path.join(programsDir, f);
  if (!existsSync(src)) fail(`${rel(src)} is missing: build it first (make wasm-web)`);
  const bytes = readFileSync(src);
  const ext = path.extname(f);
  programFiles[f] = emit(`${path.basename(f, ext)}.${hex(bytes)}${ext}`, bytes);
  inputs.add(src);
  // Their precompressed forms too (tools/precompress.mjs made them; zxjit's
  // brotli takes seconds), when current.
  for (const c of ['.br', '.gz']) {
    const pre = `${src}${c}`;
    if (existsSync(pre) && statSync(pre).mtimeMs >= statSync(src).mtimeMs) emit(`${programFiles[f]}${c}`, readFileSync(pre));
  }
}

// ---- what `new URL(..., import.meta.url)` may name: source path -> dist name

const assets = new Map();
assets.set(programsDir + path.sep, './');

async function cssAsset(file) {
  const text = readFileSync(file, 'utf8');
  inputs.add(file);
  const { code } = await esbuild.transform(text, { loader: 'css', minify: true });
  const base = path.basename(file, '.css');
  assets.set(file, emit(`${base}.${hex(code)}.css`, code));
}

// Rewrites each module's asset URLs as the bundle sees them (see the top).
const ASSET_URL = /new URL\((['"])([^'"]+)\1,\s*import\.meta\.url\)/g;
const PROGRAM_FILES = /const PROGRAM_FILES = \{[^}]*\};/;
const assetPlugin = {
  name: 'zx-assets',
  setup(build) {
    build.onLoad({ filter: /\.m?js$/ }, (args) => {
      const file = args.path;
      inputs.add(file);
      // The Emscripten glue goes in as it is (its import.meta.url only
      // locates a .wasm the page hands it compiled).
      if (file.startsWith(programsDir + path.sep)) return undefined;
      let text = readFileSync(file, 'utf8');
      const code = text.replace(ASSET_URL, '').split('\n').filter((l) => !/^\s*(\/\/|\*)/.test(l)).join('\n');
      if (code.includes('import.meta.url')) fail(`${rel(file)} uses import.meta.url in a way tools/bundle.mjs cannot follow (only new URL('...', import.meta.url))`);
      text = text.replace(ASSET_URL, (all, q, ref) => {
        let target = path.resolve(path.dirname(file), ref);
        if (ref.endsWith('/')) target += path.sep;
        const name = assets.get(target);
        if (name === undefined) fail(`${rel(file)}: new URL('${ref}', import.meta.url) names ${rel(target)}, which tools/bundle.mjs does not provide`);
        return `new URL(${JSON.stringify(name)}, import.meta.url)`;
      });
      if (rel(file) === 'web/engine/worker.mjs') {
        // The core's glue is bundled into the thread: no request and no
        // import of its own before the core can start.
        const GLUE = 'const BUNDLED_CORE_GLUE = null;';
        if (!text.includes(GLUE)) fail(`web/engine/worker.mjs: no \`${GLUE}\` to put the core's glue in`);
        text = text.replace(GLUE, `import * as bundledCoreGlue from ${JSON.stringify(path.join(programsDir, 'zxcore.mjs'))};\n`
          + `const BUNDLED_CORE_GLUE = { name: ${JSON.stringify(programFiles['zxcore.mjs'])}, module: bundledCoreGlue };`);
        const WASM = 'const BUNDLED_CORE_WASM = null;';
        if (!text.includes(WASM)) fail(`web/engine/worker.mjs: no \`${WASM}\` to name the core's Wasm`);
        text = text.replace(WASM, `const BUNDLED_CORE_WASM = ${JSON.stringify(programFiles['zxcore.wasm'])};`);
      }
      if (rel(file) === 'web/spectrum.mjs') {
        if (!PROGRAM_FILES.test(text)) fail('web/spectrum.mjs: no `const PROGRAM_FILES = {...};` to point at the hashed programs');
        text = text.replace(PROGRAM_FILES, `const PROGRAM_FILES = ${JSON.stringify({
          coreJs: programFiles['zxcore.mjs'], coreWasm: programFiles['zxcore.wasm'],
          jitJs: programFiles['zxjit.mjs'], jitWasm: programFiles['zxjit.wasm'],
        })};`);
      }
      return { contents: text, loader: 'js' };
    });
  },
};

const COMMON = {
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  write: false,
  outdir: out,
  logLevel: 'silent',
  absWorkingDir: root,
  plugins: [assetPlugin],
};

async function bundle(entry, name, extra = {}) {
  let result;
  try {
    result = await esbuild.build({
      ...COMMON,
      entryPoints: { [name]: path.join(root, entry) },
      entryNames: '[name].[hash]',
      chunkNames: 'chunk.[hash]',
      metafile: true,
      ...extra,
    });
  } catch (e) {
    fail(`${entry}: ${e.errors?.map((x) => `${x.location?.file ?? ''}:${x.location?.line ?? ''} ${x.text}`).join('; ') ?? e.message}`);
  }
  let entryName = null;
  const chunks = [];
  for (const f of result.outputFiles) {
    const n = path.basename(f.path);
    emit(n, f.contents);
    const meta = result.metafile.outputs[rel(f.path)];
    if (meta?.entryPoint === entry) entryName = n;
    else chunks.push({ name: n, meta });
  }
  if (!entryName) fail(`${entry}: esbuild produced no entry file`);
  assets.set(path.join(root, entry), entryName);
  // The chunks the entry imports statically (preloaded with it).
  const entryMeta = result.metafile.outputs[rel(path.join(out, entryName))];
  const staticChunks = entryMeta.imports.filter((i) => i.kind === 'import-statement').map((i) => path.basename(i.path));
  return { name: entryName, staticChunks };
}

for (const css of ['web/ui/jit-inspector.css', 'web/ui/save-slots.css', 'web/ui/debugger.css', 'web/ui/spectrum.css']) {
  await cssAsset(path.join(root, css));
}
await bundle('web/audio/processor.mjs', 'processor');
await bundle('web/engine/compile-worker.mjs', 'compile-worker');
const worker = await bundle('web/engine/worker.mjs', 'worker');
const app = await bundle('web/ui/app.mjs', 'app', { splitting: true });

// ---- the page

const htmlFile = path.join(root, 'index.html');
inputs.add(htmlFile);
let html = readFileSync(htmlFile, 'utf8');
const BLOCK = /<!-- bundle: begin -->[\s\S]*?<!-- bundle: end -->\n?/;
if (!BLOCK.test(html)) fail('index.html: no <!-- bundle: begin --> ... <!-- bundle: end --> block to replace');
const pageCss = [];
for (const css of ['web/ui/spectrum.css', 'web/ui/styles.css']) {
  const file = path.join(root, css);
  inputs.add(file);
  pageCss.push((await esbuild.transform(readFileSync(file, 'utf8'), { loader: 'css', minify: true })).code.trim());
}
const dist = rel(out);
const at = (n) => `${dist}/${n}`;
html = html.replace(BLOCK, [
  // The emulator's thread starts at once and loads the core itself (its
  // glue is in the bundle; it downloads and compiles the Wasm) while the
  // page's script downloads and runs; the page adopts it (app.mjs:
  // createSpectrum's engine option).
  `<script>window.zxEngine=new Worker(${JSON.stringify(at(worker.name))},{type:"module"})</script>`,
  // The page's stylesheets inline (no request before the first paint);
  // data-zx-spectrum: spectrum.mjs then adds no link of its own.
  `<style data-zx-spectrum>${pageCss.join('\n')}</style>`,
  ...app.staticChunks.map((c) => `<link rel="modulepreload" href="${at(c)}">`),
  `<script type="module" src="${at(app.name)}"></script>`,
  '',
].join('\n'));
// The source page's own <script> is the unbundled entry: the bundle's is above.
const SCRIPT = /<script type="module" src="web\/ui\/app\.mjs"><\/script>\n?/;
if (!SCRIPT.test(html)) fail('index.html: no <script type="module" src="web/ui/app.mjs"> to replace');
html = html.replace(SCRIPT, '');
emit('index.html', html);
emit('manifest.json', JSON.stringify({
  note: 'written by tools/bundle.mjs; web/serve.mjs serves the source page while any input is newer than this file',
  entry: app.name,
  worker: worker.name,
  programs: programFiles,
  inputs: [...inputs].map(rel).sort(),
}, null, 1));

// ---- write: unchanged files keep their mtime (precompress skips them);
// files of earlier builds are removed.

mkdirSync(out, { recursive: true });
let written = 0;
for (const [name, bytes] of outputs) {
  const f = path.join(out, name);
  let same = false;
  try { same = readFileSync(f).equals(bytes); } catch { /* new */ }
  if (!same) {
    writeFileSync(`${f}.tmp`, bytes);
    renameSync(`${f}.tmp`, f);
    written++;
  }
}
// The manifest is touched every run: it is the "bundle is current" mark.
const manifest = path.join(out, 'manifest.json');
writeFileSync(manifest, outputs.get('manifest.json'));
let removed = 0;
for (const f of readdirSync(out)) {
  const base = f.replace(/\.(br|gz)$/, '');
  if (!outputs.has(base) && statSync(path.join(out, f)).isFile()) {
    rmSync(path.join(out, f));
    removed++;
  }
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const size = (n) => outputs.get(n).length;
console.log(`bundle: ${dist}/ ${app.name} ${kb(size(app.name))} (+${app.staticChunks.length} static chunk(s)), ${worker.name} ${kb(size(worker.name))}; ${written} file(s) written, ${removed} old removed`);
