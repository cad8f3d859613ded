// The FUSE Z80 core test suite in the Wasm build under Node (the same C
// harness as the native test_fuse, tests/common/fuse_runner.c), so the
// interpreter is checked as it actually runs in the product: compiled by
// Emscripten, executed by V8. The dynarec is to pass the same suite in mode 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTestProgram } from '../../web/node/load-core.mjs';
import { loadFuseSuite, runFuseAll, runFuseOne, MODE } from './zxtest-helpers.mjs';

const zt = await loadTestProgram();
const count = loadFuseSuite(zt);

test(`FUSE suite, interpreter (Wasm): all ${count} tests pass`, () => {
  assert.ok(count > 1000, `only ${count} tests read from tests.in`);
  const r = runFuseAll(zt, MODE.interp);
  assert.equal(r.failed, 0, `${r.failed} of ${count} FUSE tests failed; first failures:\n${r.failures}`);
  assert.equal(r.passed, count);
});

test('FUSE single test by name reports its output (ED B0, LDIR)', () => {
  const r = runFuseOne(zt, 'edb0', MODE.interp);
  assert.ok(r.ok, r.line);
  assert.match(r.line, /^PASS edb0$/);
  assert.match(r.output, /^edb0\n/);
});
