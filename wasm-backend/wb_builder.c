/*
 * wb_builder.c: i32 expressions, statement lists, temps and exits in the
 * compiler's IR (see wb_builder.h).
 */
#include "wb_builder.h"

#include <stdlib.h>

wbx_t wb_i32(wb_builder_t *b, int32_t v) { return wbi_i32(b->m, v); }
wbx_t wb_get(wb_builder_t *b, int local) { return wbi_get(b->m, (uint32_t)local); }
static bool _wb_const(wbx_t x, uint32_t *v) {
    int32_t k;
    if (!wbi_const(x, &k)) return false;
    *v = (uint32_t)k;
    return true;
}

/* Two constants fold into one (the translator computes addresses, code map
 * bytes and masks from constants often: `32771 >> 8`), so the module carries
 * one i32.const where it carried three instructions; no optimiser runs
 * and V8's baseline tier folds nothing. */
wbx_t wb_bin(wb_builder_t *b, int op, wbx_t x, wbx_t y) {
    uint32_t u, v;
    if (_wb_const(x, &u) && _wb_const(y, &v)) {
        switch (op) {
        case WB_I32_ADD: return wb_i32(b, (int32_t)(u + v));
        case WB_I32_SUB: return wb_i32(b, (int32_t)(u - v));
        case WB_I32_AND: return wb_i32(b, (int32_t)(u & v));
        case WB_I32_OR: return wb_i32(b, (int32_t)(u | v));
        case WB_I32_XOR: return wb_i32(b, (int32_t)(u ^ v));
        case WB_I32_SHL: return wb_i32(b, (int32_t)(u << (v & 31)));
        case WB_I32_SHR_U: return wb_i32(b, (int32_t)(u >> (v & 31)));
        case WB_I32_EQ: return wb_i32(b, u == v);
        case WB_I32_NE: return wb_i32(b, u != v);
        case WB_I32_LT_U: return wb_i32(b, u < v);
        case WB_I32_GE_U: return wb_i32(b, u >= v);
        default: break;
        }
    }
    /* x + 0, x - 0, x | 0, x ^ 0: x (a block's worst case of 0 T, ...) */
    if (_wb_const(y, &v) && v == 0 && (op == WB_I32_ADD || op == WB_I32_SUB || op == WB_I32_OR || op == WB_I32_XOR))
        return x;
    return wbi_binary(b->m, op, x, y);
}
wbx_t wb_add(wb_builder_t *b, wbx_t x, wbx_t y) { return wb_bin(b, WB_I32_ADD, x, y); }
wbx_t wb_sub(wb_builder_t *b, wbx_t x, wbx_t y) { return wb_bin(b, WB_I32_SUB, x, y); }
wbx_t wb_and(wb_builder_t *b, wbx_t x, int32_t k) { return wb_bin(b, WB_I32_AND, x, wb_i32(b, k)); }
wbx_t wb_or(wb_builder_t *b, wbx_t x, wbx_t y) { return wb_bin(b, WB_I32_OR, x, y); }
wbx_t wb_xor(wb_builder_t *b, wbx_t x, wbx_t y) { return wb_bin(b, WB_I32_XOR, x, y); }
wbx_t wb_shl(wb_builder_t *b, wbx_t x, int k) { return k ? wb_bin(b, WB_I32_SHL, x, wb_i32(b, k)) : x; }
wbx_t wb_shr(wb_builder_t *b, wbx_t x, int k) { return k ? wb_bin(b, WB_I32_SHR_U, x, wb_i32(b, k)) : x; }
wbx_t wb_eqz(wb_builder_t *b, wbx_t x) {
    uint32_t v;
    return _wb_const(x, &v) ? wb_i32(b, v == 0) : wbi_unary(b->m, WB_I32_EQZ, x);
}
wbx_t wb_ne0(wb_builder_t *b, wbx_t x) { return wb_bin(b, WB_I32_NE, x, wb_i32(b, 0)); }

wbx_t wb_load8(wb_builder_t *b, wbx_t ptr, uint32_t offset) { return wbi_load(b->m, 1, false, offset, WB_T_I32, ptr); }

wbx_t wb_call(wb_builder_t *b, const char *name, wbx_t *args, int n, bool returns) {
    return wbi_call(b->m, name, args, (uint32_t)n, returns, false);
}

void *wb_grow(void *p, int *cap, int need, size_t size) {
    if (need <= *cap) return p;
    int c = *cap ? *cap : 32;
    while (c < need) c *= 2;
    p = realloc(p, (size_t)c * size);
    if (!p) abort();
    *cap = c;
    return p;
}

void wb_list_push(wb_list_t *l, wbx_t e) {
    l->v = wb_grow(l->v, &l->cap, l->n + 1, sizeof *l->v);
    l->v[l->n++] = e;
}

void wb_emit(wb_builder_t *b, wbx_t stmt) { wb_list_push(b->cur, stmt); }
void wb_set(wb_builder_t *b, int local, wbx_t v) { wb_emit(b, wbi_set(b->m, (uint32_t)local, v)); }

int wb_temp(wb_builder_t *b) {
    if (b->tmp >= b->tmp_end) abort(); /* an instruction never needs this many */
    if (b->tmp_high && *b->tmp_high < b->tmp + 1) *b->tmp_high = b->tmp + 1;
    return b->tmp++;
}

int wb_tee_temp(wb_builder_t *b, wbx_t v) {
    int t = wb_temp(b);
    wb_set(b, t, v);
    return t;
}

wbx_t wb_block(wb_builder_t *b, wb_list_t *l) {
    if (l->n == 0) return wbi_nop(b->m);
    if (l->n == 1) return l->v[0];
    return wbi_block(b->m, 0, l->v, (uint32_t)l->n);
}
