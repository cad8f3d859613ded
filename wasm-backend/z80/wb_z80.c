/*
 * wb_z80.c: Z80 compile requests (core/jit/z80/jit_z80_request.h) -> one
 * Wasm module.
 *
 * Per function: the region the core discovered from its entry, rebuilt from
 * the blocks the request lists (jit_z80_request_region), each block
 * translated instruction by instruction (wb_z80_ops*.c) after a backward
 * flag-liveness pass, and the blocks joined into structured control flow
 * (wasm-backend/wb_flow.c), so loops stay inside the function. Every block
 * begins with the deadline check: it runs only if all its instructions but
 * the last start before `until` even at worst-case contention; otherwise
 * the function writes the state back and returns JIT_EXIT_DEADLINE with
 * pc at the block, where the interpreter takes over (this is what lets the
 * interpreter end a frame at exactly the same instruction).
 *
 * The module is built in the compiler's own IR (wasm-backend/wb_ir.h) and
 * written by wasm-backend/wb_write.c. No optimisation passes run:
 * measured, Binaryen's cost far more than building and writing (DESIGN.md),
 * and V8's tiers allocate registers anyway.
 */
#include "z80/wb_z80.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/z80/z80.h"
#include "wb_flow.h"
#include "wb_module.h"
#include "z80/wb_z80_emit.h"

void wb_edge_begin(wb_ctx_t *c, wbx_t cond) {
    if (c->nedges == 0) wb_flush(c); /* the block's own pending work, before any way out */
    wb_edge_t *e = &c->edges[c->nedges++];
    memset(e, 0, sizeof *e);
    e->cond = cond;
    e->code.n = 0;
    c->b.cur = &e->code;
}

void wb_edge_end(wb_ctx_t *c, int dyn, uint16_t target) {
    wb_edge_t *e = &c->edges[c->nedges - 1];
    wb_flush(c);
    e->dyn = dyn;
    e->target = target;
}

typedef struct {
    wb_ctx_t c;
    wb_list_t code;
} _wb_blk_t;

/* Worst case T of an instruction: its longest timing plus the largest
 * delay at each contention point it has. */
static int _wb_worst(const wb_ctx_t *c, const z80_insn_t *in, int points) {
    int d = c->cfg->contention ? (int)c->cfg->max_delay : 0;
    return in->tstates_taken + points * d;
}

/* Backward liveness of F bits within a block: everything is live at its
 * end and after any instruction that may leave the function (a store can
 * hit code; a port write can page). */
static void _wb_liveness(const jit_region_t *r, const jit_block_t *b, uint8_t *live_after, bool step_deadline) {
    uint8_t live = 0xff;
    for (int i = b->count - 1; i >= 0; i--) {
        const z80_insn_t *in = &r->insns[b->first + i];
        /* a store may leave (SMC), a port write too (paging): every flag
         * must be in F after them */
        if (step_deadline || (in->attrs & (Z80_INSN_MEM_WRITE | Z80_INSN_IO_OUT))) live = 0xff;
        live_after[i] = live;
        live = (uint8_t)((live & ~in->flags_written) | in->flags_read);
    }
}

static void _wb_emit_block(wb_ctx_t *c, const jit_region_t *r, const jit_block_t *b, wb_list_t *code, int *worst_out) {
    uint8_t live_after[JIT_REGION_MAX_INSNS];
    bool step_deadline = (c->cfg->flags & JIT_Z80_F_TRACE) != 0;
    _wb_liveness(r, b, live_after, step_deadline);
    c->b.cur = code;
    c->qs = QS_LOCAL;
    c->nedges = 0;
    int worst = 0;
    for (int i = 0; i < b->count; i++) {
        const z80_insn_t *in = &r->insns[b->first + i];
        bool last = i == b->count - 1;
        if (step_deadline && i > 0) {
            /* Traced code stops exactly where z80_run would: before any
             * instruction that starts at or after `until`. */
            wb_list_t ex = {0};
            wb_exit(c, &ex, 0, in->pc, c->qs, 0, JIT_EXIT_DEADLINE);
            wbx_t late = wb_bin(&c->b, WB_I32_GE_U, wb_tnow(c), wb_get(&c->b, L_UNTIL));
            wb_emit(&c->b, wbi_if(c->b.m, late, wb_block(&c->b, &ex), NULL));
            free(ex.v);
        }
        c->in = in;
        c->live = live_after[i];
        c->b.tmp = L_TMP;
        c->points = 0;
        c->xb = 0;
        c->pend_r += in->r_incr;
        c->pend_n += 1;
        wb_emit_insn(c, in, last);
        c->qs = (in->attrs & Z80_INSN_SETS_Q) ? QS_F : QS_ZERO;
        c->b.cur = code;
        if (!last && !step_deadline) worst += _wb_worst(c, in, c->points);
        /* after a store that may hit code, or a port write that may page,
         * the block leaves if L_SMC says so */
        bool pages = (in->attrs & Z80_INSN_IO_OUT) != 0;
        bool may_hit = ((in->attrs & Z80_INSN_MEM_WRITE) && c->cfg->code_map) || pages;
        int why = pages ? JIT_EXIT_PAGED : JIT_EXIT_SMC;
        if (c->nedges) {
            for (int e = 0; e < c->nedges; e++) {
                c->edges[e].qs = c->qs;
                c->edges[e].xb = c->xb;
                if (may_hit) {
                    wb_list_t ex = {0};
                    wb_exit(c, &ex, c->edges[e].dyn, c->edges[e].target, c->qs, c->xb, why);
                    wb_list_push(&c->edges[e].code,
                                 wbi_if(c->b.m, wb_get(&c->b, L_SMC), wb_block(&c->b, &ex), NULL));
                    free(ex.v);
                }
            }
            break; /* a way out ends the block */
        }
        if (last) {
            uint16_t next = (uint16_t)(in->pc + in->length);
            if (may_hit) {
                wb_list_t ex = {0};
                wb_exit(c, &ex, 0, next, c->qs, c->xb, why);
                wb_emit(&c->b, wbi_if(c->b.m, wb_get(&c->b, L_SMC), wb_block(&c->b, &ex), NULL));
                free(ex.v);
            }
            wb_edge_begin(c, NULL);
            wb_edge_end(c, 0, next);
            c->edges[0].qs = c->qs;
            c->edges[0].xb = c->xb;
            c->b.cur = code;
        } else if (may_hit) {
            wb_list_t ex = {0};
            wb_exit(c, &ex, 0, (uint16_t)(in->pc + in->length), c->qs, c->xb, why);
            wb_emit(&c->b, wbi_if(c->b.m, wb_get(&c->b, L_SMC), wb_block(&c->b, &ex), NULL));
            free(ex.v);
        }
    }
    *worst_out = worst;
}

/* Builds f<index> for the region; returns false if the region is empty. */
static bool _wb_build_function(wb_mod_t *m, const jit_z80_request_t *cfg, const jit_region_t *r, int index) {
    static _wb_blk_t blk[JIT_REGION_MAX_BLOCKS];
    wb_flow_t *fl = wb_flow_begin();
    wb_ctx_t proto = {0};
    proto.b.m = m;
    proto.b.tmp_end = L_TMP + L_NTMP;
    int locals = L_TMP; /* one past the highest local used */
    proto.b.tmp_high = &locals;
    proto.cfg = cfg;
    proto.region = r;
    static int rbs[JIT_REGION_MAX_BLOCKS];
    for (int b = 0; b < r->n_blocks; b++) {
        _wb_blk_t *k = &blk[b];
        memset(k, 0, sizeof *k);
        k->c = proto;
        int worst = 0;
        _wb_emit_block(&k->c, r, &r->blocks[b], &k->code, &worst);
        /* deadline check first: T + worst < until */
        wb_list_t ex = {0};
        wb_ctx_t *c = &k->c;
        c->pend_t = c->pend_r = c->pend_n = 0;
        wb_exit(c, &ex, 0, r->blocks[b].start, QS_LOCAL, 0, JIT_EXIT_DEADLINE);
        wbx_t late = wb_bin(&c->b, WB_I32_GE_U, wb_add(&c->b, wb_get(&c->b, L_T), wb_i32(&c->b, worst)), wb_get(&c->b, L_UNTIL));
        rbs[b] = wb_flow_block(fl, wb_flow_guarded(&c->b, late, &ex, &k->code));
        free(ex.v);
    }
    /* Call sites: the blocks right after a CALL nn of the region, where a
     * RET is predicted to return (jit_region.c follows them). */
    static int sites[JIT_REGION_MAX_BLOCKS];
    static uint16_t site_pc[JIT_REGION_MAX_BLOCKS];
    static int site_callee[JIT_REGION_MAX_BLOCKS]; /* the block its CALL goes to, -1: not in the region */
    int nsites = 0;
    for (int i = 0; i < r->n_insns && nsites < JIT_REGION_MAX_BLOCKS; i++) {
        const z80_insn_t *in = &r->insns[i];
        if (!(in->attrs & Z80_INSN_CALL) || in->length != 3) continue;
        uint16_t next = (uint16_t)(in->pc + in->length);
        int to = jit_region_block_at(r, next);
        bool known = false;
        for (int k = 0; k < nsites; k++) known |= site_pc[k] == next;
        if (to >= 0 && !known) {
            sites[nsites] = to;
            site_callee[nsites] = (in->attrs & Z80_INSN_HAS_TARGET) ? jit_region_block_at(r, in->target) : -1;
            site_pc[nsites++] = next;
        }
    }
    /* Predicted targets of the region's indirect jumps (JIT_BLOCK_INDIRECT). */
    static int targets[JIT_REGION_MAX_BLOCKS];
    static uint16_t target_pc[JIT_REGION_MAX_BLOCKS];
    int ntargets = 0;
    for (int b = 0; b < r->n_blocks; b++)
        if (r->blocks[b].flags & JIT_BLOCK_INDIRECT) {
            targets[ntargets] = b;
            target_pc[ntargets++] = r->blocks[b].start;
        }
    /* Which call sites each RET can return to: those whose callee reaches
     * the RET inside the region without returning first (the blocks
     * reachable from the callee's entry, a CALL stepping over its own
     * callee to its call site). A RET that no callee reaches compares
     * nothing and leaves; the others compare only their own sites, not
     * every site of the region. */
    static uint8_t returns_to[JIT_REGION_MAX_BLOCKS][JIT_REGION_MAX_BLOCKS];
    memset(returns_to, 0, sizeof returns_to);
    for (int k = 0; k < nsites; k++) {
        int from = site_callee[k];
        if (from < 0) continue;
        static uint8_t seen[JIT_REGION_MAX_BLOCKS];
        static int todo[JIT_REGION_MAX_BLOCKS];
        memset(seen, 0, sizeof seen);
        int ntodo = 0;
        seen[from] = 1;
        todo[ntodo++] = from;
        while (ntodo > 0) {
            int b = todo[--ntodo];
            const z80_insn_t *last = &r->insns[r->blocks[b].first + r->blocks[b].count - 1];
            int next[2 + JIT_REGION_MAX_BLOCKS], nnext = 0;
            if ((last->attrs & Z80_INSN_RET) && last->length == 1) returns_to[b][k] = 1;
            if ((last->attrs & Z80_INSN_CALL) && last->length == 3) {
                next[nnext++] = jit_region_block_at(r, (uint16_t)(last->pc + 3));
            } else {
                for (int e = 0; e < blk[b].c.nedges; e++)
                    if (!blk[b].c.edges[e].dyn) next[nnext++] = jit_region_block_at(r, blk[b].c.edges[e].target);
                if (jit_region_indirect_jump(last))
                    for (int t = 0; t < ntargets; t++) next[nnext++] = targets[t];
            }
            for (int i = 0; i < nnext; i++)
                if (next[i] >= 0 && !seen[next[i]]) {
                    seen[next[i]] = 1;
                    todo[ntodo++] = next[i];
                }
        }
    }
    static int ret_sites[JIT_REGION_MAX_BLOCKS];
    static uint16_t ret_site_pc[JIT_REGION_MAX_BLOCKS];
    static wb_list_t site_exit[JIT_REGION_MAX_BLOCKS];
    int nexits = 0;
    for (int b = 0; b < r->n_blocks; b++) {
        wb_ctx_t *c = &blk[b].c;
        wb_flow_edge_t edges[2];
        const z80_insn_t *last = &r->insns[r->blocks[b].first + r->blocks[b].count - 1];
        /* RET and RET cc (not RETI/RETN: they change IFF1) go on at the
         * region's call sites; JP (HL), JP (IX) and JP (IY) at its
         * predicted targets */
        bool ret = (last->attrs & Z80_INSN_RET) && last->length == 1;
        bool jump = jit_region_indirect_jump(last);
        int nret = 0;
        if (ret)
            for (int k = 0; k < nsites; k++)
                if (returns_to[b][k]) {
                    ret_sites[nret] = sites[k];
                    ret_site_pc[nret++] = site_pc[k];
                }
        int ncand = ret ? nret : jump ? ntargets : 0;
        const int *cand = ret ? ret_sites : targets;
        const uint16_t *cand_pc = ret ? ret_site_pc : target_pc;
        for (int e = 0; e < c->nedges; e++) {
            wb_edge_t *ed = &c->edges[e];
            /* After EI, LD A,I/R or HALT the dispatcher must see the
             * state they leave (WB_XB_*): leave. */
            int to = ed->dyn || ed->xb ? -1 : jit_region_block_at(r, ed->target);
            if (ncand > 0 && ed->dyn && !ed->xb) {
                /* Prediction: the new pc against each candidate, in a
                 * block of its own; none matches: leave as before. */
                if (ed->qs != QS_LOCAL) wb_list_push(&ed->code, wbi_set(m, L_Q, wb_q_value(c, ed->qs)));
                int via = wb_flow_block(fl, wb_block(&c->b, &ed->code));
                wb_list_t *ex = &site_exit[nexits++];
                *ex = (wb_list_t){0};
                wb_exit(c, ex, 1, 0, QS_LOCAL, 0, JIT_EXIT_NORMAL);
                for (int k = 0; k < ncand; k++)
                    wb_flow_branch(fl, via, rbs[cand[k]],
                                   wbi_binary(m, WB_I32_EQ, wb_get(&c->b, L_PC), wb_i32(&c->b, cand_pc[k])), NULL);
                wb_flow_branch(fl, via, wb_flow_block(fl, wb_block(&c->b, ex)), NULL, NULL);
                edges[e] = (wb_flow_edge_t){ed->cond, &ed->code, -1, via};
                continue;
            }
            if (to >= 0 && ed->qs != QS_LOCAL) wb_list_push(&ed->code, wbi_set(m, L_Q, wb_q_value(c, ed->qs)));
            if (to < 0) wb_exit(c, &ed->code, ed->dyn, ed->target, ed->qs, ed->xb, JIT_EXIT_NORMAL);
            edges[e] = (wb_flow_edge_t){ed->cond, &ed->code, to, -1};
        }
        wb_flow_branches(&c->b, fl, rbs, rbs[b], edges, c->nedges);
    }
    /* entry: the state into locals */
    wb_ctx_t c0 = proto;
    wb_list_t entry = {0};
    c0.b.cur = &entry;
    wb_reload(&c0);
    if (cfg->contention && cfg->contended_pages) {
        /* A single contention point reads its delay with no bound check
         * (wb_z80_emit.c, _wb_contend_n), which holds while `until` is
         * inside the table: every block starts with T + its worst case
         * before `until`, so a point lies at most one instruction (under
         * 100 T-states) past it, where the table has Z80_CONTENTION_PAD
         * zeros. The machine never runs past its frame (contention_len), so
         * this minimum changes nothing there; elsewhere the code leaves
         * early and the interpreter goes on. */
        uint32_t len = cfg->contention_len;
        wb_set(&c0.b, L_UNTIL,
               wbi_select(m, wb_bin(&c0.b, WB_I32_LT_U, wb_get(&c0.b, L_UNTIL), wb_i32(&c0.b, (int32_t)len)),
                          wb_get(&c0.b, L_UNTIL), wb_i32(&c0.b, (int32_t)len)));
    }
    wbx_t flow = wb_flow_render(&c0.b, fl, rbs[0], L_LABEL);
    wb_list_push(&entry, flow);
    wb_list_push(&entry, wbi_unreachable(m));
    /* every way out breaks out of this block to the one write-back call */
    wbx_t body[2] = {wbi_block(m, WB_LABEL_EXIT, entry.v, (uint32_t)entry.n), wb_exit_call(m)};
    char name[16];
    snprintf(name, sizeof name, "f%d", index);
    wb_mod_add_function(m, name, 2, locals - 2, wbi_block(m, 0, body, 2), true);
    free(entry.v);
    for (int b = 0; b < r->n_blocks; b++) {
        free(blk[b].code.v);
        for (int e = 0; e < blk[b].c.nedges; e++) free(blk[b].c.edges[e].code.v);
    }
    for (int k = 0; k < nexits; k++) free(site_exit[k].v);
    return true;
}

static void _wb_imports(wb_mod_t *m) {
    /* The core's function table: the shared exit tail-calls the next
     * compiled function through it (chaining, wb_exit_tail), and the core's
     * functions are called through it (wb_core_call), not imported
     * (jit_z80_request.h, JIT_Z80_CALL_*). The memory: wb_mod_create. */
    wb_mod_import_table(m);
}

wb_mod_t *wb_z80_build(const uint8_t *req, size_t len, char *err, size_t errlen) {
    static jit_z80_request_t rq; /* large; the compiler is single-threaded */
    if (!jit_z80_request_decode(req, len, &rq, err, errlen)) return NULL;
    wb_mod_t *m = wb_mod_create();
    _wb_imports(m);
    wb_exit_tail(m, &rq); /* the shared write-back of exits */
    if (rq.contention && rq.contended_pages && !(rq.flags & JIT_Z80_F_TRACE)) wb_contend_helper(m, &rq);
    if ((rq.flags & JIT_Z80_F_HOOK_WINDOW) && rq.hooked_pages && !(rq.flags & JIT_Z80_F_TRACE)) wb_store_helper(m, &rq);
    static jit_region_t region;
    for (uint32_t f = 0; f < rq.count; f++) {
        if (!jit_z80_request_region(&rq, f, &region, err, errlen)) {
            wb_mod_dispose(m);
            return NULL;
        }
        _wb_build_function(m, &rq, &region, (int)f);
    }
    return m;
}

uint8_t *wb_z80_compile(const uint8_t *req, size_t len, size_t *out_len, char *err, size_t errlen) {
    wb_mod_t *m = wb_z80_build(req, len, err, errlen);
    return m ? wb_module_write(m, out_len, err, errlen) : NULL;
}
