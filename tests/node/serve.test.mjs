// The static server: correct types, validators and 304s, compression
// negotiated from Accept-Encoding (precompressed files preferred, stale ones
// ignored), long-lived caching only for versioned URLs, optional CORS, and no
// escape from the repository.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { mkdtempSync, mkdirSync, writeFileSync, utimesSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, acceptedCodings } from '../../web/serve.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let server, url, site, siteServer, siteUrl, corsServer, corsUrl;
// A site of its own: a big compressible module with precompressed variants,
// one without, and a stale variant.
const text = Array.from({ length: 2000 }, (_, i) => `export const v${i} = ${i * 7};\n`).join('');
const other = 'body { color: red; }\n'.repeat(400);

before(async () => {
  ({ server, url } = await startServer({ port: 0, quiet: true }));
  site = mkdtempSync(path.join(tmpdir(), 'zx-serve-'));
  writeFileSync(path.join(site, 'big.mjs'), text);
  writeFileSync(path.join(site, 'plain.css'), other);
  writeFileSync(path.join(site, 'tiny.js'), '1;\n');
  writeFileSync(path.join(site, 'game.tap'), Buffer.alloc(4096, 7));
  execFileSync(process.execPath, [path.join(repo, 'tools/precompress.mjs'), path.join(site, 'big.mjs')]);
  ({ server: siteServer, url: siteUrl } = await startServer({ port: 0, quiet: true, root: site }));
  ({ server: corsServer, url: corsUrl } = await startServer({ port: 0, quiet: true, root: site, cors: true }));
});
after(async () => {
  for (const s of [server, siteServer, corsServer]) await new Promise((r) => s.close(r));
  rmSync(site, { recursive: true, force: true });
});

// A raw request: no decoding, so the test sees exactly what was sent.
function get(u, headers = {}, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request(u, { method, headers }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('serves files with their type and a validator', async () => {
  const r = await get(url + 'web/serve.mjs');
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'text/javascript');
  assert.ok(r.headers.etag);
  assert.equal(r.headers['content-encoding'], undefined, 'no Accept-Encoding: sent as is');
  assert.equal(r.body.toString(), readFileSync(path.join(repo, 'web/serve.mjs'), 'utf8'));
});

test('answers 304 to a matching If-None-Match and If-Modified-Since', async () => {
  const first = await get(url + 'index.html');
  const again = await get(url + 'index.html', { 'if-none-match': first.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  const weakList = await get(url + 'index.html', { 'if-none-match': `"nope", W/${first.headers.etag}` });
  assert.equal(weakList.status, 304);
  const since = await get(url + 'index.html', { 'if-modified-since': first.headers['last-modified'] });
  assert.equal(since.status, 304);
  const changed = await get(url + 'index.html', { 'if-none-match': '"other"' });
  assert.equal(changed.status, 200);
});

test('parses Accept-Encoding with q-values', () => {
  assert.deepEqual(acceptedCodings('gzip, deflate, br'), ['br', 'gzip']);
  assert.deepEqual(acceptedCodings('gzip;q=1.0, br;q=0.5'), ['gzip', 'br']);
  assert.deepEqual(acceptedCodings('br;q=0, gzip'), ['gzip']);
  assert.deepEqual(acceptedCodings('*'), ['br', 'gzip']);
  assert.deepEqual(acceptedCodings('*;q=0'), []);
  assert.deepEqual(acceptedCodings('identity'), []);
  assert.deepEqual(acceptedCodings(undefined), []);
});

test('sends the precompressed brotli or gzip file the client accepts', async () => {
  assert.ok(existsSync(path.join(site, 'big.mjs.br')) && existsSync(path.join(site, 'big.mjs.gz')), 'precompress.mjs wrote both variants');
  const br = await get(siteUrl + 'big.mjs', { 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(br.status, 200);
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.headers.vary, 'Accept-Encoding');
  assert.equal(br.headers['content-type'], 'text/javascript');
  assert.equal(Number(br.headers['content-length']), br.body.length);
  assert.ok(br.body.length < text.length / 4, `brotli body ${br.body.length} bytes for ${text.length}`);
  assert.equal(zlib.brotliDecompressSync(br.body).toString(), text);
  assert.deepEqual(br.body, readFileSync(path.join(site, 'big.mjs.br')), 'the file written at build time');

  const gz = await get(siteUrl + 'big.mjs', { 'accept-encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(zlib.gunzipSync(gz.body).toString(), text);

  const none = await get(siteUrl + 'big.mjs', { 'accept-encoding': 'identity' });
  assert.equal(none.headers['content-encoding'], undefined);
  assert.equal(none.headers.vary, 'Accept-Encoding');
  assert.equal(none.body.toString(), text);
  assert.notEqual(br.headers.etag, gz.headers.etag, 'each coding has its own validator');
  assert.notEqual(gz.headers.etag, none.headers.etag);
  const revalidate = await get(siteUrl + 'big.mjs', { 'accept-encoding': 'br', 'if-none-match': br.headers.etag });
  assert.equal(revalidate.status, 304);
  assert.equal(revalidate.headers['content-encoding'], 'br');
});

test('HEAD gives the compressed length without a body', async () => {
  const head = await get(siteUrl + 'big.mjs', { 'accept-encoding': 'br' }, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(Number(head.headers['content-length']), readFileSync(path.join(site, 'big.mjs.br')).length);
  assert.equal(head.body.length, 0);
});

test('compresses files without a precompressed copy, and ignores a stale copy', async () => {
  const css = await get(siteUrl + 'plain.css', { 'accept-encoding': 'br' });
  assert.equal(css.headers['content-encoding'], 'br');
  assert.equal(zlib.brotliDecompressSync(css.body).toString(), other);
  // A variant older than its file is from an earlier build: never sent.
  writeFileSync(path.join(site, 'plain.css.gz'), zlib.gzipSync('stale'));
  const old = new Date(Date.now() - 3600e3);
  utimesSync(path.join(site, 'plain.css.gz'), old, old);
  const gz = await get(siteUrl + 'plain.css', { 'accept-encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(zlib.gunzipSync(gz.body).toString(), other);
  // Tiny files and media go as they are.
  const tiny = await get(siteUrl + 'tiny.js', { 'accept-encoding': 'br, gzip' });
  assert.equal(tiny.headers['content-encoding'], undefined);
  const tap = await get(siteUrl + 'game.tap', { 'accept-encoding': 'br, gzip' });
  assert.equal(tap.headers['content-encoding'], undefined);
  assert.equal(tap.headers.vary, undefined);
  assert.equal(tap.body.length, 4096);
});

test('versioned URLs are immutable for a year; the rest revalidate', async () => {
  const plain = await get(siteUrl + 'big.mjs');
  assert.equal(plain.headers['cache-control'], 'no-cache');
  const versioned = await get(siteUrl + 'big.mjs?v=1a2b3c');
  assert.match(versioned.headers['cache-control'], /max-age=31536000/);
  assert.match(versioned.headers['cache-control'], /immutable/);
  writeFileSync(path.join(site, 'app.3f2a9c1b.js'), 'x');
  const hashed = await get(siteUrl + 'app.3f2a9c1b.js');
  assert.match(hashed.headers['cache-control'], /immutable/);
  // esbuild's [hash]: 8 of A-Z and 2-7 (tools/bundle.mjs names its output so)
  writeFileSync(path.join(site, 'worker.MQW6JKQH.js'), 'x');
  assert.match((await get(siteUrl + 'worker.MQW6JKQH.js')).headers['cache-control'], /immutable/);
  // ...but not a name that merely has a word of 8 letters in it
  for (const name of ['app.settings.json', 'app.Settings.js', 'zx.defaults.css']) {
    writeFileSync(path.join(site, name), 'x');
    assert.equal((await get(siteUrl + name)).headers['cache-control'], 'no-cache', name);
  }
});

test('/ is the bundled page while it is current, else the source page', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'zx-bundle-'));
  const { server: s, url: u } = await startServer({ port: 0, quiet: true, root: dir });
  const { server: plain, url: plainUrl } = await startServer({ port: 0, quiet: true, root: dir, bundle: false });
  try {
    mkdirSync(path.join(dir, 'build/dist'), { recursive: true });
    mkdirSync(path.join(dir, 'web'));
    writeFileSync(path.join(dir, 'index.html'), 'source page');
    writeFileSync(path.join(dir, 'web/app.mjs'), 'export {};');
    assert.equal((await get(u)).body.toString(), 'source page', 'not bundled yet');
    writeFileSync(path.join(dir, 'build/dist/index.html'), 'bundled page');
    writeFileSync(path.join(dir, 'build/dist/manifest.json'), JSON.stringify({ inputs: ['index.html', 'web/app.mjs'] }));
    const past = new Date(Date.now() - 60e3);
    for (const f of ['index.html', 'web/app.mjs']) utimesSync(path.join(dir, f), past, past);
    const bundled = await get(u);
    assert.equal(bundled.body.toString(), 'bundled page');
    assert.equal(bundled.headers['cache-control'], 'no-cache');
    assert.equal(bundled.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal((await get(u + 'index.html')).body.toString(), 'bundled page');
    assert.equal((await get(u, { 'if-none-match': bundled.headers.etag })).status, 304);
    assert.equal((await get(plainUrl)).body.toString(), 'source page', 'bundle: false (--no-bundle)');
    // A source edited after the bundle was made: the source page, until bundled again.
    const later = new Date(Date.now() + 60e3);
    utimesSync(path.join(dir, 'web/app.mjs'), later, later);
    assert.equal((await get(u)).body.toString(), 'source page', 'a stale bundle is not served');
    utimesSync(path.join(dir, 'build/dist/manifest.json'), later, later);
    assert.equal((await get(u)).body.toString(), 'bundled page');
    // An input that is gone also makes it stale.
    rmSync(path.join(dir, 'web/app.mjs'));
    assert.equal((await get(u)).body.toString(), 'source page');
  } finally {
    for (const x of [s, plain]) await new Promise((r) => x.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sends CORS headers only when asked to', async () => {
  const without = await get(siteUrl + 'big.mjs', { origin: 'http://elsewhere.example' });
  assert.equal(without.headers['access-control-allow-origin'], undefined);
  const withCors = await get(corsUrl + 'big.mjs', { origin: 'http://elsewhere.example' });
  assert.equal(withCors.headers['access-control-allow-origin'], '*');
  const pre = await get(corsUrl + 'big.mjs', { origin: 'http://elsewhere.example', 'access-control-request-method': 'GET' }, 'OPTIONS');
  assert.equal(pre.status, 204);
  assert.match(pre.headers['access-control-allow-methods'], /GET/);
});

test('refuses paths outside the repository, dot-files and other methods', async () => {
  // URL parsing folds ../ away, so this asks for <repo>/etc/passwd: not there.
  const escape = await get(url + '%2e%2e/%2e%2e/etc/passwd');
  assert.equal(escape.status, 404);
  assert.doesNotMatch(escape.body.toString(), /root:/);
  assert.equal((await get(url + '.git/config')).status, 403);
  assert.equal((await get(url + 'no/such/file')).status, 404);
  assert.equal((await get(url + 'index.html', {}, 'POST')).status, 405);
});

test('log() hears of each response with the bytes and coding sent', async () => {
  const entries = [];
  const { server: s, url: u } = await startServer({ port: 0, quiet: true, root: site, log: (e) => entries.push(e) });
  try {
    const br = await get(u + 'big.mjs', { 'accept-encoding': 'br' });
    const plain = await get(u + 'big.mjs');
    await get(u + 'big.mjs', { 'accept-encoding': 'br', 'if-none-match': br.headers.etag });
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(entries.map((e) => [e.url, e.status, e.coding, e.bytes]), [
      ['/big.mjs', 200, 'br', br.body.length],
      ['/big.mjs', 200, null, plain.body.length],
      ['/big.mjs', 304, null, 0],
    ]);
    assert.ok(entries.every((e) => e.end >= e.start));
  } finally {
    await new Promise((r) => s.close(r));
  }
});
