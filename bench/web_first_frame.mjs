// Prints what the playable page costs to load and how soon it shows the
// machine, measured in headless Chromium (Debian's) against the local server
// (web/serve.mjs, in its own process so that this one's work never delays a
// response):
//   node bench/web_first_frame.mjs [--runs N] [--trace] [--root OTHER_CHECKOUT]
//        [--compare OTHER_CHECKOUT] [--with-browser-ui]
// - bytes transferred (response bodies as the server sent them) before the
//   first frame and in all (the compiler loads after the first frame), with
//   the browser asking for no compression, gzip, and brotli;
// - time from navigation start to the first picture drawn on the canvas,
//   cold (new browser context: empty cache) and warm (reload), N runs each,
//   as median and range;
// - with --trace, one cold load's requests on a time line (ms since
//   navigation), to see where the time to the first frame goes;
// - with --compare DIR, the first frame of that checkout (built) too, its
//   loads taking turns with this one's, so that both see the same load on a
//   shared machine.
// Take the bench lock on a shared machine (pinning it with taskset -c 1
// puts Chromium's page, Worker and compile threads on one core, which
// measures the CPU work before the first frame rather than its timing):
//   flock /tmp/bench.lock node bench/web_first_frame.mjs
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, BROWSER_UI_OFF } from '../tests/browser/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 5;
const trace = argv.includes('--trace');
// --root DIR: measure another checkout (built), served by its own server,
// to compare before and after a change in the same conditions.
const rootAt = argv.indexOf('--root');
const site = rootAt >= 0 ? path.resolve(argv[rootAt + 1]) : root;

const compareAt = argv.indexOf('--compare');
const other = compareAt >= 0 ? path.resolve(argv[compareAt + 1]) : null;

// The server's log: one JSON line per response (serve.mjs --log).
let responses = [];
function serve(dir) {
  const child = spawn(process.execPath, [path.join(dir, 'web/serve.mjs'), '--port', '0', '--log'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let pending = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      pending += d;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line.startsWith('{')) responses.push(JSON.parse(line));
        else {
          const m = /at (http:\S+)/.exec(line);
          if (m) resolve({ child, url: m[1] });
        }
      }
    });
    child.on('exit', () => reject(new Error(`the server of ${dir} did not start`)));
  });
}
const { child: server, url } = await serve(site);
const otherServer = other ? await serve(other) : null;

// Chromium's own WebUI omnibox popup is kept from starting beside each new
// context (tests/browser/harness.mjs: a player's browser did that when its
// window opened); --with-browser-ui lets it.
const args = argv.includes('--with-browser-ui') ? CHROMIUM_ARGS.filter((a) => a !== BROWSER_UI_OFF) : CHROMIUM_ARGS;
const browser = await chromium.launch({ executablePath: CHROMIUM, args });

// The page is not asked anything until the network has been quiet for
// 0.5 s (the compiler and the parts loaded after the first frame are in):
// Playwright's first evaluation injects its own script into the page, ~20
// ms of the page's thread, which polling during the load would add to the
// very time measured (seen in a trace).
const settled = { waitUntil: 'networkidle', timeout: 60000 };
const firstFrame = (p) => p.waitForFunction(() => window.zxTiming?.firstFrameMs, null, { timeout: 60000 }).then((h) => h.jsonValue());
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

// One cold load with the given Accept-Encoding: bytes before the first
// frame and in all (until the compiler is in), and the requests.
async function load(acceptEncoding) {
  const context = await browser.newContext(acceptEncoding ? { extraHTTPHeaders: { 'accept-encoding': acceptEncoding } } : {});
  const p = await context.newPage();
  responses = [];
  await p.goto(url, settled);
  const ms = await firstFrame(p);
  const origin = await p.evaluate(() => performance.timeOrigin);
  await p.waitForFunction(() => ['ready', 'warming', 'warm'].includes(window.spectrum?.statistics()?.jit?.state), null, { timeout: 60000 })
    .catch(() => {});
  await p.waitForTimeout(300);
  const all = responses.slice();
  await context.close();
  const at = origin + ms;
  const before = all.filter((r) => r.end <= at);
  const sum = (rs) => rs.reduce((n, r) => n + r.bytes, 0);
  return { ms, origin, all, before: sum(before), total: sum(all), requests: all.length, requestsBefore: before.length };
}

try {
  console.log(`serving ${site}`);
  console.log('bytes transferred (response bodies), cold load:');
  console.log('  Accept-Encoding   before the first frame   in all (compiler loaded)   requests');
  for (const [label, ae] of [['identity', 'identity'], ['gzip', 'gzip'], ['br (brotli)', 'br']]) {
    const r = await load(ae);
    console.log(`  ${label.padEnd(16)}  ${kb(r.before).padStart(10)}               ${kb(r.total).padStart(10)}                 ${r.requestsBefore} + ${r.requests - r.requestsBefore}`);
  }

  if (trace) {
    const r = await load(null);
    console.log(`\none cold load, ms since navigation (first frame at ${Math.round(r.ms)} ms):`);
    for (const x of r.all.sort((a, b) => a.start - b.start)) {
      const mark = x.end <= r.origin + r.ms ? ' ' : '*';
      console.log(`  ${String(Math.round(x.start - r.origin)).padStart(6)} -> ${String(Math.round(x.end - r.origin)).padStart(6)} ${mark} ${String(x.status)} ${kb(x.bytes).padStart(9)} ${x.coding ?? '-'}\t${x.url}`);
    }
    console.log('  (* finished after the first frame)');
  }

  if (runs > 0) {   // --runs 0: bytes (and --trace) only
    const sites = [{ dir: site, url, cold: [], warm: [] }];
    if (otherServer) sites.push({ dir: other, url: otherServer.url, cold: [], warm: [] });
    for (let i = 0; i < runs; i++) {
      for (const x of sites) {
        const context = await browser.newContext();
        const p = await context.newPage();
        await p.goto(x.url, settled);
        x.cold.push(await firstFrame(p));
        // Reloaded once the compiler is in and warm and the page is quiet:
        // its compile work would otherwise still run in the same renderer.
        await p.waitForFunction(() => ['ready', 'failed'].includes(window.spectrum.statistics()?.jit?.state), null, { timeout: 60000 });
        await p.waitForTimeout(1000);
        await p.reload(settled);
        x.warm.push(await firstFrame(p));
        await context.close();
      }
    }
    const fmt = (xs) => {
      const s = [...xs].sort((a, b) => a - b);
      return `median ${Math.round(s[s.length >> 1])} ms, range ${Math.round(s[0])}-${Math.round(s[s.length - 1])} ms`;
    };
    for (const x of sites) {
      if (sites.length > 1) console.log(`\n${x.dir}:`);
      else console.log('');
      console.log(`first frame after navigation, new context (${runs} runs): ${fmt(x.cold)}`);
      console.log(`first frame after navigation, reload      (${runs} runs): ${fmt(x.warm)}`);
    }

    const p = await browser.newPage();
    await p.goto(url);
    await p.waitForFunction(() => window.zxCoreReady === true);
    await p.mouse.click(10, 10);          // the gesture that starts sound
    await p.waitForTimeout(1500);
    const a0 = await p.evaluate(() => window.spectrum.statistics());
    await p.waitForTimeout(5000);
    const a1 = await p.evaluate(() => window.spectrum.statistics());
    console.log(`sound: ${a1.audioState}; ${a0.audio && a1.audio ? `${Math.round(a1.audio.bufferedMs)} ms buffered, ${a1.audio.underruns - a0.audio.underruns} underruns in 5 s at steady state` : 'no figures'}`);
    console.log(`emulation: ${Math.round(a1.speed * 100)}% speed, ${a1.frameMs.toFixed(2)} ms per frame (max ${a1.maxFrameMs.toFixed(2)}), dynarec ${a1.jit.state}`);
  }
} finally {
  await browser.close();
  server.kill();
  otherServer?.child.kill();
}
