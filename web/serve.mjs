// A small static file server for the playable page and the browser tests.
// Serves the repository root on 127.0.0.1 only.
//   node web/serve.mjs [--port N]   (0 picks a free port)
import http from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.ico': 'image/x-icon',
  '.tap': 'application/octet-stream', '.tzx': 'application/octet-stream',
  '.z80': 'application/octet-stream', '.sna': 'application/octet-stream',
  '.szx': 'application/octet-stream', '.rom': 'application/octet-stream',
};

export function startServer({ port = 8080, host = '127.0.0.1', quiet = false } = {}) {
  const server = http.createServer((req, res) => {
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root + path.sep) || rel.split('/').some((p) => p.startsWith('.') && p.length > 1)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    let st;
    try {
      st = statSync(file);
    } catch {
      st = null;
    }
    if (!st || !st.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${rel}`);
      return;
    }
    // Validators let the browser keep the core and compiler between visits:
    // 'no-cache' means "revalidate", answered with 304 while unchanged.
    const etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
    const headers = {
      'content-type': types[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      etag,
      'last-modified': st.mtime.toUTCString(),
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': st.size });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const url = `http://${host}:${server.address().port}/`;
      if (!quiet) console.log(`Serving ${root} at ${url}`);
      resolve({ server, url });
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : Number(process.env.PORT ?? 8080);
  startServer({ port }).then(({ url }) => {
    console.log(`Open ${url} in a browser. Press Ctrl+C to stop.`);
  }).catch((e) => {
    console.error(e.code === 'EADDRINUSE'
      ? `error: port ${port} is in use: try 'make run PORT=8081'`
      : `error: ${e.message}`);
    process.exit(1);
  });
}
