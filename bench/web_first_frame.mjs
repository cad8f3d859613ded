// Prints what the playable page costs to load and how soon it shows the
// machine, measured in headless Chromium (Debian's) against the local server:
//   node bench/web_first_frame.mjs [runs]
// - download sizes, raw and gzipped, of the core (first frame needs it), of
//   the page's own JS and CSS, and of the compiler (loaded after the first frame);
// - time from navigation start to the first picture drawn on the canvas,
//   cold (new browser context) and warm (reload);
// - sound at steady state: buffer level and underruns after 5 s.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../tests/browser/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 5);

function size(files) {
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const b = readFileSync(path.join(root, f));
    raw += b.length;
    gz += gzipSync(b, { level: 9 }).length;
  }
  return `${(raw / 1024).toFixed(1)} KB (${(gz / 1024).toFixed(1)} KB gzipped)`;
}

function jsUnder(dir) {
  return readdirSync(path.join(root, dir)).filter((f) => /\.(mjs|css)$/.test(f)).map((f) => `${dir}/${f}`)
    .filter((f) => statSync(path.join(root, f)).isFile());
}

const page = ['index.html', ...jsUnder('web/ui'), ...jsUnder('web/audio'), ...jsUnder('web/engine'),
  'web/spectrum.mjs', 'web/wasm-cache.mjs', 'web/spectrum-core.mjs', 'web/key-typer.mjs', 'web/screen-text.mjs', 'web/jit-compiler.mjs',
  'web/zx-constants.mjs', 'build/gen/zx-constants.mjs'];
console.log(`core (zxcore.wasm + zxcore.mjs): ${size(['build/wasm/web/zxcore.wasm', 'build/wasm/web/zxcore.mjs'])}`);
console.log(`page (HTML, CSS and JS modules):  ${size(page)}`);
console.log(`before the first frame, total:   ${size(['build/wasm/web/zxcore.wasm', 'build/wasm/web/zxcore.mjs', ...page])}`);
console.log(`compiler (zxjit.wasm + .mjs):    ${size(['build/wasm/web/zxjit.wasm', 'build/wasm/web/zxjit.mjs'])}, loaded after the first frame`);

// The server runs in its own process, so that the Playwright driver's work
// in this one never delays a response.
const server = spawn(process.execPath, [path.join(root, 'web/serve.mjs'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  server.stdout.on('data', (d) => { const m = /at (http:\S+)/.exec(String(d)); if (m) resolve(m[1]); });
  server.on('exit', () => reject(new Error('the server did not start')));
});
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
});
const env = { browser, url, newPage: () => browser.newPage() };
try {
  const firstFrame = async (p) => p.waitForFunction(() => window.zxTiming?.firstFrameMs, null, { timeout: 30000 }).then((h) => h.jsonValue());
  const cold = [];
  const warm = [];
  for (let i = 0; i < runs; i++) {
    const context = await env.browser.newContext();
    const p = await context.newPage();
    await p.goto(env.url);
    cold.push(await firstFrame(p));
    await p.reload();
    warm.push(await firstFrame(p));
    await context.close();
  }
  const fmt = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return `median ${Math.round(s[s.length >> 1])} ms (min ${Math.round(s[0])}, max ${Math.round(s[s.length - 1])})`;
  };
  console.log(`first frame, new context (${runs} runs): ${fmt(cold)}`);
  console.log(`first frame, reload      (${runs} runs): ${fmt(warm)}`);

  const p = await env.newPage();
  await p.goto(env.url);
  await p.waitForFunction(() => window.zxCoreReady === true);
  await p.mouse.click(10, 10);          // the gesture that starts sound
  await p.waitForTimeout(1500);
  const a0 = await p.evaluate(() => window.spectrum.statistics());
  await p.waitForTimeout(5000);
  const a1 = await p.evaluate(() => window.spectrum.statistics());
  console.log(`sound: ${a1.audioState}; ${a1.audio ? `${Math.round(a1.audio.bufferedMs)} ms buffered, ${a1.audio.underruns - a0.audio.underruns} underruns in 5 s at steady state` : 'no figures'}`);
  console.log(`emulation: ${Math.round(a1.speed * 100)}% speed, ${a1.frameMs.toFixed(2)} ms per frame (max ${a1.maxFrameMs.toFixed(2)}), dynarec ${a1.jit.state}`);
} finally {
  await browser.close();
  server.kill();
}
