/*
 * z80_ops_base.c: the unprefixed opcodes, and the prefix dispatch.
 *
 * Timings and the order of bus events follow FUSE 1.6.0 (z80/z80.pl,
 * opcodes_base.dat): e.g. INC rr = M1 + 2 internal T at IR; ADD HL,rr = M1
 * + 7 internal T at IR; JR taken = read + 5 internal T at the offset's
 * address. T-state totals agree with Sean Young's "The Undocumented Z80
 * Documented" and Zilog's UM0080 tables.
 */
#include "cpu/z80/z80_internal.h"

/* Condition codes by opcode bits 5..3: NZ Z NC C PO PE P M. */
static inline int cond(const z80_t *c, unsigned cc) {
    uint8_t f = c->af.b.l;
    switch (cc & 7) {
    case 0: return !(f & Z80_ZF);
    case 1: return (f & Z80_ZF) != 0;
    case 2: return !(f & Z80_CF);
    case 3: return (f & Z80_CF) != 0;
    case 4: return !(f & Z80_PF);
    case 5: return (f & Z80_PF) != 0;
    case 6: return !(f & Z80_SF);
    default: return (f & Z80_SF) != 0;
    }
}

/* JR/DJNZ taken: offset read, then 5 internal T at its address. */
static inline void jr_taken(z80_t *c) {
    int8_t d = (int8_t)z80i_read(c, PC);
    z80i_idle(c, PC, 5);
    PC = (uint16_t)(PC + 1 + d);
    WZ = PC;
}

/* JR not taken: the offset's read cycle happens but its data is unused. */
static inline void jr_skip(z80_t *c) {
    z80i_contend_only(c, PC, 3);
    PC++;
}

static inline void jp_cc(z80_t *c, int taken) {
    uint8_t lo = z80i_read(c, PC++);
    WZ = (uint16_t)(lo | (z80i_read(c, PC) << 8));
    PC = taken ? WZ : (uint16_t)(PC + 1);
}

static inline void call_cc(z80_t *c, int taken) {
    uint8_t lo = z80i_read(c, PC++);
    WZ = (uint16_t)(lo | (z80i_read(c, PC) << 8));
    if (taken) {
        z80i_idle(c, PC, 1);
        PC++;
        z80i_push(c, PC);
        PC = WZ;
    } else {
        PC++;
    }
}

static inline void ret_cc(z80_t *c, int taken) {
    z80i_idle(c, IR, 1);
    if (taken) {
        PC = z80i_pop(c);
        WZ = PC;
    }
}

static inline void rst(z80_t *c, uint16_t addr) {
    z80i_idle(c, IR, 1);
    z80i_push(c, PC);
    PC = addr;
    WZ = PC;
}

/* (HL) read-modify-write: read, 1 internal T, write (INC/DEC (HL)). */
#define RMW_HL(fn)                                   \
    do {                                             \
        uint8_t v_ = z80i_read(c, HL);               \
        z80i_idle(c, HL, 1);                         \
        z80i_write(c, HL, fn(c, v_));                \
    } while (0)

#define LD_ROW(base, dst)                                   \
    case base + 0: dst = B; break;                          \
    case base + 1: dst = C; break;                          \
    case base + 2: dst = D; break;                          \
    case base + 3: dst = E; break;                          \
    case base + 4: dst = H; break;                          \
    case base + 5: dst = L; break;                          \
    case base + 6: dst = z80i_read(c, HL); break;           \
    case base + 7: dst = A; break;

#define ALU_ROW(base, k)                                    \
    case base + 0: z80i_alu(c, k, B); break;                \
    case base + 1: z80i_alu(c, k, C); break;                \
    case base + 2: z80i_alu(c, k, D); break;                \
    case base + 3: z80i_alu(c, k, E); break;                \
    case base + 4: z80i_alu(c, k, H); break;                \
    case base + 5: z80i_alu(c, k, L); break;                \
    case base + 6: z80i_alu(c, k, z80i_read(c, HL)); break; \
    case base + 7: z80i_alu(c, k, A); break;

void z80i_exec_base(z80_t *c, uint8_t op) {
    uint8_t lastq;
dispatch:
    lastq = c->q; /* SCF/CCF see whether the previous instruction set F */
    c->q = 0;
    switch (op) {
    case 0x00: break;
    case 0x01: BC = z80i_imm16(c); break;
    case 0x02: WZ = (uint16_t)(((BC + 1) & 0xff) | (A << 8)); z80i_write(c, BC, A); break;
    case 0x03: z80i_idle(c, IR, 2); BC++; break;
    case 0x04: B = z80i_inc8(c, B); break;
    case 0x05: B = z80i_dec8(c, B); break;
    case 0x06: B = z80i_imm8(c); break;
    case 0x07: /* RLCA */
        A = (uint8_t)((A << 1) | (A >> 7));
        SETF((F & (Z80_PF | Z80_ZF | Z80_SF)) | (A & (Z80_CF | Z80_XF | Z80_YF)));
        break;
    case 0x08: { uint16_t t = AF; AF = c->af_.w; c->af_.w = t; break; }
    case 0x09: z80i_idle(c, IR, 7); HL = z80i_add16(c, HL, BC); break;
    case 0x0a: WZ = (uint16_t)(BC + 1); A = z80i_read(c, BC); break;
    case 0x0b: z80i_idle(c, IR, 2); BC--; break;
    case 0x0c: C = z80i_inc8(c, C); break;
    case 0x0d: C = z80i_dec8(c, C); break;
    case 0x0e: C = z80i_imm8(c); break;
    case 0x0f: /* RRCA */
        A = (uint8_t)((A >> 1) | (A << 7));
        SETF((F & (Z80_PF | Z80_ZF | Z80_SF)) | (A & (Z80_XF | Z80_YF)) | (A >> 7));
        break;
    case 0x10: /* DJNZ */
        z80i_idle(c, IR, 1);
        if (--B) jr_taken(c); else jr_skip(c);
        break;
    case 0x11: DE = z80i_imm16(c); break;
    case 0x12: WZ = (uint16_t)(((DE + 1) & 0xff) | (A << 8)); z80i_write(c, DE, A); break;
    case 0x13: z80i_idle(c, IR, 2); DE++; break;
    case 0x14: D = z80i_inc8(c, D); break;
    case 0x15: D = z80i_dec8(c, D); break;
    case 0x16: D = z80i_imm8(c); break;
    case 0x17: { /* RLA */
        uint8_t old = A;
        A = (uint8_t)((A << 1) | (F & Z80_CF));
        SETF((F & (Z80_PF | Z80_ZF | Z80_SF)) | (A & (Z80_XF | Z80_YF)) | (old >> 7));
        break;
    }
    case 0x18: jr_taken(c); break;
    case 0x19: z80i_idle(c, IR, 7); HL = z80i_add16(c, HL, DE); break;
    case 0x1a: WZ = (uint16_t)(DE + 1); A = z80i_read(c, DE); break;
    case 0x1b: z80i_idle(c, IR, 2); DE--; break;
    case 0x1c: E = z80i_inc8(c, E); break;
    case 0x1d: E = z80i_dec8(c, E); break;
    case 0x1e: E = z80i_imm8(c); break;
    case 0x1f: { /* RRA */
        uint8_t old = A;
        A = (uint8_t)((A >> 1) | (F << 7));
        SETF((F & (Z80_PF | Z80_ZF | Z80_SF)) | (A & (Z80_XF | Z80_YF)) | (old & Z80_CF));
        break;
    }
    case 0x20: if (!(F & Z80_ZF)) jr_taken(c); else jr_skip(c); break;
    case 0x21: HL = z80i_imm16(c); break;
    case 0x22: { uint16_t a = z80i_imm16(c); z80i_write(c, a, L); WZ = (uint16_t)(a + 1); z80i_write(c, WZ, H); break; }
    case 0x23: z80i_idle(c, IR, 2); HL++; break;
    case 0x24: H = z80i_inc8(c, H); break;
    case 0x25: H = z80i_dec8(c, H); break;
    case 0x26: H = z80i_imm8(c); break;
    case 0x27: { /* DAA: FUSE's formulation of the Zilog adjust table */
        uint8_t add = 0, carry = F & Z80_CF;
        if ((F & Z80_HF) || (A & 0x0f) > 9) add = 6;
        if (carry || A > 0x99) add |= 0x60;
        if (A > 0x99) carry = Z80_CF;
        if (F & Z80_NF) z80i_sub8(c, add, 0); else z80i_add8(c, add, 0);
        SETF((F & ~(Z80_CF | Z80_PF)) | carry | z80i_parity[A]);
        break;
    }
    case 0x28: if (F & Z80_ZF) jr_taken(c); else jr_skip(c); break;
    case 0x29: z80i_idle(c, IR, 7); HL = z80i_add16(c, HL, HL); break;
    case 0x2a: { uint16_t a = z80i_imm16(c); L = z80i_read(c, a); WZ = (uint16_t)(a + 1); H = z80i_read(c, WZ); break; }
    case 0x2b: z80i_idle(c, IR, 2); HL--; break;
    case 0x2c: L = z80i_inc8(c, L); break;
    case 0x2d: L = z80i_dec8(c, L); break;
    case 0x2e: L = z80i_imm8(c); break;
    case 0x2f: /* CPL */
        A ^= 0xff;
        SETF((F & (Z80_CF | Z80_PF | Z80_ZF | Z80_SF)) | (A & (Z80_XF | Z80_YF)) | Z80_NF | Z80_HF);
        break;
    case 0x30: if (!(F & Z80_CF)) jr_taken(c); else jr_skip(c); break;
    case 0x31: SP = z80i_imm16(c); break;
    case 0x32: { uint16_t a = z80i_imm16(c); WZ = (uint16_t)(((a + 1) & 0xff) | (A << 8)); z80i_write(c, a, A); break; }
    case 0x33: z80i_idle(c, IR, 2); SP++; break;
    case 0x34: RMW_HL(z80i_inc8); break;
    case 0x35: RMW_HL(z80i_dec8); break;
    case 0x36: { uint8_t n = z80i_imm8(c); z80i_write(c, HL, n); break; }
    case 0x37: /* SCF: bits 3,5 = (Q ^ F) | A on NMOS Zilog (FUSE, Patrik Rak 2012) */
        SETF((F & (Z80_PF | Z80_ZF | Z80_SF)) | (((lastq ^ F) | A) & (Z80_XF | Z80_YF)) | Z80_CF);
        break;
    case 0x38: if (F & Z80_CF) jr_taken(c); else jr_skip(c); break;
    case 0x39: z80i_idle(c, IR, 7); HL = z80i_add16(c, HL, SP); break;
    case 0x3a: { uint16_t a = z80i_imm16(c); A = z80i_read(c, a); WZ = (uint16_t)(a + 1); break; }
    case 0x3b: z80i_idle(c, IR, 2); SP--; break;
    case 0x3c: A = z80i_inc8(c, A); break;
    case 0x3d: A = z80i_dec8(c, A); break;
    case 0x3e: A = z80i_imm8(c); break;
    case 0x3f: /* CCF */
        SETF((F & (Z80_PF | Z80_ZF | Z80_SF)) | ((F & Z80_CF) ? Z80_HF : Z80_CF) |
             (((lastq ^ F) | A) & (Z80_XF | Z80_YF)));
        break;

    LD_ROW(0x40, B)
    LD_ROW(0x48, C)
    LD_ROW(0x50, D)
    LD_ROW(0x58, E)
    LD_ROW(0x60, H)
    LD_ROW(0x68, L)
    case 0x70: z80i_write(c, HL, B); break;
    case 0x71: z80i_write(c, HL, C); break;
    case 0x72: z80i_write(c, HL, D); break;
    case 0x73: z80i_write(c, HL, E); break;
    case 0x74: z80i_write(c, HL, H); break;
    case 0x75: z80i_write(c, HL, L); break;
    case 0x76: /* HALT: PC stays on the opcode, re-fetched until an interrupt */
        c->halted = 1;
        PC--;
        break;
    case 0x77: z80i_write(c, HL, A); break;
    LD_ROW(0x78, A)

    ALU_ROW(0x80, 0)
    ALU_ROW(0x88, 1)
    ALU_ROW(0x90, 2)
    ALU_ROW(0x98, 3)
    ALU_ROW(0xa0, 4)
    ALU_ROW(0xa8, 5)
    ALU_ROW(0xb0, 6)
    ALU_ROW(0xb8, 7)

    case 0xc0: case 0xc8: case 0xd0: case 0xd8:
    case 0xe0: case 0xe8: case 0xf0: case 0xf8:
        ret_cc(c, cond(c, op >> 3));
        break;
    case 0xc1: BC = z80i_pop(c); break;
    case 0xd1: DE = z80i_pop(c); break;
    case 0xe1: HL = z80i_pop(c); break;
    case 0xf1: AF = z80i_pop(c); break;
    case 0xc2: case 0xca: case 0xd2: case 0xda:
    case 0xe2: case 0xea: case 0xf2: case 0xfa:
        jp_cc(c, cond(c, op >> 3));
        break;
    case 0xc3: jp_cc(c, 1); break;
    case 0xc4: case 0xcc: case 0xd4: case 0xdc:
    case 0xe4: case 0xec: case 0xf4: case 0xfc:
        call_cc(c, cond(c, op >> 3));
        break;
    case 0xcd: call_cc(c, 1); break;
    case 0xc5: z80i_idle(c, IR, 1); z80i_push(c, BC); break;
    case 0xd5: z80i_idle(c, IR, 1); z80i_push(c, DE); break;
    case 0xe5: z80i_idle(c, IR, 1); z80i_push(c, HL); break;
    case 0xf5: z80i_idle(c, IR, 1); z80i_push(c, AF); break;
    case 0xc6: z80i_alu(c, 0, z80i_imm8(c)); break;
    case 0xce: z80i_alu(c, 1, z80i_imm8(c)); break;
    case 0xd6: z80i_alu(c, 2, z80i_imm8(c)); break;
    case 0xde: z80i_alu(c, 3, z80i_imm8(c)); break;
    case 0xe6: z80i_alu(c, 4, z80i_imm8(c)); break;
    case 0xee: z80i_alu(c, 5, z80i_imm8(c)); break;
    case 0xf6: z80i_alu(c, 6, z80i_imm8(c)); break;
    case 0xfe: z80i_alu(c, 7, z80i_imm8(c)); break;
    case 0xc7: case 0xcf: case 0xd7: case 0xdf:
    case 0xe7: case 0xef: case 0xf7: case 0xff:
        rst(c, op & 0x38);
        break;
    case 0xc9: PC = z80i_pop(c); WZ = PC; break;
    case 0xcb: z80i_exec_cb(c, z80i_fetch(c)); break;
    case 0xd3: { /* OUT (n),A: WZ = A:(n+1), low byte only wraps */
        uint8_t n = z80i_imm8(c);
        WZ = (uint16_t)((A << 8) | ((n + 1) & 0xff));
        z80i_port_out(c, (uint16_t)(n | (A << 8)), A);
        break;
    }
    case 0xd9: {
        uint16_t t;
        t = BC; BC = c->bc_.w; c->bc_.w = t;
        t = DE; DE = c->de_.w; c->de_.w = t;
        t = HL; HL = c->hl_.w; c->hl_.w = t;
        break;
    }
    case 0xdb: { /* IN A,(n): the port's high byte is A */
        uint16_t port = (uint16_t)(z80i_imm8(c) | (A << 8));
        A = z80i_port_in(c, port);
        WZ = (uint16_t)(port + 1);
        break;
    }
    case 0xdd: case 0xfd: {
        /* Prefix chain: each DD/FD is an M1 (4 T, R+1); only the last one
         * counts. An opcode that does not involve HL runs unprefixed. FUSE
         * runs the whole chain as one instruction (no interrupt between). */
        z80_pair_t *xy;
        do {
            xy = op == 0xdd ? &c->ix : &c->iy;
            op = z80i_fetch(c);
        } while (op == 0xdd || op == 0xfd);
        if (z80i_exec_ddfd(c, xy, op)) break;
        /* The prefix was an instruction that left F alone: SCF/CCF after
         * it see Q = 0 (as FUSE's "backtrack" does). */
        goto dispatch;
    }
    case 0xe3: { /* EX (SP),HL: FUSE timing 4,3,4(3+1),3,5(3+2) */
        uint8_t lo = z80i_read(c, SP), hi = z80i_read(c, (uint16_t)(SP + 1));
        z80i_idle(c, (uint16_t)(SP + 1), 1);
        z80i_write(c, (uint16_t)(SP + 1), H);
        z80i_write(c, SP, L);
        z80i_idle(c, SP, 2);
        WZ = HL = (uint16_t)(lo | (hi << 8));
        break;
    }
    case 0xe9: PC = HL; break;
    case 0xeb: { uint16_t t = DE; DE = HL; HL = t; break; }
    case 0xed: z80i_exec_ed(c, z80i_fetch(c)); break;
    case 0xf3: c->iff1 = c->iff2 = 0; break;
    case 0xf9: z80i_idle(c, IR, 2); SP = HL; break;
    case 0xfb: /* EI: /INT is not accepted until after the next instruction */
        c->iff1 = c->iff2 = 1;
        c->ei_delay = 1;
        break;
    }
}
