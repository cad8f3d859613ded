/*
 * wb_flow.h: a function's block graph turned into structured control flow
 * (loops stay inside the function), guest-neutral.
 *
 * The front end adds its blocks (wb_flow_block) and their ways out
 * (wb_flow_branch, or wb_flow_branches for a block's edges): a branch goes
 * to another block of the graph, under a condition or by default, running
 * its own code first; an edge that leaves the function is code ending in an
 * exit. A block's conditional branches are tested in the order they were
 * added, the default last; a block with no default falls out of the flow
 * when none holds. A block with no way out at all must end in an exit (it
 * is where the function leaves: wb_flow_branches makes such blocks). At
 * most one branch per target block.
 *
 * wb_flow_render structures the graph itself when it is reducible (every
 * loop entered only through its header), after Ramsey, "Beyond Relooper:
 * recursive translation of unstructured control flow to structured control
 * flow" (ICFP 2022): blocks in reverse postorder, each block's subtree of
 * the dominator tree emitted under it, a named Wasm block before each
 * block that several edges reach (a merge), a Wasm loop around each loop
 * header's subtree; a branch is a br to the merge's block or the loop, or
 * the target's code itself when only this edge reaches it. That takes one
 * walk of the graph and no label variable. Otherwise (a loop entered in
 * the middle, which Z80 code can do) it is a dispatch loop: a label local
 * names the block to run next, a br_table on it inside a loop runs it.
 * (Binaryen's Relooper rendered those, and every graph before this file
 * did: it walked, canonicalised and uniquified its own output, the
 * largest part of building a module.) Labels are WB_LABEL_FLOW and up
 * (two per block and one more) and WB_LABEL_FLOW_END, the flow's end.
 *
 * HOWTO
 *     wb_flow_t *fl = wb_flow_begin();
 *     for each block: blocks[i] = wb_flow_block(fl, body);
 *     for each block: wb_flow_branches(&b, fl, blocks, blocks[i], edges, n);
 *     wbx_t flow = wb_flow_render(&b, fl, blocks[0], label_local);
 */
#ifndef WB_FLOW_H
#define WB_FLOW_H

#include "wb_builder.h"

typedef struct wb_flow wb_flow_t;

typedef struct {
    wbx_t cond;      /* NULL: the default way (exactly one per block) */
    wb_list_t *code; /* statements run on the edge (may be empty) */
    int to;          /* index of the target block in blocks[], -1: the edge leaves the function */
    int node;        /* >= 0: instead, a block of the graph itself to go to (to and code unused) */
} wb_flow_edge_t;

/* An empty graph (one at a time: the compiler is single-threaded). */
wb_flow_t *wb_flow_begin(void);
/* A block whose code is `code`; returns its number. */
int wb_flow_block(wb_flow_t *fl, wbx_t code);
/* A branch from -> to, under cond (NULL: the default), running code (NULL:
 * none) first. */
void wb_flow_branch(wb_flow_t *fl, int from, int to, wbx_t cond, wbx_t code);
/* The structured flow from entry (see above); label_local: the dispatch
 * loop's label, for a graph that is not reducible. */
wbx_t wb_flow_render(wb_builder_t *b, wb_flow_t *fl, int entry, int label_local);

/* Graphs rendered as a dispatch loop since the program started (not reducible). */
extern unsigned wb_flow_dispatched;

/* A leaving edge's code (ending in an exit) at the end of from's own code,
 * under `if (cond)` unless cond is NULL: right only before from's first
 * branch (branches are tested after the code). A leaving edge that comes
 * before every branch of its block (the first conditional one, or the
 * default when it is the only way left) is no branch at all. */
void wb_flow_leave_inline(wb_builder_t *b, wb_flow_t *fl, int from, wbx_t cond, wb_list_t *code);

/* Adds the branches of `from` (conditional first, the default last; a
 * conditional way to a target another way also takes goes through a block
 * of its own). */
void wb_flow_branches(wb_builder_t *b, wb_flow_t *fl, const int *blocks, int from, const wb_flow_edge_t *edges, int n);

/* A block body that runs `code` only when `late` is false, and `leave`
 * (ending in an exit) otherwise: the deadline check that heads a block. */
wbx_t wb_flow_guarded(wb_builder_t *b, wbx_t late, wb_list_t *leave, wb_list_t *code);

#endif
