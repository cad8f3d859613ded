// The JIT inspector's API (web/jit-inspect.mjs over core/jit/jit_inspect.c)
// on the headless 48K machine with the dynarec: a guest loop's function is
// listed with its entry, span, runs and exits; its Wasm text (printed from
// the module the compiler made, web/wasm-text.mjs) has the loop's
// operations; the 64K map shows it compiled and hot; a program that
// patches its own code has its invalidations counted where they happened.
// The Wasm printer is checked against wabt's wasm2wat on the same modules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHeadless } from '../../web/node/headless.mjs';
import { printModule, opcodeCounts } from '../../web/wasm-text.mjs';
import { COVER } from '../../web/jit-inspect.mjs';

// 8000 DI; LD HL,9000h
// 8004 LD B,n          (n at 8005: the SMC program patches it)
// 8006 loop: LD A,(HL); ADD A,B; LD (HL),A; INC L; DJNZ loop
// then: JR 8004 (plain), or LD A,(8005h); INC A; LD (8005h),A; JR 8004 (SMC)
const LOOP = [0xf3, 0x21, 0x00, 0x90, 0x06, 0x00, 0x7e, 0x80, 0x77, 0x2c, 0x10, 0xfa, 0x18, 0xf6];
const SMC = [0xf3, 0x21, 0x00, 0x90, 0x06, 0x00, 0x7e, 0x80, 0x77, 0x2c, 0x10, 0xfa,
  0x3a, 0x05, 0x80, 0x3c, 0x32, 0x05, 0x80, 0x18, 0xef];

async function running(code, frames = 20) {
  const zx = await createHeadless({ jit: true });
  zx.boot();
  code.forEach((b, i) => zx.core.poke(0x8000 + i, b));
  zx.type('RANDOMIZE USR 32768\n', { settleFrames: 0 });
  zx.runFrames(frames);
  assert.equal(zx.core.pc >= 0x8000 && zx.core.pc < 0x8000 + code.length, true, `pc ${zx.core.pc.toString(16)} is not in the loop`);
  return zx;
}

function loopFunction(zx) {
  const list = zx.jit.functions({ filter: '8006' });
  const f = list.find((g) => g.pc === 0x8006) ?? list[0];
  assert.ok(f, `no function covers 8006: ${JSON.stringify(zx.jit.functions().map((g) => [g.pc, g.lo, g.hi, g.state]))}`);
  return f;
}

test('a guest loop: its function is listed, with its span, runs and exits, and its Wasm has the loop\'s operations', async () => {
  const zx = await running(LOOP);
  const all = zx.jit.functions();
  assert.ok(all.length > 0);
  // the ROM's functions are there too, named by where they live
  assert.ok(all.some((f) => f.where.startsWith('ROM 0')), JSON.stringify(all.slice(0, 3)));
  const f = loopFunction(zx);
  assert.equal(f.state, 'compiled');
  assert.equal(f.visible, true);
  assert.ok(f.lo <= 0x8006 && f.hi >= 0x800b, `span ${f.lo.toString(16)}-${f.hi.toString(16)}`);
  assert.equal(f.where, 'bank 2 $0006', f.where); // 8000h is RAM bank 2 on the 48K
  assert.ok(f.runs >= 10, `runs ${f.runs}`); // it loops inside itself until each frame's deadline
  assert.ok(f.bytes > 0 && f.compileMs > 0 && f.request > 0 && f.compiles === 1, JSON.stringify(f));
  const exits = f.exits.normal + f.exits.deadline + f.exits.smc + f.exits.paged;
  // each run ends in one exit, counted on the function it left from (with
  // chaining, a run that went on into another function leaves from that one)
  assert.ok(exits > 0 && exits <= f.runs, JSON.stringify(f));
  assert.ok(f.exits.deadline > 0, 'a loop that runs across frames leaves at deadlines');

  // runs keep counting while it runs
  zx.runFrames(5);
  const again = zx.jit.functions({ filter: '8006' }).find((g) => g.id === f.id);
  assert.ok(again.runs > f.runs, `${again.runs} <= ${f.runs}`);

  const d = zx.jit.function(f.id);
  // guest code: disassembled from the bytes it was built from
  const text = d.guest.map((i) => `${i.addr.toString(16)} ${i.text}`);
  for (const want of ['8006 LD A,(HL)', '8007 ADD A,B', '8008 LD (HL),A', '8009 INC L', '800a DJNZ $8006']) {
    assert.ok(text.includes(want), `${want} missing from\n${text.join('\n')}`);
  }
  // Wasm: the function as text, with the guest's work in it
  assert.ok(d.wasm.startsWith('(func'), d.wasm.slice(0, 200));
  const ops = opcodeCounts(d.wasm);
  for (const op of ['loop', 'i32.load8_u', 'i32.add', 'br']) {
    assert.ok(ops.get(op) > 0, `${op} missing from the Wasm text:\n${d.wasm}`);
  }
  // LD (HL),A: HL's page is not known when compiling and the machine's
  // screen page is hooked, so the store calls the module's store helper
  // (wasm-backend/z80/wb_z80_emit.c wb_store_helper) instead of i32.store8
  assert.ok(ops.get('i32.store8') > 0 || ops.get('call') > 0, `no store in the Wasm text:\n${d.wasm}`);
  assert.ok(d.module.functions >= 1 && d.module.bytes > 0);
  assert.ok(d.ranges.length >= 1 && d.ranges[0][0] <= 0x8006);

  // sorting and filtering
  const byBytes = zx.jit.functions({ sort: 'bytes' });
  for (let i = 1; i < byBytes.length; i++) assert.ok(byBytes[i - 1].bytes >= byBytes[i].bytes);
  assert.ok(zx.jit.functions({ filter: 'ROM' }).every((g) => g.where.startsWith('ROM')));
  assert.throws(() => zx.jit.functions({ sort: 'colour' }), /sort by one of/);
  assert.throws(() => zx.jit.function(999999), /no entry/);
  zx.destroy();
});

// 8000 DI; LD A,0; 8003 loop: OUT (FEh),A; INC A; JR loop
const OUT = [0xf3, 0x3e, 0x00, 0xd3, 0xfe, 0x3c, 0x18, 0xfb];

test('a call into the core (through the table at a constant slot) is named in the Wasm text', async () => {
  const zx = await running(OUT);
  const f = zx.jit.functions({ filter: '8003' }).find((g) => g.lo <= 0x8003 && g.hi >= 0x8006);
  assert.ok(f, JSON.stringify(zx.jit.functions().map((g) => [g.pc, g.lo, g.hi, g.state])));
  const d = zx.jit.function(f.id);
  // OUT goes through the core's port path (core/jit/z80/jit_exports.c)
  assert.match(d.wasm, /i32\.const \d+\n\s*call_indirect \(type \d+\) \(;jit_port_out;\)/, d.wasm);
  assert.ok(!/\(;jit_(mem_read|smc);\)/.test(d.wasm), 'no other core call in this loop');
  zx.destroy();
});

test('the 64K map: the loop compiled and hot, ROM code compiled, nothing where no code ran', async () => {
  const zx = await running(LOOP);
  const { heat, cover, inval } = zx.jit.map();
  assert.equal(heat.length, 65536);
  for (let a = 0x8006; a <= 0x800b; a++) assert.equal(cover[a], COVER.COMPILED, `cover at ${a.toString(16)}`);
  const f = loopFunction(zx);
  assert.ok(heat[0x8006] >= f.runs, `heat ${heat[0x8006]} < runs ${f.runs}`);
  assert.ok(heat[0x8008] > 0);
  assert.equal(cover[0xc000], COVER.NONE);
  assert.equal(heat[0xc000], 0);
  assert.ok(cover.subarray(0, 0x4000).some((c) => c === COVER.COMPILED), 'no ROM code compiled');
  assert.equal(inval.reduce((a, b) => a + b, 0), 0, 'nothing was invalidated');
  assert.equal(zx.jit.functionAt(0x8008).id, f.id);
  assert.equal(zx.jit.functionAt(0xc000), null);
  zx.destroy();
});

test('self-modifying code: invalidations counted per function and on the map where the store hit', async () => {
  const zx = await running(SMC, 30);
  const { inval, cover } = zx.jit.map();
  assert.ok(inval[0x8005] > 0, 'the patched operand byte shows no invalidations');
  // every store lands on 8005, only there
  assert.equal(inval.reduce((a, b) => a + b, 0), inval[0x8005]);
  const list = zx.jit.functions({ filter: '8005', states: ['compiled', 'load-form', 'invalidated', 'queued', 'backing-off', 'given-up', 'uncompilable'] });
  const hit = list.filter((f) => f.invalidations > 0 || f.operandChanges > 0);
  assert.ok(hit.length > 0, JSON.stringify(list));
  // after two operand changes the spot is compiled in the load form
  assert.ok(list.some((f) => f.state === 'load-form' || f.loadForm), JSON.stringify(list));
  assert.ok(cover[0x8006] !== COVER.NONE);
  const s = zx.core.stats().jit;
  assert.ok(s.invalidations >= hit.reduce((n, f) => n + f.invalidations, 0));
  zx.destroy();
});

test('lockstep through the inspector: on, checked runs, no divergences; off again', async () => {
  const zx = await running(LOOP, 5);
  assert.equal(zx.jit.lockstep, false);
  zx.jit.lockstep = true;
  assert.equal(zx.jit.lockstep, true);
  zx.runFrames(3);
  const r = zx.jit.lockstepReports();
  assert.ok(r.checks > 0, JSON.stringify(r));
  assert.equal(r.divergences, 0, JSON.stringify(r.reports));
  zx.jit.lockstep = false;
  assert.equal(zx.jit.lockstep, false);
  zx.destroy();
});

test('time per function is measured only while the frame profile is on', async () => {
  const zx = await running(LOOP, 5);
  const before = loopFunction(zx);
  assert.equal(before.ms, 0);
  zx.core.profiling = true;
  zx.runFrames(5);
  const after = zx.jit.functions({ filter: '8006' }).find((g) => g.id === before.id);
  assert.ok(after.ms > 0, JSON.stringify(after));
  zx.destroy();
});

test('the Wasm printer matches wabt\'s wasm2wat on the modules the compiler made', async () => {
  const zx = await running(LOOP);
  const dir = mkdtempSync(path.join(tmpdir(), 'wasm-text-'));
  try {
    const seen = new Set();
    let checked = 0;
    for (const f of zx.jit.functions({ states: ['compiled', 'load-form'] })) {
      const bytes = zx.jit.moduleBytes(f.id);
      assert.ok(bytes, `compiled function ${f.id} has no module bytes`);
      const key = bytes.length + ':' + bytes.slice(-16).join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      const file = path.join(dir, `m${checked}.wasm`);
      writeFileSync(file, bytes);
      let ref;
      try {
        ref = execFileSync('wasm2wat', ['--enable-all', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
      } catch (e) {
        throw new Error(`wasm2wat (Debian package wabt) is needed for this test: ${e.message}`);
      }
      assert.equal(printModule(bytes, { names: false }), ref.trimEnd(), `module of function ${f.id} (pc ${f.pc.toString(16)})`);
      if (++checked >= 12) break;
    }
    assert.ok(checked >= 2, `only ${checked} modules checked`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    zx.destroy();
  }
});

test('a machine without the dynarec says so', async () => {
  const zx = await createHeadless({ jit: false });
  assert.throws(() => zx.jit, /without the dynarec/);
  zx.destroy();
});
