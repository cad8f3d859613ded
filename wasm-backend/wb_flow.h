/*
 * wb_flow.h: a function's block graph handed to Binaryen's Relooper, which
 * turns it into structured control flow (loops stay inside the function),
 * guest-neutral.
 *
 * The front end adds its blocks to a Relooper (RelooperAddBlock), then
 * gives each block's ways out to wb_flow_branches: an edge goes to another
 * block of the function, or leaves it (its code then ends in an exit). The
 * Relooper's rules are kept here: conditional branches before the default
 * one, at most one branch per target block, code on a leaving edge in a
 * block of its own. A leaving edge that comes before every branch of its
 * block (the first conditional one, or the default when it is the only
 * way left) is no branch at all: `if (cond) code` at the end of the
 * block's code, fewer blocks for the Relooper to place and render.
 *
 * The Relooper is given stand-ins, not the code itself (wb_flow_block,
 * wb_flow_code): a tiny block each, unlike any other, which wb_flow_render
 * fills with the real code once the flow is rendered. The Relooper walks,
 * hashes and compares the code it holds (canonicalising it, merging
 * equivalent branches, finalising every block it wraps around it: work that
 * grows with the code times the nesting), which made it the largest part of
 * building a module; with stand-ins that work is on a few nodes per block.
 * The cost: blocks of identical code are no longer merged by the Relooper
 * (none of ours are: every exit names its own guest address).
 *
 * HOWTO
 *     RelooperRef rl = RelooperCreate(m);
 *     for each block: blocks[i] = wb_flow_block(&b, rl, body);
 *     for each block: wb_flow_branches(&b, rl, blocks, blocks[i], edges, n);
 *     wbx_t flow = wb_flow_render(m, rl, blocks[0], label_local);
 */
#ifndef WB_FLOW_H
#define WB_FLOW_H

#include "wb_builder.h"

typedef struct {
    wbx_t cond;      /* NULL: the default way (exactly one per block) */
    wb_list_t *code; /* statements run on the edge (may be empty) */
    int to;          /* index of the target block in blocks[], -1: the edge leaves the function */
} wb_flow_edge_t;

/* A Relooper block whose code is `code` (through a stand-in). */
RelooperBlockRef wb_flow_block(wb_builder_t *b, RelooperRef rl, wbx_t code);
/* Code for a Relooper branch (RelooperAddBranch's code): a stand-in for
 * `code`, or NULL for none. */
wbx_t wb_flow_code(wb_builder_t *b, wbx_t code);
/* Renders the flow from entry (RelooperRenderAndDispose), then puts the
 * code in place of the stand-ins made since the last render. */
wbx_t wb_flow_render(BinaryenModuleRef m, RelooperRef rl, RelooperBlockRef entry, int label_local);

/* A leaving edge's code (ending in an exit) at the end of from's own
 * code, under `if (cond)` unless cond is NULL: right only before from's
 * first branch (the Relooper tests its branches after the code). False
 * when from cannot take it (then add a branch). */
bool wb_flow_leave_inline(wb_builder_t *b, RelooperBlockRef from, wbx_t cond, wb_list_t *code);

/* Adds the branches of `from`. */
void wb_flow_branches(wb_builder_t *b, RelooperRef rl, RelooperBlockRef *blocks, RelooperBlockRef from,
                      const wb_flow_edge_t *edges, int n);

/* A block body that runs `code` only when `late` is false, and `leave`
 * (ending in an exit) otherwise: the deadline check that heads a block. */
wbx_t wb_flow_guarded(wb_builder_t *b, wbx_t late, wb_list_t *leave, wb_list_t *code);

#endif
