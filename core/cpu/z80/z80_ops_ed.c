/*
 * z80_ops_ed.c: ED-prefixed opcodes. Undefined ED opcodes are 8 T NOPs.
 *
 * Timing and the undocumented flag results follow FUSE 1.6.0 (z80.pl,
 * opcodes_ed.dat), which implement Sean Young's "The Undocumented Z80
 * Documented" (block instruction flags, section 4.2-4.3) and Mark
 * Woodmass's MEMPTR findings. Totals: IN r,(C)/OUT (C),r 12 T, ADC/SBC
 * HL,rr 15 T, LD (nn),rr 20 T, NEG 8 T, RETN 14 T, LD A,I 9 T, RRD/RLD
 * 18 T, LDI/CPI/INI/OUTI 16 T, repeating block forms 21 T while repeating.
 *
 * The repeat step of the eight repeating block instructions goes beyond
 * FUSE 1.6.0, which leaves the flags of the step in place: during the
 * extra 5 T M-cycle that moves PC back, the Z80 copies bits 13 and 11 of
 * PC (the instruction's own address) to F bits 5 and 3, sets MEMPTR to
 * PC + 1, and INIR/INDR/OTIR/OTDR also recompute H and P/V from B, the
 * carry and bit 7 of the byte moved. Found by David Banks in 2018
 * ("Undocumented Z80 Flags" rev. 1.0, github.com/hoglet67/Z80Decoder/wiki/
 * Undocumented-Flags), confirmed on a Spectrum by Peter Helcmanovsky's
 * (Ped7g) "Z80 Block Flags Test"; MEMPTR = PC + 1 for the I/O forms found
 * by rofl0r (hoglet67/Z80Decoder issue 2) and Manuel Sainz de Baranda y
 * Goni (redcode/Z80, sources/Z80.c, INXR_OTXR_COMMON). MAME implements the
 * flags (src/devices/cpu/z80/z80.cpp block_io_interrupted_flags(), z80.lst
 * ldir..otdr) and the SingleStepTests z80 data encode all of it.
 */
#include "cpu/z80/z80_internal.h"

#include <stddef.h>

static inline void in_c(z80_t *c, uint8_t *dst) {
    WZ = (uint16_t)(BC + 1);
    uint8_t v = z80i_port_in(c, BC);
    SETF((F & Z80_CF) | z80i_sz53p[v]);
    if (dst) *dst = v;
}

static inline void out_c(z80_t *c, uint8_t v) {
    z80i_port_out(c, BC, v);
    WZ = (uint16_t)(BC + 1);
}

static inline void ld_a_ir(z80_t *c, uint8_t v) {
    z80i_idle(c, IR, 1);
    A = v;
    SETF((F & Z80_CF) | z80i_sz53[A] | (c->iff2 ? Z80_VF : 0));
    c->iff2_read = 1;
}

/* The repeat step shared by all eight repeating block instructions, after
 * their 5 extra T: PC back to the instruction (its ED byte), MEMPTR = PC + 1
 * and F bits 5 and 3 from bits 13 and 11 of that PC (Banks 2018, see the
 * file comment); the other flags stay those of the step. */
static inline void _block_repeat(z80_t *c) {
    PC -= 2;
    WZ = (uint16_t)(PC + 1);
    SETF((F & ~(Z80_YF | Z80_XF)) | ((PC >> 8) & (Z80_YF | Z80_XF)));
}

/* INIR/INDR/OTIR/OTDR only, after _block_repeat: H and P/V recomputed
 * (Banks 2018; MAME block_io_interrupted_flags(); redcode/Z80
 * INXR_OTXR_COMMON). B is the decremented B, v the byte moved, and CF the
 * carry of the step (v + k > 255). With carry: H = (B & 15) == 0 if v
 * bit 7 is set, else (B & 15) == 15, and the parity term is (B - 1) & 7 or
 * (B + 1) & 7 respectively; without carry H stays 0 and the term is B & 7.
 * P/V is then set when the step's P/V equals the even parity of the term
 * (P/V toggles when the term has odd parity). */
static inline void _io_repeat_flags(z80_t *c, uint8_t v) {
    uint8_t f = (uint8_t)(F & ~(Z80_HF | Z80_PF));
    unsigned term;
    if (F & Z80_CF) {
        if (v & 0x80) {
            term = (unsigned)(B - 1) & 7;
            if ((B & 0x0f) == 0x00) f |= Z80_HF;
        } else {
            term = (unsigned)(B + 1) & 7;
            if ((B & 0x0f) == 0x0f) f |= Z80_HF;
        }
    } else {
        term = B & 7u;
    }
    if (((F & Z80_PF) != 0) == (z80i_parity[term] != 0)) f |= Z80_PF;
    SETF(f);
}

/* LDI/LDD (dir +1/-1); returns nonzero if BC != 0 afterwards. Bits 3 and
 * 5 of F are bits 3 and 1 of (value + A). */
static inline int ldx(z80_t *c, int dir) {
    uint8_t v = z80i_read(c, HL);
    z80i_write(c, DE, v);
    z80i_idle(c, DE, 2);
    BC--;
    v = (uint8_t)(v + A);
    SETF((F & (Z80_CF | Z80_ZF | Z80_SF)) | (BC ? Z80_VF : 0) | (v & Z80_XF) | ((v & 0x02) ? Z80_YF : 0));
    HL = (uint16_t)(HL + dir);
    DE = (uint16_t)(DE + dir);
    return BC != 0;
}

static inline void ldxr(z80_t *c, int dir) {
    uint16_t de = DE;
    if (ldx(c, dir)) {
        z80i_idle(c, de, 5);
        _block_repeat(c);
    }
}

/* CPI/CPD: bits 3,5 from (A - value - H), bits 3 and 1. */
static inline void cpx(z80_t *c, int dir, int repeat) {
    uint8_t v = z80i_read(c, HL);
    uint8_t r = (uint8_t)(A - v);
    z80i_idle(c, HL, 5);
    BC--;
    uint8_t f = (uint8_t)((F & Z80_CF) | Z80_NF | (BC ? Z80_VF : 0) | ((A ^ v ^ r) & Z80_HF) |
                          (r ? 0 : Z80_ZF) | (r & Z80_SF));
    if (f & Z80_HF) r--;
    f |= (r & Z80_XF) | ((r & 0x02) ? Z80_YF : 0);
    SETF(f);
    if (repeat && (f & (Z80_VF | Z80_ZF)) == Z80_VF) {
        z80i_idle(c, HL, 5);
        _block_repeat(c);
    } else {
        WZ = (uint16_t)(WZ + dir);
    }
    HL = (uint16_t)(HL + dir);
}

/* INI/IND flags (Sean Young 4.3): k = value + ((C +/- 1) & 255). */
static inline void io_flags(z80_t *c, uint8_t v, unsigned k) {
    SETF(((v & 0x80) ? Z80_NF : 0) | (k > 0xff ? (Z80_HF | Z80_CF) : 0) |
         z80i_parity[(k & 7) ^ B] | z80i_sz53[B]);
}

static inline void inx(z80_t *c, int dir, int repeat) {
    z80i_idle(c, IR, 1);
    uint8_t v = z80i_port_in(c, BC);
    z80i_write(c, HL, v);
    WZ = (uint16_t)(BC + dir);
    B--;
    io_flags(c, v, v + (unsigned)((C + dir) & 0xff));
    if (repeat && B) {
        z80i_idle(c, HL, 5);
        _block_repeat(c);
        _io_repeat_flags(c, v);
    }
    HL = (uint16_t)(HL + dir);
}

/* OUTI/OUTD: B is decremented before the port write (FUSE: "this does
 * happen first, despite what the specs say"); k = value + L after HL moved. */
static inline void outx(z80_t *c, int dir, int repeat) {
    z80i_idle(c, IR, 1);
    uint8_t v = z80i_read(c, HL);
    B--;
    WZ = (uint16_t)(BC + dir);
    z80i_port_out(c, BC, v);
    HL = (uint16_t)(HL + dir);
    io_flags(c, v, v + (unsigned)L);
    if (repeat && B) {
        z80i_idle(c, BC, 5);
        _block_repeat(c);
        _io_repeat_flags(c, v);
    }
}

static inline void ld_nn_rr(z80_t *c, uint16_t v) {
    uint16_t a = z80i_imm16(c);
    z80i_write(c, a, (uint8_t)v);
    WZ = (uint16_t)(a + 1);
    z80i_write(c, WZ, (uint8_t)(v >> 8));
}

static inline uint16_t ld_rr_nn(z80_t *c) {
    uint16_t a = z80i_imm16(c);
    uint8_t lo = z80i_read(c, a);
    WZ = (uint16_t)(a + 1);
    return (uint16_t)(lo | (z80i_read(c, WZ) << 8));
}

void z80i_exec_ed(z80_t *c, uint8_t op) {
    switch (op) {
    case 0x40: in_c(c, &B); break;
    case 0x48: in_c(c, &C); break;
    case 0x50: in_c(c, &D); break;
    case 0x58: in_c(c, &E); break;
    case 0x60: in_c(c, &H); break;
    case 0x68: in_c(c, &L); break;
    case 0x70: in_c(c, NULL); break; /* IN F,(C): flags only */
    case 0x78: in_c(c, &A); break;
    case 0x41: out_c(c, B); break;
    case 0x49: out_c(c, C); break;
    case 0x51: out_c(c, D); break;
    case 0x59: out_c(c, E); break;
    case 0x61: out_c(c, H); break;
    case 0x69: out_c(c, L); break;
    case 0x71: out_c(c, 0); break; /* NMOS outputs 0 */
    case 0x79: out_c(c, A); break;
    case 0x42: z80i_idle(c, IR, 7); z80i_sbc16(c, BC); break;
    case 0x52: z80i_idle(c, IR, 7); z80i_sbc16(c, DE); break;
    case 0x62: z80i_idle(c, IR, 7); z80i_sbc16(c, HL); break;
    case 0x72: z80i_idle(c, IR, 7); z80i_sbc16(c, SP); break;
    case 0x4a: z80i_idle(c, IR, 7); z80i_adc16(c, BC); break;
    case 0x5a: z80i_idle(c, IR, 7); z80i_adc16(c, DE); break;
    case 0x6a: z80i_idle(c, IR, 7); z80i_adc16(c, HL); break;
    case 0x7a: z80i_idle(c, IR, 7); z80i_adc16(c, SP); break;
    case 0x43: ld_nn_rr(c, BC); break;
    case 0x53: ld_nn_rr(c, DE); break;
    case 0x63: ld_nn_rr(c, HL); break;
    case 0x73: ld_nn_rr(c, SP); break;
    case 0x4b: BC = ld_rr_nn(c); break;
    case 0x5b: DE = ld_rr_nn(c); break;
    case 0x6b: HL = ld_rr_nn(c); break;
    case 0x7b: SP = ld_rr_nn(c); break;
    case 0x44: case 0x4c: case 0x54: case 0x5c:
    case 0x64: case 0x6c: case 0x74: case 0x7c: { /* NEG */
        uint8_t v = A;
        A = 0;
        z80i_sub8(c, v, 0);
        break;
    }
    case 0x45: case 0x4d: case 0x55: case 0x5d:
    case 0x65: case 0x6d: case 0x75: case 0x7d: /* RETN; RETI too copies IFF2 */
        c->iff1 = c->iff2;
        PC = z80i_pop(c);
        WZ = PC;
        break;
    case 0x46: case 0x4e: case 0x66: case 0x6e: c->im = 0; break;
    case 0x56: case 0x76: c->im = 1; break;
    case 0x5e: case 0x7e: c->im = 2; break;
    case 0x47: z80i_idle(c, IR, 1); c->i = A; break;
    case 0x4f: z80i_idle(c, IR, 1); c->r = A; break;
    case 0x57: ld_a_ir(c, c->i); break;
    case 0x5f: ld_a_ir(c, c->r); break; /* R read after this M1's increment */
    case 0x67: { /* RRD */
        uint8_t v = z80i_read(c, HL);
        z80i_idle(c, HL, 4);
        z80i_write(c, HL, (uint8_t)((A << 4) | (v >> 4)));
        A = (uint8_t)((A & 0xf0) | (v & 0x0f));
        SETF((F & Z80_CF) | z80i_sz53p[A]);
        WZ = (uint16_t)(HL + 1);
        break;
    }
    case 0x6f: { /* RLD */
        uint8_t v = z80i_read(c, HL);
        z80i_idle(c, HL, 4);
        z80i_write(c, HL, (uint8_t)((v << 4) | (A & 0x0f)));
        A = (uint8_t)((A & 0xf0) | (v >> 4));
        SETF((F & Z80_CF) | z80i_sz53p[A]);
        WZ = (uint16_t)(HL + 1);
        break;
    }
    case 0xa0: ldx(c, 1); break;
    case 0xa8: ldx(c, -1); break;
    case 0xb0: ldxr(c, 1); break;
    case 0xb8: ldxr(c, -1); break;
    case 0xa1: cpx(c, 1, 0); break;
    case 0xa9: cpx(c, -1, 0); break;
    case 0xb1: cpx(c, 1, 1); break;
    case 0xb9: cpx(c, -1, 1); break;
    case 0xa2: inx(c, 1, 0); break;
    case 0xaa: inx(c, -1, 0); break;
    case 0xb2: inx(c, 1, 1); break;
    case 0xba: inx(c, -1, 1); break;
    case 0xa3: outx(c, 1, 0); break;
    case 0xab: outx(c, -1, 0); break;
    case 0xb3: outx(c, 1, 1); break;
    case 0xbb: outx(c, -1, 1); break;
    default: break; /* undefined: 8 T NOP */
    }
}
