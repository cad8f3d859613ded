/*
 * wb_flow.c: block graph edges to Binaryen's Relooper (see wb_flow.h).
 */
#include "wb_flow.h"

#include <stdio.h>
#include <stdlib.h>

/* The stand-ins of the function being built and the code each stands for
 * (the compiler is single-threaded; wb_flow_render empties the list). */
static struct {
    wbx_t *in, *code;
    RelooperBlockRef *block; /* the Relooper block it stands in (NULL: branch code) */
    int n, cap;
} _wb_stand;

/* A block named s<N> holding (drop (i32.const N)) and a break to itself
 * (afterwards the code's own block, still named s<N>: no break targets it):
 * not empty (the Relooper skips empty blocks), unlike every other stand-in
 * (it merges blocks of equal code), and kept whole when the Relooper
 * flattens a block's code (a named block that is the target of a break
 * is). The names repeat from function to function. */
static wbx_t _wb_stand_in(wb_builder_t *b, wbx_t code) {
    if (_wb_stand.n == _wb_stand.cap) {
        _wb_stand.cap = _wb_stand.cap ? _wb_stand.cap * 2 : 64;
        _wb_stand.in = realloc(_wb_stand.in, (size_t)_wb_stand.cap * sizeof *_wb_stand.in);
        _wb_stand.code = realloc(_wb_stand.code, (size_t)_wb_stand.cap * sizeof *_wb_stand.code);
        _wb_stand.block = realloc(_wb_stand.block, (size_t)_wb_stand.cap * sizeof *_wb_stand.block);
        if (!_wb_stand.in || !_wb_stand.code || !_wb_stand.block) abort();
    }
    char name[16];
    snprintf(name, sizeof name, "s%d", _wb_stand.n);
    wbx_t body[2] = {BinaryenDrop(b->m, wb_i32(b, _wb_stand.n)), BinaryenBreak(b->m, name, NULL, NULL)};
    wbx_t in = BinaryenBlock(b->m, name, body, 2, BinaryenTypeNone());
    _wb_stand.in[_wb_stand.n] = in;
    _wb_stand.block[_wb_stand.n] = NULL;
    _wb_stand.code[_wb_stand.n++] = code;
    return in;
}

RelooperBlockRef wb_flow_block(wb_builder_t *b, RelooperRef rl, wbx_t code) {
    /* an empty block stays itself: the Relooper may skip it */
    if (BinaryenExpressionGetId(code) == BinaryenNopId()) return RelooperAddBlock(rl, code);
    RelooperBlockRef blk = RelooperAddBlock(rl, _wb_stand_in(b, code));
    _wb_stand.block[_wb_stand.n - 1] = blk;
    return blk;
}

wbx_t wb_flow_code(wb_builder_t *b, wbx_t code) { return code ? _wb_stand_in(b, code) : NULL; }

/* stmt at the end of from's code; false when from has no stand-in (an
 * empty block: the Relooper may have dropped it) */
static bool _wb_flow_append(wb_builder_t *b, RelooperBlockRef from, wbx_t stmt) {
    for (int i = _wb_stand.n - 1; i >= 0; i--) {
        if (_wb_stand.block[i] != from) continue;
        wbx_t code = _wb_stand.code[i];
        if (BinaryenExpressionGetId(code) == BinaryenBlockId() && !BinaryenBlockGetName(code)) {
            BinaryenBlockAppendChild(code, stmt); /* type stays none, as the stand-in's */
        } else {
            wbx_t both[2] = {code, stmt};
            _wb_stand.code[i] = BinaryenBlock(b->m, NULL, both, 2, BinaryenTypeNone());
        }
        return true;
    }
    return false;
}

bool wb_flow_leave_inline(wb_builder_t *b, RelooperBlockRef from, wbx_t cond, wb_list_t *code) {
    wbx_t body = wb_block(b, code);
    return _wb_flow_append(b, from, cond ? BinaryenIf(b->m, cond, body, NULL) : body);
}

wbx_t wb_flow_render(BinaryenModuleRef m, RelooperRef rl, RelooperBlockRef entry, int label_local) {
    wbx_t flow = RelooperRenderAndDispose(rl, entry, (BinaryenIndex)label_local);
    for (int i = 0; i < _wb_stand.n; i++) {
        wbx_t in = _wb_stand.in[i];
        while (BinaryenBlockGetNumChildren(in)) BinaryenBlockRemoveChildAt(in, 0);
        BinaryenBlockAppendChild(in, _wb_stand.code[i]);
        /* not finalised: its type stays none (a block no break targets may
         * hold code that ends unreachable), and finalising it would walk
         * the code to look for breaks to it */
    }
    _wb_stand.n = 0;
    (void)m;
    return flow;
}

void wb_flow_branches(wb_builder_t *b, RelooperRef rl, RelooperBlockRef *blocks, RelooperBlockRef from,
                      const wb_flow_edge_t *edges, int n) {
    /* conditional ways first, the default last (the Relooper's rule) */
    int branches = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int e = 0; e < n; e++) {
            const wb_flow_edge_t *ed = &edges[e];
            if ((pass == 0) != (ed->cond != NULL)) continue;
            if (ed->to < 0) {
                /* before any branch: at the end of the block's own code */
                if (branches == 0 && wb_flow_leave_inline(b, from, ed->cond, ed->code)) continue;
                RelooperBlockRef out = wb_flow_block(b, rl, wb_block(b, ed->code));
                RelooperAddBranch(from, out, ed->cond, NULL);
                branches++;
                continue;
            }
            branches++;
            bool twice = false;
            for (int o = 0; o < n; o++)
                if (o != e && edges[o].to == ed->to) twice = true;
            if (twice && ed->cond) {
                /* The Relooper keeps one branch per target block: the
                 * conditional way goes through a block of its own. */
                RelooperBlockRef via = wb_flow_block(b, rl, wb_block(b, ed->code));
                RelooperAddBranch(from, via, ed->cond, NULL);
                RelooperAddBranch(via, blocks[ed->to], NULL, NULL);
                continue;
            }
            RelooperAddBranch(from, blocks[ed->to], ed->cond, ed->code->n ? wb_flow_code(b, wb_block(b, ed->code)) : NULL);
        }
    }
}

wbx_t wb_flow_guarded(wb_builder_t *b, wbx_t late, wb_list_t *leave, wb_list_t *code) {
    wb_list_t body = {0};
    wb_list_push(&body, BinaryenIf(b->m, late, wb_block(b, leave), NULL));
    for (int i = 0; i < code->n; i++) wb_list_push(&body, code->v[i]);
    wbx_t block = wb_block(b, &body);
    free(body.v);
    return block;
}
