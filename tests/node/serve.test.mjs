// The static server: correct types, validators and 304s (so the core and the
// compiler are cached between visits), and no escape from the repository.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../web/serve.mjs';

let server, url;
before(async () => ({ server, url } = await startServer({ port: 0, quiet: true })));
after(() => new Promise((r) => server.close(r)));

test('serves files with their type and a validator', async () => {
  const r = await fetch(url + 'web/serve.mjs');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/javascript');
  assert.ok(r.headers.get('etag'));
  await r.arrayBuffer();
});

test('answers 304 to a matching If-None-Match', async () => {
  const first = await fetch(url + 'index.html');
  await first.arrayBuffer();
  const again = await fetch(url + 'index.html', { headers: { 'if-none-match': first.headers.get('etag') } });
  assert.equal(again.status, 304);
});

test('refuses paths outside the repository and dot-files', async () => {
  // URL parsing folds ../ away, so this asks for <repo>/etc/passwd: not there.
  const escape = await fetch(url + '%2e%2e/%2e%2e/etc/passwd');
  assert.equal(escape.status, 404);
  assert.doesNotMatch(await escape.text(), /root:/);
  assert.equal((await fetch(url + '.git/config')).status, 403);
  assert.equal((await fetch(url + 'no/such/file')).status, 404);
});
