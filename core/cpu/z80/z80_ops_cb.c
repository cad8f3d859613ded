/*
 * z80_ops_cb.c: CB-prefixed opcodes (rotates/shifts, BIT, RES, SET) and
 * the DD CB d op / FD CB d op forms.
 *
 * Timing (FUSE opcodes_cb.dat / z80.pl): register forms 8 T (two M1s);
 * (HL) forms read, 1 internal T at HL, write: 15 T; BIT n,(HL) read + 1
 * internal T: 12 T, with bits 3,5 of F taken from WZ's high byte (Sean
 * Young, "The Undocumented Z80 Documented" 4.1, and FUSE's BIT_MEMPTR).
 */
#include "cpu/z80/z80_internal.h"

static inline uint8_t *reg8(z80_t *c, unsigned idx) {
    /* B C D E H L - A, by the low 3 bits of the opcode (6 is memory). */
    switch (idx & 7) {
    case 0: return &c->bc.b.h;
    case 1: return &c->bc.b.l;
    case 2: return &c->de.b.h;
    case 3: return &c->de.b.l;
    case 4: return &c->hl.b.h;
    case 5: return &c->hl.b.l;
    default: return &c->af.b.h;
    }
}

/* The result of a CB operation y,op on v; BIT returns v unchanged. */
static inline uint8_t cb_apply(z80_t *c, uint8_t op, uint8_t v) {
    unsigned y = (op >> 3) & 7;
    switch (op >> 6) {
    case 0: return z80i_rot(c, y, v);
    case 2: return (uint8_t)(v & ~(1u << y));
    case 3: return (uint8_t)(v | (1u << y));
    default: return v;
    }
}

void z80i_exec_cb(z80_t *c, uint8_t op) {
    unsigned y = (op >> 3) & 7;
    if ((op & 7) != 6) {
        uint8_t *r = reg8(c, op);
        if ((op >> 6) == 1) z80i_bit(c, y, *r, *r);
        else *r = cb_apply(c, op, *r);
        return;
    }
    uint8_t v = z80i_read(c, HL);
    z80i_idle(c, HL, 1);
    if ((op >> 6) == 1) {
        z80i_bit(c, y, v, (uint8_t)(WZ >> 8));
        return;
    }
    z80i_write(c, HL, cb_apply(c, op, v));
}

/* DD/FD CB d op: the operand address is already in WZ (`addr`). Every
 * form reads, spends 1 internal T at the address, and (except BIT) writes
 * back; the undocumented forms with a register field other than 6 also
 * copy the result into that register ("LD B,RLC (IX+d)"). All BIT forms
 * behave as BIT n,(IX+d). */
void z80i_exec_ddfdcb(z80_t *c, uint16_t addr, uint8_t op) {
    uint8_t v = z80i_read(c, addr);
    z80i_idle(c, addr, 1);
    if ((op >> 6) == 1) {
        z80i_bit(c, (op >> 3) & 7, v, (uint8_t)(addr >> 8));
        return;
    }
    v = cb_apply(c, op, v);
    z80i_write(c, addr, v);
    if ((op & 7) != 6) *reg8(c, op) = v;
}
