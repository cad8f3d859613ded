/*
 * wb_z80_ops_ed.c: ED-prefixed instructions, mirroring core/cpu/z80/z80_ops_ed.c
 * access for access (block transfers, compares and I/O with their repeat
 * edges; LD A,I/R, LD I/R,A; RRD/RLD).
 */
#include "z80/wb_z80_emit.h"

#include <stddef.h>

#include "cpu/z80/z80.h"

static uint16_t _opnd(const z80_insn_t *in) { return (uint16_t)(in->pc + in->r_incr); }
static uint16_t _next(const z80_insn_t *in) { return (uint16_t)(in->pc + in->length); }

/* Where a repeating block instruction goes back to: its ED byte, PC - 2 as
 * the interpreter computes it. A DD/FD prefix in front (DD ED B0) belongs to
 * the decoded instruction but is dropped by the ED fetch, so the repeat
 * runs ED B0 alone, not the prefix again. */
static uint16_t _repeat_pc(const z80_insn_t *in) { return (uint16_t)(in->pc + in->length - 2); }

/* On the repeat edge of the eight repeating block instructions, after the 5
 * extra T: MEMPTR = PC + 1 and F bits 5 and 3 from bits 13 and 11 of PC,
 * the instruction's ED byte, so both are constants here (David Banks 2018;
 * see core/cpu/z80/z80_ops_ed.c, _block_repeat, for the sources). */
static void _block_repeat(wb_ctx_t *c, const z80_insn_t *in) {
    uint16_t pc = _repeat_pc(in);
    wb_set(&c->b, L_WZ, wb_i32(&c->b, (uint16_t)(pc + 1)));
    wb_set(&c->b, L_F, wb_or(&c->b, wb_and(&c->b, wb_get(&c->b, L_F), (uint8_t)~(Z80_YF | Z80_XF)),
                             wb_i32(&c->b, (pc >> 8) & (Z80_YF | Z80_XF))));
}

/* LDI/LDD/LDIR/LDDR */
static void _ldx(wb_ctx_t *c, const z80_insn_t *in, int dir, bool rep) {
    int hl = wb_tee_temp(&c->b, wb_rp(c, RP_HL));
    int de = wb_tee_temp(&c->b, wb_rp(c, RP_DE));
    int v = wb_read(c, wb_addr_local(hl));
    wb_write(c, wb_addr_local(de), wb_get(&c->b, v));
    wb_idle(c, wb_addr_local(de), 2);
    wb_set_rp(c, RP_BC, wb_and(&c->b, wb_sub(&c->b, wb_rp(c, RP_BC), wb_i32(&c->b, 1)), 0xffff));
    uint8_t w = Z80_NF | Z80_PF | Z80_XF | Z80_HF | Z80_YF;
    if (rep) c->live = 0xff;
    if (wb_need(c, w)) {
        int n = wb_tee_temp(&c->b, wb_add(&c->b, wb_get(&c->b, v), wb_get(&c->b, L_A)));
        wbx_t f = wb_shl(&c->b, wb_ne0(&c->b, wb_or(&c->b, wb_get(&c->b, L_B), wb_get(&c->b, L_C))), 2);
        f = wb_or(&c->b, f, wb_and(&c->b, wb_get(&c->b, n), Z80_XF));
        f = wb_or(&c->b, f, wb_shl(&c->b, wb_and(&c->b, wb_get(&c->b, n), 0x02), 4));
        wb_setf(c, w, f);
    }
    wb_set_rp(c, RP_HL, wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, hl), wb_i32(&c->b, dir)), 0xffff));
    wb_set_rp(c, RP_DE, wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, de), wb_i32(&c->b, dir)), 0xffff));
    if (!rep) return;
    wb_edge_begin(c, wb_ne0(&c->b, wb_or(&c->b, wb_get(&c->b, L_B), wb_get(&c->b, L_C))));
    wb_idle(c, wb_addr_local(de), 5);
    _block_repeat(c, in);
    wb_edge_end(c, 0, _repeat_pc(in));
    wb_edge_begin(c, NULL);
    wb_edge_end(c, 0, _next(in));
}

/* CPI/CPD/CPIR/CPDR */
static void _cpx(wb_ctx_t *c, const z80_insn_t *in, int dir, bool rep) {
    int hl = wb_tee_temp(&c->b, wb_rp(c, RP_HL));
    int v = wb_read(c, wb_addr_local(hl));
    int r = wb_tee_temp(&c->b, wb_and(&c->b, wb_sub(&c->b, wb_get(&c->b, L_A), wb_get(&c->b, v)), 0xff));
    wb_idle(c, wb_addr_local(hl), 5);
    wb_set_rp(c, RP_BC, wb_and(&c->b, wb_sub(&c->b, wb_rp(c, RP_BC), wb_i32(&c->b, 1)), 0xffff));
    wbx_t f = wb_or(&c->b, wb_and(&c->b, wb_get(&c->b, L_F), Z80_CF), wb_i32(&c->b, Z80_NF));
    f = wb_or(&c->b, f, wb_shl(&c->b, wb_ne0(&c->b, wb_or(&c->b, wb_get(&c->b, L_B), wb_get(&c->b, L_C))), 2));
    f = wb_or(&c->b, f, wb_and(&c->b, wb_xor(&c->b, wb_xor(&c->b, wb_get(&c->b, L_A), wb_get(&c->b, v)), wb_get(&c->b, r)), Z80_HF));
    f = wb_or(&c->b, f, wb_shl(&c->b, wb_eqz(&c->b, wb_get(&c->b, r)), 6));
    f = wb_or(&c->b, f, wb_and(&c->b, wb_get(&c->b, r), Z80_SF));
    int fl = wb_tee_temp(&c->b, f);
    /* if H: r-- ; bits 3 and 5 from bits 3 and 1 of r */
    int r2 = wb_tee_temp(&c->b, wb_sub(&c->b, wb_get(&c->b, r), wb_shr(&c->b, wb_and(&c->b, wb_get(&c->b, fl), Z80_HF), 4)));
    wb_set(&c->b, L_F, wb_or(&c->b, wb_get(&c->b, fl), wb_or(&c->b, wb_and(&c->b, wb_get(&c->b, r2), Z80_XF), wb_shl(&c->b, wb_and(&c->b, wb_get(&c->b, r2), 0x02), 4))));
    wb_set_rp(c, RP_HL, wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, hl), wb_i32(&c->b, dir)), 0xffff));
    wbx_t wz_step = wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, L_WZ), wb_i32(&c->b, dir)), 0xffff);
    if (!rep) {
        wb_set(&c->b, L_WZ, wz_step);
        return;
    }
    wb_edge_begin(c, wb_bin(&c->b, WB_I32_EQ, wb_and(&c->b, wb_get(&c->b, L_F), Z80_VF | Z80_ZF), wb_i32(&c->b, Z80_VF)));
    wb_idle(c, wb_addr_local(hl), 5);
    _block_repeat(c, in);
    wb_edge_end(c, 0, _repeat_pc(in));
    wb_edge_begin(c, NULL);
    wb_set(&c->b, L_WZ, wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, L_WZ), wb_i32(&c->b, dir)), 0xffff));
    wb_edge_end(c, 0, _next(in));
}

/* INI/IND/OUTI/OUTD flags (Sean Young 4.3): k = value + ((C +/- 1) & 255)
 * for input, value + L (after HL moved) for output; B already decremented.
 * The repeating forms set the same flags, and their repeat step changes
 * some of them again (_io_repeat). */
static void _io_flags(wb_ctx_t *c, int v, wbx_t k_value) {
    if (!wb_need(c, 0xff)) return;
    int k = wb_tee_temp(&c->b, k_value);
    wbx_t f = wb_shr(&c->b, wb_and(&c->b, wb_get(&c->b, v), 0x80), 6); /* N */
    f = wb_or(&c->b, f, wb_bin(&c->b, WB_I32_MUL, wb_shr(&c->b, wb_get(&c->b, k), 8), wb_i32(&c->b, Z80_HF | Z80_CF)));
    f = wb_or(&c->b, f, wb_parity(c, wb_xor(&c->b, wb_and(&c->b, wb_get(&c->b, k), 7), wb_get(&c->b, L_B))));
    f = wb_or(&c->b, f, wb_sz53(c, wb_get(&c->b, L_B)));
    wb_setf(c, 0xff, f);
}

/* The repeat of INIR & co: while B != 0, 5 more T at addr and PC back,
 * with _block_repeat's MEMPTR and F bits 5/3, and H and P/V recomputed from
 * B (decremented), the step's carry and bit 7 of the byte moved v, as the
 * interpreter's _io_repeat_flags does (Banks 2018; MAME z80.cpp
 * block_io_interrupted_flags()), here without branches: with n = v >> 7 and
 * cy the carry, the parity term is (B + cy * (1 - 2n)) & 7, H is
 * cy & ((B ^ (n - 1)) & 15 == 0) (B & 15 == 0 when n, == 15 when not), and
 * P/V is set when the step's P/V equals the term's even parity. */
static void _io_repeat(wb_ctx_t *c, const z80_insn_t *in, int addr, int v) {
    wb_edge_begin(c, wb_ne0(&c->b, wb_get(&c->b, L_B)));
    wb_idle(c, wb_addr_local(addr), 5);
    _block_repeat(c, in);
    int f = wb_tee_temp(&c->b, wb_get(&c->b, L_F));
    int cy = wb_tee_temp(&c->b, wb_and(&c->b, wb_get(&c->b, f), Z80_CF));
    int n = wb_tee_temp(&c->b, wb_shr(&c->b, wb_get(&c->b, v), 7));
    wbx_t step = wb_sub(&c->b, wb_get(&c->b, cy), wb_shl(&c->b, wb_bin(&c->b, WB_I32_AND, wb_get(&c->b, cy), wb_get(&c->b, n)), 1));
    wbx_t term = wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, L_B), step), 7);
    wbx_t pv = wb_xor(&c->b, wb_and(&c->b, wb_xor(&c->b, wb_get(&c->b, f), wb_parity(c, term)), Z80_PF), wb_i32(&c->b, Z80_PF));
    wbx_t h_at = wb_eqz(&c->b, wb_and(&c->b, wb_xor(&c->b, wb_get(&c->b, L_B), wb_sub(&c->b, wb_get(&c->b, n), wb_i32(&c->b, 1))), 0x0f));
    wbx_t h = wb_shl(&c->b, wb_bin(&c->b, WB_I32_AND, wb_get(&c->b, cy), h_at), 4);
    wb_set(&c->b, L_F, wb_or(&c->b, wb_and(&c->b, wb_get(&c->b, f), (uint8_t)~(Z80_HF | Z80_PF)), wb_or(&c->b, h, pv)));
    wb_edge_end(c, 0, _repeat_pc(in));
    wb_edge_begin(c, NULL);
    wb_edge_end(c, 0, _next(in));
}

/* INI/IND/INIR/INDR */
static void _inx(wb_ctx_t *c, const z80_insn_t *in, int dir, bool rep) {
    wb_idle(c, wb_addr_ir(), 1);
    int bc = wb_tee_temp(&c->b, wb_rp(c, RP_BC));
    int v = wb_port_in(c, bc);
    int hl = wb_tee_temp(&c->b, wb_rp(c, RP_HL));
    wb_write(c, wb_addr_local(hl), wb_get(&c->b, v));
    wb_set(&c->b, L_WZ, wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, bc), wb_i32(&c->b, dir)), 0xffff));
    wb_set(&c->b, L_B, wb_and(&c->b, wb_sub(&c->b, wb_get(&c->b, L_B), wb_i32(&c->b, 1)), 0xff));
    _io_flags(c, v, wb_add(&c->b, wb_get(&c->b, v), wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, L_C), wb_i32(&c->b, dir)), 0xff)));
    wb_set_rp(c, RP_HL, wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, hl), wb_i32(&c->b, dir)), 0xffff));
    if (rep) _io_repeat(c, in, hl, v);
}

/* OUTI/OUTD/OTIR/OTDR: B is decremented before the port write (FUSE). */
static void _outx(wb_ctx_t *c, const z80_insn_t *in, int dir, bool rep) {
    wb_idle(c, wb_addr_ir(), 1);
    int hl = wb_tee_temp(&c->b, wb_rp(c, RP_HL));
    int v = wb_read(c, wb_addr_local(hl));
    wb_set(&c->b, L_B, wb_and(&c->b, wb_sub(&c->b, wb_get(&c->b, L_B), wb_i32(&c->b, 1)), 0xff));
    int bc = wb_tee_temp(&c->b, wb_rp(c, RP_BC));
    wb_set(&c->b, L_WZ, wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, bc), wb_i32(&c->b, dir)), 0xffff));
    wb_port_out(c, bc, wb_get(&c->b, v));
    wb_set_rp(c, RP_HL, wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, hl), wb_i32(&c->b, dir)), 0xffff));
    _io_flags(c, v, wb_add(&c->b, wb_get(&c->b, v), wb_get(&c->b, L_L)));
    if (rep) _io_repeat(c, in, bc, v);
}

void wb_emit_ed(wb_ctx_t *c, const z80_insn_t *in, bool last) {
    (void)last;
    int op = in->opcode, x = op >> 6, y = (op >> 3) & 7, z = op & 7, p = y >> 1, q = y & 1;
    static const int rp_of[4] = {RP_BC, RP_DE, RP_HL, RP_SP};
    uint16_t o = _opnd(in);
    if (x == 2 && z <= 3 && y >= 4) {
        int dir = (y & 1) ? -1 : 1;
        bool rep = y >= 6;
        switch (z) {
        case 0: _ldx(c, in, dir, rep); break;
        case 1: _cpx(c, in, dir, rep); break;
        case 2: _inx(c, in, dir, rep); break;
        default: _outx(c, in, dir, rep); break;
        }
        return;
    }
    if (x != 1) return; /* undefined: an 8 T NOP (the two M1s are done) */
    switch (z) {
    case 0: {
        int port = wb_tee_temp(&c->b, wb_rp(c, RP_BC));
        wb_set(&c->b, L_WZ, wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, port), wb_i32(&c->b, 1)), 0xffff));
        int v = wb_port_in(c, port);
        wb_setf(c, 0xff & ~Z80_CF, wb_sz53p(c, wb_get(&c->b, v)));
        if (y != 6) wb_set_r8(c, y, wb_get(&c->b, v));
        return;
    }
    case 1: {
        int port = wb_tee_temp(&c->b, wb_rp(c, RP_BC));
        wb_port_out(c, port, y == 6 ? wb_i32(&c->b, 0) : wb_r8(c, y));
        wb_set(&c->b, L_WZ, wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, port), wb_i32(&c->b, 1)), 0xffff));
        return;
    }
    case 2:
        wb_idle(c, wb_addr_ir(), 7);
        wb_adc16(c, wb_rp(c, rp_of[p]), q == 0);
        return;
    case 3:
        wb_ld_nn_rp(c, in, o, rp_of[p], q == 0);
        return;
    case 4: {
        int v = wb_tee_temp(&c->b, wb_get(&c->b, L_A));
        wb_set(&c->b, L_A, wb_i32(&c->b, 0));
        wb_alu8(c, 2, wb_get(&c->b, v));
        return;
    }
    case 5: {
        wb_cpu_store(c, 1, CPU_OFF(iff1), wb_cpu_load(c, 1, CPU_OFF(iff2)));
        wb_edge_begin(c, NULL);
        int v = wb_pop(c);
        wb_set(&c->b, L_PC, wb_get(&c->b, v));
        wb_set(&c->b, L_WZ, wb_get(&c->b, v));
        wb_edge_end(c, 1, 0);
        return;
    }
    case 6: {
        static const int im[8] = {0, 0, 1, 2, 0, 0, 1, 2};
        wb_cpu_store(c, 1, CPU_OFF(im), wb_i32(&c->b, im[y]));
        return;
    }
    default:
        switch (y) {
        case 0: /* LD I,A */
            wb_idle(c, wb_addr_ir(), 1);
            wb_cpu_store(c, 1, CPU_OFF(i), wb_get(&c->b, L_A));
            return;
        case 1: /* LD R,A: this instruction's increments are overwritten too */
            wb_idle(c, wb_addr_ir(), 1);
            c->pend_r = 0;
            wb_set_r(c, wb_get(&c->b, L_A));
            return;
        case 2: case 3: /* LD A,I / LD A,R (R after this instruction's M1s); P/V = IFF2 */
            wb_idle(c, wb_addr_ir(), 1);
            wb_set(&c->b, L_A, y == 2 ? wb_cpu_load(c, 1, CPU_OFF(i)) : wb_rnow(c));
            wb_setf(c, 0xff & ~Z80_CF, wb_or(&c->b, wb_sz53(c, wb_get(&c->b, L_A)),
                                            wb_shl(&c->b, wb_ne0(&c->b, wb_cpu_load(c, 1, CPU_OFF(iff2))), 2)));
            c->xb |= WB_XB_IFF2_READ;
            return;
        case 4: case 5: { /* RRD / RLD */
            int hl = wb_tee_temp(&c->b, wb_rp(c, RP_HL));
            int v = wb_read(c, wb_addr_local(hl));
            wb_idle(c, wb_addr_local(hl), 4);
            int a = wb_tee_temp(&c->b, wb_get(&c->b, L_A));
            if (y == 4) {
                wb_write(c, wb_addr_local(hl), wb_and(&c->b, wb_or(&c->b, wb_shl(&c->b, wb_get(&c->b, a), 4), wb_shr(&c->b, wb_get(&c->b, v), 4)), 0xff));
                wb_set(&c->b, L_A, wb_or(&c->b, wb_and(&c->b, wb_get(&c->b, a), 0xf0), wb_and(&c->b, wb_get(&c->b, v), 0x0f)));
            } else {
                wb_write(c, wb_addr_local(hl), wb_and(&c->b, wb_or(&c->b, wb_shl(&c->b, wb_get(&c->b, v), 4), wb_and(&c->b, wb_get(&c->b, a), 0x0f)), 0xff));
                wb_set(&c->b, L_A, wb_or(&c->b, wb_and(&c->b, wb_get(&c->b, a), 0xf0), wb_shr(&c->b, wb_get(&c->b, v), 4)));
            }
            wb_setf(c, 0xff & ~Z80_CF, wb_sz53p(c, wb_get(&c->b, L_A)));
            wb_set(&c->b, L_WZ, wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, hl), wb_i32(&c->b, 1)), 0xffff));
            return;
        }
        default: return; /* ED 77/7F: NOPs */
        }
    }
}
