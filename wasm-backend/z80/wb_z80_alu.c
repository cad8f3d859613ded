/*
 * wb_z80_alu.c: flag computations, formula for formula those of
 * core/cpu/z80/z80_internal.h, emitted only for the F bits that are live after the
 * instruction (ctx->live, from the block's backward liveness pass). Each
 * component below is built only if one of its bits is needed; bits that
 * are written but dead keep whatever value results, since a later
 * instruction overwrites them before anything reads them.
 */
#include "z80/wb_z80_emit.h"

#include "cpu/z80/z80.h"

bool wb_need(const wb_ctx_t *c, uint8_t bits) { return (c->live & bits) != 0; }

wbx_t wb_sz53(wb_ctx_t *c, wbx_t v8) { return wb_load8(&c->b, v8, c->cfg->tables); }
wbx_t wb_sz53p(wb_ctx_t *c, wbx_t v8) { return wb_load8(&c->b, v8, c->cfg->tables + 256); }
wbx_t wb_parity(wb_ctx_t *c, wbx_t v8) { return wb_load8(&c->b, v8, c->cfg->tables + 512); }

/* OR of up to 8 optional components. */
typedef struct {
    wbx_t v[8];
    int n;
} _wb_or_t;
static void _or_add(_wb_or_t *o, wbx_t e) { o->v[o->n++] = e; }
static wbx_t _or_build(wb_ctx_t *c, _wb_or_t *o) {
    if (o->n == 0) return wb_i32(&c->b, 0);
    wbx_t e = o->v[0];
    for (int i = 1; i < o->n; i++) e = wb_or(&c->b, e, o->v[i]);
    return e;
}

void wb_setf(wb_ctx_t *c, uint8_t written, wbx_t comps) {
    uint8_t m = written & c->live;
    if (!m) return;
    if (m == 0xff) {
        wb_set(&c->b, L_F, wb_and(&c->b, comps, 0xff));
        return;
    }
    wb_set(&c->b, L_F, wb_or(&c->b, wb_and(&c->b, wb_get(&c->b, L_F), (uint8_t)~m), wb_and(&c->b, comps, m)));
}

wbx_t wb_cond(wb_ctx_t *c, int cc) {
    static const uint8_t bit[4] = {Z80_ZF, Z80_CF, Z80_PF, Z80_SF};
    wbx_t f = wb_and(&c->b, wb_get(&c->b, L_F), bit[(cc >> 1) & 3]);
    return (cc & 1) ? f : wb_eqz(&c->b, f);
}

void wb_alu8(wb_ctx_t *c, int op, wbx_t value) {
    int v = wb_tee_temp(&c->b, value);
    int a = wb_tee_temp(&c->b, wb_get(&c->b, L_A));
    _wb_or_t o = {0};
    op &= 7;
    if (op >= 4 && op <= 6) {
        int bop = op == 4 ? WB_I32_AND : op == 5 ? WB_I32_XOR : WB_I32_OR;
        wb_set(&c->b, L_A, wb_bin(&c->b, bop, wb_get(&c->b, a), wb_get(&c->b, v)));
        if (wb_need(c, 0xff)) {
            _or_add(&o, wb_sz53p(c, wb_get(&c->b, L_A)));
            if (op == 4) _or_add(&o, wb_i32(&c->b, Z80_HF));
            wb_setf(c, 0xff, _or_build(c, &o));
        }
        return;
    }
    bool sub = op >= 2;
    wbx_t sum = sub ? wb_sub(&c->b, wb_get(&c->b, a), wb_get(&c->b, v)) : wb_add(&c->b, wb_get(&c->b, a), wb_get(&c->b, v));
    if (op == 1 || op == 3) {
        wbx_t cy = wb_and(&c->b, wb_get(&c->b, L_F), Z80_CF);
        sum = sub ? wb_sub(&c->b, sum, cy) : wb_add(&c->b, sum, cy);
    }
    int r = wb_tee_temp(&c->b, sum); /* full-width result: bit 8 (and up) is the borrow/carry */
    if (wb_need(c, 0xff)) {
        if (op == 7) {
            if (wb_need(c, Z80_SF | Z80_ZF)) _or_add(&o, wb_and(&c->b, wb_sz53(c, wb_and(&c->b, wb_get(&c->b, r), 0xff)), Z80_SF | Z80_ZF));
            if (wb_need(c, Z80_XF | Z80_YF)) _or_add(&o, wb_and(&c->b, wb_get(&c->b, v), Z80_XF | Z80_YF));
        } else if (wb_need(c, Z80_SF | Z80_ZF | Z80_XF | Z80_YF)) {
            _or_add(&o, wb_sz53(c, wb_and(&c->b, wb_get(&c->b, r), 0xff)));
        }
        if (wb_need(c, Z80_CF)) _or_add(&o, wb_and(&c->b, wb_shr(&c->b, wb_get(&c->b, r), 8), Z80_CF));
        if (wb_need(c, Z80_HF))
            _or_add(&o, wb_and(&c->b, wb_xor(&c->b, wb_xor(&c->b, wb_get(&c->b, a), wb_get(&c->b, v)), wb_get(&c->b, r)), Z80_HF));
        if (wb_need(c, Z80_VF)) {
            /* add: (a ^ ~v) & (a ^ r) & 0x80; sub: (a ^ v) & (a ^ r) & 0x80 */
            wbx_t av = wb_xor(&c->b, wb_get(&c->b, a), wb_get(&c->b, v));
            if (!sub) av = wb_xor(&c->b, av, wb_i32(&c->b, 0xff));
            _or_add(&o, wb_shr(&c->b, wb_and(&c->b, wb_bin(&c->b, WB_I32_AND, av, wb_xor(&c->b, wb_get(&c->b, a), wb_get(&c->b, r))), 0x80), 5));
        }
        if (sub) _or_add(&o, wb_i32(&c->b, Z80_NF));
        wb_setf(c, 0xff, _or_build(c, &o));
    }
    if (op != 7) wb_set(&c->b, L_A, wb_and(&c->b, wb_get(&c->b, r), 0xff));
}

static int _wb_incdec(wb_ctx_t *c, wbx_t value, bool dec) {
    int v = wb_tee_temp(&c->b, value);
    int r = wb_tee_temp(&c->b, wb_and(&c->b, dec ? wb_sub(&c->b, wb_get(&c->b, v), wb_i32(&c->b, 1)) : wb_add(&c->b, wb_get(&c->b, v), wb_i32(&c->b, 1)), 0xff));
    uint8_t w = 0xff & ~Z80_CF;
    if (wb_need(c, w)) {
        _wb_or_t o = {0};
        if (wb_need(c, Z80_SF | Z80_ZF | Z80_XF | Z80_YF)) _or_add(&o, wb_sz53(c, wb_get(&c->b, r)));
        if (wb_need(c, Z80_VF))
            _or_add(&o, wb_shl(&c->b, wb_bin(&c->b, WB_I32_EQ, wb_get(&c->b, r), wb_i32(&c->b, dec ? 0x7f : 0x80)), 2));
        if (wb_need(c, Z80_HF))
            _or_add(&o, wb_shl(&c->b, wb_eqz(&c->b, wb_and(&c->b, wb_get(&c->b, dec ? v : r), 0x0f)), 4));
        if (dec) _or_add(&o, wb_i32(&c->b, Z80_NF));
        wb_setf(c, w, _or_build(c, &o));
    }
    return r;
}

int wb_inc8(wb_ctx_t *c, wbx_t v) { return _wb_incdec(c, v, false); }
int wb_dec8(wb_ctx_t *c, wbx_t v) { return _wb_incdec(c, v, true); }

int wb_rot(wb_ctx_t *c, int op, wbx_t value) {
    int v = wb_tee_temp(&c->b, value);
    wbx_t r, cf;
    wbx_t V = wb_get(&c->b, v);
    switch (op & 7) {
    case 0: r = wb_or(&c->b, wb_shl(&c->b, V, 1), wb_shr(&c->b, wb_get(&c->b, v), 7)); cf = wb_shr(&c->b, wb_get(&c->b, v), 7); break;
    case 1: r = wb_or(&c->b, wb_shr(&c->b, V, 1), wb_shl(&c->b, wb_get(&c->b, v), 7)); cf = wb_and(&c->b, wb_get(&c->b, v), 1); break;
    case 2: r = wb_or(&c->b, wb_shl(&c->b, V, 1), wb_and(&c->b, wb_get(&c->b, L_F), Z80_CF)); cf = wb_shr(&c->b, wb_get(&c->b, v), 7); break;
    case 3: r = wb_or(&c->b, wb_shr(&c->b, V, 1), wb_shl(&c->b, wb_and(&c->b, wb_get(&c->b, L_F), 1), 7)); cf = wb_and(&c->b, wb_get(&c->b, v), 1); break;
    case 4: r = wb_shl(&c->b, V, 1); cf = wb_shr(&c->b, wb_get(&c->b, v), 7); break;
    case 5: r = wb_or(&c->b, wb_and(&c->b, V, 0x80), wb_shr(&c->b, wb_get(&c->b, v), 1)); cf = wb_and(&c->b, wb_get(&c->b, v), 1); break;
    case 6: r = wb_or(&c->b, wb_shl(&c->b, V, 1), wb_i32(&c->b, 1)); cf = wb_shr(&c->b, wb_get(&c->b, v), 7); break;
    default: r = wb_shr(&c->b, V, 1); cf = wb_and(&c->b, wb_get(&c->b, v), 1); break;
    }
    int t = wb_tee_temp(&c->b, wb_and(&c->b, r, 0xff));
    if (wb_need(c, 0xff)) wb_setf(c, 0xff, wb_or(&c->b, wb_sz53p(c, wb_get(&c->b, t)), cf));
    return t;
}

void wb_bit(wb_ctx_t *c, int n, wbx_t value, wbx_t xy) {
    uint8_t w = 0xff & ~Z80_CF;
    if (!wb_need(c, w)) return;
    int v = wb_tee_temp(&c->b, value);
    /* Z and P when the bit is clear; S only for bit 7 set; 3,5 from xy */
    wbx_t zero = wb_eqz(&c->b, wb_and(&c->b, wb_get(&c->b, v), 1 << n));
    wbx_t f = wb_or(&c->b, wb_i32(&c->b, Z80_HF), wb_and(&c->b, xy, Z80_XF | Z80_YF));
    f = wb_or(&c->b, f, wb_bin(&c->b, WB_I32_MUL, zero, wb_i32(&c->b, Z80_ZF | Z80_PF)));
    if (n == 7) f = wb_or(&c->b, f, wb_and(&c->b, wb_get(&c->b, v), 0x80));
    wb_setf(c, w, f);
}

int wb_add16(wb_ctx_t *c, wbx_t av, wbx_t bv) {
    int a = wb_tee_temp(&c->b, av);
    int b = wb_tee_temp(&c->b, bv);
    int r = wb_tee_temp(&c->b, wb_add(&c->b, wb_get(&c->b, a), wb_get(&c->b, b)));
    wb_set(&c->b, L_WZ, wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, a), wb_i32(&c->b, 1)), 0xffff));
    uint8_t w = Z80_CF | Z80_NF | Z80_XF | Z80_YF | Z80_HF;
    if (wb_need(c, w)) {
        wbx_t f = wb_or(&c->b, wb_and(&c->b, wb_shr(&c->b, wb_get(&c->b, r), 16), Z80_CF), wb_and(&c->b, wb_shr(&c->b, wb_get(&c->b, r), 8), Z80_XF | Z80_YF));
        f = wb_or(&c->b, f, wb_and(&c->b, wb_shr(&c->b, wb_xor(&c->b, wb_xor(&c->b, wb_get(&c->b, a), wb_get(&c->b, b)), wb_get(&c->b, r)), 8), Z80_HF));
        wb_setf(c, w, f);
    }
    return wb_tee_temp(&c->b, wb_and(&c->b, wb_get(&c->b, r), 0xffff));
}

void wb_adc16(wb_ctx_t *c, wbx_t value, bool sub) {
    int v = wb_tee_temp(&c->b, value);
    int hl = wb_tee_temp(&c->b, wb_rp(c, RP_HL));
    wbx_t s = sub ? wb_sub(&c->b, wb_get(&c->b, hl), wb_get(&c->b, v)) : wb_add(&c->b, wb_get(&c->b, hl), wb_get(&c->b, v));
    int r = wb_tee_temp(&c->b, (sub ? wb_sub : wb_add)(&c->b, s, wb_and(&c->b, wb_get(&c->b, L_F), Z80_CF)));
    wb_set(&c->b, L_WZ, wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, hl), wb_i32(&c->b, 1)), 0xffff));
    if (wb_need(c, 0xff)) {
        _wb_or_t o = {0};
        _or_add(&o, wb_and(&c->b, wb_shr(&c->b, wb_get(&c->b, r), 16), Z80_CF));
        _or_add(&o, wb_and(&c->b, wb_shr(&c->b, wb_get(&c->b, r), 8), Z80_SF | Z80_XF | Z80_YF));
        _or_add(&o, wb_and(&c->b, wb_shr(&c->b, wb_xor(&c->b, wb_xor(&c->b, wb_get(&c->b, hl), wb_get(&c->b, v)), wb_get(&c->b, r)), 8), Z80_HF));
        wbx_t hv = wb_xor(&c->b, wb_get(&c->b, hl), wb_get(&c->b, v));
        if (!sub) hv = wb_xor(&c->b, hv, wb_i32(&c->b, 0xffff));
        _or_add(&o, wb_shr(&c->b, wb_and(&c->b, wb_bin(&c->b, WB_I32_AND, hv, wb_xor(&c->b, wb_get(&c->b, hl), wb_get(&c->b, r))), 0x8000), 13));
        _or_add(&o, wb_shl(&c->b, wb_eqz(&c->b, wb_and(&c->b, wb_get(&c->b, r), 0xffff)), 6));
        if (sub) _or_add(&o, wb_i32(&c->b, Z80_NF));
        wb_setf(c, 0xff, _or_build(c, &o));
    }
    wb_set_rp(c, RP_HL, wb_and(&c->b, wb_get(&c->b, r), 0xffff));
}
