/*
 * wb_z80_ops.c: unprefixed, CB, DD/FD and DD CB/FD CB instructions. Each
 * case mirrors its interpreter counterpart (core/z80_ops_*.c) access for
 * access, so timing and bus events come out in the same order. The last
 * instruction of a block describes its ways out (wb_edge_begin/end); the
 * taken and not-taken timing of conditional branches lives on the edges.
 */
#include "z80/wb_z80_emit.h"

#include <stddef.h>

#include "cpu/z80/z80.h"

/* Register code of the low/high 3 bits for the given index mode (H/L become
 * the index halves outside the memory forms). */
static int _r8m(int code, int mode) {
    if (mode == 1 && (code == 4 || code == 5)) return code == 4 ? R8_IXH : R8_IXL;
    if (mode == 2 && (code == 4 || code == 5)) return code == 4 ? R8_IYH : R8_IYL;
    return code;
}

static int _rpm(int p, int mode) {
    if (p == 2) return mode == 1 ? RP_IX : mode == 2 ? RP_IY : RP_HL;
    return p;
}

static uint16_t _opnd(const z80_insn_t *in) { return (uint16_t)(in->pc + in->r_incr); }
static uint16_t _next(const z80_insn_t *in) { return (uint16_t)(in->pc + in->length); }

/* Address of the (HL) / (IX+d) operand in a temp; (IX+d) reads d and
 * spends 5 internal T at its address, and sets WZ. */
static int _memop(wb_ctx_t *c, const z80_insn_t *in, int mode) {
    if (mode == 0) return wb_tee_temp(&c->b, wb_rp(c, RP_HL));
    uint16_t dpc = _opnd(in);
    wb_read_imm(c, dpc);
    wb_idle(c, wb_addr_const(dpc), 5);
    wb_set(&c->b, L_WZ, wb_and(&c->b, wb_add(&c->b, wb_rp(c, _rpm(2, mode)), wb_i32(&c->b, in->disp)), 0xffff));
    return wb_tee_temp(&c->b, wb_get(&c->b, L_WZ));
}

static void _jump(wb_ctx_t *c, wbx_t cond, uint16_t target) {
    wb_edge_begin(c, cond);
    wb_edge_end(c, 0, target);
}

/* JR/DJNZ: taken reads d then 5 internal T at its address; not taken is a
 * read cycle without data. */
static void _jr(wb_ctx_t *c, const z80_insn_t *in, wbx_t cond) {
    uint16_t dpc = _opnd(in);
    wb_edge_begin(c, cond);
    wb_read_imm(c, dpc);
    wb_idle(c, wb_addr_const(dpc), 5);
    wb_set(&c->b, L_WZ, wb_i32(&c->b, in->target));
    wb_edge_end(c, 0, in->target);
    if (cond) {
        wb_edge_begin(c, NULL);
        wb_contend_only(c, wb_addr_const(dpc), 3);
        wb_edge_end(c, 0, _next(in));
    }
}

/* JP to an operand: a static target, or (load form) the one read at run
 * time, which leaves the function through L_PC. */
static void _jump_opnd(wb_ctx_t *c, wbx_t cond, wb_opnd_t nn) {
    if (!wb_opnd_loaded(nn)) {
        _jump(c, cond, nn.konst);
        return;
    }
    wb_set(&c->b, L_PC, wb_opnd(c, nn));
    wb_edge_begin(c, cond);
    wb_edge_end(c, 1, 0);
}

static void _call(wb_ctx_t *c, const z80_insn_t *in, wbx_t cond) {
    uint16_t o = _opnd(in);
    wb_opnd_t nn = wb_read_opnd16(c, o, in->imm16);
    wb_set(&c->b, L_WZ, wb_opnd(c, nn));
    if (wb_opnd_loaded(nn)) wb_set(&c->b, L_PC, wb_opnd(c, nn));
    wb_edge_begin(c, cond);
    wb_idle(c, wb_addr_const((uint16_t)(o + 1)), 1);
    wb_push(c, wb_i32(&c->b, _next(in)));
    wb_edge_end(c, wb_opnd_loaded(nn), in->imm16);
    if (cond) _jump(c, NULL, _next(in));
}

static void _ret_taken(wb_ctx_t *c) {
    int v = wb_pop(c);
    wb_set(&c->b, L_PC, wb_get(&c->b, v));
    wb_set(&c->b, L_WZ, wb_get(&c->b, v));
    wb_edge_end(c, 1, 0);
}

static void _scf_ccf(wb_ctx_t *c, bool ccf) {
    /* bits 3,5 = ((lastq ^ F) | A) on NMOS: lastq is the previous F when
     * that instruction set flags, else 0 */
    wbx_t x;
    if (c->qs == QS_F) x = wb_get(&c->b, L_A);
    else if (c->qs == QS_ZERO) x = wb_or(&c->b, wb_get(&c->b, L_F), wb_get(&c->b, L_A));
    else x = wb_or(&c->b, wb_xor(&c->b, wb_get(&c->b, L_Q), wb_get(&c->b, L_F)), wb_get(&c->b, L_A));
    x = wb_and(&c->b, x, Z80_XF | Z80_YF);
    uint8_t w = Z80_CF | Z80_NF | Z80_HF | Z80_XF | Z80_YF;
    if (!ccf) {
        wb_setf(c, w, wb_or(&c->b, x, wb_i32(&c->b, Z80_CF)));
    } else {
        /* C set: H; C clear: C */
        wbx_t cf = wb_and(&c->b, wb_get(&c->b, L_F), Z80_CF);
        wb_setf(c, w, wb_or(&c->b, x, wbi_select(c->b.m, cf, wb_i32(&c->b, Z80_HF), wb_i32(&c->b, Z80_CF))));
    }
}

/* DAA (FUSE's formulation): adjust by 0x06 if H or the low digit > 9, by
 * 0x60 if C or A > 0x99 (which also sets C); add, or subtract after a
 * subtraction (N, kept). H from the adjusting add/sub, P is parity. */
static void _daa(wb_ctx_t *c) {
    int a = wb_tee_temp(&c->b, wb_get(&c->b, L_A));
    wbx_t low = wb_or(&c->b, wb_and(&c->b, wb_get(&c->b, L_F), Z80_HF),
                      wb_bin(&c->b, WB_I32_GT_U, wb_and(&c->b, wb_get(&c->b, a), 0x0f), wb_i32(&c->b, 9)));
    wbx_t high = wb_or(&c->b, wb_and(&c->b, wb_get(&c->b, L_F), Z80_CF),
                       wb_bin(&c->b, WB_I32_GT_U, wb_get(&c->b, a), wb_i32(&c->b, 0x99)));
    int cy = wb_tee_temp(&c->b, wb_ne0(&c->b, high)); /* 0/1: Z80_CF */
    int add = wb_tee_temp(&c->b, wb_or(&c->b, wbi_select(c->b.m, low, wb_i32(&c->b, 0x06), wb_i32(&c->b, 0)),
                                   wb_bin(&c->b, WB_I32_MUL, wb_get(&c->b, cy), wb_i32(&c->b, 0x60))));
    int r = wb_tee_temp(&c->b, wbi_select(c->b.m, wb_and(&c->b, wb_get(&c->b, L_F), Z80_NF),
                                          wb_sub(&c->b, wb_get(&c->b, a), wb_get(&c->b, add)),
                                          wb_add(&c->b, wb_get(&c->b, a), wb_get(&c->b, add))));
    wb_set(&c->b, L_A, wb_and(&c->b, wb_get(&c->b, r), 0xff));
    uint8_t w = 0xff & ~Z80_NF;
    if (wb_need(c, w)) {
        wbx_t f = wb_or(&c->b, wb_sz53p(c, wb_get(&c->b, L_A)), wb_get(&c->b, cy));
        f = wb_or(&c->b, f, wb_and(&c->b, wb_xor(&c->b, wb_xor(&c->b, wb_get(&c->b, a), wb_get(&c->b, add)), wb_get(&c->b, r)), Z80_HF));
        wb_setf(c, w, f);
    }
}

static void _rot_a(wb_ctx_t *c, int y) {
    int a = wb_tee_temp(&c->b, wb_get(&c->b, L_A));
    wbx_t r, cf;
    switch (y) {
    case 0: r = wb_or(&c->b, wb_shl(&c->b, wb_get(&c->b, a), 1), wb_shr(&c->b, wb_get(&c->b, a), 7)); cf = wb_shr(&c->b, wb_get(&c->b, a), 7); break;
    case 1: r = wb_or(&c->b, wb_shr(&c->b, wb_get(&c->b, a), 1), wb_shl(&c->b, wb_get(&c->b, a), 7)); cf = wb_and(&c->b, wb_get(&c->b, a), 1); break;
    case 2: r = wb_or(&c->b, wb_shl(&c->b, wb_get(&c->b, a), 1), wb_and(&c->b, wb_get(&c->b, L_F), Z80_CF)); cf = wb_shr(&c->b, wb_get(&c->b, a), 7); break;
    default: r = wb_or(&c->b, wb_shr(&c->b, wb_get(&c->b, a), 1), wb_shl(&c->b, wb_and(&c->b, wb_get(&c->b, L_F), 1), 7)); cf = wb_and(&c->b, wb_get(&c->b, a), 1); break;
    }
    wb_set(&c->b, L_A, wb_and(&c->b, r, 0xff));
    wb_setf(c, Z80_CF | Z80_NF | Z80_HF | Z80_XF | Z80_YF, wb_or(&c->b, wb_and(&c->b, wb_get(&c->b, L_A), Z80_XF | Z80_YF), cf));
}

static void _exx_swap(wb_ctx_t *c, int rp, uint32_t off) {
    int t = wb_tee_temp(&c->b, wb_cpu_load(c, 2, off));
    wb_cpu_store(c, 2, off, wb_rp(c, rp));
    wb_set_rp(c, rp, wb_get(&c->b, t));
}

void wb_ld_nn_rp(wb_ctx_t *c, const z80_insn_t *in, uint16_t o, int rp, bool store) {
    uint16_t nn = in->imm16, n1 = (uint16_t)(nn + 1);
    wb_opnd_t addr = wb_read_opnd16(c, o, nn);
    if (wb_opnd_loaded(addr)) { /* the load form: the address as read at run time */
        int a1 = wb_tee_temp(&c->b, wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, addr.temp), wb_i32(&c->b, 1)), 0xffff));
        if (store) {
            int v = wb_tee_temp(&c->b, wb_rp(c, rp));
            wb_write(c, wb_addr_local(addr.temp), wb_and(&c->b, wb_get(&c->b, v), 0xff));
            wb_set(&c->b, L_WZ, wb_get(&c->b, a1));
            wb_write(c, wb_addr_local(a1), wb_shr(&c->b, wb_get(&c->b, v), 8));
        } else {
            int lo = wb_read(c, wb_addr_local(addr.temp));
            wb_set(&c->b, L_WZ, wb_get(&c->b, a1));
            int hi = wb_read(c, wb_addr_local(a1));
            wb_set_rp(c, rp, wb_or(&c->b, wb_get(&c->b, lo), wb_shl(&c->b, wb_get(&c->b, hi), 8)));
        }
        return;
    }
    if (store) {
        int v = wb_tee_temp(&c->b, wb_rp(c, rp));
        wb_write(c, wb_addr_const(nn), wb_and(&c->b, wb_get(&c->b, v), 0xff));
        wb_set(&c->b, L_WZ, wb_i32(&c->b, n1));
        wb_write(c, wb_addr_const(n1), wb_shr(&c->b, wb_get(&c->b, v), 8));
    } else {
        int lo = wb_read(c, wb_addr_const(nn));
        wb_set(&c->b, L_WZ, wb_i32(&c->b, n1));
        int hi = wb_read(c, wb_addr_const(n1));
        wb_set_rp(c, rp, wb_or(&c->b, wb_get(&c->b, lo), wb_shl(&c->b, wb_get(&c->b, hi), 8)));
    }
}

static void _base(wb_ctx_t *c, const z80_insn_t *in, int mode) {
    int op = in->opcode, x = op >> 6, y = (op >> 3) & 7, z = op & 7, p = y >> 1, q = y & 1;
    uint16_t o = _opnd(in);
    switch (x) {
    case 0:
        switch (z) {
        case 0:
            if (y == 0) return;
            if (y == 1) { _exx_swap(c, RP_AF, CPU_OFF(af_)); return; }
            if (y == 2) {
                wb_idle(c, wb_addr_ir(), 1);
                wb_set(&c->b, L_B, wb_and(&c->b, wb_sub(&c->b, wb_get(&c->b, L_B), wb_i32(&c->b, 1)), 0xff));
                _jr(c, in, wb_ne0(&c->b, wb_get(&c->b, L_B)));
                return;
            }
            if (y == 3) { _jr(c, in, NULL); return; }
            _jr(c, in, wb_cond(c, y - 4));
            return;
        case 1:
            if (q == 0) {
                wb_opnd_t nn = wb_read_opnd16(c, o, in->imm16);
                wb_set_rp(c, _rpm(p, mode), wb_opnd(c, nn));
            } else {
                wb_idle(c, wb_addr_ir(), 7);
                int r = wb_add16(c, wb_rp(c, _rpm(2, mode)), wb_rp(c, _rpm(p, mode)));
                wb_set_rp(c, _rpm(2, mode), wb_get(&c->b, r));
            }
            return;
        case 2: {
            int rp = y < 2 ? RP_BC : RP_DE;
            switch (y) {
            case 0: case 2: {
                int a = wb_tee_temp(&c->b, wb_rp(c, rp));
                wb_set(&c->b, L_WZ, wb_or(&c->b, wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, a), wb_i32(&c->b, 1)), 0xff), wb_shl(&c->b, wb_get(&c->b, L_A), 8)));
                wb_write(c, wb_addr_local(a), wb_get(&c->b, L_A));
                return;
            }
            case 1: case 3: {
                int a = wb_tee_temp(&c->b, wb_rp(c, rp));
                wb_set(&c->b, L_WZ, wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, a), wb_i32(&c->b, 1)), 0xffff));
                int v = wb_read(c, wb_addr_local(a));
                wb_set(&c->b, L_A, wb_get(&c->b, v));
                return;
            }
            case 4: case 5: {
                wb_ld_nn_rp(c, in, o, _rpm(2, mode), y == 4);
                return;
            }
            case 6: {
                wb_opnd_t nn = wb_read_opnd16(c, o, in->imm16);
                if (wb_opnd_loaded(nn)) {
                    wbx_t low = wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, nn.temp), wb_i32(&c->b, 1)), 0xff);
                    wb_set(&c->b, L_WZ, wb_or(&c->b, low, wb_shl(&c->b, wb_get(&c->b, L_A), 8)));
                    wb_write(c, wb_addr_local(nn.temp), wb_get(&c->b, L_A));
                    return;
                }
                wb_set(&c->b, L_WZ, wb_or(&c->b, wb_i32(&c->b, (in->imm16 + 1) & 0xff), wb_shl(&c->b, wb_get(&c->b, L_A), 8)));
                wb_write(c, wb_addr_const(in->imm16), wb_get(&c->b, L_A));
                return;
            }
            default: {
                wb_opnd_t nn = wb_read_opnd16(c, o, in->imm16);
                if (wb_opnd_loaded(nn)) {
                    int v = wb_read(c, wb_addr_local(nn.temp));
                    wb_set(&c->b, L_A, wb_get(&c->b, v));
                    wb_set(&c->b, L_WZ, wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, nn.temp), wb_i32(&c->b, 1)), 0xffff));
                    return;
                }
                int v = wb_read(c, wb_addr_const(in->imm16));
                wb_set(&c->b, L_A, wb_get(&c->b, v));
                wb_set(&c->b, L_WZ, wb_i32(&c->b, (uint16_t)(in->imm16 + 1)));
                return;
            }
            }
        }
        case 3: {
            int rp = _rpm(p, mode);
            wb_idle(c, wb_addr_ir(), 2);
            wbx_t v = q ? wb_sub(&c->b, wb_rp(c, rp), wb_i32(&c->b, 1)) : wb_add(&c->b, wb_rp(c, rp), wb_i32(&c->b, 1));
            wb_set_rp(c, rp, wb_and(&c->b, v, 0xffff));
            return;
        }
        case 4: case 5:
            if (y == 6) {
                int a = _memop(c, in, mode);
                int v = wb_read(c, wb_addr_local(a));
                wb_idle(c, wb_addr_local(a), 1);
                int r = z == 4 ? wb_inc8(c, wb_get(&c->b, v)) : wb_dec8(c, wb_get(&c->b, v));
                wb_write(c, wb_addr_local(a), wb_get(&c->b, r));
            } else {
                int rc = _r8m(y, mode);
                int r = z == 4 ? wb_inc8(c, wb_r8(c, rc)) : wb_dec8(c, wb_r8(c, rc));
                wb_set_r8(c, rc, wb_get(&c->b, r));
            }
            return;
        case 6:
            if (y == 6) {
                if (mode == 0) {
                    wb_opnd_t n = wb_read_opnd8(c, o, in->imm8);
                    wb_write(c, wb_addr_local(wb_tee_temp(&c->b, wb_rp(c, RP_HL))), wb_opnd(c, n));
                } else {
                    wb_read_imm(c, o);
                    wb_read_imm(c, (uint16_t)(o + 1));
                    wb_idle(c, wb_addr_const((uint16_t)(o + 1)), 2);
                    wb_set(&c->b, L_WZ, wb_and(&c->b, wb_add(&c->b, wb_rp(c, _rpm(2, mode)), wb_i32(&c->b, in->disp)), 0xffff));
                    wb_write(c, wb_addr_local(wb_tee_temp(&c->b, wb_get(&c->b, L_WZ))), wb_i32(&c->b, in->imm8));
                }
            } else {
                wb_opnd_t n = wb_read_opnd8(c, o, in->imm8);
                wb_set_r8(c, _r8m(y, mode), wb_opnd(c, n));
            }
            return;
        default:
            switch (y) {
            case 0: case 1: case 2: case 3: _rot_a(c, y); return;
            case 5:
                wb_set(&c->b, L_A, wb_xor(&c->b, wb_get(&c->b, L_A), wb_i32(&c->b, 0xff)));
                wb_setf(c, Z80_NF | Z80_HF | Z80_XF | Z80_YF,
                        wb_or(&c->b, wb_and(&c->b, wb_get(&c->b, L_A), Z80_XF | Z80_YF), wb_i32(&c->b, Z80_NF | Z80_HF)));
                return;
            case 6: case 7:
                /* After an ignored DD/FD prefix the interpreter re-dispatches
                 * with Q already cleared: SCF/CCF then see Q = 0. */
                if (in->attrs & Z80_INSN_IGNORED_PREFIX) c->qs = QS_ZERO;
                _scf_ccf(c, y == 7);
                return;
            default: _daa(c); return;
            }
        }
    case 1:
        if (y == 6 && z == 6) {
            /* HALT: PC stays on the opcode (after any ignored prefix), which
             * the dispatcher re-runs until an interrupt: leave to it. */
            wb_cpu_store(c, 1, CPU_OFF(halted), wb_i32(&c->b, 1));
            c->xb |= WB_XB_LEAVE;
            _jump(c, NULL, (uint16_t)(in->pc + in->length - 1));
        } else if (y == 6) {
            int a = _memop(c, in, mode);
            wb_write(c, wb_addr_local(a), wb_r8(c, z));
        } else if (z == 6) {
            int a = _memop(c, in, mode);
            int v = wb_read(c, wb_addr_local(a));
            wb_set_r8(c, y, wb_get(&c->b, v));
        } else {
            wb_set_r8(c, _r8m(y, mode), wb_r8(c, _r8m(z, mode)));
        }
        return;
    case 2:
        if (z == 6) {
            int a = _memop(c, in, mode);
            int v = wb_read(c, wb_addr_local(a));
            wb_alu8(c, y, wb_get(&c->b, v));
        } else {
            wb_alu8(c, y, wb_r8(c, _r8m(z, mode)));
        }
        return;
    default:
        break;
    }
    switch (z) {
    case 0:
        wb_idle(c, wb_addr_ir(), 1);
        wb_edge_begin(c, wb_cond(c, y));
        _ret_taken(c);
        _jump(c, NULL, _next(in));
        return;
    case 1:
        if (q == 0) {
            int v = wb_pop(c);
            wb_set_rp(c, p == 3 ? RP_AF : _rpm(p, mode), wb_get(&c->b, v));
            return;
        }
        switch (p) {
        case 0: wb_edge_begin(c, NULL); _ret_taken(c); return;
        case 1:
            _exx_swap(c, RP_BC, CPU_OFF(bc_));
            _exx_swap(c, RP_DE, CPU_OFF(de_));
            _exx_swap(c, RP_HL, CPU_OFF(hl_));
            return;
        case 2:
            wb_set(&c->b, L_PC, wb_rp(c, _rpm(2, mode)));
            wb_edge_begin(c, NULL);
            wb_edge_end(c, 1, 0);
            return;
        default:
            wb_idle(c, wb_addr_ir(), 2);
            wb_set(&c->b, L_SP, wb_rp(c, _rpm(2, mode)));
            return;
        }
    case 2: {
        wb_opnd_t nn = wb_read_opnd16(c, o, in->imm16);
        wb_set(&c->b, L_WZ, wb_opnd(c, nn));
        _jump_opnd(c, wb_cond(c, y), nn);
        _jump(c, NULL, _next(in));
        return;
    }
    case 3:
        switch (y) {
        case 0: {
            wb_opnd_t nn = wb_read_opnd16(c, o, in->imm16);
            wb_set(&c->b, L_WZ, wb_opnd(c, nn));
            _jump_opnd(c, NULL, nn);
            return;
        }
        case 2: {
            wb_opnd_t n = wb_read_opnd8(c, o, in->imm8);
            wbx_t low = wb_opnd_loaded(n) ? wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, n.temp), wb_i32(&c->b, 1)), 0xff)
                                          : wb_i32(&c->b, (in->imm8 + 1) & 0xff);
            wb_set(&c->b, L_WZ, wb_or(&c->b, wb_shl(&c->b, wb_get(&c->b, L_A), 8), low));
            int port = wb_tee_temp(&c->b, wb_or(&c->b, wb_opnd(c, n), wb_shl(&c->b, wb_get(&c->b, L_A), 8)));
            wb_port_out(c, port, wb_get(&c->b, L_A));
            return;
        }
        case 3: {
            wb_opnd_t n = wb_read_opnd8(c, o, in->imm8);
            int port = wb_tee_temp(&c->b, wb_or(&c->b, wb_opnd(c, n), wb_shl(&c->b, wb_get(&c->b, L_A), 8)));
            int v = wb_port_in(c, port);
            wb_set(&c->b, L_A, wb_get(&c->b, v));
            wb_set(&c->b, L_WZ, wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, port), wb_i32(&c->b, 1)), 0xffff));
            return;
        }
        case 4: {
            int xy = _rpm(2, mode);
            int sp1 = wb_tee_temp(&c->b, wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, L_SP), wb_i32(&c->b, 1)), 0xffff));
            int sp = wb_tee_temp(&c->b, wb_get(&c->b, L_SP));
            int lo = wb_read(c, wb_addr_local(sp));
            int hi = wb_read(c, wb_addr_local(sp1));
            wb_idle(c, wb_addr_local(sp1), 1);
            int old = wb_tee_temp(&c->b, wb_rp(c, xy));
            wb_write(c, wb_addr_local(sp1), wb_shr(&c->b, wb_get(&c->b, old), 8));
            wb_write(c, wb_addr_local(sp), wb_and(&c->b, wb_get(&c->b, old), 0xff));
            wb_idle(c, wb_addr_local(sp), 2);
            wb_set(&c->b, L_WZ, wb_or(&c->b, wb_get(&c->b, lo), wb_shl(&c->b, wb_get(&c->b, hi), 8)));
            wb_set_rp(c, xy, wb_get(&c->b, L_WZ));
            return;
        }
        case 5: {
            int t = wb_tee_temp(&c->b, wb_rp(c, RP_DE));
            wb_set_rp(c, RP_DE, wb_rp(c, RP_HL));
            wb_set_rp(c, RP_HL, wb_get(&c->b, t));
            return;
        }
        case 6:
            wb_cpu_store(c, 1, CPU_OFF(iff1), wb_i32(&c->b, 0));
            wb_cpu_store(c, 1, CPU_OFF(iff2), wb_i32(&c->b, 0));
            return;
        default:
            wb_cpu_store(c, 1, CPU_OFF(iff1), wb_i32(&c->b, 1));
            wb_cpu_store(c, 1, CPU_OFF(iff2), wb_i32(&c->b, 1));
            c->xb |= WB_XB_EI;
            return;
        }
    case 4: _call(c, in, wb_cond(c, y)); return;
    case 5:
        if (q == 0) {
            wb_idle(c, wb_addr_ir(), 1);
            wb_push(c, wb_rp(c, p == 3 ? RP_AF : _rpm(p, mode)));
        } else {
            _call(c, in, NULL);
        }
        return;
    case 6: {
        wb_opnd_t n = wb_read_opnd8(c, o, in->imm8);
        wb_alu8(c, y, wb_opnd(c, n));
        return;
    }
    default:
        wb_idle(c, wb_addr_ir(), 1);
        wb_push(c, wb_i32(&c->b, _next(in)));
        wb_set(&c->b, L_WZ, wb_i32(&c->b, in->target));
        _jump(c, NULL, in->target);
        return;
    }
}

/* Result of CB operation op on the byte in temp v (BIT excluded). */
static int _cb_apply(wb_ctx_t *c, int op, int v) {
    int y = (op >> 3) & 7;
    switch (op >> 6) {
    case 0: return wb_rot(c, y, wb_get(&c->b, v));
    case 2: return wb_tee_temp(&c->b, wb_and(&c->b, wb_get(&c->b, v), 0xff & ~(1 << y)));
    default: return wb_tee_temp(&c->b, wb_or(&c->b, wb_get(&c->b, v), wb_i32(&c->b, 1 << y)));
    }
}

/* A CB operation on the byte at local a: read, 1 internal T at a, then
 * BIT (flags 5/3 from xy) or the result written back. Returns the result's
 * temp, -1 for BIT. */
static int _cb_mem(wb_ctx_t *c, int op, int a, wbx_t xy) {
    int v = wb_read(c, wb_addr_local(a));
    wb_idle(c, wb_addr_local(a), 1);
    if ((op >> 6) == 1) {
        wb_bit(c, (op >> 3) & 7, wb_get(&c->b, v), xy);
        return -1;
    }
    int r = _cb_apply(c, op, v);
    wb_write(c, wb_addr_local(a), wb_get(&c->b, r));
    return r;
}

static void _cb(wb_ctx_t *c, const z80_insn_t *in) {
    int op = in->opcode, y = (op >> 3) & 7, z = op & 7;
    if (z != 6) {
        int v = wb_tee_temp(&c->b, wb_r8(c, z));
        if ((op >> 6) == 1) {
            wb_bit(c, y, wb_get(&c->b, v), wb_get(&c->b, v));
            return;
        }
        wb_set_r8(c, z, wb_get(&c->b, _cb_apply(c, op, v)));
        return;
    }
    int a = wb_tee_temp(&c->b, wb_rp(c, RP_HL));
    _cb_mem(c, op, a, wb_shr(&c->b, wb_get(&c->b, L_WZ), 8));
}

/* DD CB d op: d and op are plain reads, then 2 internal T at op's address. */
static void _ddcb(wb_ctx_t *c, const z80_insn_t *in, int mode) {
    int op = in->opcode, z = op & 7;
    uint16_t dpc = _opnd(in), opc = (uint16_t)(dpc + 1);
    wb_read_imm(c, dpc);
    wb_set(&c->b, L_WZ, wb_and(&c->b, wb_add(&c->b, wb_rp(c, _rpm(2, mode)), wb_i32(&c->b, in->disp)), 0xffff));
    wb_read_imm(c, opc);
    wb_idle(c, wb_addr_const(opc), 2);
    int a = wb_tee_temp(&c->b, wb_get(&c->b, L_WZ));
    int r = _cb_mem(c, op, a, wb_shr(&c->b, wb_get(&c->b, a), 8));
    if (r >= 0 && z != 6) wb_set_r8(c, z, wb_get(&c->b, r));
}

void wb_emit_insn(wb_ctx_t *c, const z80_insn_t *in, bool last) {
    (void)last;
    for (int i = 0; i < in->r_incr; i++) wb_fetch(c, (uint16_t)(in->pc + i));
    switch (in->group) {
    case Z80_GROUP_BASE: _base(c, in, 0); break;
    case Z80_GROUP_CB: _cb(c, in); break;
    case Z80_GROUP_ED: wb_emit_ed(c, in, last); break;
    case Z80_GROUP_DD: case Z80_GROUP_FD:
        _base(c, in, (in->attrs & Z80_INSN_IGNORED_PREFIX) ? 0 : in->group == Z80_GROUP_DD ? 1 : 2);
        break;
    default: _ddcb(c, in, in->group == Z80_GROUP_DDCB ? 1 : 2); break;
    }
}
