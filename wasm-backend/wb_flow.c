/*
 * wb_flow.c: block graph edges to Binaryen's Relooper (see wb_flow.h).
 */
#include "wb_flow.h"

#include <stdlib.h>

void wb_flow_branches(wb_builder_t *b, RelooperRef rl, RelooperBlockRef *blocks, RelooperBlockRef from,
                      const wb_flow_edge_t *edges, int n) {
    /* conditional ways first, the default last (the Relooper's rule) */
    for (int pass = 0; pass < 2; pass++) {
        for (int e = 0; e < n; e++) {
            const wb_flow_edge_t *ed = &edges[e];
            if ((pass == 0) != (ed->cond != NULL)) continue;
            if (ed->to < 0) {
                RelooperBlockRef out = RelooperAddBlock(rl, wb_block(b, ed->code));
                RelooperAddBranch(from, out, ed->cond, NULL);
                continue;
            }
            bool twice = false;
            for (int o = 0; o < n; o++)
                if (o != e && edges[o].to == ed->to) twice = true;
            if (twice && ed->cond) {
                /* The Relooper keeps one branch per target block: the
                 * conditional way goes through a block of its own. */
                RelooperBlockRef via = RelooperAddBlock(rl, wb_block(b, ed->code));
                RelooperAddBranch(from, via, ed->cond, NULL);
                RelooperAddBranch(via, blocks[ed->to], NULL, NULL);
                continue;
            }
            RelooperAddBranch(from, blocks[ed->to], ed->cond, ed->code->n ? wb_block(b, ed->code) : NULL);
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
