/*
 * zxt_flat.c: a flat 64K RAM, uncontended Z80 machine as exports for
 * JavaScript (the Wasm test build), for benchmarks and for tests that run a
 * program and inspect the result. It mirrors bench/bench_z80.c's machine so
 * native and Wasm figures are comparable. No ports (reads 0xFF), no
 * interrupts (/INT never asserted).
 *
 * JS usage (tests/node/zxtest-helpers.mjs wraps this):
 *     zxt_flat_reset(contended, mode)       power on, RAM zeroed; -1: no such mode
 *     zxt_flat_load(addr, ptr, len)         copy bytes in (wrapping at 64K)
 *     zxt_flat_set(ZXT_PC, 0x8000) ...      registers by index (list below)
 *     zxt_flat_run(tstates)                 run about that many T-states
 *     zxt_flat_get(reg), zxt_flat_mem()     read back
 * Keep each zxt_flat_run call short (a frame to a few ms): V8 tiers up a
 * Wasm function only on a later call, never in the middle of a long one.
 */
#include <emscripten.h>
#include <string.h>

#include "cpu/z80/z80.h"
#include "zxt_modes.h"

#define API EMSCRIPTEN_KEEPALIVE

/* Register indices for zxt_flat_get/set, in the order of a FUSE state dump. */
enum {
    ZXT_AF, ZXT_BC, ZXT_DE, ZXT_HL, ZXT_AF_, ZXT_BC_, ZXT_DE_, ZXT_HL_, ZXT_IX, ZXT_IY, ZXT_SP,
    ZXT_PC, ZXT_WZ, ZXT_I, ZXT_R, ZXT_IFF1, ZXT_IFF2, ZXT_IM, ZXT_HALTED, ZXT_NREGS
};

static uint8_t mem[0x10000];
/* A zero-delay contention table, as bench_z80.c uses to time the checked
 * (contended) access path without changing the results. */
static uint8_t zero_contention[70000];
static z80_t cpu;
static zxt_runner_t runner;
static double total_t; /* T-states run since reset; a double is exact to 2^53 */

API int zxt_flat_reset(int contended, int mode) {
    if (!zxt_runner_for(mode, &runner)) return -1;
    memset(mem, 0, sizeof mem);
    z80_init(&cpu);
    for (int p = 0; p < 4; p++) cpu.read_page[p] = cpu.write_page[p] = mem + p * 0x4000;
    if (contended) {
        cpu.contention = zero_contention;
        cpu.contention_len = sizeof zero_contention;
        cpu.contended_pages = 1u << 1;
    }
    total_t = 0;
    zxt_runner_flush(&runner);
    return 0;
}

/* The 64K RAM, for reading results. Writing through it bypasses the
 * dynarec's invalidation: load code with zxt_flat_load. */
API uint8_t *zxt_flat_mem(void) { return mem; }

API void zxt_flat_load(uint32_t addr, const uint8_t *src, uint32_t len) {
    for (uint32_t i = 0; i < len; i++) mem[(addr + i) & 0xffff] = src[i];
    zxt_runner_flush(&runner);
}

/* Runs whole instructions for at least `tstates` T-states (the last one may
 * overrun) and returns the T-states actually run. The counter restarts at 0
 * each call so it never wraps, however long a benchmark runs. */
API uint32_t zxt_flat_run(uint32_t tstates) {
    if (!runner.run) return 0; /* not reset yet: no memory wired */
    cpu.tstates = 0;
    runner.run(runner.ctx, &cpu, tstates);
    total_t += cpu.tstates;
    return cpu.tstates;
}

API double zxt_flat_tstates(void) { return total_t; }
API double zxt_flat_instructions(void) { return (double)cpu.instructions; }

API uint32_t zxt_flat_get(int reg) {
    switch (reg) {
    case ZXT_AF: return cpu.af.w;   case ZXT_BC: return cpu.bc.w;
    case ZXT_DE: return cpu.de.w;   case ZXT_HL: return cpu.hl.w;
    case ZXT_AF_: return cpu.af_.w; case ZXT_BC_: return cpu.bc_.w;
    case ZXT_DE_: return cpu.de_.w; case ZXT_HL_: return cpu.hl_.w;
    case ZXT_IX: return cpu.ix.w;   case ZXT_IY: return cpu.iy.w;
    case ZXT_SP: return cpu.sp;     case ZXT_PC: return cpu.pc;
    case ZXT_WZ: return cpu.wz;     case ZXT_I: return cpu.i;
    case ZXT_R: return cpu.r;       case ZXT_IFF1: return cpu.iff1;
    case ZXT_IFF2: return cpu.iff2; case ZXT_IM: return cpu.im;
    case ZXT_HALTED: return cpu.halted;
    default: return 0;
    }
}

API void zxt_flat_set(int reg, uint32_t v) {
    uint16_t w = (uint16_t)v;
    uint8_t b = (uint8_t)v;
    switch (reg) {
    case ZXT_AF: cpu.af.w = w; break;   case ZXT_BC: cpu.bc.w = w; break;
    case ZXT_DE: cpu.de.w = w; break;   case ZXT_HL: cpu.hl.w = w; break;
    case ZXT_AF_: cpu.af_.w = w; break; case ZXT_BC_: cpu.bc_.w = w; break;
    case ZXT_DE_: cpu.de_.w = w; break; case ZXT_HL_: cpu.hl_.w = w; break;
    case ZXT_IX: cpu.ix.w = w; break;   case ZXT_IY: cpu.iy.w = w; break;
    case ZXT_SP: cpu.sp = w; break;     case ZXT_PC: cpu.pc = w; break;
    case ZXT_WZ: cpu.wz = w; break;     case ZXT_I: cpu.i = b; break;
    case ZXT_R: cpu.r = b; break;       case ZXT_IFF1: cpu.iff1 = b; break;
    case ZXT_IFF2: cpu.iff2 = b; break; case ZXT_IM: cpu.im = b; break;
    case ZXT_HALTED: cpu.halted = b; break;
    default: break;
    }
}
