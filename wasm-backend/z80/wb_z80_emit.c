/*
 * wb_z80_emit.c: registers, timing, state write-back, exits and the bus
 * for the Z80 translator (see wb_z80_emit.h); the guest-neutral expression
 * and statement helpers are wasm-backend/wb_builder.c.
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

wbx_t wb_cpu_load(wb_ctx_t *c, int bytes, uint32_t offset) {
    return wbi_load(c->b.m, bytes, false, offset, WB_T_I32, wb_get(&c->b, L_CPU));
}

void wb_cpu_store(wb_ctx_t *c, int bytes, uint32_t offset, wbx_t v) {
    wb_emit(&c->b, wbi_store(c->b.m, bytes, offset, wb_get(&c->b, L_CPU), v, WB_T_I32));
}

/* ---- registers ---- */

static const int r8_local[8] = {L_B, L_C, L_D, L_E, L_H, L_L, -1, L_A};

wbx_t wb_r8(wb_ctx_t *c, int r) {
    switch (r) {
    case R8_IXH: return wb_shr(&c->b, wb_get(&c->b, L_IX), 8);
    case R8_IXL: return wb_and(&c->b, wb_get(&c->b, L_IX), 0xff);
    case R8_IYH: return wb_shr(&c->b, wb_get(&c->b, L_IY), 8);
    case R8_IYL: return wb_and(&c->b, wb_get(&c->b, L_IY), 0xff);
    default: return wb_get(&c->b, r8_local[r & 7]);
    }
}

void wb_set_r8(wb_ctx_t *c, int r, wbx_t v) {
    switch (r) {
    case R8_IXH: case R8_IYH: {
        int l = r == R8_IXH ? L_IX : L_IY;
        wb_set(&c->b, l, wb_or(&c->b, wb_and(&c->b, wb_get(&c->b, l), 0xff), wb_shl(&c->b, v, 8)));
        break;
    }
    case R8_IXL: case R8_IYL: {
        int l = r == R8_IXL ? L_IX : L_IY;
        wb_set(&c->b, l, wb_or(&c->b, wb_and(&c->b, wb_get(&c->b, l), 0xff00), v));
        break;
    }
    default: wb_set(&c->b, r8_local[r & 7], v); break;
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
    if (hi < 0) return wb_get(&c->b, _wb_word_local(rp));
    return wb_or(&c->b, wb_shl(&c->b, wb_get(&c->b, hi), 8), wb_get(&c->b, lo));
}

/* v must already be 0..0xffff. */
void wb_set_rp(wb_ctx_t *c, int rp, wbx_t v) {
    int hi, lo;
    _wb_pair_locals(rp, &hi, &lo);
    if (hi < 0) {
        wb_set(&c->b, _wb_word_local(rp), v);
        return;
    }
    int32_t kv;
    if (wbi_const(v, &kv)) {
        /* LD rr,nn: the halves as constants */
        uint32_t k = (uint32_t)kv;
        wb_set(&c->b, hi, wb_i32(&c->b, (int32_t)(k >> 8)));
        wb_set(&c->b, lo, wb_i32(&c->b, (int32_t)(k & 0xff)));
        return;
    }
    /* a value already in a local (not the high half, written first) is
     * read twice instead of copied to a temp */
    int t = v->kind == WB_X_GET && (int)v->index != hi ? (int)v->index : wb_tee_temp(&c->b, v);
    wb_set(&c->b, hi, wb_shr(&c->b, wb_get(&c->b, t), 8));
    wb_set(&c->b, lo, wb_and(&c->b, wb_get(&c->b, t), 0xff));
}

/* ---- timing and state ---- */

wbx_t wb_tnow(wb_ctx_t *c) {
    return c->pend_t ? wb_add(&c->b, wb_get(&c->b, L_T), wb_i32(&c->b, c->pend_t)) : wb_get(&c->b, L_T);
}

/* L_R is R as a counter: its low 7 bits are R's, counting up with plain
 * adds (carries run into bits 7-29, which nothing reads), and R's bit 7,
 * which never changes by counting, sits in bit 30 (wb_set_r). A
 * function's run is far shorter than the 2^30 increments that would reach
 * it. Each flush is an add instead of the masking and merging of bit 7. */
void wb_set_r(wb_ctx_t *c, wbx_t r) {
    wb_set(&c->b, L_R, r);
    wb_set(&c->b, L_R, wb_or(&c->b, wb_and(&c->b, wb_get(&c->b, L_R), 0x7f),
                             wb_shl(&c->b, wb_and(&c->b, wb_get(&c->b, L_R), 0x80), 23)));
}

wbx_t wb_rnow(wb_ctx_t *c) {
    wbx_t count = c->pend_r ? wb_add(&c->b, wb_get(&c->b, L_R), wb_i32(&c->b, c->pend_r)) : wb_get(&c->b, L_R);
    return wb_or(&c->b, wb_and(&c->b, count, 0x7f), wb_and(&c->b, wb_shr(&c->b, wb_get(&c->b, L_R), 23), 0x80));
}

/* Pending T only: the core's write path and the store helper read T, never
 * R or the instruction count (locals until an exit writes them back), so
 * those stay pending across a store instead of costing two updates each. */
static void _wb_flush_t(wb_ctx_t *c) {
    if (c->pend_t) wb_set(&c->b, L_T, wb_add(&c->b, wb_get(&c->b, L_T), wb_i32(&c->b, c->pend_t)));
    c->pend_t = 0;
}

void wb_flush(wb_ctx_t *c) {
    _wb_flush_t(c);
    if (c->pend_r) wb_set(&c->b, L_R, wb_add(&c->b, wb_get(&c->b, L_R), wb_i32(&c->b, c->pend_r)));
    if (c->pend_n) wb_set(&c->b, L_N, wb_add(&c->b, wb_get(&c->b, L_N), wb_i32(&c->b, c->pend_n)));
    c->pend_r = c->pend_n = 0;
}

wbx_t wb_q_value(wb_ctx_t *c, int qs) {
    switch (qs) {
    case QS_ZERO: return wb_i32(&c->b, 0);
    case QS_F: return wb_get(&c->b, L_F);
    default: return wb_get(&c->b, L_Q);
    }
}

/* Registers, T, R, Q and pc (from L_PC) to *cpu. */
static void _wb_store_state(wb_ctx_t *c) {
    wb_flush(c);
    wb_cpu_store(c, 2, CPU_OFF(af), wb_rp(c, RP_AF));
    wb_cpu_store(c, 2, CPU_OFF(bc), wb_rp(c, RP_BC));
    wb_cpu_store(c, 2, CPU_OFF(de), wb_rp(c, RP_DE));
    wb_cpu_store(c, 2, CPU_OFF(hl), wb_rp(c, RP_HL));
    wb_cpu_store(c, 2, CPU_OFF(ix), wb_get(&c->b, L_IX));
    wb_cpu_store(c, 2, CPU_OFF(iy), wb_get(&c->b, L_IY));
    wb_cpu_store(c, 2, CPU_OFF(sp), wb_get(&c->b, L_SP));
    wb_cpu_store(c, 2, CPU_OFF(wz), wb_get(&c->b, L_WZ));
    wb_cpu_store(c, 1, CPU_OFF(r), wb_rnow(c));
    wb_cpu_store(c, 4, CPU_OFF(tstates), wb_get(&c->b, L_T));
    wb_cpu_store(c, 1, CPU_OFF(q), wb_q_value(c, c->qs));
    wb_cpu_store(c, 2, CPU_OFF(pc), wb_get(&c->b, L_PC));
}

void wb_reload(wb_ctx_t *c) {
    wb_set(&c->b, L_A, wb_cpu_load(c, 1, CPU_OFF(af) + 1));
    wb_set(&c->b, L_F, wb_cpu_load(c, 1, CPU_OFF(af)));
    wb_set(&c->b, L_B, wb_cpu_load(c, 1, CPU_OFF(bc) + 1));
    wb_set(&c->b, L_C, wb_cpu_load(c, 1, CPU_OFF(bc)));
    wb_set(&c->b, L_D, wb_cpu_load(c, 1, CPU_OFF(de) + 1));
    wb_set(&c->b, L_E, wb_cpu_load(c, 1, CPU_OFF(de)));
    wb_set(&c->b, L_H, wb_cpu_load(c, 1, CPU_OFF(hl) + 1));
    wb_set(&c->b, L_L, wb_cpu_load(c, 1, CPU_OFF(hl)));
    wb_set(&c->b, L_IX, wb_cpu_load(c, 2, CPU_OFF(ix)));
    wb_set(&c->b, L_IY, wb_cpu_load(c, 2, CPU_OFF(iy)));
    wb_set(&c->b, L_SP, wb_cpu_load(c, 2, CPU_OFF(sp)));
    wb_set(&c->b, L_WZ, wb_cpu_load(c, 2, CPU_OFF(wz)));
    wb_set_r(c, wb_cpu_load(c, 1, CPU_OFF(r)));
    wb_set(&c->b, L_T, wb_cpu_load(c, 4, CPU_OFF(tstates)));
    wb_set(&c->b, L_Q, wb_cpu_load(c, 1, CPU_OFF(q)));
}

void wb_exit(wb_ctx_t *c, wb_list_t *l, int dyn, uint16_t pc_const, int qs, int xb, int code) {
    /* The exit path flushes pending work into its own list only: the
     * fall-through path keeps its pending T, R and N. Only what differs
     * between exits is set here; the shared tail does the rest. */
    wb_list_t *saved = c->b.cur;
    int pt = c->pend_t, pr = c->pend_r, pn = c->pend_n;
    c->b.cur = l;
    uint32_t pend = 0;
    if (pt <= WB_XPEND_T_MAX && pr <= WB_XPEND_R_MAX && pn <= WB_XPEND_N_MAX)
        pend = (uint32_t)pt << WB_XPEND_T_SHIFT | (uint32_t)pr << WB_XPEND_R_SHIFT | (uint32_t)pn << WB_XPEND_N_SHIFT;
    else
        wb_flush(c);
    if (dyn == 0) wb_set(&c->b, L_PC, wb_i32(&c->b, pc_const));
    if (qs != QS_LOCAL) wb_set(&c->b, L_Q, wb_q_value(c, qs));
    /* an indirect jump's exit tells the core, which records where it went
     * (the profile a recompile predicts from: core/jit/z80/jit_z80.c) */
    bool indirect = dyn && c->in && jit_region_indirect_jump(c->in);
    wbx_t set = wbi_set(c->b.m, L_XCODE, wb_i32(&c->b, (int32_t)(code | (xb & (WB_XB_EI | WB_XB_IFF2_READ)) << 8 |
                                                                      (indirect ? JIT_Z80_CHAIN_INDIRECT : 0) | pend)));
    wb_emit(&c->b, set);
    wb_emit(&c->b, wbi_br(c->b.m, WB_LABEL_EXIT, NULL));
    c->b.cur = saved;
    c->pend_t = pt;
    c->pend_r = pr;
    c->pend_n = pn;
}

static void _wb_exit_tail(wb_ctx_t *c, wb_list_t *l) {
    wb_list_t *saved = c->b.cur;
    c->b.cur = l;
    c->qs = QS_LOCAL;
    c->pend_t = c->pend_r = c->pend_n = 0;
    /* what the exit left pending (wb_exit), then the code alone */
    static const int pend[3][3] = {{L_T, WB_XPEND_T_SHIFT, WB_XPEND_T_MAX},
                                   {L_R, WB_XPEND_R_SHIFT, WB_XPEND_R_MAX},
                                   {L_N, WB_XPEND_N_SHIFT, WB_XPEND_N_MAX}};
    for (int i = 0; i < 3; i++)
        wb_set(&c->b, pend[i][0],
               wb_add(&c->b, wb_get(&c->b, pend[i][0]),
                      wb_and(&c->b, wb_shr(&c->b, wb_get(&c->b, L_XCODE), pend[i][1]), pend[i][2])));
    wb_set(&c->b, L_XCODE, wb_and(&c->b, wb_get(&c->b, L_XCODE), WB_XCODE_MASK));
    _wb_store_state(c);
    wb_cpu_store(c, 1, CPU_OFF(ei_delay), wb_and(&c->b, wb_shr(&c->b, wb_get(&c->b, L_XCODE), 8), 1));
    wb_cpu_store(c, 1, CPU_OFF(iff2_read), wb_and(&c->b, wb_shr(&c->b, wb_get(&c->b, L_XCODE), 9), 1));
    wb_emit(&c->b, wbi_store(c->b.m, 8, CPU_OFF(instructions), wb_get(&c->b, L_CPU),
                             wbi_binary(c->b.m, WB_I64_ADD,
                                        wbi_load(c->b.m, 8, false, CPU_OFF(instructions), WB_T_I64, wb_get(&c->b, L_CPU)),
                                        wbi_unary(c->b.m, WB_I64_EXTEND_I32_U, wb_get(&c->b, L_N))),
                             WB_T_I64));
    /* Chaining: after a normal exit the core looks the new pc up (the
     * dispatcher's checks: no interrupt can be taken, before the deadline,
     * compiled code there) and names the function to continue in, which
     * this tail-calls; the stack does not grow, since every function
     * reaches this one by a tail call too. 0: back to the dispatcher. */
    wb_mod_t *m = c->b.m;
    wbx_t args[3] = {wb_get(&c->b, L_CPU), wb_get(&c->b, L_UNTIL), wb_get(&c->b, L_XCODE)};
    wbx_t next = wbi_tee(m, L_XCODE, wb_core_call(c, JIT_Z80_CALL_CHAIN, args));
    wbx_t targs[2] = {wb_get(&c->b, L_CPU), wb_get(&c->b, L_UNTIL)};
    wbx_t chain = wbi_if(m, next, wbi_call_indirect(m, wb_get(&c->b, L_XCODE), targs, 2, WB_T_I32, true),
                         wbi_return(m, wb_i32(&c->b, JIT_EXIT_NORMAL)));
    wb_emit(&c->b, wbi_if(m, wbi_unary(m, WB_I32_EQZ, wb_and(&c->b, wb_get(&c->b, L_XCODE), 0xff)), chain, NULL));
    wb_emit(&c->b, wbi_return(c->b.m, wb_and(&c->b, wb_get(&c->b, L_XCODE), 0xff)));
    c->b.cur = saved;
}

wbx_t wb_core_call(wb_ctx_t *c, int call, wbx_t *args) {
    static const struct {
        uint8_t params;
        bool result;
    } sig[JIT_Z80_CALLS] = {
        [JIT_Z80_CALL_READ] = {2, true},     [JIT_Z80_CALL_FETCH] = {2, true}, [JIT_Z80_CALL_WRITE] = {3, true},
        [JIT_Z80_CALL_IDLE] = {3, false},    [JIT_Z80_CALL_CONTEND] = {3, false}, [JIT_Z80_CALL_IN] = {2, true},
        [JIT_Z80_CALL_OUT] = {3, true},      [JIT_Z80_CALL_SMC] = {2, true},   [JIT_Z80_CALL_CHAIN] = {3, true},
    };
    return wbi_call_indirect(c->b.m, wb_i32(&c->b, (int32_t)c->cfg->calls[call]), args, sig[call].params,
                             sig[call].result ? WB_T_I32 : WB_T_NONE, false);
}

wbx_t wb_exit_call(wb_mod_t *m) {
    wbx_t args[L_XCODE + 1];
    for (int i = 0; i <= L_XCODE; i++) args[i] = wbi_get(m, (uint32_t)i);
    return wbi_call(m, WB_EXIT_FUNC, args, L_XCODE + 1, true, true);
}

void wb_exit_tail(wb_mod_t *m, const jit_z80_request_t *cfg) {
    wb_ctx_t ctx = {0}, *c = &ctx;
    wb_list_t body = {0};
    c->b.m = m;
    c->cfg = cfg;
    _wb_exit_tail(c, &body);
    wb_mod_add_function(m, WB_EXIT_FUNC, L_XCODE + 1, 0, wbi_block(m, 0, body.v, (uint32_t)body.n), false);
    free(body.v);
}

/* ---- bus ---- */

wb_addr_t wb_addr_const(uint16_t a) { return (wb_addr_t){WA_CONST, -1, a}; }
wb_addr_t wb_addr_local(int local) { return (wb_addr_t){WA_LOCAL, local, 0}; }
wb_addr_t wb_addr_ir(void) { return (wb_addr_t){WA_IR, -1, 0}; }

static bool _wb_trace(const wb_ctx_t *c) { return (c->cfg->flags & JIT_Z80_F_TRACE) != 0; }

/* The full address (for calls and memory). */
static wbx_t _wb_addr(wb_ctx_t *c, wb_addr_t a) {
    switch (a.kind) {
    case WA_CONST: return wb_i32(&c->b, a.konst);
    case WA_LOCAL: return wb_get(&c->b, a.local);
    default: {
        /* IR: R as it is now (all of this instruction's M1s counted) */
        return wb_or(&c->b, wb_shl(&c->b, wb_cpu_load(c, 1, CPU_OFF(i)), 8), wb_rnow(c));
    }
    }
}

/* Page of the address: -1 unknown at compile time. */
static int _wb_page(wb_addr_t a) { return a.kind == WA_CONST ? a.konst >> 14 : -1; }

/* Expression: is the address's page in `mask`? One page (the 48K's
 * contended and screen page): page == p, two instructions fewer than the
 * mask's bit. */
static wbx_t _wb_in_pages(wb_ctx_t *c, wb_addr_t a, uint32_t mask) {
    wbx_t page = a.kind == WA_IR ? wb_shr(&c->b, wb_cpu_load(c, 1, CPU_OFF(i)), 6) : wb_shr(&c->b, _wb_addr(c, a), 14);
    if (mask && !(mask & (mask - 1))) {
        int p = 0;
        while (!(mask >> p & 1)) p++;
        return wb_bin(&c->b, WB_I32_EQ, page, wb_i32(&c->b, p));
    }
    return wb_and(&c->b, wb_bin(&c->b, WB_I32_SHR_U, wb_i32(&c->b, (int32_t)mask), page), 1);
}

/* Contention points at a: does the address's page need them (0: never, 1:
 * always, -1: known only at run time)? */
static int _wb_contends(const wb_ctx_t *c, wb_addr_t a) {
    const jit_z80_request_t *g = c->cfg;
    if (!g->contention || !g->contended_pages) return 0;
    int page = _wb_page(a);
    if (page >= 0) return (g->contended_pages >> page) & 1;
    return -1;
}

/* The contention helper (WB_CONTEND_FUNC), called where a page is
 * contended (known at compile time, or tested at run time):
 *     i32 c(i32 t, i32 k, i32 n)
 * n contention points in a row, the first at T-state t + k, each followed
 * by one T-state: at each, t += table[t] while inside the table. Returns t
 * with the delays. Used for runs of internal cycles (seven at IR for ADD
 * HL,rr, five at DE for LDIR), which carried a test and table load inline
 * per cycle; IR is contended only while I points into contended memory, so
 * most of these calls are never made. Single points stay inline: called,
 * a screen-heavy loop or BASIC reading its program ran 10-30% slower warm
 * (bench_before_after.mjs: game-scroll 0.71, basic-print 0.88 of before). */
void wb_contend_helper(wb_mod_t *m, const jit_z80_request_t *cfg) {
    enum { P_T, P_K, P_N, V_AT, V_D };
    wbx_t delay[3] = {
        wbi_set(m, V_D, wbi_load(m, 1, false, cfg->contention, WB_T_I32, wbi_get(m, V_AT))),
        wbi_set(m, P_T, wbi_binary(m, WB_I32_ADD, wbi_get(m, P_T), wbi_get(m, V_D))),
        wbi_set(m, V_AT, wbi_binary(m, WB_I32_ADD, wbi_get(m, V_AT), wbi_get(m, V_D))),
    };
    wbx_t step[4] = {
        wbi_if(m, wbi_binary(m, WB_I32_LT_U, wbi_get(m, V_AT), wbi_i32(m, (int32_t)cfg->contention_len)),
               wbi_block(m, 0, delay, 3), NULL),
        wbi_set(m, V_AT, wbi_binary(m, WB_I32_ADD, wbi_get(m, V_AT), wbi_i32(m, 1))),
        wbi_set(m, P_N, wbi_binary(m, WB_I32_SUB, wbi_get(m, P_N), wbi_i32(m, 1))),
        wbi_br(m, 1, wbi_get(m, P_N)),
    };
    wbx_t body[3] = {
        wbi_set(m, V_AT, wbi_binary(m, WB_I32_ADD, wbi_get(m, P_T), wbi_get(m, P_K))),
        wbi_loop(m, 1, wbi_block(m, 0, step, 4)),
        wbi_return(m, wbi_get(m, P_T)),
    };
    wb_mod_add_function(m, WB_CONTEND_FUNC, 3, 2, wbi_block(m, 0, body, 3), false);
}

/* n contention points in a row at a, each followed by `step` T-states (0
 * or 1: n is 1 when step is 0). The page is tested once for all n. */
static void _wb_contend_n(wb_ctx_t *c, wb_addr_t a, int n, int step) {
    const jit_z80_request_t *g = c->cfg;
    int how = _wb_contends(c, a);
    if (how != 0 && n == 1) {
        /* one point inline (see wb_contend_helper): T += table[T now], the
         * pending T in the load's offset; no bound check, since the point
         * is under Z80_CONTENTION_PAD past the table's end (the function
         * keeps `until` inside it: wb_z80.c). With the page known only at
         * run time, the delay is selected rather than branched to: an `if`
         * per memory access was over a third of a function's branches,
         * and V8's baseline compiler pays for each branch in proportion to
         * the function's locals. */
        c->points += 1;
        wbx_t delay = wb_load8(&c->b, wb_get(&c->b, L_T), g->contention + (uint32_t)c->pend_t);
        if (how < 0) delay = wbi_select(c->b.m, _wb_in_pages(c, a, g->contended_pages), delay, wb_i32(&c->b, 0));
        wb_set(&c->b, L_T, wb_add(&c->b, wb_get(&c->b, L_T), delay));
    } else if (how != 0) {
        c->points += n;
        wbx_t args[3] = {wb_get(&c->b, L_T), wb_i32(&c->b, c->pend_t), wb_i32(&c->b, n)};
        wbx_t body = wbi_set(c->b.m, L_T, wb_call(&c->b, WB_CONTEND_FUNC, args, 3, true));
        wb_emit(&c->b, how > 0 ? body : wbi_if(c->b.m, _wb_in_pages(c, a, g->contended_pages), body, NULL));
    }
    c->pend_t += n * step;
}

/* A contention point: t += table[t] when the page is contended. */
static void _wb_contend(wb_ctx_t *c, wb_addr_t a) { _wb_contend_n(c, a, 1, 0); }

/* Hand T to the core before a call, take it back after. */
static void _wb_sync_out(wb_ctx_t *c) {
    _wb_flush_t(c);
    wb_cpu_store(c, 4, CPU_OFF(tstates), wb_get(&c->b, L_T));
}
static void _wb_sync_in(wb_ctx_t *c) { wb_set(&c->b, L_T, wb_cpu_load(c, 4, CPU_OFF(tstates))); }

static wbx_t _wb_mem(wb_ctx_t *c, wb_addr_t a) {
    if (c->cfg->mem_base) return _wb_addr(c, a); /* the load's offset adds mem_base */
    /* read_page[addr >> 14] + (addr & 0x3fff) */
    wbx_t slot = wb_add(&c->b, wb_get(&c->b, L_CPU), wb_shl(&c->b, wb_shr(&c->b, _wb_addr(c, a), 14), 2));
    wbx_t base = wbi_load(c->b.m, 4, false, CPU_OFF(read_page), WB_T_I32, slot);
    return wb_add(&c->b, base, wb_and(&c->b, _wb_addr(c, a), 0x3fff));
}

void wb_fetch(wb_ctx_t *c, uint16_t pc) {
    if (_wb_trace(c)) {
        _wb_sync_out(c);
        wbx_t args[2] = {wb_get(&c->b, L_CPU), wb_i32(&c->b, pc)};
        wb_emit(&c->b, wbi_drop(c->b.m, wb_core_call(c, JIT_Z80_CALL_FETCH, args)));
        _wb_sync_in(c);
        return;
    }
    _wb_contend(c, wb_addr_const(pc));
    c->pend_t += 4;
}

int wb_read(wb_ctx_t *c, wb_addr_t a) {
    int v = wb_temp(&c->b);
    if (_wb_trace(c)) {
        _wb_sync_out(c);
        wbx_t args[2] = {wb_get(&c->b, L_CPU), _wb_addr(c, a)};
        wb_set(&c->b, v, wb_core_call(c, JIT_Z80_CALL_READ, args));
        _wb_sync_in(c);
        return v;
    }
    _wb_contend(c, a);
    c->pend_t += 3;
    wb_set(&c->b, v, wb_load8(&c->b, _wb_mem(c, a), c->cfg->mem_base));
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

/* The region loads the byte at pc at run time (the load form). */
static bool _wb_loaded(const wb_ctx_t *c, uint16_t pc) {
    const jit_region_t *r = c->region;
    uint16_t off = (uint16_t)(pc - (r ? r->base : 0));
    return r && r->n_loaded && off < JIT_REGION_WINDOW && jit_region_bit(r->loaded, off);
}

wb_opnd_t wb_read_opnd8(wb_ctx_t *c, uint16_t pc, uint8_t konst) {
    if (_wb_loaded(c, pc)) return (wb_opnd_t){wb_read(c, wb_addr_const(pc)), konst};
    wb_read_imm(c, pc);
    return (wb_opnd_t){-1, konst};
}

wb_opnd_t wb_read_opnd16(wb_ctx_t *c, uint16_t pc, uint16_t konst) {
    wb_opnd_t lo = wb_read_opnd8(c, pc, (uint8_t)konst);
    wb_opnd_t hi = wb_read_opnd8(c, (uint16_t)(pc + 1), (uint8_t)(konst >> 8));
    if (!wb_opnd_loaded(lo) && !wb_opnd_loaded(hi)) return (wb_opnd_t){-1, konst};
    return (wb_opnd_t){wb_tee_temp(&c->b, wb_or(&c->b, wb_opnd(c, lo), wb_shl(&c->b, wb_opnd(c, hi), 8))), konst};
}

wbx_t wb_opnd(wb_ctx_t *c, wb_opnd_t o) { return o.temp >= 0 ? wb_get(&c->b, o.temp) : wb_i32(&c->b, o.konst); }

static void _wb_write_call(wb_ctx_t *c, wb_addr_t a, int v) {
    _wb_sync_out(c);
    wbx_t args[3] = {wb_get(&c->b, L_CPU), _wb_addr(c, a), wb_get(&c->b, v)};
    wb_set(&c->b, L_SMC, wb_or(&c->b, wb_get(&c->b, L_SMC), wb_core_call(c, JIT_Z80_CALL_WRITE, args)));
    _wb_sync_in(c);
}

/* Plain RAM store, then the code map check: a store into a page that
 * compiled code was built from asks the core to invalidate. */
static void _wb_write_inline(wb_ctx_t *c, wb_addr_t a, int v) {
    const jit_z80_request_t *g = c->cfg;
    wbx_t store;
    if (g->mem_base) {
        store = wbi_store(c->b.m, 1, g->mem_base, _wb_addr(c, a), wb_get(&c->b, v), WB_T_I32);
    } else {
        wbx_t slot = wb_add(&c->b, wb_get(&c->b, L_CPU), wb_shl(&c->b, wb_shr(&c->b, _wb_addr(c, a), 14), 2));
        wbx_t base = wbi_load(c->b.m, 4, false, CPU_OFF(write_page), WB_T_I32, slot);
        store = wbi_store(c->b.m, 1, 0, wb_add(&c->b, base, wb_and(&c->b, _wb_addr(c, a), 0x3fff)), wb_get(&c->b, v), WB_T_I32);
    }
    int page = _wb_page(a);
    if (page >= 0 && ((g->rom_pages >> page) & 1)) return; /* ROM: dropped */
    if (page < 0 && g->rom_pages)
        store = wbi_if(c->b.m, wb_eqz(&c->b, _wb_in_pages(c, a, g->rom_pages)), store, NULL);
    wb_emit(&c->b, store);
    if (g->code_map) {
        wbx_t args[2] = {wb_get(&c->b, L_CPU), _wb_addr(c, a)};
        wbx_t hit = wbi_set(c->b.m, L_SMC, wb_or(&c->b, wb_get(&c->b, L_SMC), wb_core_call(c, JIT_Z80_CALL_SMC, args)));
        wb_emit(&c->b, wbi_if(c->b.m, wb_load8(&c->b, wb_shr(&c->b, _wb_addr(c, a), 8), g->code_map), hit, NULL));
    }
}

/* Whether a store into a hooked page must call the machine's write hook
 * (z80.h hook_window; the core's test: core/machine/zx/zx_video.c):
 *     window[2o] < t && window[2o + 1] >= *hook_mark,  o = addr & 0x3fff.
 * t is the store's T-state at its latest (no contention delay is larger
 * than max_delay): a later t only says yes more often. */
static wbx_t _wb_hook_needed(wb_ctx_t *c, wb_addr_t a) {
    const jit_z80_request_t *g = c->cfg;
    wbx_t off = wb_shl(&c->b, wb_and(&c->b, _wb_addr(c, a), 0x3fff), 3);
    int w = wb_tee_temp(&c->b, wb_add(&c->b, wb_cpu_load(c, 4, CPU_OFF(hook_window)), off));
    wbx_t lo = wbi_load(c->b.m, 4, false, 0, WB_T_I32, wb_get(&c->b, w));
    wbx_t hi = wbi_load(c->b.m, 4, false, 4, WB_T_I32, wb_get(&c->b, w));
    wbx_t mark = wbi_load(c->b.m, 4, false, 0, WB_T_I32, wb_cpu_load(c, 4, CPU_OFF(hook_mark)));
    wbx_t t = wb_add(&c->b, wb_tnow(c), wb_i32(&c->b, (int32_t)(g->max_delay + 3)));
    return wb_bin(&c->b, WB_I32_AND, wb_bin(&c->b, WB_I32_LT_U, lo, t), wb_bin(&c->b, WB_I32_GE_U, hi, mark));
}

/* if (hooked) the core's write path (a call) else the inline store;
 * hooked: the address is in a hooked page, and with a window the window
 * says so. */
static void _wb_write_split(wb_ctx_t *c, wb_addr_t a, int v, bool window) {
    const jit_z80_request_t *g = c->cfg;
    c->points++;
    _wb_flush_t(c); /* T is all in L_T: the test below and both branches start from it */
    wbx_t in_hooked = _wb_in_pages(c, a, g->hooked_pages);
    wbx_t hooked_cond = window ? wb_bin(&c->b, WB_I32_AND, in_hooked, _wb_hook_needed(c, a)) : in_hooked;
    int cond = wb_tee_temp(&c->b, hooked_cond);
    wb_list_t hooked = {0}, plain = {0};
    wb_list_t *saved = c->b.cur;
    c->b.cur = &hooked;
    _wb_write_call(c, a, v);
    c->b.cur = &plain;
    _wb_contend(c, a);
    c->pend_t += 3;
    _wb_flush_t(c);
    _wb_write_inline(c, a, v);
    c->b.cur = saved;
    wb_emit(&c->b, wbi_if(c->b.m, wb_get(&c->b, cond), wb_block(&c->b, &hooked), wb_block(&c->b, &plain)));
    free(hooked.v);
    free(plain.v);
}

/* The store helper (WB_STORE_FUNC): with a write-hook window, a store that
 * may land in a hooked page calls this function of the module instead of
 * carrying the window's test and both ways inline (a screen-heavy function
 * was several times larger with them, and V8's optimising tier took that
 * long to compile it: the first seconds ran slower than the interpreter).
 *     i32 w(i32 cpu, i32 addr, i32 v, i32 t)
 * t: the T-state before the store; returns the T-state after it, with bit
 * 31 set when the store hit the running function's code (leave). Its
 * locals follow the functions' layout, so the emitters above serve: the
 * parameters are copied into the locals they use. */
void wb_store_helper(wb_mod_t *m, const jit_z80_request_t *cfg) {
    wb_ctx_t ctx = {0}, *c = &ctx;
    wb_list_t body = {0};
    c->b.m = m;
    c->b.cur = &body;
    c->b.tmp = L_TMP;
    c->b.tmp_end = L_TMP + L_NTMP;
    int locals = L_TMP; /* one past the highest local used: only those are declared */
    c->b.tmp_high = &locals;
    c->cfg = cfg;
    int addr = wb_tee_temp(&c->b, wb_get(&c->b, 1)), v = wb_tee_temp(&c->b, wb_get(&c->b, 2));
    wb_set(&c->b, L_T, wb_get(&c->b, 3));
    _wb_write_split(c, wb_addr_local(addr), v, true);
    wb_flush(c);
    wb_emit(&c->b, wbi_return(m, wb_or(&c->b, wb_get(&c->b, L_T), wb_shl(&c->b, wb_get(&c->b, L_SMC), 31))));
    wb_mod_add_function(m, WB_STORE_FUNC, 4, locals - 4, wbi_block(m, 0, body.v, (uint32_t)body.n), false);
    free(body.v);
}

static void _wb_write_helper(wb_ctx_t *c, wb_addr_t a, int v) {
    c->points += 2; /* as the inline form: the core's path and the contention point */
    wbx_t args[4] = {wb_get(&c->b, L_CPU), _wb_addr(c, a), wb_get(&c->b, v), wb_tnow(c)};
    c->pend_t = 0; /* the helper returns T after the store */
    int r = wb_tee_temp(&c->b, wb_call(&c->b, WB_STORE_FUNC, args, 4, true));
    wb_set(&c->b, L_T, wb_and(&c->b, wb_get(&c->b, r), 0x7fffffff));
    wb_set(&c->b, L_SMC, wb_or(&c->b, wb_get(&c->b, L_SMC), wb_bin(&c->b, WB_I32_SHR_U, wb_get(&c->b, r), wb_i32(&c->b, 31))));
}

void wb_write(wb_ctx_t *c, wb_addr_t a, wbx_t value) {
    const jit_z80_request_t *g = c->cfg;
    int v = wb_tee_temp(&c->b, value);
    if (_wb_trace(c)) {
        _wb_write_call(c, a, v);
        return;
    }
    bool window = (g->flags & JIT_Z80_F_HOOK_WINDOW) != 0;
    int page = _wb_page(a);
    if (page >= 0) {
        if ((g->hooked_pages >> page) & 1) {
            if (window) {
                _wb_write_helper(c, a, v);
            } else {
                c->points++;
                _wb_write_call(c, a, v);
            }
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
    if (window) _wb_write_helper(c, a, v);
    else _wb_write_split(c, a, v, false);
}

/* Traced builds: n internal cycles at a through the core's traced slow path. */
static void _wb_traced_cycles(wb_ctx_t *c, int call, wb_addr_t a, int n) {
    _wb_sync_out(c);
    wbx_t args[3] = {wb_get(&c->b, L_CPU), _wb_addr(c, a), wb_i32(&c->b, n)};
    wb_emit(&c->b, wb_core_call(c, call, args));
    _wb_sync_in(c);
}

void wb_idle(wb_ctx_t *c, wb_addr_t a, int n) {
    if (_wb_trace(c)) {
        _wb_traced_cycles(c, JIT_Z80_CALL_IDLE, a, n);
        return;
    }
    if (c->cfg->flags & JIT_Z80_F_MREQ_ONLY) { /* the +2A/+3 gate array ignores internal cycles */
        c->pend_t += n;
        return;
    }
    _wb_contend_n(c, a, n, 1);
}

void wb_contend_only(wb_ctx_t *c, wb_addr_t a, int n) {
    if (_wb_trace(c)) {
        _wb_traced_cycles(c, JIT_Z80_CALL_CONTEND, a, n);
        return;
    }
    _wb_contend(c, a);
    c->pend_t += n;
}

int wb_port_in(wb_ctx_t *c, int port_local) {
    int v = wb_temp(&c->b);
    c->points += 4;
    _wb_sync_out(c);
    wbx_t args[2] = {wb_get(&c->b, L_CPU), wb_get(&c->b, port_local)};
    wb_set(&c->b, v, wb_core_call(c, JIT_Z80_CALL_IN, args));
    _wb_sync_in(c);
    return v;
}

void wb_port_out(wb_ctx_t *c, int port_local, wbx_t value) {
    c->points += 4;
    _wb_sync_out(c);
    wbx_t args[3] = {wb_get(&c->b, L_CPU), wb_get(&c->b, port_local), value};
    /* a write that pages sets L_SMC: the block leaves after this instruction */
    wb_set(&c->b, L_SMC, wb_or(&c->b, wb_get(&c->b, L_SMC), wb_core_call(c, JIT_Z80_CALL_OUT, args)));
    _wb_sync_in(c);
}

void wb_push(wb_ctx_t *c, wbx_t value) {
    int v = wb_tee_temp(&c->b, value);
    wb_set(&c->b, L_SP, wb_and(&c->b, wb_sub(&c->b, wb_get(&c->b, L_SP), wb_i32(&c->b, 1)), 0xffff));
    wb_write(c, wb_addr_local(L_SP), wb_shr(&c->b, wb_get(&c->b, v), 8));
    wb_set(&c->b, L_SP, wb_and(&c->b, wb_sub(&c->b, wb_get(&c->b, L_SP), wb_i32(&c->b, 1)), 0xffff));
    wb_write(c, wb_addr_local(L_SP), wb_and(&c->b, wb_get(&c->b, v), 0xff));
}

int wb_pop(wb_ctx_t *c) {
    int lo = wb_read(c, wb_addr_local(L_SP));
    wb_set(&c->b, L_SP, wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, L_SP), wb_i32(&c->b, 1)), 0xffff));
    int hi = wb_read(c, wb_addr_local(L_SP));
    wb_set(&c->b, L_SP, wb_and(&c->b, wb_add(&c->b, wb_get(&c->b, L_SP), wb_i32(&c->b, 1)), 0xffff));
    return wb_tee_temp(&c->b, wb_or(&c->b, wb_get(&c->b, lo), wb_shl(&c->b, wb_get(&c->b, hi), 8)));
}
