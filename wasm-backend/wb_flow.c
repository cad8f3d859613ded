/*
 * wb_flow.c: block graphs to structured control flow (see wb_flow.h).
 */
#include "wb_flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int from, to;
    wbx_t cond, code;
} _wb_fedge_t;

struct wb_flow {
    wbx_t *code; /* per block */
    int n, cap;
    _wb_fedge_t *e; /* in the order added */
    int ne, ecap;
};

static wb_flow_t _wb_fl;

wb_flow_t *wb_flow_begin(void) {
    _wb_fl.n = _wb_fl.ne = 0;
    return &_wb_fl;
}

int wb_flow_block(wb_flow_t *fl, wbx_t code) {
    fl->code = wb_grow(fl->code, &fl->cap, fl->n + 1, sizeof *fl->code);
    fl->code[fl->n] = code;
    return fl->n++;
}

void wb_flow_branch(wb_flow_t *fl, int from, int to, wbx_t cond, wbx_t code) {
    fl->e = wb_grow(fl->e, &fl->ecap, fl->ne + 1, sizeof *fl->e);
    fl->e[fl->ne++] = (_wb_fedge_t){from, to, cond, code};
}

void wb_flow_leave_inline(wb_builder_t *b, wb_flow_t *fl, int from, wbx_t cond, wb_list_t *code) {
    wbx_t body = wb_block(b, code);
    wbx_t stmt = cond ? wbi_if(b->m, cond, body, NULL) : body;
    wbx_t c = fl->code[from];
    if (c->kind == WB_X_BLOCK && !c->index) {
        wbi_append(b->m, c, stmt);
    } else {
        wbx_t both[2] = {c, stmt};
        fl->code[from] = wbi_block(b->m, 0, both, 2);
    }
}

void wb_flow_branches(wb_builder_t *b, wb_flow_t *fl, const int *blocks, int from, const wb_flow_edge_t *edges, int n) {
    /* conditional ways first, the default last */
    int branches = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int e = 0; e < n; e++) {
            const wb_flow_edge_t *ed = &edges[e];
            if ((pass == 0) != (ed->cond != NULL)) continue;
            if (ed->node >= 0) {
                wb_flow_branch(fl, from, ed->node, ed->cond, NULL);
                branches++;
                continue;
            }
            if (ed->to < 0) {
                /* before any branch: at the end of the block's own code */
                if (branches == 0) {
                    wb_flow_leave_inline(b, fl, from, ed->cond, ed->code);
                    continue;
                }
                wb_flow_branch(fl, from, wb_flow_block(fl, wb_block(b, ed->code)), ed->cond, NULL);
                branches++;
                continue;
            }
            branches++;
            bool twice = false;
            for (int o = 0; o < n; o++)
                if (o != e && edges[o].to == ed->to) twice = true;
            if (twice && ed->cond) {
                /* one branch per target block: the conditional way goes
                 * through a block of its own */
                int via = wb_flow_block(fl, wb_block(b, ed->code));
                wb_flow_branch(fl, from, via, ed->cond, NULL);
                wb_flow_branch(fl, via, blocks[ed->to], NULL, NULL);
                continue;
            }
            wb_flow_branch(fl, from, blocks[ed->to], ed->cond, ed->code->n ? wb_block(b, ed->code) : NULL);
        }
    }
}

wbx_t wb_flow_guarded(wb_builder_t *b, wbx_t late, wb_list_t *leave, wb_list_t *code) {
    wb_list_t body = {0};
    wb_list_push(&body, wbi_if(b->m, late, wb_block(b, leave), NULL));
    for (int i = 0; i < code->n; i++) wb_list_push(&body, code->v[i]);
    wbx_t block = wb_block(b, &body);
    free(body.v);
    return block;
}

/* ---- structuring a reducible graph (Ramsey's recursive translation) ---- */

static struct {
    int cap, ecap;
    int *first, *out;      /* out-edges of block v: out[first[v] .. first[v + 1]), in the order added */
    int *pfirst, *pred;    /* predecessor blocks, likewise */
    int *rpo, *order;      /* reverse postorder number (-1: unreachable), and blocks by it */
    int *idom, *fwd_in, *stack, *next;
    bool *header, *merge;
    int *mfirst, *mchild;  /* the merge blocks each block immediately dominates, by rpo */
    bool need_end;         /* a block with no default way: falls out of the flow */
} _wb_s;

static void _wb_s_reserve(int n, int ne) {
    if (n > _wb_s.cap) {
        int c = _wb_s.cap ? _wb_s.cap : 64;
        while (c < n) c *= 2;
        _wb_s.cap = c;
        size_t i = sizeof(int);
        _wb_s.first = realloc(_wb_s.first, (size_t)(c + 1) * i);
        _wb_s.pfirst = realloc(_wb_s.pfirst, (size_t)(c + 1) * i);
        _wb_s.mfirst = realloc(_wb_s.mfirst, (size_t)(c + 1) * i);
        _wb_s.rpo = realloc(_wb_s.rpo, (size_t)c * i);
        _wb_s.order = realloc(_wb_s.order, (size_t)c * i);
        _wb_s.idom = realloc(_wb_s.idom, (size_t)c * i);
        _wb_s.fwd_in = realloc(_wb_s.fwd_in, (size_t)c * i);
        _wb_s.stack = realloc(_wb_s.stack, (size_t)c * i);
        _wb_s.next = realloc(_wb_s.next, (size_t)c * i);
        _wb_s.mchild = realloc(_wb_s.mchild, (size_t)c * i);
        _wb_s.header = realloc(_wb_s.header, (size_t)c * sizeof(bool));
        _wb_s.merge = realloc(_wb_s.merge, (size_t)c * sizeof(bool));
        if (!_wb_s.first || !_wb_s.pfirst || !_wb_s.mfirst || !_wb_s.rpo || !_wb_s.order || !_wb_s.idom ||
            !_wb_s.fwd_in || !_wb_s.stack || !_wb_s.next || !_wb_s.mchild || !_wb_s.header || !_wb_s.merge)
            abort();
    }
    if (ne > _wb_s.ecap) {
        int c = _wb_s.ecap ? _wb_s.ecap : 64;
        while (c < ne) c *= 2;
        _wb_s.ecap = c;
        _wb_s.out = realloc(_wb_s.out, (size_t)c * sizeof(int));
        _wb_s.pred = realloc(_wb_s.pred, (size_t)c * sizeof(int));
        if (!_wb_s.out || !_wb_s.pred) abort();
    }
}

static int _wb_intersect(int a, int b) {
    while (a != b) {
        while (_wb_s.rpo[a] > _wb_s.rpo[b]) a = _wb_s.idom[a];
        while (_wb_s.rpo[b] > _wb_s.rpo[a]) b = _wb_s.idom[b];
    }
    return a;
}

/* Labels: block v's merge block and its loop; then the dispatch loop of a
 * graph that is not reducible. */
static uint32_t _wb_merge_label(int v) { return WB_LABEL_FLOW + 2 * (uint32_t)v; }
static uint32_t _wb_loop_label(int v) { return WB_LABEL_FLOW + 2 * (uint32_t)v + 1; }

static wbx_t _wb_tree(wb_builder_t *b, const wb_flow_t *fl, int x);

/* The way from x to y: a loop's continue, a merge's block's break, or y's
 * own code when this edge is the only one that reaches it. */
static wbx_t _wb_to(wb_builder_t *b, const wb_flow_t *fl, int x, int y) {
    if (_wb_s.rpo[y] <= _wb_s.rpo[x]) return wbi_br(b->m, _wb_loop_label(y), NULL);
    if (_wb_s.merge[y]) return wbi_br(b->m, _wb_merge_label(y), NULL);
    return _wb_tree(b, fl, y);
}

static wbx_t _wb_seq(wb_builder_t *b, wbx_t x, wbx_t y) {
    if (!x) return y;
    if (!y) return x;
    wbx_t both[2] = {x, y};
    return wbi_block(b->m, 0, both, 2);
}

/* The way from x to y: in a dispatch loop (label_local >= 0: the loop's
 * label local; the loop is labelled after every block's merge label) the
 * label local becomes y and the loop goes round; otherwise _wb_to. */
static wbx_t _wb_go(wb_builder_t *b, const wb_flow_t *fl, int x, int y, int label_local) {
    if (label_local < 0) return _wb_to(b, fl, x, y);
    wbx_t both[2] = {wbi_set(b->m, (uint32_t)label_local, wb_i32(b, y)), wbi_br(b->m, _wb_merge_label(fl->n), NULL)};
    return wbi_block(b->m, 0, both, 2);
}

/* x's code, then its ways out: if (c1) {...} else if (c2) {...} else
 * {default}, each running its edge's code first (label_local: _wb_go). */
static wbx_t _wb_node(wb_builder_t *b, const wb_flow_t *fl, int x, int label_local) {
    const int *out = _wb_s.out;
    int dflt = -1;
    for (int i = _wb_s.first[x]; i < _wb_s.first[x + 1]; i++)
        if (!fl->e[out[i]].cond) dflt = out[i];
    wbx_t ways = NULL;
    if (dflt >= 0) ways = _wb_seq(b, fl->e[dflt].code, _wb_go(b, fl, x, fl->e[dflt].to, label_local));
    else if (_wb_s.first[x] < _wb_s.first[x + 1]) ways = wbi_br(b->m, WB_LABEL_FLOW_END, NULL); /* none holds */
    for (int i = _wb_s.first[x + 1] - 1; i >= _wb_s.first[x]; i--) {
        const _wb_fedge_t *e = &fl->e[out[i]];
        if (!e->cond) continue;
        ways = wbi_if(b->m, e->cond, _wb_seq(b, e->code, _wb_go(b, fl, x, e->to, label_local)), ways);
    }
    return _wb_seq(b, fl->code[x], ways);
}

/* x with the merge blocks it dominates, ys[0..k) by rpo: the highest one's
 * Wasm block outermost, each followed by that merge block's code. */
static wbx_t _wb_within(wb_builder_t *b, const wb_flow_t *fl, int x, const int *ys, int k) {
    if (k == 0) return _wb_node(b, fl, x, -1);
    int y = ys[k - 1];
    wbx_t in = _wb_within(b, fl, x, ys, k - 1);
    wbx_t blk = wbi_block(b->m, _wb_merge_label(y), &in, 1);
    return _wb_seq(b, blk, _wb_tree(b, fl, y));
}

static wbx_t _wb_tree(wb_builder_t *b, const wb_flow_t *fl, int x) {
    wbx_t body = _wb_within(b, fl, x, _wb_s.mchild + _wb_s.mfirst[x], _wb_s.mfirst[x + 1] - _wb_s.mfirst[x]);
    return _wb_s.header[x] ? wbi_loop(b->m, _wb_loop_label(x), body) : body;
}

/* Out-edges and predecessors per block, reverse postorder from entry,
 * dominators; false when the graph is not reducible. */
static bool _wb_analyse(const wb_flow_t *fl, int entry) {
    int n = fl->n, ne = fl->ne;
    _wb_s_reserve(n, ne);
    int *first = _wb_s.first, *out = _wb_s.out, *rpo = _wb_s.rpo, *order = _wb_s.order, *idom = _wb_s.idom;
    /* out-edges and predecessors per block, in the order added */
    memset(first, 0, (size_t)(n + 1) * sizeof *first);
    memset(_wb_s.pfirst, 0, (size_t)(n + 1) * sizeof *first);
    for (int i = 0; i < ne; i++) first[fl->e[i].from + 1]++, _wb_s.pfirst[fl->e[i].to + 1]++;
    for (int v = 0; v < n; v++) first[v + 1] += first[v], _wb_s.pfirst[v + 1] += _wb_s.pfirst[v];
    for (int v = 0; v < n; v++) _wb_s.next[v] = first[v], _wb_s.stack[v] = _wb_s.pfirst[v];
    for (int i = 0; i < ne; i++) {
        out[_wb_s.next[fl->e[i].from]++] = i;
        _wb_s.pred[_wb_s.stack[fl->e[i].to]++] = fl->e[i].from;
    }
    /* depth first from entry: postorder, then reverse postorder */
    for (int v = 0; v < n; v++) rpo[v] = -1, _wb_s.next[v] = first[v];
    int sp = 0, post = 0;
    _wb_s.stack[sp++] = entry;
    rpo[entry] = 0; /* seen */
    while (sp) {
        int v = _wb_s.stack[sp - 1];
        if (_wb_s.next[v] < first[v + 1]) {
            int w = fl->e[out[_wb_s.next[v]++]].to;
            if (rpo[w] < 0) {
                rpo[w] = 0;
                _wb_s.stack[sp++] = w;
            }
        } else {
            order[post++] = v; /* postorder for now */
            sp--;
        }
    }
    int nr = post;
    for (int i = 0; i < nr / 2; i++) {
        int t = order[i];
        order[i] = order[nr - 1 - i];
        order[nr - 1 - i] = t;
    }
    for (int i = 0; i < nr; i++) rpo[order[i]] = i;
    /* dominators (Cooper, Harvey, Kennedy: "A Simple, Fast Dominance
     * Algorithm", 2001) */
    for (int v = 0; v < n; v++) idom[v] = -1;
    idom[entry] = entry;
    for (bool changed = true; changed;) {
        changed = false;
        for (int i = 1; i < nr; i++) {
            int v = order[i], d = -1;
            for (int k = _wb_s.pfirst[v]; k < _wb_s.pfirst[v + 1]; k++) {
                int p = _wb_s.pred[k];
                if (rpo[p] < 0 || idom[p] < 0) continue;
                d = d < 0 ? p : _wb_intersect(p, d);
            }
            if (d != idom[v]) idom[v] = d, changed = true;
        }
    }
    /* back edges go to a block that dominates their source (reducible);
     * forward edges count towards merges */
    _wb_s.need_end = false;
    for (int v = 0; v < n; v++) _wb_s.header[v] = _wb_s.merge[v] = false, _wb_s.fwd_in[v] = 0;
    for (int i = 0; i < ne; i++) {
        int u = fl->e[i].from, v = fl->e[i].to;
        if (rpo[u] < 0) continue;
        if (rpo[v] <= rpo[u]) {
            int d = u;
            while (d != v && d != entry) d = idom[d];
            if (d != v) return false; /* a loop entered elsewhere than its header */
            _wb_s.header[v] = true;
        } else {
            _wb_s.fwd_in[v]++;
        }
    }
    for (int i = 0; i < nr; i++) {
        int v = order[i];
        _wb_s.merge[v] = _wb_s.fwd_in[v] >= 2;
        bool dflt = first[v] == first[v + 1]; /* no way out: it ends in an exit (wb_flow.h) */
        for (int k = first[v]; k < first[v + 1]; k++) dflt |= fl->e[out[k]].cond == NULL;
        if (!dflt) _wb_s.need_end = true;
    }
    /* each block's merge children in the dominator tree, by rpo */
    int *mfirst = _wb_s.mfirst;
    memset(mfirst, 0, (size_t)(n + 1) * sizeof *mfirst);
    for (int i = 1; i < nr; i++)
        if (_wb_s.merge[order[i]]) mfirst[idom[order[i]] + 1]++;
    for (int v = 0; v < n; v++) mfirst[v + 1] += mfirst[v];
    for (int v = 0; v < n; v++) _wb_s.next[v] = mfirst[v];
    for (int i = 1; i < nr; i++)
        if (_wb_s.merge[order[i]]) _wb_s.mchild[_wb_s.next[idom[order[i]]]++] = order[i];
    return true;
}

static wbx_t _wb_structure(wb_builder_t *b, const wb_flow_t *fl, int entry) {
    wbx_t tree = _wb_tree(b, fl, entry);
    return _wb_s.need_end ? wbi_block(b->m, WB_LABEL_FLOW_END, &tree, 1) : tree;
}

/* ---- a dispatch loop, for the rest ---- */

/* Any graph: a label local names the block to run, and a loop around a
 * br_table on it runs that block, whose ways out set the label and go
 * round again (or leave the flow, or the function):
 *     label = entry
 *     block $end  loop $top
 *       block $b(n-1) ... block $b0  br_table $b0 .. $b(n-1) (label)  end
 *       code 0, its ways      ...    end  code n-1, its ways
 *     end  end
 * Only a loop entered in the middle takes it (1 function in 57 of the
 * benchmark workloads); every way costs a br_table there. */
static wbx_t _wb_dispatch(wb_builder_t *b, const wb_flow_t *fl, int entry, int label_local) {
    int n = fl->n;
    static uint32_t *labels;
    static int cap;
    labels = wb_grow(labels, &cap, n, sizeof *labels);
    for (int v = 0; v < n; v++) labels[v] = _wb_merge_label(v);
    wbx_t inner = wbi_br_table(b->m, labels, (uint32_t)n, labels[0], wb_get(b, label_local));
    for (int v = 0; v < n; v++) {
        wbx_t blk = wbi_block(b->m, labels[v], &inner, 1);
        wbx_t code = _wb_node(b, fl, v, label_local);
        wbx_t both[2] = {blk, code};
        inner = wbi_block(b->m, 0, both, 2);
    }
    wbx_t top = wbi_loop(b->m, _wb_merge_label(n), inner);
    wbx_t all[2] = {wbi_set(b->m, (uint32_t)label_local, wb_i32(b, entry)), wbi_block(b->m, WB_LABEL_FLOW_END, &top, 1)};
    return wbi_block(b->m, 0, all, 2);
}

unsigned wb_flow_dispatched; /* graphs rendered as a dispatch loop (not reducible) */

wbx_t wb_flow_render(wb_builder_t *b, wb_flow_t *fl, int entry, int label_local) {
    wbx_t flow;
    if (_wb_analyse(fl, entry)) {
        flow = _wb_structure(b, fl, entry);
    } else {
        wb_flow_dispatched++;
        flow = _wb_dispatch(b, fl, entry, label_local);
    }
    fl->n = fl->ne = 0;
    return flow;
}
