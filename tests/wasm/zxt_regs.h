/*
 * zxt_regs.h: Z80 registers by index, for the test build's machines
 * (zxt_flat.c, zxt_banked.c) whose exports read and set them from JS
 * (FLAT_REGS in tests/node/zxtest-helpers.mjs lists the same order).
 */
#ifndef ZXT_REGS_H
#define ZXT_REGS_H

#include <stdint.h>

#include "cpu/z80/z80.h"

/* In the order of a FUSE state dump. */
enum {
    ZXT_AF, ZXT_BC, ZXT_DE, ZXT_HL, ZXT_AF_, ZXT_BC_, ZXT_DE_, ZXT_HL_, ZXT_IX, ZXT_IY, ZXT_SP,
    ZXT_PC, ZXT_WZ, ZXT_I, ZXT_R, ZXT_IFF1, ZXT_IFF2, ZXT_IM, ZXT_HALTED, ZXT_NREGS
};

uint32_t zxt_reg_get(const z80_t *cpu, int reg);
void zxt_reg_set(z80_t *cpu, int reg, uint32_t v);

#endif
