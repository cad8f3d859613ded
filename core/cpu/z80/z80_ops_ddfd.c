/*
 * z80_ops_ddfd.c: DD/FD-prefixed opcodes (IX/IY, their undocumented
 * halves IXH/IXL/IYH/IYL, and (IX+d) operands), and the DD CB / FD CB
 * entry. Only opcodes that involve H, L or (HL) are affected by the prefix
 * (FUSE opcodes_ddfd.dat); the rest run as unprefixed opcodes, having
 * spent 4 T and one R increment on the prefix.
 *
 * Timing (FUSE z80.pl): (IX+d) operand = read d, then 5 internal T at the
 * address of d: LD r,(IX+d) 19 T, INC (IX+d) 23 T; LD (IX+d),n reads n,
 * then 2 internal T: 19 T. DD CB d op: d and op are plain 3 T reads (op
 * is not an M1: R counts only the two prefixes), then 2 internal T at
 * op's address.
 */
#include "cpu/z80/z80_internal.h"

#define XY (xy->w)
#define XH (xy->b.h)
#define XL (xy->b.l)

/* (IX+d): read d and spend 5 internal T at its address; sets WZ. */
static inline uint16_t index_addr(z80_t *c, z80_pair_t *xy) {
    int8_t d = (int8_t)z80i_read(c, PC);
    z80i_idle(c, PC, 5);
    PC++;
    WZ = (uint16_t)(XY + d);
    return WZ;
}

#define RMW_XY(fn)                                        \
    do {                                                  \
        uint16_t a_ = index_addr(c, xy);                  \
        uint8_t v_ = z80i_read(c, a_);                    \
        z80i_idle(c, a_, 1);                              \
        z80i_write(c, a_, fn(c, v_));                     \
    } while (0)

/* Rows of LD r,r' where H/L mean the index halves, except in the
 * (IX+d) forms where they are the real H and L. */
#define LDX_ROW(base, dst)                                                  \
    case base + 4: dst = XH; break;                                         \
    case base + 5: dst = XL; break;                                         \
    case base + 6: { uint16_t a_ = index_addr(c, xy);                       \
                     dst##_REAL = z80i_read(c, a_); break; }

#define ALUX_ROW(base, k)                                                   \
    case base + 4: z80i_alu(c, k, XH); break;                               \
    case base + 5: z80i_alu(c, k, XL); break;                               \
    case base + 6: { uint16_t a_ = index_addr(c, xy);                       \
                     z80i_alu(c, k, z80i_read(c, a_)); break; }

/* Destination names for the (IX+d) loads: always the real register. */
#define B_REAL B
#define C_REAL C
#define D_REAL D
#define E_REAL E
#define A_REAL A
#define XH_REAL H
#define XL_REAL L

int z80i_exec_ddfd(z80_t *c, z80_pair_t *xy, uint8_t op) {
    switch (op) {
    case 0x09: z80i_idle(c, IR, 7); XY = z80i_add16(c, XY, BC); break;
    case 0x19: z80i_idle(c, IR, 7); XY = z80i_add16(c, XY, DE); break;
    case 0x29: z80i_idle(c, IR, 7); XY = z80i_add16(c, XY, XY); break;
    case 0x39: z80i_idle(c, IR, 7); XY = z80i_add16(c, XY, SP); break;
    case 0x21: XY = z80i_imm16(c); break;
    case 0x22: { uint16_t a = z80i_imm16(c); z80i_write(c, a, XL); WZ = (uint16_t)(a + 1); z80i_write(c, WZ, XH); break; }
    case 0x2a: { uint16_t a = z80i_imm16(c); XL = z80i_read(c, a); WZ = (uint16_t)(a + 1); XH = z80i_read(c, WZ); break; }
    case 0x23: z80i_idle(c, IR, 2); XY++; break;
    case 0x2b: z80i_idle(c, IR, 2); XY--; break;
    case 0x24: XH = z80i_inc8(c, XH); break;
    case 0x25: XH = z80i_dec8(c, XH); break;
    case 0x2c: XL = z80i_inc8(c, XL); break;
    case 0x2d: XL = z80i_dec8(c, XL); break;
    case 0x26: XH = z80i_imm8(c); break;
    case 0x2e: XL = z80i_imm8(c); break;
    case 0x34: RMW_XY(z80i_inc8); break;
    case 0x35: RMW_XY(z80i_dec8); break;
    case 0x36: {
        int8_t d = (int8_t)z80i_read(c, PC++);
        uint8_t n = z80i_read(c, PC);
        z80i_idle(c, PC, 2);
        PC++;
        WZ = (uint16_t)(XY + d);
        z80i_write(c, WZ, n);
        break;
    }
    LDX_ROW(0x40, B)
    LDX_ROW(0x48, C)
    LDX_ROW(0x50, D)
    LDX_ROW(0x58, E)
    case 0x60: XH = B; break;
    case 0x61: XH = C; break;
    case 0x62: XH = D; break;
    case 0x63: XH = E; break;
    LDX_ROW(0x60, XH)
    case 0x67: XH = A; break;
    case 0x68: XL = B; break;
    case 0x69: XL = C; break;
    case 0x6a: XL = D; break;
    case 0x6b: XL = E; break;
    LDX_ROW(0x68, XL)
    case 0x6f: XL = A; break;
    case 0x70: case 0x71: case 0x72: case 0x73:
    case 0x74: case 0x75: case 0x77: {
        /* LD (IX+d),r: r is the real register (H and L included) */
        uint16_t a = index_addr(c, xy);
        uint8_t v;
        switch (op & 7) {
        case 0: v = B; break;
        case 1: v = C; break;
        case 2: v = D; break;
        case 3: v = E; break;
        case 4: v = H; break;
        case 5: v = L; break;
        default: v = A; break;
        }
        z80i_write(c, a, v);
        break;
    }
    LDX_ROW(0x78, A)
    ALUX_ROW(0x80, 0)
    ALUX_ROW(0x88, 1)
    ALUX_ROW(0x90, 2)
    ALUX_ROW(0x98, 3)
    ALUX_ROW(0xa0, 4)
    ALUX_ROW(0xa8, 5)
    ALUX_ROW(0xb0, 6)
    ALUX_ROW(0xb8, 7)
    case 0xcb: {
        int8_t d = (int8_t)z80i_read(c, PC);
        WZ = (uint16_t)(XY + d);
        PC++;
        uint8_t op3 = z80i_read(c, PC);
        z80i_idle(c, PC, 2);
        PC++;
        z80i_exec_ddfdcb(c, WZ, op3);
        break;
    }
    case 0xe1: XY = z80i_pop(c); break;
    case 0xe3: {
        uint8_t lo = z80i_read(c, SP), hi = z80i_read(c, (uint16_t)(SP + 1));
        z80i_idle(c, (uint16_t)(SP + 1), 1);
        z80i_write(c, (uint16_t)(SP + 1), XH);
        z80i_write(c, SP, XL);
        z80i_idle(c, SP, 2);
        WZ = XY = (uint16_t)(lo | (hi << 8));
        break;
    }
    case 0xe5: z80i_idle(c, IR, 1); z80i_push(c, XY); break;
    case 0xe9: PC = XY; break;
    case 0xf9: z80i_idle(c, IR, 2); SP = XY; break;
    default: return 0;
    }
    return 1;
}
