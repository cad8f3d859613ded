// Delivery as a browser sees it: the bundled page arrives compressed
// (brotli, as Chromium asks for it) with validators, its hashed files are
// cached for good (a second visit costs one 304), and a page of another origin can
// embed the Spectrum from a host that sends CORS headers (README
// "Self-hosting"), but not from one that does not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openBrowser } from './harness.mjs';
import { startServer } from '../../web/serve.mjs';

// The ROM's start-up message, once it has printed it (the first frame
// comes before the ROM has cleared the screen).
async function bootText(page, who) {
  let text = '';
  for (let i = 0; i < 100 && !/© 1981 Nine Tiles/.test(text); i++) {
    if (i) await page.waitForTimeout(100);
    text = await page.evaluate((w) => window[w].screenText().then((r) => r.join('\n')), who);
  }
  return text;
}

let env, host, hostUrl, plainHost, plainUrl, other, otherUrl, dir;
before(async () => {
  env = await openBrowser();
  ({ server: host, url: hostUrl } = await startServer({ port: 0, quiet: true, cors: true }));
  ({ server: plainHost, url: plainUrl } = await startServer({ port: 0, quiet: true }));
  // Another origin (another port): a page that imports the module from the host.
  dir = mkdtempSync(path.join(tmpdir(), 'zx-embed-'));
  const page = (from) => `<!doctype html><meta charset="utf-8"><div id="here"></div>
<script type="module">
  import { createSpectrum } from '${from}web/spectrum.mjs';
  window.zx = createSpectrum(document.querySelector('#here'), { jit: false, sound: false });
  window.zx.ready.then(() => { window.embedded = 'ready'; }, (e) => { window.embedded = 'failed: ' + e.message; });
</script>`;
  writeFileSync(path.join(dir, 'cors.html'), page(hostUrl));
  writeFileSync(path.join(dir, 'plain.html'), page(plainUrl));
  ({ server: other, url: otherUrl } = await startServer({ port: 0, quiet: true, root: dir }));
});
after(async () => {
  await env?.close();
  for (const s of [host, plainHost, other]) if (s) await new Promise((r) => s.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// The bundled page's files (tools/bundle.mjs), as requested: name -> URL path.
const BUNDLED = {
  app: /^build\/dist\/app\.[A-Z2-7]{8}\.js$/,
  worker: /^build\/dist\/worker\.[A-Z2-7]{8}\.js$/,
  'core wasm': /^build\/dist\/zxcore\.[0-9a-f]{10}\.wasm$/,   // the Worker's own request
};

test('the bundled page and the core reach Chromium compressed, hashed files immutable', async () => {
  const context = await env.browser.newContext();
  const seen = new Map();
  const asked = new Map();
  context.on('response', async (r) => {
    const rel = r.url().slice(env.url.length) || 'index.html';
    seen.set(rel, r.headers());
    // (a response still arriving when the context closes has no headers to give)
    asked.set(rel, (await r.request().allHeaders().catch(() => ({})))['accept-encoding']);
  });
  const page = await context.newPage();
  await page.goto(env.url);
  await page.waitForFunction(() => window.zxCoreReady === true, null, { timeout: 30000 });
  assert.ok(![...seen.keys()].some((f) => f.startsWith('web/')), `no source module was loaded: ${[...seen.keys()].join(' ')}`);
  const files = { page: 'index.html' };
  for (const [what, re] of Object.entries(BUNDLED)) {
    files[what] = [...seen.keys()].find((f) => re.test(f));
    assert.ok(files[what], `the ${what} was requested (${[...seen.keys()].join(' ')})`);
  }
  for (const [what, f] of Object.entries(files)) {
    const h = seen.get(f);
    assert.match(asked.get(f) ?? '', /\bbr\b/, `${what}: Chromium asked for brotli`);
    assert.equal(h['content-encoding'], 'br', `${what} (${f}) arrived brotli-compressed`);
    assert.equal(h.vary, 'Accept-Encoding', f);
    assert.ok(h.etag && h['last-modified'], `${f} has validators`);
    if (what === 'page') assert.equal(h['cache-control'], 'no-cache', 'the page revalidates');
    else assert.equal(h['cache-control'], 'public, max-age=31536000, immutable', `${what}: a hashed name, cached for good`);
  }
  assert.equal(seen.get(files['core wasm'])['content-type'], 'application/wasm');
  assert.ok(![...seen.keys()].some((f) => /zxcore\.[0-9a-f]{10}\.mjs$/.test(f)), 'the core\'s glue came inside the Worker\'s bundle');
  // Decoded, it runs: the machine is up and shows the ROM's message.
  const text = await bootText(page, 'spectrum');
  assert.match(text, /© 1981 Nine Tiles/);
  await context.close();
});

test('a second visit asks the server for the page only (a 304); the rest comes from the cache', async () => {
  const entries = [];
  const { server, url } = await startServer({ port: 0, quiet: true, log: (e) => entries.push(e) });
  const context = await env.browser.newContext();
  try {
    const first = await context.newPage();
    await first.goto(url);
    await first.waitForFunction(() => window.zxCoreReady === true, null, { timeout: 30000 });
    // Until the compiler and everything loaded after the first frame are in.
    await first.waitForFunction(() => ['ready', 'warming', 'warm'].includes(window.spectrum.statistics()?.jit?.state), null, { timeout: 60000 });
    await first.waitForFunction(() => window.zxSaveSlots, null, { timeout: 10000 });
    await first.close();
    const firstVisit = entries.splice(0);
    assert.ok(firstVisit.some((e) => /zxjit\.[0-9a-f]{10}\.wasm$/.test(e.url)), 'the first visit loaded the compiler');

    const second = await context.newPage();
    await second.goto(url);
    await second.waitForFunction(() => window.zxCoreReady === true, null, { timeout: 30000 });
    await second.waitForFunction(() => ['ready', 'warming', 'warm'].includes(window.spectrum.statistics()?.jit?.state), null, { timeout: 60000 });
    await second.waitForFunction(() => window.zxSaveSlots, null, { timeout: 10000 });
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(entries.map((e) => [e.url, e.status]), [['/', 304]],
      `requests of the second visit: ${entries.map((e) => `${e.url} ${e.status}`).join(', ')}`);
  } finally {
    await context.close();
    await new Promise((r) => server.close(r));
  }
});

test('a page of another origin embeds the Spectrum from a host with CORS', async () => {
  const page = await env.newPage();
  await page.goto(otherUrl + 'cors.html');
  await page.waitForFunction(() => window.embedded, null, { timeout: 30000 });
  assert.equal(await page.evaluate(() => window.embedded), 'ready', page.errors.join('\n'));
  assert.notEqual(new URL(otherUrl).origin, new URL(hostUrl).origin);
  const text = await bootText(page, 'zx');
  assert.match(text, /© 1981 Nine Tiles/);
  await page.close();
});

test('without CORS headers the import from another origin fails', async () => {
  const page = await env.newPage();
  await page.goto(otherUrl + 'plain.html');
  await page.waitForTimeout(1500);
  assert.equal(await page.evaluate(() => window.embedded ?? null), null, 'the module never ran');
  assert.ok(page.errors.some((e) => /CORS|Access-Control-Allow-Origin/i.test(e)), page.errors.join('\n'));
  await page.close();
});
