// bench_frames.mjs: what a whole 48K frame costs the host, in CPU time
// (process.cpuUsage) per emulated frame, with the interpreter and with the
// dynarec, on workloads where the picture changes little from frame to
// frame, as in most programs:
//   - basic-idle: ROM BASIC at its prompt (the cursor flashes);
//   - basic-print: a BASIC PRINT loop that scrolls the screen every line;
//   - game: tests/z80src/frames_game.asm (a sprite over a static
//     background, raster bars in the top border), loaded as a snapshot.
// Each workload runs WARM frames first (the dynarec compiles what runs),
// then REPS measurements of FRAMES frames; the range is printed.
//
// Usage: node bench/bench_frames.mjs [BASELINE] [--frames N] [--reps N]
//   BASELINE: another checkout of this repository, built (make wasm-node
//   z80bin): its build is measured in the same process, alternating with
//   this one, and the ratio baseline / this is printed (e.g. main before a
//   change).
import './fresh-code.mjs'; // first: generated code compiled afresh by every machine
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  args.splice(i, 2);
  return v;
};
const FRAMES = option('--frames', 500);
const REPS = option('--reps', 5);
const WARM = 600;
const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const builds = [{ name: 'this', repo: here }];
if (args[0]) builds.unshift({ name: 'baseline', repo: path.resolve(args[0]) });
for (const b of builds) b.createHeadless = (await import(path.join(b.repo, 'web/node/headless.mjs'))).createHeadless;

// A 48K SNA that starts a program at 8000h (SP FE00h, return address 8000h
// on the stack, IM 1, interrupts as the program sets them).
function programSnapshot(file) {
  const code = readFileSync(file);
  const sna = new Uint8Array(27 + 49152);
  const sp = 0xfe00;
  sna[19] = 4;
  sna[23] = sp & 0xff; sna[24] = sp >> 8;
  sna[25] = 1;
  sna.set(code, 27 + 0x8000 - 0x4000);
  sna[27 + sp - 0x4000] = 0x00; sna[27 + sp + 1 - 0x4000] = 0x80;
  return sna;
}
const game = programSnapshot(path.join(here, 'build/z80/frames_game.bin'));

const workloads = {
  'basic-idle': (zx) => zx.boot(),
  'basic-print': (zx) => {
    zx.boot();
    zx.type('10 POKE 23692,255: PRINT "SCROLL ";: GOTO 10\n');
    zx.runFrames(50); // the ROM lists the program before it takes the next key
    zx.runFrames(50); // the ROM lists the program before it takes the next key
    zx.type('RUN\n');
  },
  game: (zx) => zx.load(game, 'frames_game.sna'),
};

function cpuMs(f) {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

const range = (v) => `${Math.min(...v).toFixed(1)}-${Math.max(...v).toFixed(1)}`;
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];

console.log(`Node ${process.version}; ${FRAMES} frames x ${REPS} after ${WARM} warm-up frames; host µs per frame (CPU time)`);
if (builds.length > 1) console.log(`baseline: ${builds[0].repo}`);
for (const [workload, setup] of Object.entries(workloads)) {
  for (const jit of [false, true]) {
    const machines = [];
    for (const b of builds) {
      const zx = await b.createHeadless({ jit });
      if (jit) zx.core.module.jit.warmUp(64, 8);
      setup(zx);
      zx.runFrames(WARM);
      machines.push({ b, zx, us: [] });
    }
    for (let r = 0; r < REPS; r++)
      for (const m of machines) m.us.push((cpuMs(() => m.zx.runFrames(FRAMES)) * 1000) / FRAMES);
    const cols = machines.map((m) => `${m.b.name} ${range(m.us).padStart(13)}`);
    const ratio = machines.length > 1 ? `  baseline/this ${(median(machines[0].us) / median(machines[1].us)).toFixed(2)}x` : '';
    console.log(`${workload.padEnd(12)} ${(jit ? 'jit' : 'interpreter').padEnd(12)} ${cols.join('   ')}${ratio}`);
    for (const m of machines) m.zx.destroy();
  }
}
