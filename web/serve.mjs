// A small static file server for the playable page and the browser tests.
// Serves the repository root on 127.0.0.1 only.
//   node web/serve.mjs [--port N] [--cors] [--log] [--no-bundle]   (port 0 picks a free one)
//
// Delivery:
// - Compression: brotli or gzip as the request's Accept-Encoding allows
//   (brotli preferred), with Vary: Accept-Encoding. A file X is sent as its
//   precompressed X.br / X.gz when one exists beside it and is not older
//   (tools/precompress.mjs writes them at build time for build/wasm/web and
//   build/gen); other text and Wasm files are compressed once on first
//   request and kept in memory while unchanged.
// - Caching: a URL that names its version (a `v` query parameter, or a
//   content hash in the file name: app.3f2a9c1b.mjs, or esbuild's
//   app.J3AUUCB6.js) is immutable for a year; everything else (the page
//   itself) is 'no-cache' with an ETag and Last-Modified, so a revisit
//   costs one 304 while unchanged.
// - The page: / and /index.html are the bundled page (build/dist/index.html,
//   tools/bundle.mjs: its scripts and the Wasm programs under hashed names
//   in build/dist/) while it is current, that is while none of the sources
//   listed in build/dist/manifest.json is newer than it; otherwise (not
//   built, or a source edited since) the source index.html, which loads
//   the source modules. bundle: false (--no-bundle) always sends the source.
// - cors: true (--cors) lets pages of other origins fetch and import the
//   files (Access-Control-Allow-Origin: *; see README "Self-hosting").
import http from 'node:http';
import { createReadStream, statSync, readFileSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
  '.tap': 'application/octet-stream', '.tzx': 'application/octet-stream',
  '.z80': 'application/octet-stream', '.sna': 'application/octet-stream',
  '.szx': 'application/octet-stream', '.rom': 'application/octet-stream',
};
// Worth compressing: text and Wasm (Spectrum media are small and mostly
// incompressible; images are compressed already).
export const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.json', '.svg', '.txt', '.map']);
// Precompressed variants, best first: [content-coding, file suffix].
const CODINGS = [['br', '.br'], ['gzip', '.gz']];
const IMMUTABLE = 'public, max-age=31536000, immutable';
// A hex digest (8+ digits) or esbuild's [hash] (8 of A-Z2-7, upper case).
const HASHED_NAME = /\.(?:[0-9a-f]{8,}|[0-9A-F]{8,}|[A-Z2-7]{8})\.[a-z0-9]+$/;
const BUNDLE_MANIFEST = 'build/dist/manifest.json';
const BUNDLE_PAGE = 'build/dist/index.html';
// Files compressed on the fly are kept while their size and mtime match.
const MEMO_LIMIT = 64 * 1024 * 1024;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

// The codings the client accepts, best first among those we can send
// (RFC 9110 12.5.3: q=0 refuses; '*' covers what is not named).
export function acceptedCodings(header) {
  const q = new Map();
  for (const part of String(header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p);
      if (m) weight = Number(m[1]);
    }
    q.set(name, weight);
  }
  const weight = (c) => q.get(c) ?? (c === 'gzip' ? q.get('x-gzip') : undefined) ?? q.get('*') ?? 0;
  return CODINGS.map(([c]) => c).filter((c) => weight(c) > 0)
    .sort((a, b) => weight(b) - weight(a));
}

function statFile(file) {
  try {
    const st = statSync(file);
    return st.isFile() ? st : null;
  } catch {
    return null;
  }
}

// log(entry): called once per response sent, with { start, end } (epoch
// ms: request received, response finished), url, status, coding and bytes
// (of the body as sent); bench/web_first_frame.mjs counts transfers with it.
// warm: compress index.html and web/ at start (default: when run as a program).
export function startServer({ port = 8080, host = '127.0.0.1', quiet = false, cors = false, root = repoRoot, log = null, warm = false, bundle = true } = {}) {
  const memo = new Map(); // `${file}\0${coding}` -> { key, body }
  let memoBytes = 0;
  let manifest = { mtimeMs: -1, inputs: [] };
  let staleNoted = false;

  // The bundled page's file, or null while the source page is to be sent.
  function bundledPage() {
    const st = statFile(path.join(root, BUNDLE_MANIFEST));
    if (!st || !statFile(path.join(root, BUNDLE_PAGE))) return null;
    if (st.mtimeMs !== manifest.mtimeMs) {
      try {
        manifest = { mtimeMs: st.mtimeMs, inputs: JSON.parse(readFileSync(path.join(root, BUNDLE_MANIFEST), 'utf8')).inputs ?? [] };
      } catch {
        return null;
      }
    }
    const stale = manifest.inputs.find((f) => (statFile(path.join(root, f))?.mtimeMs ?? Infinity) > st.mtimeMs);
    if (stale) {
      if (!quiet && !staleNoted) console.log(`note: ${stale} is newer than the bundle: sending the source page (make wasm-web bundles it again)`);
      staleNoted = true;
      return null;
    }
    staleNoted = false;
    return path.join(root, BUNDLE_PAGE);
  }

  async function compressedBody(file, st, coding) {
    const key = `${st.size}-${st.mtimeMs}`;
    const id = `${file}\0${coding}`;
    const hit = memo.get(id);
    if (hit && hit.key === key) return hit.body;
    const raw = readFileSync(file);
    const body = coding === 'br'
      ? await brotli(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
      : await gzip(raw, { level: 9 });
    if (hit) memoBytes -= hit.body.length;
    if (memoBytes + body.length <= MEMO_LIMIT) {
      memo.set(id, { key, body });
      memoBytes += body.length;
    } else {
      memo.delete(id);
    }
    return body;
  }

  async function handle(req, res) {
    const base = cors ? { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' } : {};
    if (req.method === 'OPTIONS' && cors) {
      res.writeHead(204, { ...base, 'access-control-allow-methods': 'GET, HEAD', 'access-control-allow-headers': '*', 'access-control-max-age': '86400' }).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...base, allow: 'GET, HEAD' }).end('method not allowed');
      return;
    }
    let rel;
    let url;
    try {
      url = new URL(req.url, 'http://x');
      rel = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400, base).end('bad request');
      return;
    }
    if (rel.endsWith('/')) rel += 'index.html';
    let file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root + path.sep) || rel.split('/').some((p) => p.startsWith('.') && p.length > 1)) {
      res.writeHead(403, base).end('forbidden');
      return;
    }
    if (bundle && (rel === '/index.html') && file === path.join(root, 'index.html')) file = bundledPage() ?? file;
    const st = statFile(file);
    if (!st) {
      res.writeHead(404, { ...base, 'content-type': 'text/plain' }).end(`not found: ${rel}`);
      return;
    }
    const ext = path.extname(file).toLowerCase();
    const compressible = COMPRESSIBLE.has(ext);
    // The representation: a precompressed file beside this one (not older),
    // else compressed here, else the file itself.
    let coding = null;
    let sendFile = file;
    let sendSt = st;
    let body = null;
    if (compressible) {
      for (const c of acceptedCodings(req.headers['accept-encoding'])) {
        const suffix = CODINGS.find(([name]) => name === c)[1];
        const pre = statFile(file + suffix);
        if (pre && pre.mtimeMs >= st.mtimeMs) {
          coding = c;
          sendFile = file + suffix;
          sendSt = pre;
          break;
        }
      }
      if (!coding) {
        const [c] = acceptedCodings(req.headers['accept-encoding']);
        if (c && st.size >= 256) {
          body = await compressedBody(file, st, c);
          coding = c;
        }
      }
    }
    const versioned = url.searchParams.has('v') || HASHED_NAME.test(file);
    // The validator names the file's version and the coding sent.
    const etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}${coding ? `-${coding}` : ''}"`;
    const headers = {
      ...base,
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'cache-control': versioned ? IMMUTABLE : 'no-cache',
      etag,
      'last-modified': st.mtime.toUTCString(),
    };
    if (compressible) headers.vary = 'Accept-Encoding';
    if (coding) headers['content-encoding'] = coding;
    if (notModified(req, etag, st)) {
      res.writeHead(304, headers).end();
      return;
    }
    const length = body ? body.length : sendSt.size;
    res.sent = { bytes: req.method === 'HEAD' ? 0 : length, coding };
    res.writeHead(200, { ...headers, 'content-length': length });
    if (req.method === 'HEAD') res.end();
    else if (body) res.end(body);
    else createReadStream(sendFile).pipe(res);
  }

  const server = http.createServer((req, res) => {
    if (log) {
      const start = Date.now();
      res.on('finish', () => log({
        start, end: Date.now(), url: req.url, status: res.statusCode,
        coding: res.sent?.coding ?? null, bytes: res.sent?.bytes ?? 0,
      }));
    }
    handle(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`server error: ${e.message}`);
    });
  });
  // The page's own files are compressed in the background at start, so that
  // the first visit does not wait for it (the build precompresses its own).
  function warmUp(dir, depth = 0) {
    let names;
    try {
      names = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of names) {
      const f = path.join(dir, d.name);
      if (d.isDirectory() && depth < 3 && !d.name.startsWith('.')) warmUp(f, depth + 1);
      else if (d.isFile() && COMPRESSIBLE.has(path.extname(f).toLowerCase())) {
        const st = statFile(f);
        if (st && st.size >= 256 && !statFile(f + '.br')) {
          for (const [c] of CODINGS) compressedBody(f, st, c).catch(() => {});
        }
      }
    }
  }
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      if (warm) {
        const index = path.join(root, 'index.html');
        const st = statFile(index);
        if (st) for (const [c] of CODINGS) compressedBody(index, st, c).catch(() => {});
        warmUp(path.join(root, 'web'));
      }
      const url = `http://${host}:${server.address().port}/`;
      if (!quiet) console.log(`Serving ${root} at ${url}${cors ? ' (CORS: any origin)' : ''}`);
      resolve({ server, url });
    });
  });
}

// If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2); weak
// comparison, any of a list, or '*'.
function notModified(req, etag, st) {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    return inm.split(',').map((t) => t.trim().replace(/^W\//, '')).some((t) => t === etag || t === '*');
  }
  const ims = Date.parse(req.headers['if-modified-since'] ?? '');
  return Number.isFinite(ims) && Math.floor(st.mtimeMs / 1000) * 1000 <= ims;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const port = Number(arg('--port') ?? process.env.PORT ?? 8080);
  const cors = process.argv.includes('--cors');
  const bundle = !process.argv.includes('--no-bundle');
  // --log: one JSON line per response on stdout (for benchmarks)
  const log = process.argv.includes('--log') ? (e) => process.stdout.write(`${JSON.stringify(e)}\n`) : null;
  startServer({ port, cors, log, warm: true, bundle }).then(({ url }) => {
    console.log(`Open ${url} in a browser. Press Ctrl+C to stop.`);
  }).catch((e) => {
    console.error(e.code === 'EADDRINUSE'
      ? `error: port ${port} is in use: try 'make run PORT=8081'`
      : `error: ${e.message}`);
    process.exit(1);
  });
}
