/*
 * zxt_banked.c: a banked Z80 machine as exports for JavaScript (the Wasm
 * test build), for the dynarec's bank-switching test
 * (tests/node/jit-paging.test.mjs). Eight 16K RAM banks in one block (the
 * machine's physical memory, described to the dynarec through
 * z80_t.mem_phys); slot 0 holds bank 3, slot 1 bank 5, slot 2 bank 2, and
 * slot 3 the bank last written to port 0xFD (bank 0 at reset), so bank 5
 * can be seen at 0x4000 and at 0xC000 at once, as on a 128K Spectrum.
 * Uncontended, no interrupts.
 *
 * JS usage:
 *     zxt_banked_reset(mode)            power on, RAM zeroed; -1: no such mode
 *     zxt_banked_load(addr, ptr, len)   copy bytes in through the current mapping
 *     zxt_banked_set(ZXT_PC, 0x8000) ...  registers by index (zxt_regs.h)
 *     zxt_banked_run(tstates)           run about that many T-states
 *     zxt_banked_get(reg), zxt_banked_mem() (the 128K of banks), zxt_banked_tstates()
 */
#include <emscripten.h>
#include <string.h>

#include "cpu/z80/z80.h"
#include "zxt_modes.h"
#include "zxt_regs.h"

#define API EMSCRIPTEN_KEEPALIVE

enum { ZXT_BANK = 0x4000, ZXT_BANKS = 8, ZXT_BANK_PORT = 0xfd };

static uint8_t banks[ZXT_BANKS][ZXT_BANK];
static const uint8_t fixed_banks[3] = {3, 5, 2}; /* slots 0-2 */
static z80_t cpu;
static zxt_runner_t runner;
static double total_t;
static uint8_t slot3_bank;

static void _zxt_banked_page(uint8_t bank) {
    slot3_bank = bank & (ZXT_BANKS - 1);
    cpu.read_page[3] = cpu.write_page[3] = banks[slot3_bank];
}

static void _zxt_banked_out(void *user, uint16_t port, uint8_t value, uint32_t t) {
    (void)user;
    (void)t;
    if ((port & 0xff) == ZXT_BANK_PORT) _zxt_banked_page(value);
}

API int zxt_banked_reset(int mode) {
    if (!zxt_runner_for(mode, &runner)) return -1;
    memset(banks, 0, sizeof banks);
    z80_init(&cpu);
    for (int s = 0; s < 3; s++) cpu.read_page[s] = cpu.write_page[s] = banks[fixed_banks[s]];
    _zxt_banked_page(0);
    cpu.mem_phys = &banks[0][0];
    cpu.mem_phys_size = sizeof banks;
    cpu.port_out = _zxt_banked_out;
    total_t = 0;
    zxt_runner_flush(&runner);
    return 0;
}

API uint8_t *zxt_banked_mem(void) { return &banks[0][0]; }
API int zxt_banked_slot3(void) { return slot3_bank; }

API void zxt_banked_load(uint32_t addr, const uint8_t *src, uint32_t len) {
    for (uint32_t i = 0; i < len; i++) {
        uint16_t a = (uint16_t)(addr + i);
        cpu.write_page[a >> 14][a & 0x3fff] = src[i];
    }
    zxt_runner_flush(&runner);
}

/* Runs for at least `tstates` T-states; returns those run (zxt_runner_run). */
API uint32_t zxt_banked_run(uint32_t tstates) { return zxt_runner_run(&runner, &cpu, tstates, &total_t); }

API double zxt_banked_tstates(void) { return total_t; }
API double zxt_banked_instructions(void) { return (double)cpu.instructions; }
API uint32_t zxt_banked_get(int reg) { return zxt_reg_get(&cpu, reg); }
API void zxt_banked_set(int reg, uint32_t v) { zxt_reg_set(&cpu, reg, v); }
