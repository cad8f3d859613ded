// Worker thread of tests/node/jit-random-diff.test.mjs: runs generated cases
// (tests/node/z80-random.mjs) in mode 0 and in modeB and reports each
// difference. It lives in a worker so that an engine which never returns
// (a dispatcher spinning on the same exit) can be terminated and reported
// as a hang of that case instead of hanging the whole test run.
//
// In:  { seed, indices, modeB, jitFlags, compile ('sync' or 'async': the
//      compiler in a worker of its own, its results waited for at each
//      poll so that a case runs the same every time) }
// Out: { type: 'start', index } before each case, { type: 'fail', index,
//      diffs, text }, { type: 'stats', end, waits, total, compiled, functions,
//      midRepeat, paged, smcLoad } after each case (mode 1: instructions run, of which
//      compiled; midRepeat: the repeating block opcode (ED B0-BB) the
//      reference run stopped in the middle of, or null; smcLoad: functions
//      compiled in the load form), { type: 'done' }.
import { parentPort, workerData } from 'node:worker_threads';
import { loadTestProgram } from '../../web/node/load-core.mjs';
import { generateCase, BLOCK_REPEAT_OPS } from './z80-random.mjs';

// The run stopped between two steps of a repeating block instruction: PC
// on it and MEMPTR = PC + 1, as only its repeat step leaves them.
function midRepeat(r) {
  const pc = r.regs.pc, op = r.mem[(pc + 1) & 0xffff];
  const repeating = r.mem[pc] === 0xed && BLOCK_REPEAT_OPS.includes(op) && r.regs.wz === ((pc + 1) & 0xffff);
  return repeating && !r.regs.halted ? op : null;
}
import { runCase, compareResults, describeFailure, jitStats } from './z80-diff-machine.mjs';

const { seed, indices, modeB, jitFlags, compile = 'sync' } = workerData;
const zt = await loadTestProgram({ jit: modeB === 1, compile, warmUp: 0 });
if (zt.jitAsync) zt.jitAsync.waitOnPoll = true;
// Compile every block at its first execution (threshold 0, batch 1), so the
// generated code, not the interpreter, runs nearly everything.
if (modeB === 1) zt._zxw_jit_shared_configure(0, 1, jitFlags);

let prev = modeB === 1 ? jitStats(zt) : null;
for (const index of indices) {
  parentPort.postMessage({ type: 'start', index });
  const c = generateCase(seed, index);
  const a = runCase(zt, 0, c);
  const b = runCase(zt, modeB, c);
  const diffs = compareResults(a, b);
  if (diffs.length) {
    parentPort.postMessage({ type: 'fail', index, diffs,
      text: describeFailure(zt, c, a, b, diffs, ['mode 0', `mode ${modeB}`]) });
  }
  if (modeB === 1) {
    // Per case, so the test can leave out cases that halt (ending in HALT,
    // or waiting in one for an interrupt): the dispatcher runs a halted CPU
    // and counts every repeat of the HALT as an (interpreted) instruction,
    // which says nothing about compiled coverage.
    const s = jitStats(zt);
    parentPort.postMessage({ type: 'stats', end: c.end, waits: c.waits, total: s.insnsTotal - prev.insnsTotal,
      compiled: s.insnsCompiled - prev.insnsCompiled, functions: s.functions - prev.functions, midRepeat: midRepeat(a),
      // compiled code left after an OUT that paged (128K-family paging cases)
      paged: (c.flags & 0x3000) ? s.exits.paged - prev.exits.paged : null,
      smcLoad: s.smcLoadFunctions - prev.smcLoadFunctions, retiered: s.retiered - prev.retiered,
      asyncInstalled: s.asyncInstalled - prev.asyncInstalled, dropped: s.droppedResults - prev.droppedResults });
    prev = s;
  }
}
parentPort.postMessage({ type: 'done', messages: zt.messages.slice(0, 20) });
