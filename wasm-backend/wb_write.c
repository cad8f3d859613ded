/*
 * wb_write.c: a module's bytes from the compiler's IR (wb_ir.h), written as
 * Binaryen 108's writer writes the same module (see wb_write.h). The rules
 * are Binaryen 108's: src/wasm/wasm-binary.cpp (sections), src/wasm-stack.h
 * (BinaryenIRWriter: what is written), src/wasm/wasm-stack.cpp
 * (BinaryInstWriter: how), src/ir/module-utils.cpp
 * (getOptimizedIndexedHeapTypes: the type order), src/wasm/wasm.cpp (the
 * types of blocks, ifs and loops: Block::finalize, If::finalize).
 */
#include "wb_write.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wb_builder.h"

enum {
    WB_W_MAX_SIGS = 64,
    WB_W_MAX_TUPLE = 64, /* params of one signature (the exit tail has 22) */
};

typedef struct {
    uint8_t *p;
    size_t n, cap;
} _wb_buf_t;

/* A signature: n i32 parameters, an i32 result or none. */
typedef struct {
    uint16_t nparams;
    uint8_t result;
    uint32_t uses;
    int index; /* in the type section */
} _wb_sig_t;

typedef struct {
    _wb_buf_t o;
    char *err;
    size_t errlen;
    bool bad;
    int nsig;
    _wb_sig_t sig[WB_W_MAX_SIGS];
    int fsig[WB_MOD_MAX_FUNCS];
    /* the census: breaks seen per label (labels are small and unique in a
     * function: a block's count is complete when its walk ends) */
    uint32_t *brk;
    int brk_cap;
    /* writing: enclosing blocks, loops (their labels) and ifs (0) */
    uint32_t *labels;
    int depth, labels_cap;
    uint32_t nlocals;
} _wb_w_t;

/* ---- failing ---- */

static void _wb_fail(_wb_w_t *w, const char *fmt, ...) {
    if (w->bad) return;
    w->bad = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->err, w->errlen, fmt, ap);
    va_end(ap);
}

/* ---- bytes ---- */

static void _wb_grow_out(_wb_w_t *w, size_t more) {
    size_t cap = w->o.cap ? w->o.cap : 16384;
    while (cap < w->o.n + more) cap *= 2;
    uint8_t *p = realloc(w->o.p, cap);
    if (!p) abort(); /* as every allocation of the compiler */
    w->o.p = p;
    w->o.cap = cap;
}

static inline void _wb_reserve(_wb_w_t *w, size_t more) {
    if (w->o.cap - w->o.n < more) _wb_grow_out(w, more);
}

static inline void _wb_u8(_wb_w_t *w, uint8_t v) {
    if (w->o.n == w->o.cap) _wb_reserve(w, 1);
    w->o.p[w->o.n++] = v;
}

static inline void _wb_u32(_wb_w_t *w, uint32_t v) {
    _wb_reserve(w, 5);
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        w->o.p[w->o.n++] = (uint8_t)(byte | (v ? 0x80 : 0));
    } while (v);
}

static void _wb_str(_wb_w_t *w, const char *s) {
    size_t len = strlen(s);
    _wb_u32(w, (uint32_t)len);
    _wb_reserve(w, len);
    memcpy(w->o.p + w->o.n, s, len);
    w->o.n += len;
}

/* A size to fill in later: five bytes kept, shrunk to the LEB's own length
 * when filled (Binaryen's writeU32LEBPlaceholder and finishSection). */
static size_t _wb_size_begin(_wb_w_t *w) {
    _wb_reserve(w, 5);
    size_t at = w->o.n;
    w->o.n += 5;
    return at;
}

static void _wb_size_end(_wb_w_t *w, size_t at) {
    uint32_t size = (uint32_t)(w->o.n - at - 5);
    uint8_t leb[5];
    int k = 0;
    uint32_t v = size;
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        leb[k++] = (uint8_t)(byte | (v ? 0x80 : 0));
    } while (v);
    memmove(w->o.p + at + k, w->o.p + at + 5, size);
    memcpy(w->o.p + at, leb, (size_t)k);
    w->o.n -= (size_t)(5 - k);
}

static size_t _wb_section_begin(_wb_w_t *w, uint8_t id) {
    _wb_u8(w, id);
    return _wb_size_begin(w);
}

/* ---- types ---- */

static void _wb_valtype(_wb_w_t *w, int t) {
    if (t == WB_T_I32) _wb_u8(w, 0x7f);
    else if (t == WB_T_I64) _wb_u8(w, 0x7e);
    else _wb_fail(w, "value type %d is not written", t);
}

/* The signature's entry, noted once more (Binaryen's Counts::note). */
static int _wb_sig_note(_wb_w_t *w, int nparams, int result) {
    for (int i = 0; i < w->nsig; i++)
        if (w->sig[i].nparams == nparams && w->sig[i].result == result) {
            w->sig[i].uses++;
            return i;
        }
    if (w->nsig == WB_W_MAX_SIGS || nparams > WB_W_MAX_TUPLE) {
        _wb_fail(w, "more than %d signatures or %d parameters", WB_W_MAX_SIGS, WB_W_MAX_TUPLE);
        return 0;
    }
    w->sig[w->nsig] = (_wb_sig_t){(uint16_t)nparams, (uint8_t)result, 1, 0};
    return w->nsig++;
}

static int _wb_sig_find(_wb_w_t *w, int nparams, int result) {
    for (int i = 0; i < w->nsig; i++)
        if (w->sig[i].nparams == nparams && w->sig[i].result == result) return w->sig[i].index;
    _wb_fail(w, "a signature not in the census");
    return 0;
}

/* ---- the census: types, breaks, signatures of call_indirect ---- */

static void _wb_break_to(_wb_w_t *w, uint32_t label) {
    if (label == 0) {
        _wb_fail(w, "a branch to label 0");
        return;
    }
    if ((int)label >= w->brk_cap) {
        int old = w->brk_cap;
        w->brk = wb_grow(w->brk, &w->brk_cap, (int)label + 1, sizeof *w->brk);
        memset(w->brk + old, 0, (size_t)(w->brk_cap - old) * sizeof *w->brk);
    }
    w->brk[label]++;
}

static uint32_t _wb_breaks(const _wb_w_t *w, uint32_t label) {
    return label && (int)label < w->brk_cap ? w->brk[label] : 0;
}

static bool _wb_unr(wbx_t x) { return x && x->type == WB_T_UNREACHABLE; }

/* Every node that may matter (wb_node_t.deep: most of a module's nodes are
 * values with nothing of the kind under them, and keep their own types),
 * children first (Binaryen's CodeScanner is a PostWalker, and the order
 * signatures are first seen in breaks ties in the type order); each
 * structure's type as Binaryen's finalize gives it. A node with an
 * unreachable operand is unreachable (its inherent type comes back on the
 * next census only if that operand changed, which it does not). */
static void _wb_census(_wb_w_t *w, wbx_t x) {
    if (w->bad || !x->deep) return; /* nothing below changes a type or counts */
    switch (x->kind) {
    case WB_X_CONST:
    case WB_X_GET:
    case WB_X_NOP:
    case WB_X_UNREACHABLE:
        return;
    case WB_X_SET:
    case WB_X_UNARY:
    case WB_X_LOAD:
    case WB_X_DROP:
        _wb_census(w, x->a);
        if (_wb_unr(x->a)) x->type = WB_T_UNREACHABLE;
        return;
    case WB_X_RETURN:
        if (x->a) _wb_census(w, x->a);
        return;
    case WB_X_BINARY:
    case WB_X_STORE:
        _wb_census(w, x->a);
        _wb_census(w, x->b);
        if (_wb_unr(x->a) || _wb_unr(x->b)) x->type = WB_T_UNREACHABLE;
        return;
    case WB_X_SELECT:
        _wb_census(w, x->b);
        _wb_census(w, x->c);
        _wb_census(w, x->a);
        if (_wb_unr(x->a) || _wb_unr(x->b) || _wb_unr(x->c)) x->type = WB_T_UNREACHABLE;
        return;
    case WB_X_BR:
        if (x->a) {
            _wb_census(w, x->a);
            x->type = _wb_unr(x->a) ? WB_T_UNREACHABLE : WB_T_NONE;
        }
        _wb_break_to(w, x->index);
        return;
    case WB_X_BR_TABLE:
        _wb_census(w, x->a);
        for (uint32_t i = 0; i <= x->n; i++) _wb_break_to(w, x->labels[i]);
        return;
    case WB_X_CALL:
    case WB_X_CALL_INDIRECT: {
        bool unr = false;
        for (uint32_t i = 0; i < x->n; i++) {
            _wb_census(w, x->kids[i]);
            unr |= _wb_unr(x->kids[i]);
        }
        if (x->kind == WB_X_CALL_INDIRECT) {
            _wb_census(w, x->a);
            unr |= _wb_unr(x->a);
            _wb_sig_note(w, x->nparams, x->vtype);
        }
        if (unr) x->type = WB_T_UNREACHABLE;
        return;
    }
    case WB_X_IF:
        _wb_census(w, x->a);
        _wb_census(w, x->b);
        if (x->c) _wb_census(w, x->c);
        if (_wb_unr(x->a)) x->type = WB_T_UNREACHABLE;
        else if (!x->c) x->type = WB_T_NONE;
        else if (_wb_unr(x->b) && _wb_unr(x->c)) x->type = WB_T_UNREACHABLE;
        else x->type = x->b->type == x->c->type ? x->b->type : _wb_unr(x->b) ? x->c->type : _wb_unr(x->c) ? x->b->type : WB_T_NONE;
        return;
    case WB_X_LOOP:
        _wb_census(w, x->a);
        x->type = x->a->type;
        return;
    case WB_X_BLOCK: {
        uint32_t before = _wb_breaks(w, x->index);
        bool unr = false;
        for (uint32_t i = 0; i < x->n; i++) {
            _wb_census(w, x->kids[i]);
            unr |= _wb_unr(x->kids[i]);
        }
        x->flag = _wb_breaks(w, x->index) != before; /* a branch inside targets it */
        if (x->n == 0) x->type = WB_T_NONE;
        else if (x->flag) x->type = x->kids[x->n - 1]->type == WB_T_UNREACHABLE ? WB_T_NONE : x->kids[x->n - 1]->type;
        else if (x->kids[x->n - 1]->type == WB_T_I32 || x->kids[x->n - 1]->type == WB_T_I64) x->type = x->kids[x->n - 1]->type;
        else x->type = unr ? WB_T_UNREACHABLE : WB_T_NONE;
        return;
    }
    default:
        _wb_fail(w, "expression kind %d is not written", x->kind);
    }
}

/* ---- code ----
 *
 * Written through a cursor q (returned by each step) rather than w->o.n, so
 * that the hot path keeps it in a register: a node's own bytes (at most
 * WB_W_NODE_MAX) are made room for once, then stored unchecked. */

enum { WB_W_NODE_MAX = 16 }; /* opcode, memarg or index, table: 1 + 5 + 5, and an end */

typedef uint8_t *_wb_q_t;

static inline _wb_q_t _wb_room(_wb_w_t *w, _wb_q_t q, size_t more) {
    if ((size_t)(w->o.p + w->o.cap - q) >= more) return q;
    size_t n = (size_t)(q - w->o.p);
    w->o.n = n;
    _wb_grow_out(w, more);
    return w->o.p + n;
}

/* One byte (an operator with no immediates, else, end). */
static inline _wb_q_t _wb_byte(_wb_w_t *w, _wb_q_t q, uint8_t b) {
    q = _wb_room(w, q, 1);
    *q++ = b;
    return q;
}

static inline _wb_q_t _wb_qu32(_wb_q_t q, uint32_t v) {
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        *q++ = (uint8_t)(byte | (v ? 0x80 : 0));
    } while (v);
    return q;
}

/* An operator and one u32 immediate (a local, a function, a branch depth). */
static inline _wb_q_t _wb_op_u32(_wb_w_t *w, _wb_q_t q, uint8_t op, uint32_t v) {
    q = _wb_room(w, q, WB_W_NODE_MAX);
    *q++ = op;
    return _wb_qu32(q, v);
}

static inline _wb_q_t _wb_qs32(_wb_q_t q, int32_t v) {
    for (;;) {
        uint8_t byte = v & 0x7f;
        v >>= 7; /* arithmetic: gcc, clang and emcc */
        bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
        *q++ = (uint8_t)(byte | (done ? 0 : 0x80));
        if (done) return q;
    }
}

static void _wb_push(_wb_w_t *w, uint32_t label) {
    w->labels = wb_grow(w->labels, &w->labels_cap, w->depth + 1, sizeof *w->labels);
    w->labels[w->depth++] = label;
}

/* A branch's depth (room made by the caller). */
static _wb_q_t _wb_branch(_wb_w_t *w, _wb_q_t q, uint32_t label) {
    for (int i = w->depth - 1; i >= 0; i--)
        if (w->labels[i] == label) return _wb_qu32(q, (uint32_t)(w->depth - 1 - i));
    _wb_fail(w, "a branch to label %u outside it", label);
    return q;
}

static uint32_t _wb_local(_wb_w_t *w, uint32_t i) {
    if (i >= w->nlocals) _wb_fail(w, "local %u of %u", i, w->nlocals);
    return i;
}

static _wb_q_t _wb_visit(_wb_w_t *w, wbx_t x, _wb_q_t q);

/* Children of a block in turn, none after an unreachable one. */
static _wb_q_t _wb_list(_wb_w_t *w, wbx_t x, _wb_q_t q) {
    for (uint32_t i = 0; i < x->n; i++) {
        q = _wb_visit(w, x->kids[i], q);
        if (_wb_unr(x->kids[i])) break;
    }
    return q;
}

/* visitPossibleBlockContents: a block no branch targets is its contents. */
static _wb_q_t _wb_contents(_wb_w_t *w, wbx_t x, _wb_q_t q) {
    if (x->kind != WB_X_BLOCK || x->flag) return _wb_visit(w, x, q);
    return _wb_list(w, x, q);
}

/* The end of a structure; an unreachable one is followed by `unreachable`
 * (it stands last in its scope, whatever type that scope has). */
static _wb_q_t _wb_end(_wb_w_t *w, wbx_t x, _wb_q_t q) {
    q = _wb_room(w, q, 2);
    *q++ = 0x0b;
    w->depth--;
    if (_wb_unr(x)) *q++ = 0x00;
    return q;
}

/* A block's, loop's or if's type (emitResultType): none or unreachable as
 * the empty type. */
static _wb_q_t _wb_qblocktype(_wb_w_t *w, _wb_q_t q, int t) {
    if (t == WB_T_NONE || t == WB_T_UNREACHABLE) *q++ = 0x40;
    else if (t == WB_T_I32) *q++ = 0x7f;
    else if (t == WB_T_I64) *q++ = 0x7e;
    else _wb_fail(w, "value type %d is not written", t);
    return q;
}

static _wb_q_t _wb_memarg(_wb_q_t q, uint32_t bytes, uint32_t offset) {
    uint32_t log2 = 0;
    while ((1u << log2) < bytes) log2++;
    *q++ = (uint8_t)log2;
    return _wb_qu32(q, offset);
}

/* Writes a value child at q; when it is unreachable, returns from the
 * parent's visit: the parent, never reached, is not written
 * (BinaryenIRWriter::visit). */
#define _WB_KID(k)                         \
    do {                                   \
        q = _wb_visit(w, (k), q);          \
        if (_wb_unr(k)) return q;          \
    } while (0)

static _wb_q_t _wb_visit(_wb_w_t *w, wbx_t x, _wb_q_t q) {
    if (w->bad) return q;
    switch (x->kind) {
    case WB_X_GET:
        return _wb_op_u32(w, q, 0x20, _wb_local(w, x->index));
    case WB_X_CONST:
        q = _wb_room(w, q, WB_W_NODE_MAX);
        *q++ = 0x41;
        return _wb_qs32(q, x->value);
    case WB_X_SET:
        _WB_KID(x->a);
        return _wb_op_u32(w, q, x->flag ? 0x22 : 0x21, _wb_local(w, x->index));
    case WB_X_BINARY:
        _WB_KID(x->a);
        _WB_KID(x->b);
        return _wb_byte(w, q, x->op);
    case WB_X_UNARY:
        _WB_KID(x->a);
        return _wb_byte(w, q, x->op);
    case WB_X_LOAD: {
        _WB_KID(x->a);
        uint32_t bytes = x->bytes;
        bool s = x->flag;
        uint8_t code = 0;
        if (x->vtype == WB_T_I32)
            code = bytes == 1 ? (s ? 0x2c : 0x2d) : bytes == 2 ? (s ? 0x2e : 0x2f) : bytes == 4 ? 0x28 : 0;
        else if (x->vtype == WB_T_I64)
            code = bytes == 1 ? (s ? 0x30 : 0x31) : bytes == 2 ? (s ? 0x32 : 0x33) : bytes == 4 ? (s ? 0x34 : 0x35) : bytes == 8 ? 0x29 : 0;
        if (!code) _wb_fail(w, "a load of %u bytes as type %d", bytes, x->vtype);
        q = _wb_room(w, q, WB_W_NODE_MAX);
        *q++ = code;
        return _wb_memarg(q, bytes, x->index);
    }
    case WB_X_STORE: {
        _WB_KID(x->a);
        _WB_KID(x->b);
        uint32_t bytes = x->bytes;
        uint8_t code = 0;
        if (x->vtype == WB_T_I32) code = bytes == 1 ? 0x3a : bytes == 2 ? 0x3b : bytes == 4 ? 0x36 : 0;
        else if (x->vtype == WB_T_I64) code = bytes == 1 ? 0x3c : bytes == 2 ? 0x3d : bytes == 4 ? 0x3e : bytes == 8 ? 0x37 : 0;
        if (!code) _wb_fail(w, "a store of %u bytes of type %d", bytes, x->vtype);
        q = _wb_room(w, q, WB_W_NODE_MAX);
        *q++ = code;
        return _wb_memarg(q, bytes, x->index);
    }
    case WB_X_CALL:
        for (uint32_t i = 0; i < x->n; i++) _WB_KID(x->kids[i]);
        return _wb_op_u32(w, q, x->flag ? 0x12 : 0x10, x->index);
    case WB_X_CALL_INDIRECT:
        for (uint32_t i = 0; i < x->n; i++) _WB_KID(x->kids[i]);
        _WB_KID(x->a);
        q = _wb_room(w, q, WB_W_NODE_MAX);
        *q++ = x->flag ? 0x13 : 0x11;
        q = _wb_qu32(q, (uint32_t)_wb_sig_find(w, x->nparams, x->vtype));
        *q++ = 0; /* the one table */
        return q;
    case WB_X_BLOCK:
        q = _wb_room(w, q, 2);
        *q++ = 0x02;
        q = _wb_qblocktype(w, q, x->type);
        _wb_push(w, x->index);
        q = _wb_list(w, x, q);
        return _wb_end(w, x, q);
    case WB_X_IF:
        _WB_KID(x->a);
        q = _wb_room(w, q, 2);
        *q++ = 0x04;
        q = _wb_qblocktype(w, q, x->type);
        _wb_push(w, 0);
        q = _wb_contents(w, x->b, q);
        if (x->c) {
            q = _wb_byte(w, q, 0x05);
            q = _wb_contents(w, x->c, q);
        }
        return _wb_end(w, x, q);
    case WB_X_LOOP:
        q = _wb_room(w, q, 2);
        *q++ = 0x03;
        q = _wb_qblocktype(w, q, x->type);
        _wb_push(w, x->index);
        q = _wb_contents(w, x->a, q);
        return _wb_end(w, x, q);
    case WB_X_BR:
        if (x->a) _WB_KID(x->a);
        q = _wb_room(w, q, WB_W_NODE_MAX);
        *q++ = x->a ? 0x0d : 0x0c;
        return _wb_branch(w, q, x->index);
    case WB_X_BR_TABLE:
        _WB_KID(x->a);
        q = _wb_room(w, q, 6 + 5 * ((size_t)x->n + 1));
        *q++ = 0x0e;
        q = _wb_qu32(q, x->n);
        for (uint32_t i = 0; i <= x->n; i++) q = _wb_branch(w, q, x->labels[i]);
        return q;
    case WB_X_SELECT:
        _WB_KID(x->b);
        _WB_KID(x->c);
        _WB_KID(x->a);
        return _wb_byte(w, q, 0x1b);
    case WB_X_DROP:
        _WB_KID(x->a);
        return _wb_byte(w, q, 0x1a);
    case WB_X_RETURN:
        if (x->a) _WB_KID(x->a);
        return _wb_byte(w, q, 0x0f);
    case WB_X_NOP:
        return _wb_byte(w, q, 0x01);
    case WB_X_UNREACHABLE:
        return _wb_byte(w, q, 0x00);
    default:
        _wb_fail(w, "expression kind %d is not written", x->kind);
        return q;
    }
}

#undef _WB_KID

/* One function's entry in the code section: its i32 locals as one group,
 * then the body written as contents. */
static void _wb_function(_wb_w_t *w, const wb_func_t *f) {
    w->nlocals = (uint32_t)f->nparams + f->nvars;
    size_t at = _wb_size_begin(w);
    if (f->nvars) {
        _wb_u32(w, 1);
        _wb_u32(w, f->nvars);
        _wb_valtype(w, WB_T_I32);
    } else {
        _wb_u32(w, 0);
    }
    w->depth = 0;
    _wb_q_t q = _wb_contents(w, f->body, w->o.p + w->o.n);
    w->o.n = (size_t)(q - w->o.p);
    _wb_u8(w, 0x0b);
    _wb_size_end(w, at);
}

uint8_t *wb_mod_write(wb_mod_t *m, size_t *out_len, char *err, size_t errlen) {
    static _wb_w_t w; /* the compiler is single-threaded; its buffers are kept */
    w.o.n = 0;
    w.err = err;
    w.errlen = errlen;
    w.bad = false;
    w.nsig = 0;
    if (errlen) err[0] = 0;
    int nf = wb_mod_functions(m);
    /* the census in module order (getHeapTypeCounts): a function's type,
     * then the signatures its body uses */
    for (int i = 0; i < nf && !w.bad; i++) {
        const wb_func_t *f = wb_mod_function(m, i);
        w.fsig[i] = _wb_sig_note(&w, f->nparams, WB_T_I32);
        if (w.brk_cap) memset(w.brk, 0, (size_t)w.brk_cap * sizeof *w.brk);
        _wb_census(&w, f->body);
    }
    /* types by use, most used first, ties in first-seen order (stable) */
    int order[WB_W_MAX_SIGS];
    for (int i = 0; i < w.nsig; i++) {
        int j = i;
        while (j > 0 && w.sig[order[j - 1]].uses < w.sig[i].uses) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    for (int i = 0; i < w.nsig; i++) w.sig[order[i]].index = i;
    if (w.bad) return NULL;

    static const uint8_t header[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    _wb_reserve(&w, sizeof header);
    memcpy(w.o.p, header, sizeof header);
    w.o.n = sizeof header;
    /* types */
    if (w.nsig) {
        size_t s = _wb_section_begin(&w, 1);
        _wb_u32(&w, (uint32_t)w.nsig);
        for (int i = 0; i < w.nsig; i++) {
            const _wb_sig_t *g = &w.sig[order[i]];
            _wb_u8(&w, 0x60);
            _wb_u32(&w, g->nparams);
            for (int k = 0; k < g->nparams; k++) _wb_valtype(&w, WB_T_I32);
            if (g->result == WB_T_NONE) {
                _wb_u32(&w, 0);
            } else {
                _wb_u32(&w, 1);
                _wb_valtype(&w, g->result);
            }
        }
        _wb_size_end(&w, s);
    }
    /* imports: the memory, then the table (writeImports) */
    {
        bool table = wb_mod_has_table(m);
        size_t s = _wb_section_begin(&w, 2);
        _wb_u32(&w, table ? 2 : 1);
        _wb_str(&w, WB_IMPORT_MODULE);
        _wb_str(&w, WB_IMPORT_MEMORY);
        _wb_u8(&w, 0x02);
        _wb_u8(&w, 0x00); /* limits: no maximum */
        _wb_u32(&w, 1);   /* one page at least */
        if (table) {
            _wb_str(&w, WB_IMPORT_MODULE);
            _wb_str(&w, WB_IMPORT_TABLE);
            _wb_u8(&w, 0x01);
            _wb_u8(&w, 0x70); /* funcref */
            _wb_u8(&w, 0x00); /* no maximum */
            _wb_u32(&w, 0);
        }
        _wb_size_end(&w, s);
    }
    /* functions */
    if (nf) {
        size_t s = _wb_section_begin(&w, 3);
        _wb_u32(&w, (uint32_t)nf);
        for (int f = 0; f < nf; f++) _wb_u32(&w, (uint32_t)w.sig[w.fsig[f]].index);
        _wb_size_end(&w, s);
    }
    /* exports, in the order the functions were added */
    uint32_t ne = 0;
    for (int f = 0; f < nf; f++) ne += wb_mod_function(m, f)->exported;
    if (ne) {
        size_t s = _wb_section_begin(&w, 7);
        _wb_u32(&w, ne);
        for (int f = 0; f < nf; f++) {
            const wb_func_t *fn = wb_mod_function(m, f);
            if (!fn->exported) continue;
            _wb_str(&w, fn->name);
            _wb_u8(&w, 0x00);
            _wb_u32(&w, (uint32_t)f);
        }
        _wb_size_end(&w, s);
    }
    /* code */
    if (nf) {
        size_t s = _wb_section_begin(&w, 10);
        _wb_u32(&w, (uint32_t)nf);
        for (int f = 0; f < nf && !w.bad; f++) _wb_function(&w, wb_mod_function(m, f));
        _wb_size_end(&w, s);
    }
    if (w.bad) return NULL;
    uint8_t *out = malloc(w.o.n);
    if (!out) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    memcpy(out, w.o.p, w.o.n);
    *out_len = w.o.n;
    return out;
}
