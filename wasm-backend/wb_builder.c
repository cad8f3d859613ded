/*
 * wb_builder.c: i32 expressions, statement lists, temps and exit holes over
 * Binaryen's C API (see wb_builder.h).
 */
#include "wb_builder.h"

#include <stdio.h>
#include <stdlib.h>

wbx_t wb_i32(wb_builder_t *b, int32_t v) { return BinaryenConst(b->m, BinaryenLiteralInt32(v)); }
wbx_t wb_get(wb_builder_t *b, int local) { return BinaryenLocalGet(b->m, (BinaryenIndex)local, BinaryenTypeInt32()); }
static bool _wb_const(wbx_t x, uint32_t *v) {
    if (BinaryenExpressionGetId(x) != BinaryenConstId()) return false;
    *v = (uint32_t)BinaryenConstGetValueI32(x);
    return true;
}

/* Two constants fold into one (the translator computes addresses, code map
 * bytes and masks from constants often: `32771 >> 8`), so the module carries
 * one i32.const where it carried three instructions; no Binaryen pass runs
 * (wasm-backend/z80/wb_z80.c) and V8's baseline tier folds nothing. */
wbx_t wb_bin(wb_builder_t *b, BinaryenOp op, wbx_t x, wbx_t y) {
    uint32_t u, v;
    if (_wb_const(x, &u) && _wb_const(y, &v)) {
        if (op == BinaryenAddInt32()) return wb_i32(b, (int32_t)(u + v));
        if (op == BinaryenSubInt32()) return wb_i32(b, (int32_t)(u - v));
        if (op == BinaryenAndInt32()) return wb_i32(b, (int32_t)(u & v));
        if (op == BinaryenOrInt32()) return wb_i32(b, (int32_t)(u | v));
        if (op == BinaryenXorInt32()) return wb_i32(b, (int32_t)(u ^ v));
        if (op == BinaryenShlInt32()) return wb_i32(b, (int32_t)(u << (v & 31)));
        if (op == BinaryenShrUInt32()) return wb_i32(b, (int32_t)(u >> (v & 31)));
        if (op == BinaryenEqInt32()) return wb_i32(b, u == v);
        if (op == BinaryenNeInt32()) return wb_i32(b, u != v);
        if (op == BinaryenLtUInt32()) return wb_i32(b, u < v);
        if (op == BinaryenGeUInt32()) return wb_i32(b, u >= v);
    }
    /* x + 0, x - 0, x | 0, x ^ 0: x (a block's worst case of 0 T, ...) */
    if (_wb_const(y, &v) && v == 0 &&
        (op == BinaryenAddInt32() || op == BinaryenSubInt32() || op == BinaryenOrInt32() || op == BinaryenXorInt32()))
        return x;
    return BinaryenBinary(b->m, op, x, y);
}
wbx_t wb_add(wb_builder_t *b, wbx_t x, wbx_t y) { return wb_bin(b, BinaryenAddInt32(), x, y); }
wbx_t wb_sub(wb_builder_t *b, wbx_t x, wbx_t y) { return wb_bin(b, BinaryenSubInt32(), x, y); }
wbx_t wb_and(wb_builder_t *b, wbx_t x, int32_t k) { return wb_bin(b, BinaryenAndInt32(), x, wb_i32(b, k)); }
wbx_t wb_or(wb_builder_t *b, wbx_t x, wbx_t y) { return wb_bin(b, BinaryenOrInt32(), x, y); }
wbx_t wb_xor(wb_builder_t *b, wbx_t x, wbx_t y) { return wb_bin(b, BinaryenXorInt32(), x, y); }
wbx_t wb_shl(wb_builder_t *b, wbx_t x, int k) { return k ? wb_bin(b, BinaryenShlInt32(), x, wb_i32(b, k)) : x; }
wbx_t wb_shr(wb_builder_t *b, wbx_t x, int k) { return k ? wb_bin(b, BinaryenShrUInt32(), x, wb_i32(b, k)) : x; }
wbx_t wb_eqz(wb_builder_t *b, wbx_t x) {
    uint32_t v;
    return _wb_const(x, &v) ? wb_i32(b, v == 0) : BinaryenUnary(b->m, BinaryenEqZInt32(), x);
}
wbx_t wb_ne0(wb_builder_t *b, wbx_t x) { return wb_bin(b, BinaryenNeInt32(), x, wb_i32(b, 0)); }

wbx_t wb_load8(wb_builder_t *b, wbx_t ptr, uint32_t offset) {
    return BinaryenLoad(b->m, 1, false, offset, 1, BinaryenTypeInt32(), ptr);
}

wbx_t wb_call(wb_builder_t *b, const char *name, wbx_t *args, int n, bool returns) {
    return BinaryenCall(b->m, name, args, (BinaryenIndex)n, returns ? BinaryenTypeInt32() : BinaryenTypeNone());
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
void wb_set(wb_builder_t *b, int local, wbx_t v) { wb_emit(b, BinaryenLocalSet(b->m, (BinaryenIndex)local, v)); }

int wb_temp(wb_builder_t *b) {
    if (b->tmp >= b->tmp_end) abort(); /* an instruction never needs this many */
    return b->tmp++;
}

int wb_tee_temp(wb_builder_t *b, wbx_t v) {
    int t = wb_temp(b);
    wb_set(b, t, v);
    return t;
}

wbx_t wb_block(wb_builder_t *b, wb_list_t *l) {
    if (l->n == 0) return BinaryenNop(b->m);
    if (l->n == 1) return l->v[0];
    return BinaryenBlock(b->m, NULL, l->v, (BinaryenIndex)l->n, BinaryenTypeNone());
}

/* The holes of the function being built (the compiler is single-threaded;
 * wb_holes_patch empties the list). */
static wb_list_t _wb_holes;

wbx_t wb_hole(wb_builder_t *b, wbx_t stmt) {
    /* named: never merged away; h<N>: label names must be unique in a
     * function, and the holes reach it only after the Relooper (which
     * would make them so) has rendered the flow (wb_flow_render) */
    char name[16];
    snprintf(name, sizeof name, "h%d", _wb_holes.n);
    wbx_t hole = BinaryenBlock(b->m, name, &stmt, 1, BinaryenTypeNone());
    wb_list_push(&_wb_holes, hole);
    return hole;
}

void wb_holes_patch(BinaryenModuleRef m, const char *label) {
    for (int i = 0; i < _wb_holes.n; i++) {
        BinaryenBlockAppendChild(_wb_holes.v[i], BinaryenBreak(m, label, NULL, NULL));
        BinaryenExpressionFinalize(_wb_holes.v[i]);
    }
    _wb_holes.n = 0;
}
