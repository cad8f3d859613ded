// Delivery as a browser sees it: the page arrives compressed (brotli, as
// Chromium asks for it) with validators, and a page of another origin can
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

test('the page and the core reach Chromium compressed', async () => {
  const context = await env.browser.newContext();
  const seen = new Map();
  const asked = new Map();
  context.on('response', async (r) => {
    const rel = r.url().slice(env.url.length) || 'index.html';
    seen.set(rel, r.headers());
    asked.set(rel, (await r.request().allHeaders())['accept-encoding']);
  });
  const page = await context.newPage();
  await page.goto(env.url);
  await page.waitForFunction(() => window.zxCoreReady === true, null, { timeout: 30000 });
  for (const f of ['index.html', 'web/ui/app.mjs', 'web/spectrum.mjs', 'web/ui/styles.css', 'build/wasm/web/zxcore.wasm',
    'build/wasm/web/zxcore.mjs', 'web/engine/worker.mjs']) {
    const h = seen.get(f);
    assert.ok(h, `${f} was requested`);
    assert.match(asked.get(f) ?? '', /\bbr\b/, `${f}: Chromium asked for brotli`);
    assert.equal(h['content-encoding'], 'br', `${f} arrived brotli-compressed`);
    assert.equal(h.vary, 'Accept-Encoding', f);
    assert.ok(h.etag && h['last-modified'], `${f} has validators`);
  }
  assert.equal(seen.get('build/wasm/web/zxcore.wasm')['content-type'], 'application/wasm');
  // Decoded, it runs: the machine is up and shows the ROM's message.
  const text = await bootText(page, 'spectrum');
  assert.match(text, /© 1981 Nine Tiles/);
  await context.close();
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
