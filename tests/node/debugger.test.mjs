// The debugger's API (web/debugger-core.mjs over core/debug/): breakpoints
// on ROM routines, steps, registers, watchpoints on memory and ports, step
// over / out, run to, and breakpoints inside hot compiled code, which must
// stop at the instruction and with the state the interpreter has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHeadless } from '../../web/node/headless.mjs';
import { cli } from './headless-helpers.mjs';

// A hot loop in RAM, with a call in it:
//   8000 DI / LD SP,$FF00 / LD HL,$9000 / LD DE,0 / LD A,0
//   800C loop: LD (HL),A / INC L / INC DE / ADD A,E / CALL $8020 / JP $800C
//   8020 sub: XOR $55 / RET
const LOOP = 0x800c, ADD_A_E = 0x800f, CALL_SUB = 0x8010, AFTER_CALL = 0x8013, SUB = 0x8020, XOR_OPERAND = 0x8021;
const PROGRAM = [
  0xf3, 0x31, 0x00, 0xff, 0x21, 0x00, 0x90, 0x11, 0x00, 0x00, 0x3e, 0x00,
  0x77, 0x2c, 0x13, 0x83, 0xcd, 0x20, 0x80, 0xc3, 0x0c, 0x80,
];
const SUBROUTINE = [0xee, 0x55, 0xc9];

async function machineRunningLoop({ jit }) {
  const zx = await createHeadless({ jit });
  zx.boot();
  const dbg = zx.debug;
  dbg.poke(0x8000, PROGRAM);
  dbg.poke(SUB, SUBROUTINE);
  dbg.setRegisters({ PC: 0x8000 });
  return { zx, dbg };
}

const STATE_KEYS = ['AF', 'BC', 'DE', 'HL', 'IX', 'IY', 'SP', 'PC', 'WZ', 'I', 'R', 'IFF1', 'IFF2', 'IM'];
const state = (dbg) => {
  const r = dbg.registers();
  const p = dbg.position();
  return Object.fromEntries([...STATE_KEYS.map((k) => [k, r[k]]), ['frame', p.frame], ['t', p.t]]);
};

test('a breakpoint on a ROM routine (the IM 1 interrupt at 0038): hit, step, edit a register, resume', async () => {
  const zx = await createHeadless();
  zx.boot();
  const dbg = zx.debug;
  const id = dbg.addBreakpoint({ pc: 0x0038 });
  const frames = zx.core.frames;
  const stop = dbg.continue({ maxFrames: 2 });
  assert.ok(stop, 'no break within 2 frames');
  assert.deepEqual([stop.reason, stop.id, stop.pc], ['breakpoint', id, 0x0038]);
  assert.equal(zx.core.frames, frames, 'the break comes in the frame it was set in (at its interrupt)');
  const r = dbg.registers();
  assert.equal(r.PC, 0x38);
  assert.equal(r.IFF1, 0, 'the interrupt was accepted: IFF1 off');
  const pos = dbg.position();
  assert.ok(pos.midFrame && pos.t < 100 && pos.line === 0, JSON.stringify(pos));
  // the return address pushed by the interrupt is where the ROM was
  const ret = dbg.peek(r.SP, 2);
  assert.ok(ret[0] | (ret[1] << 8), 'a return address on the stack');
  assert.equal(dbg.breakpoints()[0].hits, 1);

  const first = dbg.disassemble(0x38, 1)[0];
  const step = dbg.step();
  assert.equal(step.reason, 'step');
  assert.equal(dbg.registers().PC, 0x38 + first.length, `stepped over ${first.text}`);
  assert.ok(dbg.position().t > pos.t);

  const edited = dbg.setRegisters({ BC: 0x1234, IX: 0xabcd, flags: { Z: true, C: false } });
  assert.equal(edited.BC, 0x1234);
  assert.equal(edited.IX, 0xabcd);
  assert.equal(edited.flags.Z, true);
  assert.throws(() => dbg.setRegisters({ QQ: 1 }), /unknown register 'QQ'/);
  assert.throws(() => dbg.setRegisters({ A: 'x' }), /A must be a whole number/);

  // resume: the rest of this frame, then the next interrupt breaks again
  const again = dbg.continue({ maxFrames: 3 });
  assert.equal(again.pc, 0x38);
  assert.equal(zx.core.frames, frames + 1, 'the next frame\'s interrupt');
  dbg.removeBreakpoint(id);
  assert.equal(dbg.continue({ maxFrames: 5 }), null, 'no breakpoint: frames run to their end');
  assert.equal(dbg.midFrame, false);
  assert.throws(() => dbg.removeBreakpoint(id), /no breakpoint/);
  zx.destroy();
});

test('RST 10 (print a character) breaks with the character in A; typing stops at the break', async () => {
  const zx = await createHeadless();
  zx.boot();
  zx.debug.addBreakpoint({ pc: 0x0010 });
  zx.type('P');
  assert.ok(zx.lastBreak, 'typing reached the print routine');
  assert.equal(zx.lastBreak.pc, 0x10);
  const text = zx.breakText();
  assert.match(text, /break: breakpoint 1 at 0010/);
  assert.match(text, /> 0010 /);
  zx.destroy();
});

test('watchpoints: an OUT to the border, a port read (the keyboard), a write to the screen', async () => {
  const zx = await createHeadless();
  zx.boot();
  const dbg = zx.debug;
  const o = dbg.addBreakpoint({ out: 0xfe, mask: 0x00ff });
  zx.type('BORDER 2\n', { settleFrames: 0 });
  let stop = zx.lastBreak ?? dbg.continue({ maxFrames: 50 });
  assert.deepEqual([stop.reason, stop.id, stop.kind, stop.address & 0xff, stop.value], ['watch', o, 'out', 0xfe, 2],
    'BORDER 2 writes 2 to port FE');
  const code = dbg.disassemble(dbg.registers().PC - 2, 1)[0];
  assert.match(code.text, /^OUT /, `the instruction before PC is the OUT (${code.text})`);
  dbg.clearBreakpoints();

  const k = dbg.addBreakpoint({ in: 0xfe, mask: 0x00ff });
  stop = dbg.continue({ maxFrames: 3 });
  assert.deepEqual([stop.reason, stop.kind, stop.address & 0xff], ['watch', 'in', 0xfe]);
  assert.equal(dbg.breakpoints().find((p) => p.id === k).hits, 1);
  dbg.clearBreakpoints();

  const w = dbg.addBreakpoint({ write: [0x4000, 0x57ff] });
  zx.type('A', { settleFrames: 0 });
  stop = zx.lastBreak ?? dbg.continue({ maxFrames: 50 });
  assert.deepEqual([stop.reason, stop.id, stop.kind], ['watch', w, 'write']);
  assert.ok(stop.address >= 0x4000 && stop.address <= 0x57ff);
  assert.equal(dbg.peek(stop.address)[0], stop.value, 'the value written is in memory after the instruction');
  assert.throws(() => dbg.addBreakpoint({ pc: 1, read: 2 }), /exactly one/);
  assert.throws(() => dbg.addBreakpoint({ pc: [5, 1] }), /backwards/);
  assert.throws(() => dbg.addBreakpoint({ pc: 0xc000, bank: 7 }), /no bank 7/);
  zx.destroy();
});

test('run to, step into a CALL, the call stack guess, step out, step over', async () => {
  const { zx, dbg } = await machineRunningLoop({ jit: false });
  let stop = dbg.runTo(CALL_SUB);
  assert.equal(stop.reason, 'target');
  const sp = dbg.registers().SP;
  dbg.step();
  assert.equal(dbg.registers().PC, SUB);
  assert.equal(dbg.registers().SP, sp - 2);
  assert.deepEqual(dbg.callStack()[0], { sp: sp - 2, ret: AFTER_CALL, call: CALL_SUB, target: SUB });
  stop = dbg.stepOut();
  assert.equal(stop.pc, AFTER_CALL);
  assert.equal(dbg.registers().SP, sp);
  dbg.runTo(CALL_SUB);
  stop = dbg.stepOver();
  assert.deepEqual([stop.reason, stop.pc, dbg.registers().SP], ['target', AFTER_CALL, sp]);
  stop = dbg.stepOver(); // JP: a plain step
  assert.deepEqual([stop.reason, stop.pc], ['step', LOOP]);
  const lines = dbg.disassemble(LOOP, 6).map((l) => l.text);
  assert.deepEqual(lines, ['LD (HL),A', 'INC L', 'INC DE', 'ADD A,E', 'CALL $8020', 'JP $800C']);
  zx.destroy();
});

test('with the dynarec: a breakpoint inside a hot compiled loop stops at the instruction, with the interpreter\'s state', async () => {
  const jit = await machineRunningLoop({ jit: true });
  const ref = await machineRunningLoop({ jit: false });
  for (const m of [jit, ref]) m.zx.runFrames(20);
  const before = jit.zx.core.stats().jit;
  assert.ok(before.functions > 0 && before.insnsCompiled > before.insnsTotal / 2,
    `the loop runs compiled: ${before.insnsCompiled} of ${before.insnsTotal}`);
  assert.deepEqual(state(jit.dbg), state(ref.dbg), 'the same state after 20 frames');

  for (const m of [jit, ref]) m.dbg.addBreakpoint({ pc: ADD_A_E });
  const stops = [jit, ref].map((m) => m.dbg.continue({ maxFrames: 2 }));
  assert.equal(stops[0].pc, ADD_A_E);
  assert.deepEqual(stops[0], stops[1]);
  assert.deepEqual(state(jit.dbg), state(ref.dbg), 'the break: same registers, T-state, frame');

  // again and again: each pass of the loop breaks (compiled code never runs over it)
  for (let i = 0; i < 50; i++) {
    const a = jit.dbg.continue({ maxFrames: 2 });
    ref.dbg.continue({ maxFrames: 2 });
    assert.equal(a.pc, ADD_A_E);
  }
  assert.deepEqual(state(jit.dbg), state(ref.dbg), 'after 50 more breaks');
  for (let i = 0; i < 20; i++) for (const m of [jit, ref]) m.dbg.step();
  assert.deepEqual(state(jit.dbg), state(ref.dbg), 'after 20 steps');

  // a poke into compiled code: the code built over it is dropped
  for (const m of [jit, ref]) {
    m.dbg.clearBreakpoints();
    m.dbg.poke(XOR_OPERAND, 0xaa);
    m.zx.runFrames(10);
  }
  assert.deepEqual(state(jit.dbg), state(ref.dbg), 'after a poke into compiled code and 10 frames');
  assert.deepEqual(jit.dbg.peek(0x9000, 256), ref.dbg.peek(0x9000, 256));
  const after = jit.zx.core.stats().jit;
  assert.ok(after.insnsCompiled - before.insnsCompiled > (after.insnsTotal - before.insnsTotal) / 2,
    'without breakpoints the loop runs compiled again');

  // a breakpoint in the subroutine, reached through the CALL from compiled code
  for (const m of [jit, ref]) m.dbg.addBreakpoint({ pc: SUB });
  const sub = [jit, ref].map((m) => m.dbg.continue({ maxFrames: 2 }));
  assert.equal(sub[0].pc, SUB);
  assert.deepEqual(state(jit.dbg), state(ref.dbg));
  for (const m of [jit, ref]) m.zx.destroy();
});

test('with the dynarec: watchpoints (run interpreted) report the same access', async () => {
  const jit = await machineRunningLoop({ jit: true });
  const ref = await machineRunningLoop({ jit: false });
  for (const m of [jit, ref]) {
    m.zx.runFrames(10);
    m.dbg.addBreakpoint({ write: 0x9042 });
  }
  const stops = [jit, ref].map((m) => m.dbg.continue({ maxFrames: 3 }));
  assert.equal(stops[0].reason, 'watch');
  assert.equal(stops[0].address, 0x9042);
  assert.deepEqual(stops[0], stops[1]);
  assert.deepEqual(state(jit.dbg), state(ref.dbg));
  for (const m of [jit, ref]) m.zx.destroy();
});

test('CLI --break: stops, prints the registers and the code at PC', () => {
  const r = spawnSync(process.execPath, [cli, '--break', '0x0038', '--frames', '100'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /break: breakpoint 1 at 0038; frame \d+ /);
  assert.match(r.stdout, /PC=0038/);
  assert.match(r.stdout, /> 0038 /);
  const bad = spawnSync(process.execPath, [cli, '--break', 'zz'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--break: expected an address/);
});

// 128K paging: the same address in two RAM banks. The loop pages bank 1
// and bank 3 in turn at C000 and calls each: bank 1's routine does INC D,
// bank 3's INC E. A breakpoint on C000 in bank 3 stops only there.
//   8000 DI / LD SP,$7F00 / LD BC,$7FFD / LD DE,0
//   800A loop: LD A,1 / OUT (C),A / CALL $C000 / LD A,3 / OUT (C),A / CALL $C000 / JR loop
const PAGING_PROGRAM = [
  0xf3, 0x31, 0x00, 0x7f, 0x01, 0xfd, 0x7f, 0x11, 0x00, 0x00,
  0x3e, 0x01, 0xed, 0x79, 0xcd, 0x00, 0xc0, 0x3e, 0x03, 0xed, 0x79, 0xcd, 0x00, 0xc0, 0x18, 0xf0,
];

async function pagingMachine({ jit }) {
  const zx = await createHeadless({ machine: '128k', jit });
  zx.boot();
  const { module: m, ptr } = zx.core;
  m.HEAPU8.set([0x14, 0xc9], m._zxw_bank(ptr, 1)); // INC D / RET
  m.HEAPU8.set([0x1c, 0xc9], m._zxw_bank(ptr, 3)); // INC E / RET
  zx.debug.poke(0x8000, PAGING_PROGRAM);
  zx.debug.setRegisters({ PC: 0x8000 });
  return zx;
}

test('128K: a breakpoint on one bank\'s C000 stops only while that bank is paged in (interpreter and dynarec agree)', async () => {
  const machines = [await pagingMachine({ jit: true }), await pagingMachine({ jit: false })];
  for (const zx of machines) zx.runFrames(20);
  const js = machines[0].core.stats().jit;
  assert.ok(js.insnsCompiled > js.insnsTotal / 2, 'the loop runs compiled');
  for (const zx of machines) zx.debug.addBreakpoint({ pc: 0xc000, bank: 3 });
  for (let i = 0; i < 4; i++) {
    const stops = machines.map((zx) => zx.debug.continue({ maxFrames: 2 }));
    assert.equal(stops[0].pc, 0xc000);
    assert.equal(machines[0].debug.paging()[3], '3', 'bank 3 is at C000');
    const r = machines[0].debug.registers();
    assert.equal(r.D, (r.E + 1) & 0xff, 'bank 1\'s routine has run once more than bank 3\'s');
    assert.deepEqual(state(machines[0].debug), state(machines[1].debug));
  }
  for (const zx of machines) zx.destroy();
});
