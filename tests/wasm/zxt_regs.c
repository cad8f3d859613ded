/*
 * zxt_regs.c: Z80 registers by index (zxt_regs.h).
 */
#include "zxt_regs.h"

uint32_t zxt_reg_get(const z80_t *cpu, int reg) {
    switch (reg) {
    case ZXT_AF: return cpu->af.w;   case ZXT_BC: return cpu->bc.w;
    case ZXT_DE: return cpu->de.w;   case ZXT_HL: return cpu->hl.w;
    case ZXT_AF_: return cpu->af_.w; case ZXT_BC_: return cpu->bc_.w;
    case ZXT_DE_: return cpu->de_.w; case ZXT_HL_: return cpu->hl_.w;
    case ZXT_IX: return cpu->ix.w;   case ZXT_IY: return cpu->iy.w;
    case ZXT_SP: return cpu->sp;     case ZXT_PC: return cpu->pc;
    case ZXT_WZ: return cpu->wz;     case ZXT_I: return cpu->i;
    case ZXT_R: return cpu->r;       case ZXT_IFF1: return cpu->iff1;
    case ZXT_IFF2: return cpu->iff2; case ZXT_IM: return cpu->im;
    case ZXT_HALTED: return cpu->halted;
    default: return 0;
    }
}

void zxt_reg_set(z80_t *cpu, int reg, uint32_t v) {
    uint16_t w = (uint16_t)v;
    uint8_t b = (uint8_t)v;
    switch (reg) {
    case ZXT_AF: cpu->af.w = w; break;   case ZXT_BC: cpu->bc.w = w; break;
    case ZXT_DE: cpu->de.w = w; break;   case ZXT_HL: cpu->hl.w = w; break;
    case ZXT_AF_: cpu->af_.w = w; break; case ZXT_BC_: cpu->bc_.w = w; break;
    case ZXT_DE_: cpu->de_.w = w; break; case ZXT_HL_: cpu->hl_.w = w; break;
    case ZXT_IX: cpu->ix.w = w; break;   case ZXT_IY: cpu->iy.w = w; break;
    case ZXT_SP: cpu->sp = w; break;     case ZXT_PC: cpu->pc = w; break;
    case ZXT_WZ: cpu->wz = w; break;     case ZXT_I: cpu->i = b; break;
    case ZXT_R: cpu->r = b; break;       case ZXT_IFF1: cpu->iff1 = b; break;
    case ZXT_IFF2: cpu->iff2 = b; break; case ZXT_IM: cpu->im = b; break;
    case ZXT_HALTED: cpu->halted = b; break;
    default: break;
    }
}
