// The constants JS takes from the C headers (build/gen/zx-constants.mjs,
// written by tools/gen_constants.c, re-exported by web/zx-constants.mjs)
// against what the running core does with them: every key code pressed
// reads back on its half-row of port 0xFE, every joystick bit on port 0x1F,
// format numbers as zxw_detect_format returns them, zxw_create flags as the
// machine applies them, and sizes as the exports report them.
//
// The expectations are the hardware's documented layout (World of Spectrum
// "Ports": the keyboard's half-rows; the Kempston interface's bits), not
// another copy of the C tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore } from '../../web/node/load-core.mjs';
import { createHeadless } from '../../web/node/headless.mjs';
import { SpectrumCore } from '../../web/spectrum-core.mjs';
import { KEYS, JOY, FORMATS, CREATE_FLAGS, MACHINE } from '../../web/zx-constants.mjs';

const module = await loadCore({ jit: false });

// Half-rows in address-line order (A8 low selects the first), keys from bit 0.
const HALF_ROWS = [
  ['CAPS', 'Z', 'X', 'C', 'V'], ['A', 'S', 'D', 'F', 'G'], ['Q', 'W', 'E', 'R', 'T'], ['1', '2', '3', '4', '5'],
  ['0', '9', '8', '7', '6'], ['P', 'O', 'I', 'U', 'Y'], ['ENTER', 'L', 'K', 'J', 'H'], ['SPACE', 'SYMBOL', 'M', 'N', 'B'],
];
const KEMPSTON_BITS = { RIGHT: 0, LEFT: 1, DOWN: 2, UP: 3, FIRE: 4 };

// A 48K SNA running, with interrupts off, a loop that reads the eight
// half-rows (IN A,(C) with B = FE, FD, FB...) into 0x9000-0x9007 and the
// Kempston port (IN A,(0x1F)) into 0x9008.
const PORT_READER = [
  0xf3,             // di
  0x21, 0x00, 0x90, // top: ld hl,0x9000
  0x0e, 0xfe,       // ld c,0xfe
  0x06, 0xfe,       // ld b,0xfe
  0x16, 0x08,       // ld d,8
  0xed, 0x78,       // row: in a,(c)
  0x77,             // ld (hl),a
  0x23,             // inc hl
  0xcb, 0x00,       // rlc b
  0x15,             // dec d
  0x20, 0xf7,       // jr nz,row
  0xdb, 0x1f,       // in a,(0x1f)
  0x77,             // ld (hl),a
  0x18, 0xe9,       // jr top
];

function portReaderSnapshot() {
  const sna = new Uint8Array(27 + MACHINE.RAM_SIZE);
  const sp = 0xfe00;
  sna[23] = sp & 0xff; sna[24] = sp >> 8;
  sna[25] = 1; // IM 1 (IFF2 clear: interrupts off)
  sna.set(PORT_READER, 27 + 0x8000 - 0x4000);
  sna[27 + sp - 0x4000] = 0x00; sna[27 + sp + 1 - 0x4000] = 0x80; // PC = 0x8000, popped
  return sna;
}

function readPorts(core) {
  core.runFrame();
  return { rows: Array.from({ length: 8 }, (_, r) => core.peek(0x9000 + r) & 0x1f), kempston: core.peek(0x9008) };
}

test('every KEYS code presses its own key on the keyboard matrix, and only it', () => {
  assert.deepEqual(Object.keys(KEYS).sort(), HALF_ROWS.flat().sort(), 'KEYS names the 40 keys');
  const core = new SpectrumCore(module);
  core.load(portReaderSnapshot(), 'ports.sna');
  assert.deepEqual(readPorts(core).rows, Array(8).fill(0x1f), 'nothing pressed');
  HALF_ROWS.forEach((row, r) => row.forEach((name, bit) => {
    core.releaseAllKeys();
    core.keyDown(KEYS[name]);
    const want = Array(8).fill(0x1f);
    want[r] = 0x1f & ~(1 << bit);
    assert.deepEqual(readPorts(core).rows, want, `KEYS.${name} = ${KEYS[name]}`);
  }));
  core.destroy();
});

test('every JOY bit reads back on its Kempston line', () => {
  assert.deepEqual(Object.keys(JOY).sort(), Object.keys(KEMPSTON_BITS).sort());
  const core = new SpectrumCore(module);
  core.load(portReaderSnapshot(), 'ports.sna');
  for (const [name, bit] of Object.entries(KEMPSTON_BITS)) {
    core.joystick(JOY[name]);
    assert.equal(readPorts(core).kempston, 1 << bit, `JOY.${name} = ${JOY[name]}`);
  }
  core.joystick(0);
  assert.equal(readPorts(core).kempston, 0);
  core.destroy();
});

test('FORMATS is indexed as zxw_detect_format numbers the formats', () => {
  const detect = (name) => {
    const data = module._malloc(1);
    const hint = module._malloc(64);
    try {
      module.stringToUTF8(name, hint, 64);
      return module._zxw_detect_format(data, 1, hint);
    } finally {
      module._free(data);
      module._free(hint);
    }
  };
  assert.equal(FORMATS[0], 'unknown');
  assert.equal(detect('file.xyz'), 0);
  for (const [i, name] of FORMATS.entries()) if (i > 0) assert.equal(detect(`file.${name}`), i, name);
  assert.deepEqual([...FORMATS].sort(), ['sna', 'szx', 'tap', 'tzx', 'unknown', 'z80']);
});

test('MACHINE agrees with what the core reports and does', () => {
  const core = new SpectrumCore(module);
  assert.equal(MACHINE.FB_WIDTH, module._zxw_fb_width());
  assert.equal(MACHINE.FB_HEIGHT, module._zxw_fb_height());
  assert.equal(MACHINE.SNAPSHOT_MAX, module._zxw_snapshot_max());
  assert.equal(MACHINE.LINE_T * MACHINE.LINES, MACHINE.FRAME_T);
  core.runFrame();
  const t = core.tstates;
  core.runFrame();
  assert.ok(Math.abs(core.tstates - t - MACHINE.FRAME_T) < 24, `a frame took ${core.tstates - t} T`);
  const rate = core.sampleRate;
  for (let i = 0; i < 10; i++) core.runFrame();
  assert.ok(core.audio().length <= MACHINE.AUDIO_MAX);
  assert.equal(rate, 48000);
  const shortRom = module._malloc(MACHINE.ROM_SIZE);
  assert.equal(module._zxw_create(shortRom, MACHINE.ROM_SIZE - 1, 0, 0), 0, 'a ROM one byte short is refused');
  module._free(shortRom);
  assert.equal(module._zxw_create(0, 0, MACHINE.AUDIO_MAX * 50 + 1, 0), 0, 'a rate beyond AUDIO_MAX per frame is refused');
  core.destroy();
});

test('CREATE_FLAGS are the flags zxw_create applies', async () => {
  const make = (flags) => {
    const ptr = module._zxw_create(0, 0, 0, flags);
    assert.ok(ptr);
    return ptr;
  };
  const plain = make(0);
  const noTraps = make(CREATE_FLAGS.NO_TAPE_TRAPS);
  const jit = make(CREATE_FLAGS.JIT);
  assert.equal(module._zxw_tape_traps(plain), 1);
  assert.equal(module._zxw_tape_traps(noTraps), 0);
  assert.equal(module.UTF8ToString(module._zxw_jit_stats_json(plain)), 'null');
  assert.notEqual(module.UTF8ToString(module._zxw_jit_stats_json(jit)), 'null');
  for (const p of [plain, noTraps, jit]) module._zxw_destroy(p);

  // LOCKSTEP: compiled runs are checked against the interpreter (the port
  // reader's loop gets hot within a frame).
  const checks = async (lockstep) => {
    const zx = await createHeadless({ jit: true, lockstep });
    zx.load(portReaderSnapshot(), 'ports.sna');
    zx.runFrames(5);
    const s = zx.core.stats().jit;
    zx.destroy();
    assert.ok(s.insnsCompiled > 0, 'something ran compiled');
    return s.lockstepChecks;
  };
  assert.ok(await checks(true) > 0, 'lockstep checks with LOCKSTEP');
  assert.equal(await checks(false), 0, 'no lockstep checks without');
});
