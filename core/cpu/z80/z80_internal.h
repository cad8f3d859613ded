/*
 * z80_internal.h: shared by the interpreter's source files only (z80.c and
 * z80_ops_*.c). Bus helpers, flag tables and the ALU.
 *
 * Timing model: FUSE's (z80/z80.pl and z80_macros.h in fuse-emulator 1.6.0),
 * which is what the FUSE test suite's tests.expected records:
 *   - an opcode fetch (M1) is a contention point at the PC followed by 4 T;
 *   - a memory read or write is a contention point followed by 3 T;
 *   - internal cycles that leave an address on the bus are 1 T each, and
 *     each is a separate contention point ("contend_read_no_mreq");
 *   - port I/O follows the ULA pattern documented in z80.h.
 * The trace reports every contention point as Z80_EV_MC at its T-state
 * (before any delay) and the access itself (MR/MW) at its end, exactly as
 * FUSE's coretest.c prints them.
 */
#ifndef Z80_INTERNAL_H
#define Z80_INTERNAL_H

#include "cpu/z80/z80.h"

/* Register shorthands; only for the interpreter's own files. */
#define A (c->af.b.h)
#define F (c->af.b.l)
#define B (c->bc.b.h)
#define C (c->bc.b.l)
#define D (c->de.b.h)
#define E (c->de.b.l)
#define H (c->hl.b.h)
#define L (c->hl.b.l)
#define AF (c->af.w)
#define BC (c->bc.w)
#define DE (c->de.w)
#define HL (c->hl.w)
#define PC (c->pc)
#define SP (c->sp)
#define WZ (c->wz)
#define IR ((uint16_t)((c->i << 8) | c->r))

/* Flag tables, filled by z80i_init_tables() (called from z80_init). */
extern uint8_t z80i_sz53[256];  /* S, Z, bits 5 and 3 of the value */
extern uint8_t z80i_sz53p[256]; /* the above plus P (even parity) */
extern uint8_t z80i_parity[256];/* Z80_PF if even parity, else 0 */

void z80i_init_tables(void);

/* Slow paths of the bus helpers (tracing, contention, write hooks). */
uint8_t z80i_fetch_slow(z80_t *c);
uint8_t z80i_read_slow(z80_t *c, uint16_t addr);
void z80i_write_slow(z80_t *c, uint16_t addr, uint8_t v);
void z80i_idle_slow(z80_t *c, uint16_t addr, unsigned n);
void z80i_contend_only_slow(z80_t *c, uint16_t addr, unsigned n);
uint8_t z80i_port_in(z80_t *c, uint16_t port);
void z80i_port_out(z80_t *c, uint16_t port, uint8_t v);

/* Dispatchers for the prefix groups (each in its own file). */
void z80i_exec_base(z80_t *c, uint8_t op);
void z80i_exec_cb(z80_t *c, uint8_t op);
void z80i_exec_ed(z80_t *c, uint8_t op);
/* Returns 0 if op does not use the index register: the caller then runs it
 * as an unprefixed opcode (FUSE: "backtrack and parse again"). */
int z80i_exec_ddfd(z80_t *c, z80_pair_t *xy, uint8_t op);
void z80i_exec_ddfdcb(z80_t *c, uint16_t addr, uint8_t op);

#define Z80_LIKELY(x) __builtin_expect(!!(x), 1)
#define Z80_UNLIKELY(x) __builtin_expect(!!(x), 0)

static inline void z80i_inc_r(z80_t *c) {
    /* R counts in its low 7 bits; bit 7 only changes by LD R,A. */
    c->r = (uint8_t)((c->r & 0x80) | ((c->r + 1) & 0x7f));
}

/* M1: fetch the opcode byte at PC, 4 T; increments PC and R. */
static inline uint8_t z80i_fetch(z80_t *c) {
    uint8_t v;
    if (Z80_UNLIKELY(c->trace || c->contention)) {
        v = z80i_fetch_slow(c);
    } else {
        v = c->read_page[c->pc >> 14][c->pc & 0x3fff];
        c->tstates += 4;
    }
    c->pc++;
    z80i_inc_r(c);
    return v;
}

/* Memory read, 3 T. */
static inline uint8_t z80i_read(z80_t *c, uint16_t addr) {
    if (Z80_UNLIKELY(c->trace || c->contention)) return z80i_read_slow(c, addr);
    c->tstates += 3;
    return c->read_page[addr >> 14][addr & 0x3fff];
}

/* Memory write, 3 T. */
static inline void z80i_write(z80_t *c, uint16_t addr, uint8_t v) {
    if (Z80_UNLIKELY(c->trace || c->contention || c->hooked_pages)) {
        z80i_write_slow(c, addr, v);
        return;
    }
    c->tstates += 3;
    uint8_t *page = c->write_page[addr >> 14];
    if (page) page[addr & 0x3fff] = v;
}

/* n internal 1 T cycles with addr on the bus (FUSE's contend_*_no_mreq). */
static inline void z80i_idle(z80_t *c, uint16_t addr, unsigned n) {
    if (Z80_UNLIKELY(c->trace || c->contention)) {
        z80i_idle_slow(c, addr, n);
        return;
    }
    c->tstates += n;
}

/* A read cycle whose data is not used (JR/DJNZ not taken): contention
 * point and n T, no MR event (FUSE: contend_read(PC, 3) alone). */
static inline void z80i_contend_only(z80_t *c, uint16_t addr, unsigned n) {
    if (Z80_UNLIKELY(c->trace || c->contention)) {
        z80i_contend_only_slow(c, addr, n);
        return;
    }
    c->tstates += n;
}

static inline uint16_t z80i_read16(z80_t *c, uint16_t addr) {
    uint8_t lo = z80i_read(c, addr);
    return (uint16_t)(lo | (z80i_read(c, (uint16_t)(addr + 1)) << 8));
}

/* Immediate operands. */
static inline uint8_t z80i_imm8(z80_t *c) { return z80i_read(c, c->pc++); }
static inline uint16_t z80i_imm16(z80_t *c) {
    uint8_t lo = z80i_read(c, c->pc++);
    return (uint16_t)(lo | (z80i_read(c, c->pc++) << 8));
}

static inline void z80i_push(z80_t *c, uint16_t v) {
    z80i_write(c, --c->sp, (uint8_t)(v >> 8));
    z80i_write(c, --c->sp, (uint8_t)v);
}
static inline uint16_t z80i_pop(z80_t *c) {
    uint8_t lo = z80i_read(c, c->sp++);
    return (uint16_t)(lo | (z80i_read(c, c->sp++) << 8));
}

/* ---- ALU. Formulas as in Sean Young, "The Undocumented Z80 Documented";
 * every flag-changing operation also sets the Q latch to the new F. */

#define SETF(v) do { uint8_t f_ = (uint8_t)(v); c->af.b.l = f_; c->q = f_; } while (0)

static inline void z80i_add8(z80_t *c, uint8_t v, unsigned carry) {
    unsigned a = A, r = a + v + carry;
    SETF(z80i_sz53[r & 0xff] | ((r >> 8) & Z80_CF) | ((a ^ v ^ r) & Z80_HF) |
         (((a ^ ~v) & (a ^ r) & 0x80) >> 5));
    A = (uint8_t)r;
}
static inline void z80i_sub8(z80_t *c, uint8_t v, unsigned carry) {
    unsigned a = A, r = a - v - carry;
    SETF(z80i_sz53[r & 0xff] | ((r >> 8) & Z80_CF) | Z80_NF | ((a ^ v ^ r) & Z80_HF) |
         (((a ^ v) & (a ^ r) & 0x80) >> 5));
    A = (uint8_t)r;
}
static inline void z80i_cp8(z80_t *c, uint8_t v) {
    /* Bits 3 and 5 come from the operand, not the result. */
    unsigned a = A, r = a - v;
    SETF((z80i_sz53[r & 0xff] & ~(Z80_XF | Z80_YF)) | (v & (Z80_XF | Z80_YF)) |
         ((r >> 8) & Z80_CF) | Z80_NF | ((a ^ v ^ r) & Z80_HF) |
         (((a ^ v) & (a ^ r) & 0x80) >> 5));
}
static inline void z80i_and8(z80_t *c, uint8_t v) { A &= v; SETF(z80i_sz53p[A] | Z80_HF); }
static inline void z80i_xor8(z80_t *c, uint8_t v) { A ^= v; SETF(z80i_sz53p[A]); }
static inline void z80i_or8(z80_t *c, uint8_t v) { A |= v; SETF(z80i_sz53p[A]); }

/* ALU group by opcode bits 5..3: ADD ADC SUB SBC AND XOR OR CP. */
static inline void z80i_alu(z80_t *c, unsigned op, uint8_t v) {
    switch (op & 7) {
    case 0: z80i_add8(c, v, 0); break;
    case 1: z80i_add8(c, v, F & Z80_CF); break;
    case 2: z80i_sub8(c, v, 0); break;
    case 3: z80i_sub8(c, v, F & Z80_CF); break;
    case 4: z80i_and8(c, v); break;
    case 5: z80i_xor8(c, v); break;
    case 6: z80i_or8(c, v); break;
    default: z80i_cp8(c, v); break;
    }
}

static inline uint8_t z80i_inc8(z80_t *c, uint8_t v) {
    uint8_t r = (uint8_t)(v + 1);
    SETF((F & Z80_CF) | z80i_sz53[r] | (r == 0x80 ? Z80_VF : 0) | ((r & 0x0f) ? 0 : Z80_HF));
    return r;
}
static inline uint8_t z80i_dec8(z80_t *c, uint8_t v) {
    uint8_t r = (uint8_t)(v - 1);
    SETF((F & Z80_CF) | Z80_NF | z80i_sz53[r] | (r == 0x7f ? Z80_VF : 0) | ((v & 0x0f) ? 0 : Z80_HF));
    return r;
}

/* ADD rr,rr: S, Z, P/V kept; H from bit 11; bits 3,5 from the high byte. */
static inline uint16_t z80i_add16(z80_t *c, uint16_t a, uint16_t b) {
    uint32_t r = (uint32_t)a + b;
    c->wz = (uint16_t)(a + 1);
    SETF((F & (Z80_SF | Z80_ZF | Z80_VF)) | ((r >> 16) & Z80_CF) | ((r >> 8) & (Z80_XF | Z80_YF)) |
         (((a ^ b ^ r) >> 8) & Z80_HF));
    return (uint16_t)r;
}
static inline void z80i_adc16(z80_t *c, uint16_t v) {
    uint32_t hl = HL, r = hl + v + (F & Z80_CF);
    c->wz = (uint16_t)(hl + 1);
    SETF(((r >> 16) & Z80_CF) | ((r >> 8) & (Z80_SF | Z80_XF | Z80_YF)) | (((hl ^ v ^ r) >> 8) & Z80_HF) |
         (((hl ^ ~(uint32_t)v) & (hl ^ r) & 0x8000) >> 13) | ((r & 0xffff) ? 0 : Z80_ZF));
    HL = (uint16_t)r;
}
static inline void z80i_sbc16(z80_t *c, uint16_t v) {
    uint32_t hl = HL, r = hl - v - (F & Z80_CF);
    c->wz = (uint16_t)(hl + 1);
    SETF(((r >> 16) & Z80_CF) | Z80_NF | ((r >> 8) & (Z80_SF | Z80_XF | Z80_YF)) |
         (((hl ^ v ^ r) >> 8) & Z80_HF) | (((hl ^ v) & (hl ^ r) & 0x8000) >> 13) |
         ((r & 0xffff) ? 0 : Z80_ZF));
    HL = (uint16_t)r;
}

/* CB group rotates/shifts by opcode bits 5..3: RLC RRC RL RR SLA SRA SLL SRL. */
static inline uint8_t z80i_rot(z80_t *c, unsigned op, uint8_t v) {
    uint8_t r, cf;
    switch (op & 7) {
    case 0: cf = v >> 7; r = (uint8_t)((v << 1) | cf); break;
    case 1: cf = v & 1; r = (uint8_t)((v >> 1) | (v << 7)); break;
    case 2: cf = v >> 7; r = (uint8_t)((v << 1) | (F & Z80_CF)); break;
    case 3: cf = v & 1; r = (uint8_t)((v >> 1) | (F << 7)); break;
    case 4: cf = v >> 7; r = (uint8_t)(v << 1); break;
    case 5: cf = v & 1; r = (uint8_t)((v & 0x80) | (v >> 1)); break;
    case 6: cf = v >> 7; r = (uint8_t)((v << 1) | 1); break;
    default: cf = v & 1; r = (uint8_t)(v >> 1); break;
    }
    SETF(z80i_sz53p[r] | cf);
    return r;
}

/* BIT n: bits 3,5 from `xy` (the operand for registers, WZ high byte for
 * memory operands: Sean Young / FUSE "BIT_MEMPTR"). */
static inline void z80i_bit(z80_t *c, unsigned n, uint8_t v, uint8_t xy) {
    uint8_t f = (uint8_t)((F & Z80_CF) | Z80_HF | (xy & (Z80_XF | Z80_YF)));
    if (!(v & (1u << n))) f |= Z80_ZF | Z80_PF;
    if (n == 7 && (v & 0x80)) f |= Z80_SF;
    SETF(f);
}

#endif
