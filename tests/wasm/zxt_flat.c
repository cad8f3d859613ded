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
 *     zxt_flat_set(ZXT_PC, 0x8000) ...      registers by index (zxt_regs.h)
 *     zxt_flat_run(tstates)                 run about that many T-states
 *     zxt_flat_get(reg), zxt_flat_mem()     read back
 * Keep each zxt_flat_run call short (a frame to a few ms): V8 tiers up a
 * Wasm function only on a later call, never in the middle of a long one.
 */
#include <emscripten.h>
#include <string.h>

#include "cpu/z80/z80.h"
#include "zxt_modes.h"
#include "zxt_regs.h"

#define API EMSCRIPTEN_KEEPALIVE

static uint8_t mem[0x10000];
/* A zero-delay contention table, as bench_z80.c uses to time the checked
 * (contended) access path without changing the results. */
static uint8_t zero_contention[70000 + Z80_CONTENTION_PAD];
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
        cpu.contention_len = sizeof zero_contention - Z80_CONTENTION_PAD;
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

/* Runs for at least `tstates` T-states; returns those run (zxt_runner_run). */
API uint32_t zxt_flat_run(uint32_t tstates) { return zxt_runner_run(&runner, &cpu, tstates, &total_t); }

API double zxt_flat_tstates(void) { return total_t; }
API double zxt_flat_instructions(void) { return (double)cpu.instructions; }

API uint32_t zxt_flat_get(int reg) { return zxt_reg_get(&cpu, reg); }
API void zxt_flat_set(int reg, uint32_t v) { zxt_reg_set(&cpu, reg, v); }
