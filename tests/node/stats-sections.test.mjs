// The statistics panel's content (web/ui/stats-overlay.mjs statsSections):
// grouped, every value text, nested objects never shown raw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statsSections, valueText } from '../../web/ui/stats-overlay.mjs';
import { PROFILE_CATEGORIES } from '../../web/frame-profile.mjs';

const category = (share) => ({ ms: share * 100, msPerFrame: share * 0.1, share });

const STATS = {
  speed: 1.002, framesPerSecond: 50.1, frameMs: 0.31, maxFrameMs: 2.5, busy: 0.02, shownPerSecond: 60,
  droppedFrames: 0, paused: false, turbo: false, fastForward: false, frames: 1234, tstates: 1,
  machine: '128k', paging: { port7ffd: 0x10, port1ffd: 0 },
  tape: { blocks: 4, block: 1, playing: true, trapLoads: 0 },
  firstFrameMs: 180, audioState: 'running', audio: { bufferedMs: 61.2, underruns: 0, dropped: 0 },
  profile: {
    frames: 500, totalMs: 150, msPerFrame: 0.3, longestFrameMs: 3.25, coreLongestFrameMs: 3, clockReadNs: 20,
    categories: Object.fromEntries(PROFILE_CATEGORIES.map((k, i) => [k, category(i === 0 ? 0.6 : 0.05)])),
  },
  jit: {
    state: 'ready', loadMs: 300, warmUpMs: 120, warmUpLeft: 0, error: null,
    core: {
      functions: 120, blocks: 80, regions: 40, regionBlocks: 200, requests: 12, compileFailures: 0,
      compileMs: 40.5, buildMs: 20, writeMs: 5, wasmCompileMs: 10, instantiateMs: 5.5, cacheHits: 99999, cacheMisses: 10,
      invalidations: 3, revalidations: 1, evictions: 0, flushes: 0, uncompilable: 2, insnsTotal: 5e6, insnsCompiled: 4.5e6,
      compiledShare: 0.9, exits: { normal: 10, deadline: 20, smc: 1, paged: 0 }, lockstepChecks: 0, lockstepDivergences: 0,
      liveFunctions: 120, codeBytes: 300000, bytesGenerated: 400000, maxFunctions: 4096, maxBytes: 16 << 20,
      smcLoadFunctions: 1, smcOperandChanges: 5, smcOtherChanges: 2, backoffs: 0, givenUp: 0, spotsRecalled: 0,
      lockstepReports: [],
      futureFigure: { a: 1, b: { deep: 2 } },
    },
  },
};

test('the figures come in named sections, every value as text', () => {
  const sections = statsSections(STATS, 7.5);
  assert.deepEqual(sections.map((s) => s.title), ['Emulation', 'Frame time', 'Sound', 'Where a frame goes', 'Dynarec']);
  for (const { rows } of sections) {
    for (const [label, value] of rows) {
      assert.equal(typeof label, 'string');
      assert.equal(typeof value, 'string', `${label}: ${value}`);
      assert.doesNotMatch(value, /\[object|undefined|NaN/, `${label}: ${value}`);
    }
  }
  const all = Object.fromEntries(sections.flatMap((s) => s.rows.map(([k, v]) => [k, v])));
  assert.equal(all.Longest, '7.50 ms in the last 5 s');
  assert.equal(all.Exits, 'normal 10, deadline 20, smc 1, paged 0');
  assert.equal(all.Paging, '7FFD 10');
  assert.equal(all['Run compiled'], '90.0% of 5,000,000 instructions');
  assert.equal(all.Tape, 'playing, block 2 of 4');
  assert.equal(all.futureFigure, 'a 1, b …', 'a figure the panel does not know still shows as text');
  assert.ok(!('lockstepReports' in all), 'lockstep reports are not dumped');
});

test('compile time: the emulation thread\'s, and with a compile Worker both threads\' (never less than its parts)', () => {
  const row = (jit) => Object.fromEntries(statsSections({ ...STATS, jit }).at(-1).rows)['Compile time'];
  assert.equal(row(STATS.jit), '40.5 ms: compiler 20.0 + 5.0, Wasm 10.0 + 5.5');
  // asynchronous: the compiler and the Wasm compile ran in the Worker (30 ms),
  // the emulation's thread instantiated (5.5 of its 6 ms)
  const core = { ...STATS.jit.core, compileMs: 6, workerMs: 30, buildMs: 10, writeMs: 5, wasmCompileMs: 14.5, instantiateMs: 5.5 };
  assert.equal(row({ ...STATS.jit, mode: 'async', core }),
    '36.0 ms: compiler 10.0 + 5.0, Wasm 14.5 + 5.5 (Worker 30.0, emulation 6.0)');
});

test('before the compiler loads, and with it off, the dynarec section says so', () => {
  const loading = statsSections({ ...STATS, profile: null, jit: { state: 'loading', core: null } });
  assert.deepEqual(loading.at(-1).rows, [['State', 'loading the compiler…']]);
  assert.ok(!loading.some((s) => s.title === 'Where a frame goes'), 'no profile section without a profile');
  const off = statsSections({ ...STATS, jit: { state: 'off', core: null } });
  assert.deepEqual(off.at(-1).rows, [['State', 'off (interpreter only)']]);
});

test('valueText: numbers with separators, objects as pairs, arrays by length', () => {
  assert.equal(valueText(1234567), '1,234,567');
  assert.equal(valueText(0.5), '0.50');
  assert.equal(valueText({ x: 1, y: 2 }), 'x 1, y 2');
  assert.equal(valueText([1, 2, 3]), '3 items');
  assert.equal(valueText(null), 'null');
});
