// The risky path end to end under Node: C in the core sends a compile
// request, the compiler program builds a Wasm function with Binaryen at run
// time, the JS glue instantiates it against the core's own memory with one of
// the core's exports as its import, installs it in the core's function table,
// and C calls it through a function pointer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTestProgram, loadCompiler } from '../../web/node/load-core.mjs';

// The self-test export is linked into the Wasm test build only (emcc.mk).
const core = await loadTestProgram({ jit: true });

test('generated function called from C returns the right answer', () => {
  assert.equal(core._zx_selftest_run(5), 0, core.messages.join('\n'));
  assert.equal(core._zx_selftest_run(-123456), 0, core.messages.join('\n'));
});

test('table slots are released and reused (no growth over many installs)', () => {
  for (let i = 0; i < 200; i++) assert.equal(core._zx_selftest_run(i), 0);
});

test('without a compiler the core is told so and keeps going', async () => {
  const bare = await loadTestProgram();
  assert.equal(bare._zx_selftest_run(5), 1);
});

test('the module built by the Wasm compiler passes wasm-validate', async () => {
  const compiler = await loadCompiler();
  const bytes = compiler.compile(new Uint8Array([1, 0, 0, 0, 7, 0, 0, 0])); // helper at slot 7
  const dir = mkdtempSync(path.join(tmpdir(), 'zx-selftest-'));
  try {
    const file = path.join(dir, 'selftest.wasm');
    writeFileSync(file, bytes);
    execFileSync('wasm-validate', [file]);
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
    assert.deepEqual(imports.map((i) => `${i.module}.${i.name}:${i.kind}`).sort(),
      ['env.__indirect_function_table:table', 'env.memory:memory']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad compile request is an error, not a crash', async () => {
  const compiler = await loadCompiler();
  assert.throws(() => compiler.compile(new Uint8Array([99, 0, 0, 0])), /unknown compile request kind 99/);
  assert.throws(() => compiler.compile(new Uint8Array([1])), /too short/);
  assert.throws(() => compiler.compile(new Uint8Array([1, 0, 0, 0])), /without the helper's table slot/);
});
