/*
 * wb_z80_emit.c: expressions, locals, state write-back and the bus for the
 * Z80 translator (see wb_z80_emit.h).
 *
 * The bus follows core/cpu/z80/z80_internal.h access by access: each memory access
 * or internal cycle is a contention point at the T-state it starts (inline:
 * t += table[t] when the page is contended and t < len), then its T-states.
 * In TRACE builds every access goes through the core's own slow paths
 * instead (jit_mem_* exports), which also report the events: compiled code
 * then produces the interpreter's bus events by construction, and the FUSE
 * tests check them. The T-state counter is handed over through cpu->tstates
 * around those calls.
 */
#include "z80/wb_z80_emit.h"

#include <stddef.h>
#include <stdlib.h>

#include "cpu/z80/z80.h"

#define CPU_OFF(f) ((uint32_t)offsetof(z80_t, f))

wbx_t wb_i32(wb_ctx_t *c, int32_t v) { return BinaryenConst(c->m, BinaryenLiteralInt32(v)); }
wbx_t wb_get(wb_ctx_t *c, int local) { return BinaryenLocalGet(c->m, (BinaryenIndex)local, BinaryenTypeInt32()); }
wbx_t wb_bin(wb_ctx_t *c, BinaryenOp op, wbx_t a, wbx_t b) { return BinaryenBinary(c->m, op, a, b); }
wbx_t wb_add(wb_ctx_t *c, wbx_t a, wbx_t b) { return wb_bin(c, BinaryenAddInt32(), a, b); }
wbx_t wb_sub(wb_ctx_t *c, wbx_t a, wbx_t b) { return wb_bin(c, BinaryenSubInt32(), a, b); }
wbx_t wb_and(wb_ctx_t *c, wbx_t a, int32_t k) { return wb_bin(c, BinaryenAndInt32(), a, wb_i32(c, k)); }
wbx_t wb_or(wb_ctx_t *c, wbx_t a, wbx_t b) { return wb_bin(c, BinaryenOrInt32(), a, b); }
wbx_t wb_xor(wb_ctx_t *c, wbx_t a, wbx_t b) { return wb_bin(c, BinaryenXorInt32(), a, b); }
wbx_t wb_shl(wb_ctx_t *c, wbx_t a, int k) { return k ? wb_bin(c, BinaryenShlInt32(), a, wb_i32(c, k)) : a; }
wbx_t wb_shr(wb_ctx_t *c, wbx_t a, int k) { return k ? wb_bin(c, BinaryenShrUInt32(), a, wb_i32(c, k)) : a; }
wbx_t wb_eqz(wb_ctx_t *c, wbx_t a) { return BinaryenUnary(c->m, BinaryenEqZInt32(), a); }
wbx_t wb_ne0(wb_ctx_t *c, wbx_t a) { return wb_bin(c, BinaryenNeInt32(), a, wb_i32(c, 0)); }

wbx_t wb_load8(wb_ctx_t *c, wbx_t ptr, uint32_t offset) {
    return BinaryenLoad(c->m, 1, false, offset, 1, BinaryenTypeInt32(), ptr);
}

wbx_t wb_cpu_load(wb_ctx_t *c, int bytes, uint32_t offset) {
    return BinaryenLoad(c->m, (uint32_t)bytes, false, offset, (uint32_t)bytes, BinaryenTypeInt32(), wb_get(c, L_CPU));
}

void wb_cpu_store(wb_ctx_t *c, int bytes, uint32_t offset, wbx_t v) {
    wb_emit(c, BinaryenStore(c->m, (uint32_t)bytes, offset, (uint32_t)bytes, wb_get(c, L_CPU), v, BinaryenTypeInt32()));
}

wbx_t wb_call(wb_ctx_t *c, const char *name, wbx_t *args, int n, bool returns) {
    return BinaryenCall(c->m, name, args, (BinaryenIndex)n, returns ? BinaryenTypeInt32() : BinaryenTypeNone());
}

void wb_list_push(wb_list_t *l, wbx_t e) {
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->v = realloc(l->v, (size_t)l->cap * sizeof *l->v);
        if (!l->v) abort();
    }
    l->v[l->n++] = e;
}

void wb_emit(wb_ctx_t *c, wbx_t stmt) { wb_list_push(c->cur, stmt); }
void wb_set(wb_ctx_t *c, int local, wbx_t v) { wb_emit(c, BinaryenLocalSet(c->m, (BinaryenIndex)local, v)); }

int wb_temp(wb_ctx_t *c) {
    if (c->tmp >= L_TMP + L_NTMP) abort(); /* an instruction never needs this many */
    return c->tmp++;
}

int wb_tee_temp(wb_ctx_t *c, wbx_t v) {
    int t = wb_temp(c);
    wb_set(c, t, v);
    return t;
}

wbx_t wb_block(wb_ctx_t *c, wb_list_t *l) {
    if (l->n == 0) return BinaryenNop(c->m);
    if (l->n == 1) return l->v[0];
    return BinaryenBlock(c->m, NULL, l->v, (BinaryenIndex)l->n, BinaryenTypeNone());
}

/* ---- registers ---- */

static const int r8_local[8] = {L_B, L_C, L_D, L_E, L_H, L_L, -1, L_A};

wbx_t wb_r8(wb_ctx_t *c, int r) {
    switch (r) {
    case R8_IXH: return wb_shr(c, wb_get(c, L_IX), 8);
    case R8_IXL: return wb_and(c, wb_get(c, L_IX), 0xff);
    case R8_IYH: return wb_shr(c, wb_get(c, L_IY), 8);
    case R8_IYL: return wb_and(c, wb_get(c, L_IY), 0xff);
    default: return wb_get(c, r8_local[r & 7]);
    }
}

void wb_set_r8(wb_ctx_t *c, int r, wbx_t v) {
    switch (r) {
    case R8_IXH: case R8_IYH: {
        int l = r == R8_IXH ? L_IX : L_IY;
        wb_set(c, l, wb_or(c, wb_and(c, wb_get(c, l), 0xff), wb_shl(c, v, 8)));
        break;
    }
    case R8_IXL: case R8_IYL: {
        int l = r == R8_IXL ? L_IX : L_IY;
        wb_set(c, l, wb_or(c, wb_and(c, wb_get(c, l), 0xff00), v));
        break;
    }
    default: wb_set(c, r8_local[r & 7], v); break;
    }
}

static void _wb_pair_locals(int rp, int *hi, int *lo) {
    switch (rp) {
    case RP_BC: *hi = L_B; *lo = L_C; break;
    case RP_DE: *hi = L_D; *lo = L_E; break;
    case RP_HL: *hi = L_H; *lo = L_L; break;
    case RP_AF: *hi = L_A; *lo = L_F; break;
    default: *hi = *lo = -1; break;
    }
}

static int _wb_word_local(int rp) { return rp == RP_SP ? L_SP : rp == RP_IX ? L_IX : L_IY; }

wbx_t wb_rp(wb_ctx_t *c, int rp) {
    int hi, lo;
    _wb_pair_locals(rp, &hi, &lo);
    if (hi < 0) return wb_get(c, _wb_word_local(rp));
    return wb_or(c, wb_shl(c, wb_get(c, hi), 8), wb_get(c, lo));
}

/* v must already be 0..0xffff. */
void wb_set_rp(wb_ctx_t *c, int rp, wbx_t v) {
    int hi, lo;
    _wb_pair_locals(rp, &hi, &lo);
    if (hi < 0) {
        wb_set(c, _wb_word_local(rp), v);
        return;
    }
    int t = wb_tee_temp(c, v);
    wb_set(c, hi, wb_shr(c, wb_get(c, t), 8));
    wb_set(c, lo, wb_and(c, wb_get(c, t), 0xff));
}

/* ---- timing and state ---- */

wbx_t wb_tnow(wb_ctx_t *c) {
    return c->pend_t ? wb_add(c, wb_get(c, L_T), wb_i32(c, c->pend_t)) : wb_get(c, L_T);
}

wbx_t wb_rnow(wb_ctx_t *c) {
    if (!c->pend_r) return wb_get(c, L_R);
    return wb_or(c, wb_and(c, wb_get(c, L_R), 0x80), wb_and(c, wb_add(c, wb_get(c, L_R), wb_i32(c, c->pend_r)), 0x7f));
}

void wb_flush(wb_ctx_t *c) {
    if (c->pend_t) wb_set(c, L_T, wb_add(c, wb_get(c, L_T), wb_i32(c, c->pend_t)));
    if (c->pend_r) wb_set(c, L_R, wb_rnow(c));
    if (c->pend_n) wb_set(c, L_N, wb_add(c, wb_get(c, L_N), wb_i32(c, c->pend_n)));
    c->pend_t = c->pend_r = c->pend_n = 0;
}

wbx_t wb_q_value(wb_ctx_t *c, int qs) {
    switch (qs) {
    case QS_ZERO: return wb_i32(c, 0);
    case QS_F: return wb_get(c, L_F);
    default: return wb_get(c, L_Q);
    }
}

/* Registers, T, R, Q and pc (from L_PC) to *cpu. */
static void _wb_store_state(wb_ctx_t *c) {
    wb_flush(c);
    wb_cpu_store(c, 2, CPU_OFF(af), wb_rp(c, RP_AF));
    wb_cpu_store(c, 2, CPU_OFF(bc), wb_rp(c, RP_BC));
    wb_cpu_store(c, 2, CPU_OFF(de), wb_rp(c, RP_DE));
    wb_cpu_store(c, 2, CPU_OFF(hl), wb_rp(c, RP_HL));
    wb_cpu_store(c, 2, CPU_OFF(ix), wb_get(c, L_IX));
    wb_cpu_store(c, 2, CPU_OFF(iy), wb_get(c, L_IY));
    wb_cpu_store(c, 2, CPU_OFF(sp), wb_get(c, L_SP));
    wb_cpu_store(c, 2, CPU_OFF(wz), wb_get(c, L_WZ));
    wb_cpu_store(c, 1, CPU_OFF(r), wb_get(c, L_R));
    wb_cpu_store(c, 4, CPU_OFF(tstates), wb_get(c, L_T));
    wb_cpu_store(c, 1, CPU_OFF(q), wb_q_value(c, c->qs));
    wb_cpu_store(c, 2, CPU_OFF(pc), wb_get(c, L_PC));
}

void wb_reload(wb_ctx_t *c) {
    wb_set(c, L_A, wb_cpu_load(c, 1, CPU_OFF(af) + 1));
    wb_set(c, L_F, wb_cpu_load(c, 1, CPU_OFF(af)));
    wb_set(c, L_B, wb_cpu_load(c, 1, CPU_OFF(bc) + 1));
    wb_set(c, L_C, wb_cpu_load(c, 1, CPU_OFF(bc)));
    wb_set(c, L_D, wb_cpu_load(c, 1, CPU_OFF(de) + 1));
    wb_set(c, L_E, wb_cpu_load(c, 1, CPU_OFF(de)));
    wb_set(c, L_H, wb_cpu_load(c, 1, CPU_OFF(hl) + 1));
    wb_set(c, L_L, wb_cpu_load(c, 1, CPU_OFF(hl)));
    wb_set(c, L_IX, wb_cpu_load(c, 2, CPU_OFF(ix)));
    wb_set(c, L_IY, wb_cpu_load(c, 2, CPU_OFF(iy)));
    wb_set(c, L_SP, wb_cpu_load(c, 2, CPU_OFF(sp)));
    wb_set(c, L_WZ, wb_cpu_load(c, 2, CPU_OFF(wz)));
    wb_set(c, L_R, wb_cpu_load(c, 1, CPU_OFF(r)));
    wb_set(c, L_T, wb_cpu_load(c, 4, CPU_OFF(tstates)));
    wb_set(c, L_Q, wb_cpu_load(c, 1, CPU_OFF(q)));
}

/* The exits of the function being built, each ending in a placeholder
 * block (the compiler is single-threaded; wb_exit_patch empties it). */
static struct {
    wbx_t *v;
    int n, cap;
} _wb_holes;

void wb_exit_patch(BinaryenModuleRef m) {
    for (int i = 0; i < _wb_holes.n; i++) {
        BinaryenBlockAppendChild(_wb_holes.v[i], BinaryenBreak(m, WB_EXIT_LABEL, NULL, NULL));
        BinaryenExpressionFinalize(_wb_holes.v[i]);
    }
    _wb_holes.n = 0;
}

void wb_exit(wb_ctx_t *c, wb_list_t *l, int dyn, uint16_t pc_const, int qs, int xb, int code) {
    /* The exit path flushes pending work into its own list only: the
     * fall-through path keeps its pending T, R and N. Only what differs
     * between exits is set here; the shared tail does the rest. */
    wb_list_t *saved = c->cur;
    int pt = c->pend_t, pr = c->pend_r, pn = c->pend_n;
    c->cur = l;
    wb_flush(c);
    if (dyn == 0) wb_set(c, L_PC, wb_i32(c, pc_const));
    if (qs != QS_LOCAL) wb_set(c, L_Q, wb_q_value(c, qs));
    /* The break itself comes in wb_exit_patch: the Relooper's rendering
     * refuses branches to labels outside what it renders. */
    wbx_t set = BinaryenLocalSet(c->m, L_XCODE, wb_i32(c, code | (xb & (WB_XB_EI | WB_XB_IFF2_READ)) << 8));
    wbx_t hole = BinaryenBlock(c->m, "h", &set, 1, BinaryenTypeNone()); /* named: never merged away */
    if (_wb_holes.n == _wb_holes.cap) {
        _wb_holes.cap = _wb_holes.cap ? 2 * _wb_holes.cap : 64;
        _wb_holes.v = realloc(_wb_holes.v, (size_t)_wb_holes.cap * sizeof *_wb_holes.v);
        if (!_wb_holes.v) abort();
    }
    _wb_holes.v[_wb_holes.n++] = hole;
    wb_emit(c, hole);
    c->cur = saved;
    c->pend_t = pt;
    c->pend_r = pr;
    c->pend_n = pn;
}

static void _wb_exit_tail(wb_ctx_t *c, wb_list_t *l) {
    wb_list_t *saved = c->cur;
    c->cur = l;
    c->qs = QS_LOCAL;
    c->pend_t = c->pend_r = c->pend_n = 0;
    _wb_store_state(c);
    wb_cpu_store(c, 1, CPU_OFF(ei_delay), wb_and(c, wb_shr(c, wb_get(c, L_XCODE), 8), 1));
    wb_cpu_store(c, 1, CPU_OFF(iff2_read), wb_and(c, wb_shr(c, wb_get(c, L_XCODE), 9), 1));
    wb_emit(c, BinaryenStore(c->m, 8, CPU_OFF(instructions), 8, wb_get(c, L_CPU),
                             BinaryenBinary(c->m, BinaryenAddInt64(),
                                            BinaryenLoad(c->m, 8, false, CPU_OFF(instructions), 8, BinaryenTypeInt64(), wb_get(c, L_CPU)),
                                            BinaryenUnary(c->m, BinaryenExtendUInt32(), wb_get(c, L_N))),
                             BinaryenTypeInt64()));
    wb_emit(c, BinaryenReturn(c->m, wb_and(c, wb_get(c, L_XCODE), 0xff)));
    c->cur = saved;
}

wbx_t wb_exit_call(BinaryenModuleRef m) {
    wbx_t args[L_XCODE + 1];
    for (int i = 0; i <= L_XCODE; i++) args[i] = BinaryenLocalGet(m, (BinaryenIndex)i, BinaryenTypeInt32());
    return BinaryenReturn(m, BinaryenCall(m, WB_EXIT_FUNC, args, L_XCODE + 1, BinaryenTypeInt32()));
}

void wb_exit_tail(BinaryenModuleRef m) {
    wb_ctx_t ctx = {0}, *c = &ctx;
    wb_list_t body = {0};
    c->m = m;
    _wb_exit_tail(c, &body);
    BinaryenType params[L_XCODE + 1];
    for (int i = 0; i <= L_XCODE; i++) params[i] = BinaryenTypeInt32();
    BinaryenAddFunction(m, WB_EXIT_FUNC, BinaryenTypeCreate(params, L_XCODE + 1), BinaryenTypeInt32(), NULL, 0,
                        BinaryenBlock(m, NULL, body.v, (BinaryenIndex)body.n, BinaryenTypeNone()));
    free(body.v);
}

/* ---- bus ---- */

wb_addr_t wb_addr_const(uint16_t a) { return (wb_addr_t){WA_CONST, -1, a}; }
wb_addr_t wb_addr_local(int local) { return (wb_addr_t){WA_LOCAL, local, 0}; }
wb_addr_t wb_addr_ir(void) { return (wb_addr_t){WA_IR, -1, 0}; }

static bool _wb_trace(const wb_ctx_t *c) { return (c->cfg->flags & WB_Z80_F_TRACE) != 0; }

/* The full address (for calls and memory). */
static wbx_t _wb_addr(wb_ctx_t *c, wb_addr_t a) {
    switch (a.kind) {
    case WA_CONST: return wb_i32(c, a.konst);
    case WA_LOCAL: return wb_get(c, a.local);
    default: {
        /* IR: R as it is now (all of this instruction's M1s counted) */
        return wb_or(c, wb_shl(c, wb_cpu_load(c, 1, CPU_OFF(i)), 8), wb_rnow(c));
    }
    }
}

/* Page of the address: -1 unknown at compile time. */
static int _wb_page(wb_addr_t a) { return a.kind == WA_CONST ? a.konst >> 14 : -1; }

/* Expression: is the address's page in `mask`? */
static wbx_t _wb_in_pages(wb_ctx_t *c, wb_addr_t a, uint32_t mask) {
    wbx_t page = a.kind == WA_IR ? wb_shr(c, wb_cpu_load(c, 1, CPU_OFF(i)), 6) : wb_shr(c, _wb_addr(c, a), 14);
    return wb_and(c, wb_bin(c, BinaryenShrUInt32(), wb_i32(c, (int32_t)mask), page), 1);
}

/* A contention point: t += table[t] when the page is contended. */
static void _wb_contend(wb_ctx_t *c, wb_addr_t a) {
    const jit_z80_request_t *g = c->cfg;
    if (!g->contention || !g->contended_pages) return;
    int page = _wb_page(a);
    if (page >= 0 && !((g->contended_pages >> page) & 1)) return;
    c->points++;
    int t = wb_temp(c);
    wb_list_t l = {0};
    wb_list_t *saved = c->cur;
    c->cur = &l;
    wb_set(c, t, wb_tnow(c));
    wb_emit(c, BinaryenIf(c->m, wb_bin(c, BinaryenLtUInt32(), wb_get(c, t), wb_i32(c, (int32_t)g->contention_len)),
                          BinaryenLocalSet(c->m, L_T, wb_add(c, wb_get(c, L_T),
                                                            wb_load8(c, wb_get(c, t), g->contention))),
                          NULL));
    c->cur = saved;
    wbx_t body = wb_block(c, &l);
    free(l.v);
    if (page >= 0) wb_emit(c, body);
    else wb_emit(c, BinaryenIf(c->m, _wb_in_pages(c, a, g->contended_pages), body, NULL));
}

/* Hand T to the core before a call, take it back after. */
static void _wb_sync_out(wb_ctx_t *c) {
    if (c->pend_t) {
        wb_set(c, L_T, wb_add(c, wb_get(c, L_T), wb_i32(c, c->pend_t)));
        c->pend_t = 0;
    }
    wb_cpu_store(c, 4, CPU_OFF(tstates), wb_get(c, L_T));
}
static void _wb_sync_in(wb_ctx_t *c) { wb_set(c, L_T, wb_cpu_load(c, 4, CPU_OFF(tstates))); }

static wbx_t _wb_mem(wb_ctx_t *c, wb_addr_t a) {
    if (c->cfg->mem_base) return _wb_addr(c, a); /* the load's offset adds mem_base */
    /* read_page[addr >> 14] + (addr & 0x3fff) */
    wbx_t slot = wb_add(c, wb_get(c, L_CPU), wb_shl(c, wb_shr(c, _wb_addr(c, a), 14), 2));
    wbx_t base = BinaryenLoad(c->m, 4, false, CPU_OFF(read_page), 4, BinaryenTypeInt32(), slot);
    return wb_add(c, base, wb_and(c, _wb_addr(c, a), 0x3fff));
}

void wb_fetch(wb_ctx_t *c, uint16_t pc) {
    if (_wb_trace(c)) {
        _wb_sync_out(c);
        wbx_t args[2] = {wb_get(c, L_CPU), wb_i32(c, pc)};
        wb_emit(c, BinaryenDrop(c->m, wb_call(c, WB_Z80_IMPORT_FETCH, args, 2, true)));
        _wb_sync_in(c);
        return;
    }
    _wb_contend(c, wb_addr_const(pc));
    c->pend_t += 4;
}

int wb_read(wb_ctx_t *c, wb_addr_t a) {
    int v = wb_temp(c);
    if (_wb_trace(c)) {
        _wb_sync_out(c);
        wbx_t args[2] = {wb_get(c, L_CPU), _wb_addr(c, a)};
        wb_set(c, v, wb_call(c, WB_Z80_IMPORT_READ, args, 2, true));
        _wb_sync_in(c);
        return v;
    }
    _wb_contend(c, a);
    c->pend_t += 3;
    wb_set(c, v, wb_load8(c, _wb_mem(c, a), c->cfg->mem_base));
    return v;
}

void wb_read_imm(wb_ctx_t *c, uint16_t pc) {
    if (_wb_trace(c)) {
        wb_read(c, wb_addr_const(pc));
        return;
    }
    _wb_contend(c, wb_addr_const(pc));
    c->pend_t += 3;
}

static void _wb_write_call(wb_ctx_t *c, wb_addr_t a, int v) {
    _wb_sync_out(c);
    wbx_t args[3] = {wb_get(c, L_CPU), _wb_addr(c, a), wb_get(c, v)};
    wb_set(c, L_SMC, wb_or(c, wb_get(c, L_SMC), wb_call(c, WB_Z80_IMPORT_WRITE, args, 3, true)));
    _wb_sync_in(c);
}

/* Plain RAM store, then the code map check: a store into a page that
 * compiled code was built from asks the core to invalidate. */
static void _wb_write_inline(wb_ctx_t *c, wb_addr_t a, int v) {
    const jit_z80_request_t *g = c->cfg;
    wbx_t store;
    if (g->mem_base) {
        store = BinaryenStore(c->m, 1, g->mem_base, 1, _wb_addr(c, a), wb_get(c, v), BinaryenTypeInt32());
    } else {
        wbx_t slot = wb_add(c, wb_get(c, L_CPU), wb_shl(c, wb_shr(c, _wb_addr(c, a), 14), 2));
        wbx_t base = BinaryenLoad(c->m, 4, false, CPU_OFF(write_page), 4, BinaryenTypeInt32(), slot);
        store = BinaryenStore(c->m, 1, 0, 1, wb_add(c, base, wb_and(c, _wb_addr(c, a), 0x3fff)), wb_get(c, v), BinaryenTypeInt32());
    }
    int page = _wb_page(a);
    if (page >= 0 && ((g->rom_pages >> page) & 1)) return; /* ROM: dropped */
    if (page < 0 && g->rom_pages)
        store = BinaryenIf(c->m, wb_eqz(c, _wb_in_pages(c, a, g->rom_pages)), store, NULL);
    wb_emit(c, store);
    if (g->code_map) {
        wbx_t args[2] = {wb_get(c, L_CPU), _wb_addr(c, a)};
        wbx_t hit = BinaryenLocalSet(c->m, L_SMC, wb_or(c, wb_get(c, L_SMC), wb_call(c, WB_Z80_IMPORT_SMC, args, 2, true)));
        wb_emit(c, BinaryenIf(c->m, wb_load8(c, wb_shr(c, _wb_addr(c, a), 8), g->code_map), hit, NULL));
    }
}

void wb_write(wb_ctx_t *c, wb_addr_t a, wbx_t value) {
    const jit_z80_request_t *g = c->cfg;
    int v = wb_tee_temp(c, value);
    if (_wb_trace(c)) {
        _wb_write_call(c, a, v);
        return;
    }
    int page = _wb_page(a);
    if (page >= 0) {
        if ((g->hooked_pages >> page) & 1) {
            c->points++;
            _wb_write_call(c, a, v);
        } else {
            _wb_contend(c, a);
            c->pend_t += 3;
            _wb_write_inline(c, a, v);
        }
        return;
    }
    if (!g->hooked_pages) {
        _wb_contend(c, a);
        c->pend_t += 3;
        _wb_write_inline(c, a, v);
        return;
    }
    /* Unknown page: the hooked path (a core call) or the inline one. */
    c->points++;
    wb_flush(c);
    wb_list_t hooked = {0}, plain = {0};
    wb_list_t *saved = c->cur;
    c->cur = &hooked;
    _wb_write_call(c, a, v);
    c->cur = &plain;
    _wb_contend(c, a);
    c->pend_t += 3;
    wb_flush(c);
    _wb_write_inline(c, a, v);
    c->cur = saved;
    wb_emit(c, BinaryenIf(c->m, _wb_in_pages(c, a, g->hooked_pages), wb_block(c, &hooked), wb_block(c, &plain)));
    free(hooked.v);
    free(plain.v);
}

/* Traced builds: n internal cycles at a through the core's traced slow path. */
static void _wb_traced_cycles(wb_ctx_t *c, const char *import, wb_addr_t a, int n) {
    _wb_sync_out(c);
    wbx_t args[3] = {wb_get(c, L_CPU), _wb_addr(c, a), wb_i32(c, n)};
    wb_emit(c, wb_call(c, import, args, 3, false));
    _wb_sync_in(c);
}

void wb_idle(wb_ctx_t *c, wb_addr_t a, int n) {
    if (_wb_trace(c)) {
        _wb_traced_cycles(c, WB_Z80_IMPORT_IDLE, a, n);
        return;
    }
    for (int i = 0; i < n; i++) {
        _wb_contend(c, a);
        c->pend_t += 1;
    }
}

void wb_contend_only(wb_ctx_t *c, wb_addr_t a, int n) {
    if (_wb_trace(c)) {
        _wb_traced_cycles(c, WB_Z80_IMPORT_CONTEND, a, n);
        return;
    }
    _wb_contend(c, a);
    c->pend_t += n;
}

int wb_port_in(wb_ctx_t *c, int port_local) {
    int v = wb_temp(c);
    c->points += 4;
    _wb_sync_out(c);
    wbx_t args[2] = {wb_get(c, L_CPU), wb_get(c, port_local)};
    wb_set(c, v, wb_call(c, WB_Z80_IMPORT_IN, args, 2, true));
    _wb_sync_in(c);
    return v;
}

void wb_port_out(wb_ctx_t *c, int port_local, wbx_t value) {
    c->points += 4;
    _wb_sync_out(c);
    wbx_t args[3] = {wb_get(c, L_CPU), wb_get(c, port_local), value};
    wb_emit(c, wb_call(c, WB_Z80_IMPORT_OUT, args, 3, false));
    _wb_sync_in(c);
}

void wb_push(wb_ctx_t *c, wbx_t value) {
    int v = wb_tee_temp(c, value);
    wb_set(c, L_SP, wb_and(c, wb_sub(c, wb_get(c, L_SP), wb_i32(c, 1)), 0xffff));
    wb_write(c, wb_addr_local(L_SP), wb_shr(c, wb_get(c, v), 8));
    wb_set(c, L_SP, wb_and(c, wb_sub(c, wb_get(c, L_SP), wb_i32(c, 1)), 0xffff));
    wb_write(c, wb_addr_local(L_SP), wb_and(c, wb_get(c, v), 0xff));
}

int wb_pop(wb_ctx_t *c) {
    int lo = wb_read(c, wb_addr_local(L_SP));
    wb_set(c, L_SP, wb_and(c, wb_add(c, wb_get(c, L_SP), wb_i32(c, 1)), 0xffff));
    int hi = wb_read(c, wb_addr_local(L_SP));
    wb_set(c, L_SP, wb_and(c, wb_add(c, wb_get(c, L_SP), wb_i32(c, 1)), 0xffff));
    return wb_tee_temp(c, wb_or(c, wb_get(c, lo), wb_shl(c, wb_get(c, hi), 8)));
}
