// machine-workloads.mjs: the whole-machine workloads of bench_machine.mjs
// and bench_compile.mjs, one definition for both. ROM BASIC programs typed
// through the headless runner (their windows start when RUN is entered)
// and the game-like programs in tests/z80src/game_*.asm (assembled by
// `make z80bin`; loaded as a 48K SNA at 8000h, windows from their first
// instruction).
import { startProgram } from '../tests/node/headless-helpers.mjs';

export const BASIC = {
  'basic-for': ['10 LET A=0', '20 FOR I=1 TO 2000', '30 LET A=A+I*I/3-INT (I/7)', '40 NEXT I', '50 GO TO 10'],
  'basic-print': ['10 LET I=0', '20 POKE 23692,255: PRINT I,I*I,"SCROLLING"', '30 LET I=I+1', '40 GO TO 20'],
  'basic-string': ['10 LET A$=""', '20 FOR I=1 TO 60', '30 LET A$=A$+CHR$ (65+I-26*INT (I/26))', '40 NEXT I',
    '50 LET B$=""', '60 FOR I=LEN A$ TO 1 STEP -1', '70 LET B$=B$+A$(I)', '80 NEXT I', '90 GO TO 10'],
};
export const GAMES = {
  'game-sprites': 'game_sprites',
  'game-logic': 'game_logic',
  'game-smc': 'game_smc',
  'game-scroll': 'game_scroll',
};
export const WORKLOADS = [...Object.keys(BASIC), ...Object.keys(GAMES)];

// Puts a fresh headless machine (web/node/headless.mjs) at the start of
// the workload's windows.
export function startWorkload(zx, workload) {
  if (BASIC[workload] || GAMES[workload]) {
    startProgram(zx, { basic: BASIC[workload], game: GAMES[workload] });
  } else {
    throw new Error(`unknown workload '${workload}' (${WORKLOADS.join(', ')})`);
  }
}
