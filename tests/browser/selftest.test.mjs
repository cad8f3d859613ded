// The risky path end to end in a real browser (headless Chromium).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser } from './harness.mjs';

let env;
before(async () => { env = await openBrowser(); });
after(async () => { await env?.close(); });

test('Binaryen-built function runs from C in Chromium', async () => {
  const page = await env.newPage();
  await page.goto(env.url + 'tests/browser/selftest.html');
  const result = await page.waitForFunction(() => window.selftest, null, { timeout: 30000 });
  const r = await result.jsonValue();
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.deepEqual(page.errors, []);
});

test('index.html loads the Wasm core with no console errors', async () => {
  const page = await env.newPage();
  await page.goto(env.url);
  await page.waitForFunction(() => window.zxCoreReady === true, null, { timeout: 30000 });
  assert.deepEqual(page.errors, []);
});
