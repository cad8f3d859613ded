// bench_chain.mjs: chaining on against off (core/jit/z80/jit_z80.c
// jit_chain), and the interpreter, on the game-like programs of
// tests/z80src, in one Node process: three machines warmed up for 1,500
// frames, then 600-frame slices of each in turn, five rounds; prints the
// median CPU ms per slice (process.cpuUsage) and the ratios, and the
// normal exits that went back to the dispatcher with chaining on and off.
//
// Usage: taskset -c 1 node bench/bench_chain.mjs [NAME ...]
//   (default: game_logic game_sprites game_smc game_scroll; build/z80/NAME.bin,
//   assembled by make z80bin)
import './fresh-code.mjs'; // first: generated code compiled afresh by every machine
import { createHeadless } from '../web/node/headless.mjs';
import { gameSnapshot } from '../tests/node/headless-helpers.mjs';

const names = process.argv.length > 2 ? process.argv.slice(2) : ['game_logic', 'game_sprites', 'game_smc', 'game_scroll'];

const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const median = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];

for (const name of names) {
  const machine = async (jit, chain) => {
    const zx = await createHeadless({ jit });
    zx.load(gameSnapshot(name), `${name}.sna`);
    if (jit) zx.core.jitChaining = chain;
    zx.runFrames(1500);
    return zx;
  };
  const engines = { interp: await machine(false), on: await machine(true, true), off: await machine(true, false) };
  const ms = { interp: [], on: [], off: [] };
  for (let round = 0; round < 5; round++) {
    for (const [k, zx] of Object.entries(engines)) {
      const t0 = cpuMs();
      zx.runFrames(600);
      ms[k].push(cpuMs() - t0);
    }
  }
  const m = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, median(v)]));
  const on = engines.on.core.stats().jit, off = engines.off.core.stats().jit;
  console.log(`${name}: ms per 600 frames (median of 5): interp ${m.interp.toFixed(0)}, chaining on ${m.on.toFixed(0)}, off ${m.off.toFixed(0)}; ` +
    `JIT/interp on ${(m.interp / m.on).toFixed(2)}x, off ${(m.interp / m.off).toFixed(2)}x; ` +
    `exits to the dispatcher on ${on.exits.normal}, off ${off.exits.normal}; chained ${on.chained}`);
  for (const zx of Object.values(engines)) zx.destroy();
}
