/*
 * z80.c: CPU state, the bus slow paths (tracing, contention, write hooks,
 * ports), interrupt acceptance, z80_step and z80_run. The opcode groups
 * live in z80_ops_base.c, z80_ops_cb.c, z80_ops_ed.c and z80_ops_ddfd.c.
 */
#include "cpu/z80/z80_internal.h"

#include <string.h>

uint8_t z80i_sz53[256], z80i_sz53p[256], z80i_parity[256];

void z80i_init_tables(void) {
    if (z80i_sz53p[0]) return; /* already done: Z is set for 0 */
    for (unsigned i = 0; i < 256; i++) {
        unsigned p = i;
        p ^= p >> 4; p ^= p >> 2; p ^= p >> 1;
        z80i_parity[i] = (p & 1) ? 0 : Z80_PF;
        z80i_sz53[i] = (uint8_t)((i & (Z80_SF | Z80_YF | Z80_XF)) | (i ? 0 : Z80_ZF));
        z80i_sz53p[i] = z80i_sz53[i] | z80i_parity[i];
    }
}

void z80_init(z80_t *cpu) {
    z80i_init_tables();
    memset(cpu, 0, sizeof *cpu);
    cpu->af.w = 0xffff;
    cpu->sp = 0xffff;
    cpu->trap_pc = -1;
    cpu->int_data = 0xff;
}

void z80_reset(z80_t *cpu) {
    cpu->pc = 0;
    cpu->i = cpu->r = 0;
    cpu->iff1 = cpu->iff2 = 0;
    cpu->im = 0;
    cpu->halted = 0;
    cpu->ei_delay = 0;
    cpu->iff2_read = 0;
    cpu->q = 0;
    cpu->nmi_pending = 0;
}

void z80_nmi(z80_t *cpu) { cpu->nmi_pending = 1; }

/* ---- bus slow paths ------------------------------------------------- */

static inline int page_contended(const z80_t *c, uint16_t addr) {
    return (c->contended_pages >> (addr >> 14)) & 1;
}

/* Contention point at addr: trace it, then add the table's delay. */
static inline void contend(z80_t *c, uint16_t addr) {
    if (c->trace) c->trace(c->user, Z80_EV_MC, addr, 0, c->tstates);
    if (c->contention && page_contended(c, addr) && c->tstates < c->contention_len)
        c->tstates += c->contention[c->tstates];
}

uint8_t z80i_fetch_slow(z80_t *c) {
    uint16_t addr = c->pc;
    contend(c, addr);
    c->tstates += 4;
    uint8_t v = c->read_page[addr >> 14][addr & 0x3fff];
    if (c->trace) c->trace(c->user, Z80_EV_MR, addr, v, c->tstates);
    return v;
}

uint8_t z80i_read_slow(z80_t *c, uint16_t addr) {
    contend(c, addr);
    c->tstates += 3;
    uint8_t v = c->read_page[addr >> 14][addr & 0x3fff];
    if (c->trace) c->trace(c->user, Z80_EV_MR, addr, v, c->tstates);
    return v;
}

void z80i_write_slow(z80_t *c, uint16_t addr, uint8_t v) {
    contend(c, addr);
    c->tstates += 3;
    /* The hook runs before the store so a renderer can catch up with the
     * old contents; it sees the T-state at which the write happens. */
    if (((c->hooked_pages >> (addr >> 14)) & 1) && c->write_hook)
        c->write_hook(c->user, addr, v, c->tstates);
    if (c->trace) c->trace(c->user, Z80_EV_MW, addr, v, c->tstates);
    uint8_t *page = c->write_page[addr >> 14];
    if (page) page[addr & 0x3fff] = v;
}

void z80i_idle_slow(z80_t *c, uint16_t addr, unsigned n) {
    if (c->contend_mreq_only) { /* no MREQ: the gate array does not delay these */
        c->tstates += n;
        return;
    }
    while (n--) {
        contend(c, addr);
        c->tstates += 1;
    }
}

void z80i_contend_only_slow(z80_t *c, uint16_t addr, unsigned n) {
    contend(c, addr);
    c->tstates += n;
}

/* Port I/O, ULA pattern (World of Spectrum "Contended I/O"; FUSE ula.c
 * contend_port_preio/postio): the first T-state is a contention point only
 * if the port's high byte lies in a contended page; then the access; then
 * 3 T that are contended as 1+1+1 (high byte contended, low bit set), as
 * one check for 3 (low bit reset: the ULA itself answers), or not at all. */
static inline void port_point(z80_t *c, uint16_t port, uint16_t contend_as) {
    if (c->trace) c->trace(c->user, Z80_EV_PC, port, 0, c->tstates);
    if (c->contention && !c->contend_mreq_only && page_contended(c, contend_as) && c->tstates < c->contention_len)
        c->tstates += c->contention[c->tstates];
}

static inline void port_pre(z80_t *c, uint16_t port) {
    if (page_contended(c, port)) port_point(c, port, port);
    c->tstates += 1;
}

static inline void port_post(z80_t *c, uint16_t port) {
    if (port & 1) {
        if (page_contended(c, port)) {
            for (int i = 0; i < 3; i++) {
                port_point(c, port, port);
                c->tstates += 1;
            }
        } else {
            c->tstates += 3;
        }
    } else {
        port_point(c, port, 0x4000);
        c->tstates += 3;
    }
}

uint8_t z80i_port_in(z80_t *c, uint16_t port) {
    port_pre(c, port);
    uint8_t v = c->port_in ? c->port_in(c->user, port, c->tstates) : 0xff;
    if (c->trace) c->trace(c->user, Z80_EV_PR, port, v, c->tstates);
    port_post(c, port);
    return v;
}

void z80i_port_out(z80_t *c, uint16_t port, uint8_t v) {
    port_pre(c, port);
    if (c->trace) c->trace(c->user, Z80_EV_PW, port, v, c->tstates);
    if (c->port_out) c->port_out(c->user, port, v, c->tstates);
    port_post(c, port);
}

/* ---- interrupts ---------------------------------------------------- */

/* NMI: 5 T acknowledge (an M1 without fetch) then the push: 11 T in all.
 * IFF1 is reset, IFF2 keeps the old state for RETN (FUSE z80_nmi). */
static void accept_nmi(z80_t *c) {
    c->nmi_pending = 0;
    if (c->halted) { c->pc++; c->halted = 0; }
    c->iff1 = 0;
    c->iff2_read = 0;
    z80i_inc_r(c);
    c->tstates += 5;
    z80i_push(c, c->pc);
    c->q = 0;
    c->pc = 0x0066; /* WZ untouched, as in FUSE */
}

/* /INT acknowledge: an M1 of 4 T plus 2 wait states, plus one T to
 * decrement SP before the push (FUSE z80_interrupt: "tstates += 7").
 * IM 1: 13 T. IM 2: 19 T (vector read from I*256 + data bus).
 * IM 0: the byte on the data bus is executed; 0xFF is RST 38 (13 T). */
static void accept_int(z80_t *c) {
    if (c->iff2_read) {
        /* NMOS Z80: LD A,I / LD A,R right before an accepted interrupt
         * copies IFF2 after it has been cleared (FUSE z80_interrupt). */
        F &= (uint8_t)~Z80_PF;
    }
    c->iff2_read = 0;
    if (c->halted) { c->pc++; c->halted = 0; }
    c->iff1 = c->iff2 = 0;
    z80i_inc_r(c);
    c->q = 0;
    if (c->im == 0 && (c->int_data & 0xc7) != 0xc7) {
        /* A non-RST opcode on the bus: run it with the 2 extra T of the
         * acknowledge cycle; further operand bytes come from PC. */
        c->tstates += 6;
        z80i_exec_base(c, c->int_data);
        return;
    }
    c->tstates += 7;
    z80i_push(c, c->pc);
    if (c->im == 2) {
        uint16_t vec = (uint16_t)((c->i << 8) | c->int_data);
        c->pc = z80i_read16(c, vec);
    } else if (c->im == 1) {
        c->pc = 0x0038;
    } else {
        c->pc = c->int_data & 0x38;
    }
    c->wz = c->pc;
}

/* ---- stepping ------------------------------------------------------ */

uint32_t z80_step(z80_t *cpu) {
    z80_t *c = cpu;
    uint32_t t0 = c->tstates;
    if (Z80_UNLIKELY(c->nmi_pending)) {
        accept_nmi(c);
        return c->tstates - t0;
    }
    if (Z80_UNLIKELY(c->iff1 && c->tstates < c->int_until && !c->ei_delay)) {
        accept_int(c);
        return c->tstates - t0;
    }
    c->ei_delay = 0;
    c->iff2_read = 0;
    z80i_exec_base(c, z80i_fetch(c));
    c->instructions++;
    return c->tstates - t0;
}

/* HALT re-executes its own opcode (4 T, R+1) until an interrupt. When
 * nothing can observe those fetches (no trace, no contention on the HALT's
 * page) and no interrupt can arrive before `until`, skip them at once. */
static void halt_fast_forward(z80_t *c, uint32_t until) {
    if (c->trace || c->nmi_pending) return;
    if (c->contention && page_contended(c, c->pc)) return;
    if (c->iff1 && c->tstates < c->int_until) return;
    if (c->trap_pc == c->pc) return;
    if (c->tstates + 4 >= until) return;
    uint32_t n = (until - c->tstates + 3) / 4 - 1; /* leave the last to step */
    c->tstates += 4 * n;
    c->r = (uint8_t)((c->r & 0x80) | ((c->r + n) & 0x7f));
    c->instructions += n;
    c->ei_delay = 0;
    c->iff2_read = 0;
    c->q = 0;
}

void z80_run(z80_t *cpu, uint32_t until) {
    while (cpu->tstates < until) {
        if (Z80_UNLIKELY((int32_t)cpu->pc == cpu->trap_pc)) return;
        if (Z80_UNLIKELY(cpu->halted)) halt_fast_forward(cpu, until);
        z80_step(cpu);
    }
}
