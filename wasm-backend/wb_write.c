/*
 * wb_write.c: a module's bytes straight from Binaryen IR, byte for byte
 * what Binaryen 108's writer makes (see wb_write.h). The rules it copies
 * are cited from Binaryen 108's sources: src/wasm/wasm-binary.cpp
 * (sections), src/wasm-stack.h (BinaryenIRWriter: what is written),
 * src/wasm/wasm-stack.cpp (BinaryInstWriter: how), src/ir/module-utils.cpp
 * (getOptimizedIndexedHeapTypes: the type order).
 */
#include "wb_write.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wb_builder.h"

enum {
    WB_W_MAX_FUNCS = 512,  /* imports and defined */
    WB_W_MAX_SIGS = 64,
    WB_W_MAX_TABLES = 8,
    WB_W_MAX_LOCALS = 1024,
    WB_W_MAX_TUPLE = 64,   /* params of one signature (the exit tail has 22) */
    WB_W_OPS = 1024,       /* BinaryenOp values mapped */
    WB_W_HASH = 4096,      /* pointer maps: a power of two, kept at most half full */
};

/* Names to numbers: an open-addressed map keyed by the interned pointer,
 * emptied by the slots it used. */
typedef struct {
    const void *key[WB_W_HASH];
    int val[WB_W_HASH];
    int used[WB_W_HASH / 2];
    int n;
} _wb_pmap_t;

static uint32_t _wb_hash(const void *p) {
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 29;
    x *= 0x9e3779b97f4a7c15ull;
    return (uint32_t)(x >> 40) & (WB_W_HASH - 1);
}

/* false when the map is full */
static bool _wb_pmap_put(_wb_pmap_t *m, const void *k, int v) {
    uint32_t h = _wb_hash(k);
    while (m->key[h] && m->key[h] != k) h = (h + 1) & (WB_W_HASH - 1);
    if (m->key[h]) return true; /* first value kept */
    if (m->n == WB_W_HASH / 2) return false;
    m->key[h] = k;
    m->val[h] = v;
    m->used[m->n++] = (int)h;
    return true;
}

static int _wb_pmap_get(const _wb_pmap_t *m, const void *k) {
    uint32_t h = _wb_hash(k);
    while (m->key[h]) {
        if (m->key[h] == k) return m->val[h];
        h = (h + 1) & (WB_W_HASH - 1);
    }
    return -1;
}

static void _wb_pmap_clear(_wb_pmap_t *m) {
    for (int i = 0; i < m->n; i++) m->key[m->used[i]] = NULL;
    m->n = 0;
}

typedef struct {
    uint8_t *p;
    size_t n, cap;
} _wb_buf_t;

typedef struct {
    BinaryenType params, results;
    uint32_t uses;
    int index; /* in the type section */
} _wb_sig_t;

typedef struct {
    _wb_buf_t o;
    char *err;
    size_t errlen;
    bool bad;
    /* the function index space: imports first, then defined, each in module order */
    int nfun, nimported;
    BinaryenFunctionRef fun[WB_W_MAX_FUNCS];
    const char *fname[WB_W_MAX_FUNCS];
    int fsig[WB_W_MAX_FUNCS];
    int ntab;
    const char *tname[WB_W_MAX_TABLES];
    int nsig;
    _wb_sig_t sig[WB_W_MAX_SIGS];
    _wb_pmap_t funcs; /* name -> index */
    /* branch targets per defined function: names [tgt_at[f], tgt_at[f + 1]),
     * repeats and all */
    const char **tgt;
    int ntgt, tgt_cap;
    int tgt_at[WB_W_MAX_FUNCS + 1];
    _wb_pmap_t targeted; /* the function being written's */
    const char **labels; /* enclosing blocks, loops (their names) and ifs (NULL) */
    int depth, labels_cap;
    uint32_t nparams, nlocals;
    uint32_t lmap[WB_W_MAX_LOCALS];
} _wb_w_t;

/* ---- ids and opcodes, looked up once ---- */

static bool _wb_ready;
static BinaryenExpressionId X_BLOCK, X_IF, X_LOOP, X_BREAK, X_SWITCH, X_CALL, X_CALLI, X_LGET, X_LSET, X_CONST, X_LOAD,
    X_STORE, X_UNARY, X_BINARY, X_SELECT, X_DROP, X_RETURN, X_NOP, X_UNREACHABLE;
static BinaryenType T_NONE, T_UNREACHABLE, T_I32, T_I64, T_F32, T_F64;
static uint8_t _wb_binop[WB_W_OPS], _wb_unop[WB_W_OPS]; /* 0: not covered */

static void _wb_map(uint8_t *table, BinaryenOp op, uint8_t code) {
    if (op < WB_W_OPS) table[op] = code;
}

static void _wb_init(void) {
    if (_wb_ready) return;
    X_BLOCK = BinaryenBlockId();
    X_IF = BinaryenIfId();
    X_LOOP = BinaryenLoopId();
    X_BREAK = BinaryenBreakId();
    X_SWITCH = BinaryenSwitchId();
    X_CALL = BinaryenCallId();
    X_CALLI = BinaryenCallIndirectId();
    X_LGET = BinaryenLocalGetId();
    X_LSET = BinaryenLocalSetId();
    X_CONST = BinaryenConstId();
    X_LOAD = BinaryenLoadId();
    X_STORE = BinaryenStoreId();
    X_UNARY = BinaryenUnaryId();
    X_BINARY = BinaryenBinaryId();
    X_SELECT = BinaryenSelectId();
    X_DROP = BinaryenDropId();
    X_RETURN = BinaryenReturnId();
    X_NOP = BinaryenNopId();
    X_UNREACHABLE = BinaryenUnreachableId();
    T_NONE = BinaryenTypeNone();
    T_UNREACHABLE = BinaryenTypeUnreachable();
    T_I32 = BinaryenTypeInt32();
    T_I64 = BinaryenTypeInt64();
    T_F32 = BinaryenTypeFloat32();
    T_F64 = BinaryenTypeFloat64();
    /* the Wasm spec's opcodes (5.4.7, numeric instructions) */
    uint8_t *b = _wb_binop, *u = _wb_unop;
    _wb_map(b, BinaryenEqInt32(), 0x46), _wb_map(b, BinaryenNeInt32(), 0x47), _wb_map(b, BinaryenLtSInt32(), 0x48);
    _wb_map(b, BinaryenLtUInt32(), 0x49), _wb_map(b, BinaryenGtSInt32(), 0x4a), _wb_map(b, BinaryenGtUInt32(), 0x4b);
    _wb_map(b, BinaryenLeSInt32(), 0x4c), _wb_map(b, BinaryenLeUInt32(), 0x4d), _wb_map(b, BinaryenGeSInt32(), 0x4e);
    _wb_map(b, BinaryenGeUInt32(), 0x4f);
    _wb_map(b, BinaryenEqInt64(), 0x51), _wb_map(b, BinaryenNeInt64(), 0x52), _wb_map(b, BinaryenLtSInt64(), 0x53);
    _wb_map(b, BinaryenLtUInt64(), 0x54), _wb_map(b, BinaryenGtSInt64(), 0x55), _wb_map(b, BinaryenGtUInt64(), 0x56);
    _wb_map(b, BinaryenLeSInt64(), 0x57), _wb_map(b, BinaryenLeUInt64(), 0x58), _wb_map(b, BinaryenGeSInt64(), 0x59);
    _wb_map(b, BinaryenGeUInt64(), 0x5a);
    _wb_map(b, BinaryenAddInt32(), 0x6a), _wb_map(b, BinaryenSubInt32(), 0x6b), _wb_map(b, BinaryenMulInt32(), 0x6c);
    _wb_map(b, BinaryenDivSInt32(), 0x6d), _wb_map(b, BinaryenDivUInt32(), 0x6e), _wb_map(b, BinaryenRemSInt32(), 0x6f);
    _wb_map(b, BinaryenRemUInt32(), 0x70), _wb_map(b, BinaryenAndInt32(), 0x71), _wb_map(b, BinaryenOrInt32(), 0x72);
    _wb_map(b, BinaryenXorInt32(), 0x73), _wb_map(b, BinaryenShlInt32(), 0x74), _wb_map(b, BinaryenShrSInt32(), 0x75);
    _wb_map(b, BinaryenShrUInt32(), 0x76), _wb_map(b, BinaryenRotLInt32(), 0x77), _wb_map(b, BinaryenRotRInt32(), 0x78);
    _wb_map(b, BinaryenAddInt64(), 0x7c), _wb_map(b, BinaryenSubInt64(), 0x7d), _wb_map(b, BinaryenMulInt64(), 0x7e);
    _wb_map(b, BinaryenDivSInt64(), 0x7f), _wb_map(b, BinaryenDivUInt64(), 0x80), _wb_map(b, BinaryenRemSInt64(), 0x81);
    _wb_map(b, BinaryenRemUInt64(), 0x82), _wb_map(b, BinaryenAndInt64(), 0x83), _wb_map(b, BinaryenOrInt64(), 0x84);
    _wb_map(b, BinaryenXorInt64(), 0x85), _wb_map(b, BinaryenShlInt64(), 0x86), _wb_map(b, BinaryenShrSInt64(), 0x87);
    _wb_map(b, BinaryenShrUInt64(), 0x88), _wb_map(b, BinaryenRotLInt64(), 0x89), _wb_map(b, BinaryenRotRInt64(), 0x8a);
    _wb_map(u, BinaryenEqZInt32(), 0x45), _wb_map(u, BinaryenEqZInt64(), 0x50);
    _wb_map(u, BinaryenClzInt32(), 0x67), _wb_map(u, BinaryenCtzInt32(), 0x68), _wb_map(u, BinaryenPopcntInt32(), 0x69);
    _wb_map(u, BinaryenClzInt64(), 0x79), _wb_map(u, BinaryenCtzInt64(), 0x7a), _wb_map(u, BinaryenPopcntInt64(), 0x7b);
    _wb_map(u, BinaryenWrapInt64(), 0xa7), _wb_map(u, BinaryenExtendSInt32(), 0xac), _wb_map(u, BinaryenExtendUInt32(), 0xad);
    _wb_map(u, BinaryenExtendS8Int32(), 0xc0), _wb_map(u, BinaryenExtendS16Int32(), 0xc1);
    _wb_map(u, BinaryenExtendS8Int64(), 0xc2), _wb_map(u, BinaryenExtendS16Int64(), 0xc3);
    _wb_map(u, BinaryenExtendS32Int64(), 0xc4);
    _wb_ready = true;
}

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

static void _wb_reserve(_wb_w_t *w, size_t more) {
    if (w->o.n + more <= w->o.cap) return;
    size_t cap = w->o.cap ? w->o.cap : 16384;
    while (cap < w->o.n + more) cap *= 2;
    uint8_t *p = realloc(w->o.p, cap);
    if (!p) abort(); /* as every allocation of the compiler */
    w->o.p = p;
    w->o.cap = cap;
}

static inline void _wb_u8(_wb_w_t *w, uint8_t v) {
    if (w->o.n == w->o.cap) _wb_reserve(w, 1);
    w->o.p[w->o.n++] = v;
}

static void _wb_u32(_wb_w_t *w, uint32_t v) {
    _wb_reserve(w, 5);
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        w->o.p[w->o.n++] = (uint8_t)(byte | (v ? 0x80 : 0));
    } while (v);
}

static void _wb_s64(_wb_w_t *w, int64_t v) {
    _wb_reserve(w, 10);
    for (;;) {
        uint8_t byte = v & 0x7f;
        v >>= 7; /* arithmetic: gcc, clang and emcc */
        bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
        w->o.p[w->o.n++] = (uint8_t)(byte | (done ? 0 : 0x80));
        if (done) return;
    }
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

static void _wb_valtype(_wb_w_t *w, BinaryenType t) {
    if (t == T_I32) _wb_u8(w, 0x7f);
    else if (t == T_I64) _wb_u8(w, 0x7e);
    else if (t == T_F32) _wb_u8(w, 0x7d);
    else if (t == T_F64) _wb_u8(w, 0x7c);
    else _wb_fail(w, "value type %lu is not written", (unsigned long)t);
}

/* A block's, loop's or if's type (emitResultType): none or unreachable as
 * the empty type. */
static void _wb_blocktype(_wb_w_t *w, BinaryenType t) {
    if (t == T_NONE || t == T_UNREACHABLE) _wb_u8(w, 0x40);
    else if (BinaryenTypeArity(t) == 1) _wb_valtype(w, t);
    else _wb_fail(w, "a multi-value block is not written");
}

/* The signature's entry, noted once more (Binaryen's Counts::note). */
static int _wb_sig_note(_wb_w_t *w, BinaryenType params, BinaryenType results) {
    for (int i = 0; i < w->nsig; i++)
        if (w->sig[i].params == params && w->sig[i].results == results) {
            w->sig[i].uses++;
            return i;
        }
    if (w->nsig == WB_W_MAX_SIGS) {
        _wb_fail(w, "more than %d signatures", WB_W_MAX_SIGS);
        return 0;
    }
    w->sig[w->nsig] = (_wb_sig_t){params, results, 1, 0};
    return w->nsig++;
}

static int _wb_sig_find(_wb_w_t *w, BinaryenType params, BinaryenType results) {
    for (int i = 0; i < w->nsig; i++)
        if (w->sig[i].params == params && w->sig[i].results == results) return w->sig[i].index;
    _wb_fail(w, "a signature not in the census");
    return 0;
}

static void _wb_tuple(_wb_w_t *w, BinaryenType t) {
    uint32_t n = BinaryenTypeArity(t);
    if (t == T_NONE) n = 0;
    if (n > WB_W_MAX_TUPLE) {
        _wb_fail(w, "a signature of %u types", n);
        return;
    }
    BinaryenType v[WB_W_MAX_TUPLE];
    if (n) BinaryenTypeExpand(t, v);
    _wb_u32(w, n);
    for (uint32_t i = 0; i < n; i++) _wb_valtype(w, v[i]);
}

/* ---- the census: signatures of call_indirect and branch targets ---- */

static void _wb_target(_wb_w_t *w, const char *name) {
    w->tgt = wb_grow(w->tgt, &w->tgt_cap, w->ntgt + 1, sizeof *w->tgt);
    w->tgt[w->ntgt++] = name;
}

/* Every node, children first (Binaryen's CodeScanner is a PostWalker, and
 * the order signatures are first seen in breaks ties in the type order). */
static void _wb_census(_wb_w_t *w, BinaryenExpressionRef x) {
    if (w->bad) return;
    BinaryenExpressionId id = BinaryenExpressionGetId(x);
    if (id == X_BLOCK) {
        BinaryenIndex n = BinaryenBlockGetNumChildren(x);
        for (BinaryenIndex i = 0; i < n; i++) _wb_census(w, BinaryenBlockGetChildAt(x, i));
    } else if (id == X_IF) {
        _wb_census(w, BinaryenIfGetCondition(x));
        _wb_census(w, BinaryenIfGetIfTrue(x));
        BinaryenExpressionRef f = BinaryenIfGetIfFalse(x);
        if (f) _wb_census(w, f);
    } else if (id == X_LOOP) {
        _wb_census(w, BinaryenLoopGetBody(x));
    } else if (id == X_BREAK) {
        BinaryenExpressionRef v = BinaryenBreakGetValue(x), c = BinaryenBreakGetCondition(x);
        if (v) _wb_census(w, v);
        if (c) _wb_census(w, c);
        _wb_target(w, BinaryenBreakGetName(x));
    } else if (id == X_SWITCH) {
        BinaryenExpressionRef v = BinaryenSwitchGetValue(x);
        if (v) _wb_census(w, v);
        _wb_census(w, BinaryenSwitchGetCondition(x));
        BinaryenIndex n = BinaryenSwitchGetNumNames(x);
        for (BinaryenIndex i = 0; i < n; i++) _wb_target(w, BinaryenSwitchGetNameAt(x, i));
        _wb_target(w, BinaryenSwitchGetDefaultName(x));
    } else if (id == X_CALL) {
        BinaryenIndex n = BinaryenCallGetNumOperands(x);
        for (BinaryenIndex i = 0; i < n; i++) _wb_census(w, BinaryenCallGetOperandAt(x, i));
    } else if (id == X_CALLI) {
        BinaryenIndex n = BinaryenCallIndirectGetNumOperands(x);
        for (BinaryenIndex i = 0; i < n; i++) _wb_census(w, BinaryenCallIndirectGetOperandAt(x, i));
        _wb_census(w, BinaryenCallIndirectGetTarget(x));
        _wb_sig_note(w, BinaryenCallIndirectGetParams(x), BinaryenCallIndirectGetResults(x));
    } else if (id == X_LSET) {
        _wb_census(w, BinaryenLocalSetGetValue(x));
    } else if (id == X_LOAD) {
        _wb_census(w, BinaryenLoadGetPtr(x));
    } else if (id == X_STORE) {
        _wb_census(w, BinaryenStoreGetPtr(x));
        _wb_census(w, BinaryenStoreGetValue(x));
    } else if (id == X_UNARY) {
        _wb_census(w, BinaryenUnaryGetValue(x));
    } else if (id == X_BINARY) {
        _wb_census(w, BinaryenBinaryGetLeft(x));
        _wb_census(w, BinaryenBinaryGetRight(x));
    } else if (id == X_SELECT) {
        _wb_census(w, BinaryenSelectGetIfTrue(x));
        _wb_census(w, BinaryenSelectGetIfFalse(x));
        _wb_census(w, BinaryenSelectGetCondition(x));
    } else if (id == X_DROP) {
        _wb_census(w, BinaryenDropGetValue(x));
    } else if (id == X_RETURN) {
        BinaryenExpressionRef v = BinaryenReturnGetValue(x);
        if (v) _wb_census(w, v);
    } else if (id != X_LGET && id != X_CONST && id != X_NOP && id != X_UNREACHABLE) {
        _wb_fail(w, "expression id %u is not written", (unsigned)id);
    }
}

/* ---- code ---- */

static bool _wb_targeted(const _wb_w_t *w, const char *name) {
    return name && _wb_pmap_get(&w->targeted, name) >= 0;
}

static void _wb_push(_wb_w_t *w, const char *label) {
    w->labels = wb_grow(w->labels, &w->labels_cap, w->depth + 1, sizeof *w->labels);
    w->labels[w->depth++] = label;
}

static void _wb_branch(_wb_w_t *w, const char *name) {
    for (int i = w->depth - 1; i >= 0; i--)
        if (w->labels[i] == name) {
            _wb_u32(w, (uint32_t)(w->depth - 1 - i));
            return;
        }
    _wb_fail(w, "a branch to %s outside it", name ? name : "(null)");
}

static uint32_t _wb_local(_wb_w_t *w, BinaryenIndex i) {
    if (i < w->nparams) return i;
    if (i >= w->nlocals) {
        _wb_fail(w, "local %u of %u", (unsigned)i, (unsigned)w->nlocals);
        return 0;
    }
    return w->lmap[i - w->nparams];
}

static int _wb_func_index(_wb_w_t *w, const char *name) {
    int i = name ? _wb_pmap_get(&w->funcs, name) : -1;
    if (i >= 0) return i;
    _wb_fail(w, "a call to %s, no such function", name ? name : "(null)");
    return 0;
}

static int _wb_table_index(_wb_w_t *w, const char *name) {
    for (int i = 0; i < w->ntab; i++)
        if (w->tname[i] == name) return i;
    _wb_fail(w, "no table %s", name ? name : "(null)");
    return 0;
}

static bool _wb_unreachable(BinaryenExpressionRef x) { return BinaryenExpressionGetType(x) == T_UNREACHABLE; }

static void _wb_visit(_wb_w_t *w, BinaryenExpressionRef x);

/* visitPossibleBlockContents: a block no branch targets is its contents. */
static void _wb_contents(_wb_w_t *w, BinaryenExpressionRef x) {
    if (BinaryenExpressionGetId(x) != X_BLOCK || _wb_targeted(w, BinaryenBlockGetName(x))) {
        _wb_visit(w, x);
        return;
    }
    BinaryenIndex n = BinaryenBlockGetNumChildren(x);
    for (BinaryenIndex i = 0; i < n; i++) {
        BinaryenExpressionRef k = BinaryenBlockGetChildAt(x, i);
        _wb_visit(w, k);
        if (_wb_unreachable(k)) break;
    }
}

/* The end of a structure; an unreachable one is followed by `unreachable`
 * (it stands last in its scope, whatever type that scope has). */
static void _wb_end(_wb_w_t *w, BinaryenExpressionRef x) {
    _wb_u8(w, 0x0b);
    w->depth--;
    if (_wb_unreachable(x)) _wb_u8(w, 0x00);
}

/* A value child; false when it is unreachable: then its parent, never
 * reached, is not written (BinaryenIRWriter::visit). */
static bool _wb_kid(_wb_w_t *w, BinaryenExpressionRef k) {
    _wb_visit(w, k);
    return !_wb_unreachable(k);
}

static void _wb_memarg(_wb_w_t *w, uint32_t align, uint32_t bytes, uint32_t offset) {
    uint32_t a = align ? align : bytes, log2 = 0;
    while ((1u << log2) < a) log2++;
    _wb_u32(w, log2);
    _wb_u32(w, offset);
}

static void _wb_visit(_wb_w_t *w, BinaryenExpressionRef x) {
    if (w->bad) return;
    BinaryenExpressionId id = BinaryenExpressionGetId(x);
    if (id == X_LGET) {
        _wb_u8(w, 0x20);
        _wb_u32(w, _wb_local(w, BinaryenLocalGetGetIndex(x)));
    } else if (id == X_CONST) {
        BinaryenType t = BinaryenExpressionGetType(x);
        if (t == T_I32) {
            _wb_u8(w, 0x41);
            _wb_s64(w, BinaryenConstGetValueI32(x));
        } else if (t == T_I64) {
            _wb_u8(w, 0x42);
            _wb_s64(w, BinaryenConstGetValueI64(x));
        } else {
            _wb_fail(w, "a constant of type %lu is not written", (unsigned long)t);
        }
    } else if (id == X_LSET) {
        if (!_wb_kid(w, BinaryenLocalSetGetValue(x))) return;
        _wb_u8(w, BinaryenLocalSetIsTee(x) ? 0x22 : 0x21);
        _wb_u32(w, _wb_local(w, BinaryenLocalSetGetIndex(x)));
    } else if (id == X_BINARY) {
        if (!_wb_kid(w, BinaryenBinaryGetLeft(x)) || !_wb_kid(w, BinaryenBinaryGetRight(x))) return;
        BinaryenOp op = BinaryenBinaryGetOp(x);
        uint8_t code = op < WB_W_OPS ? _wb_binop[op] : 0;
        if (!code) _wb_fail(w, "binary op %d is not written", (int)op);
        _wb_u8(w, code);
    } else if (id == X_UNARY) {
        if (!_wb_kid(w, BinaryenUnaryGetValue(x))) return;
        BinaryenOp op = BinaryenUnaryGetOp(x);
        uint8_t code = op < WB_W_OPS ? _wb_unop[op] : 0;
        if (!code) _wb_fail(w, "unary op %d is not written", (int)op);
        _wb_u8(w, code);
    } else if (id == X_LOAD) {
        if (!_wb_kid(w, BinaryenLoadGetPtr(x))) return;
        BinaryenType t = BinaryenExpressionGetType(x);
        uint32_t bytes = BinaryenLoadGetBytes(x);
        bool s = BinaryenLoadIsSigned(x);
        uint8_t code = 0;
        if (BinaryenLoadIsAtomic(x)) code = 0;
        else if (t == T_I32) code = bytes == 1 ? (s ? 0x2c : 0x2d) : bytes == 2 ? (s ? 0x2e : 0x2f) : bytes == 4 ? 0x28 : 0;
        else if (t == T_I64)
            code = bytes == 1 ? (s ? 0x30 : 0x31) : bytes == 2 ? (s ? 0x32 : 0x33) : bytes == 4 ? (s ? 0x34 : 0x35) : bytes == 8 ? 0x29 : 0;
        if (!code) _wb_fail(w, "a load of %u bytes as type %lu is not written", bytes, (unsigned long)t);
        _wb_u8(w, code);
        _wb_memarg(w, BinaryenLoadGetAlign(x), bytes, BinaryenLoadGetOffset(x));
    } else if (id == X_STORE) {
        if (!_wb_kid(w, BinaryenStoreGetPtr(x)) || !_wb_kid(w, BinaryenStoreGetValue(x))) return;
        BinaryenType t = BinaryenStoreGetValueType(x);
        uint32_t bytes = BinaryenStoreGetBytes(x);
        uint8_t code = 0;
        if (BinaryenStoreIsAtomic(x)) code = 0;
        else if (t == T_I32) code = bytes == 1 ? 0x3a : bytes == 2 ? 0x3b : bytes == 4 ? 0x36 : 0;
        else if (t == T_I64) code = bytes == 1 ? 0x3c : bytes == 2 ? 0x3d : bytes == 4 ? 0x3e : bytes == 8 ? 0x37 : 0;
        if (!code) _wb_fail(w, "a store of %u bytes of type %lu is not written", bytes, (unsigned long)t);
        _wb_u8(w, code);
        _wb_memarg(w, BinaryenStoreGetAlign(x), bytes, BinaryenStoreGetOffset(x));
    } else if (id == X_CALL) {
        BinaryenIndex n = BinaryenCallGetNumOperands(x);
        for (BinaryenIndex i = 0; i < n; i++)
            if (!_wb_kid(w, BinaryenCallGetOperandAt(x, i))) return;
        _wb_u8(w, BinaryenCallIsReturn(x) ? 0x12 : 0x10);
        _wb_u32(w, (uint32_t)_wb_func_index(w, BinaryenCallGetTarget(x)));
    } else if (id == X_CALLI) {
        BinaryenIndex n = BinaryenCallIndirectGetNumOperands(x);
        for (BinaryenIndex i = 0; i < n; i++)
            if (!_wb_kid(w, BinaryenCallIndirectGetOperandAt(x, i))) return;
        if (!_wb_kid(w, BinaryenCallIndirectGetTarget(x))) return;
        _wb_u8(w, BinaryenCallIndirectIsReturn(x) ? 0x13 : 0x11);
        _wb_u32(w, (uint32_t)_wb_sig_find(w, BinaryenCallIndirectGetParams(x), BinaryenCallIndirectGetResults(x)));
        _wb_u32(w, (uint32_t)_wb_table_index(w, BinaryenCallIndirectGetTable(x)));
    } else if (id == X_BLOCK) {
        _wb_u8(w, 0x02);
        _wb_blocktype(w, BinaryenExpressionGetType(x));
        _wb_push(w, BinaryenBlockGetName(x));
        BinaryenIndex n = BinaryenBlockGetNumChildren(x);
        for (BinaryenIndex i = 0; i < n; i++) {
            BinaryenExpressionRef k = BinaryenBlockGetChildAt(x, i);
            _wb_visit(w, k);
            if (_wb_unreachable(k)) break;
        }
        _wb_end(w, x);
    } else if (id == X_IF) {
        if (!_wb_kid(w, BinaryenIfGetCondition(x))) return;
        _wb_u8(w, 0x04);
        _wb_blocktype(w, BinaryenExpressionGetType(x));
        _wb_push(w, NULL);
        _wb_contents(w, BinaryenIfGetIfTrue(x));
        BinaryenExpressionRef f = BinaryenIfGetIfFalse(x);
        if (f) {
            _wb_u8(w, 0x05);
            _wb_contents(w, f);
        }
        _wb_end(w, x);
    } else if (id == X_LOOP) {
        _wb_u8(w, 0x03);
        _wb_blocktype(w, BinaryenExpressionGetType(x));
        _wb_push(w, BinaryenLoopGetName(x));
        _wb_contents(w, BinaryenLoopGetBody(x));
        _wb_end(w, x);
    } else if (id == X_BREAK) {
        BinaryenExpressionRef v = BinaryenBreakGetValue(x), c = BinaryenBreakGetCondition(x);
        if (v && !_wb_kid(w, v)) return;
        if (c && !_wb_kid(w, c)) return;
        _wb_u8(w, c ? 0x0d : 0x0c);
        _wb_branch(w, BinaryenBreakGetName(x));
    } else if (id == X_SWITCH) {
        BinaryenExpressionRef v = BinaryenSwitchGetValue(x);
        if (v && !_wb_kid(w, v)) return;
        if (!_wb_kid(w, BinaryenSwitchGetCondition(x))) return;
        BinaryenIndex n = BinaryenSwitchGetNumNames(x);
        _wb_u8(w, 0x0e);
        _wb_u32(w, n);
        for (BinaryenIndex i = 0; i < n; i++) _wb_branch(w, BinaryenSwitchGetNameAt(x, i));
        _wb_branch(w, BinaryenSwitchGetDefaultName(x));
    } else if (id == X_SELECT) {
        if (!_wb_kid(w, BinaryenSelectGetIfTrue(x)) || !_wb_kid(w, BinaryenSelectGetIfFalse(x)) ||
            !_wb_kid(w, BinaryenSelectGetCondition(x)))
            return;
        BinaryenType t = BinaryenExpressionGetType(x);
        if (t != T_I32 && t != T_I64 && t != T_F32 && t != T_F64) _wb_fail(w, "a select of type %lu is not written", (unsigned long)t);
        _wb_u8(w, 0x1b);
    } else if (id == X_DROP) {
        BinaryenExpressionRef v = BinaryenDropGetValue(x);
        if (!_wb_kid(w, v)) return;
        if (BinaryenTypeArity(BinaryenExpressionGetType(v)) != 1) _wb_fail(w, "a drop of a tuple is not written");
        _wb_u8(w, 0x1a);
    } else if (id == X_RETURN) {
        BinaryenExpressionRef v = BinaryenReturnGetValue(x);
        if (v && !_wb_kid(w, v)) return;
        _wb_u8(w, 0x0f);
    } else if (id == X_NOP) {
        _wb_u8(w, 0x01);
    } else if (id == X_UNREACHABLE) {
        _wb_u8(w, 0x00);
    } else {
        _wb_fail(w, "expression id %u is not written", (unsigned)id);
    }
}

/* One defined function's entry in the code section: locals grouped by type
 * in the order types first appear (mapLocalsAndEmitHeader), then the body
 * written as contents. */
static void _wb_function(_wb_w_t *w, int f) {
    BinaryenFunctionRef fn = w->fun[f];
    BinaryenType params = BinaryenFunctionGetParams(fn);
    w->nparams = params == T_NONE ? 0 : BinaryenTypeArity(params);
    uint32_t nvars = BinaryenFunctionGetNumVars(fn);
    if (w->nparams + nvars > WB_W_MAX_LOCALS) {
        _wb_fail(w, "%u locals", w->nparams + nvars);
        return;
    }
    w->nlocals = w->nparams + nvars;
    BinaryenType types[8];
    uint32_t counts[8], ntypes = 0;
    for (uint32_t i = 0; i < nvars; i++) {
        BinaryenType t = BinaryenFunctionGetVar(fn, i);
        if (BinaryenTypeArity(t) != 1) {
            _wb_fail(w, "a tuple local is not written");
            return;
        }
        uint32_t k = 0;
        while (k < ntypes && types[k] != t) k++;
        if (k == ntypes) {
            if (ntypes == 8) {
                _wb_fail(w, "locals of more than 8 types");
                return;
            }
            types[ntypes] = t;
            counts[ntypes++] = 0;
        }
        counts[k]++;
    }
    uint32_t base[8], seen[8] = {0};
    for (uint32_t k = 0, at = w->nparams; k < ntypes; k++) {
        base[k] = at;
        at += counts[k];
    }
    for (uint32_t i = 0; i < nvars; i++) {
        BinaryenType t = BinaryenFunctionGetVar(fn, i);
        uint32_t k = 0;
        while (types[k] != t) k++;
        w->lmap[i] = base[k] + seen[k]++;
    }
    size_t at = _wb_size_begin(w);
    _wb_u32(w, ntypes);
    for (uint32_t k = 0; k < ntypes; k++) {
        _wb_u32(w, counts[k]);
        _wb_valtype(w, types[k]);
    }
    int d = f - w->nimported;
    _wb_pmap_clear(&w->targeted);
    for (int i = w->tgt_at[d]; i < w->tgt_at[d + 1]; i++)
        if (!_wb_pmap_put(&w->targeted, w->tgt[i], 1)) {
            _wb_fail(w, "more than %d branch targets in a function", WB_W_HASH / 2);
            return;
        }
    w->depth = 0;
    _wb_contents(w, BinaryenFunctionGetBody(fn));
    _wb_u8(w, 0x0b);
    _wb_size_end(w, at);
}

uint8_t *wb_write_module(BinaryenModuleRef m, const wb_memory_import_t *mem, size_t *out_len, char *err, size_t errlen) {
    _wb_init();
    static _wb_w_t w; /* the compiler is single-threaded; its buffers are kept */
    w.o.n = 0;
    w.err = err;
    w.errlen = errlen;
    w.bad = false;
    w.nfun = w.nimported = w.ntab = w.nsig = w.ntgt = 0;
    if (errlen) err[0] = 0;

    if (BinaryenGetNumGlobals(m) || BinaryenGetNumMemorySegments(m) || BinaryenGetNumElementSegments(m)) {
        snprintf(err, errlen, "globals, data or element segments are not written");
        return NULL;
    }
    /* the function index space; the census in module order (getHeapTypeCounts) */
    BinaryenIndex nf = BinaryenGetNumFunctions(m);
    if (nf > WB_W_MAX_FUNCS) {
        snprintf(err, errlen, "%u functions", (unsigned)nf);
        return NULL;
    }
    int sigs[WB_W_MAX_FUNCS], module_order[WB_W_MAX_FUNCS];
    for (int pass = 0; pass < 2; pass++)
        for (BinaryenIndex i = 0; i < nf; i++) {
            BinaryenFunctionRef fn = BinaryenGetFunctionByIndex(m, i);
            bool imported = BinaryenFunctionImportGetModule(fn)[0] != 0;
            if (imported != (pass == 0)) continue;
            w.fun[w.nfun] = fn;
            module_order[w.nfun] = (int)i;
            w.fname[w.nfun] = BinaryenFunctionGetName(fn);
            w.nimported += imported;
            w.nfun++;
        }
    _wb_pmap_clear(&w.funcs);
    for (int f = 0; f < w.nfun; f++) _wb_pmap_put(&w.funcs, w.fname[f], f); /* at most WB_W_MAX_FUNCS */
    int d = 0;
    for (BinaryenIndex i = 0; i < nf && !w.bad; i++) {
        BinaryenFunctionRef fn = BinaryenGetFunctionByIndex(m, i);
        sigs[i] = _wb_sig_note(&w, BinaryenFunctionGetParams(fn), BinaryenFunctionGetResults(fn));
        if (BinaryenFunctionImportGetModule(fn)[0]) continue;
        w.tgt_at[d] = w.ntgt;
        _wb_census(&w, BinaryenFunctionGetBody(fn));
        d++;
    }
    w.tgt_at[d] = w.ntgt;
    /* defined functions' census ran in module order, which is also their
     * index order (imports are not in the census of targets) */
    for (int f = 0; f < w.nfun; f++) w.fsig[f] = sigs[module_order[f]];
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
    BinaryenIndex nt = BinaryenGetNumTables(m);
    if (nt > WB_W_MAX_TABLES) _wb_fail(&w, "%u tables", (unsigned)nt);
    BinaryenTableRef tabs[WB_W_MAX_TABLES];
    for (int pass = 0; pass < 2 && !w.bad; pass++)
        for (BinaryenIndex i = 0; i < nt; i++) {
            BinaryenTableRef t = BinaryenGetTableByIndex(m, i);
            bool imported = BinaryenTableImportGetModule(t)[0] != 0;
            if (imported != (pass == 0)) continue;
            if (!imported) _wb_fail(&w, "a defined table is not written");
            tabs[w.ntab] = t;
            w.tname[w.ntab++] = BinaryenTableGetName(t);
        }
    if (w.bad) return NULL;

    static const uint8_t header[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    _wb_reserve(&w, sizeof header);
    memcpy(w.o.p, header, sizeof header);
    w.o.n = sizeof header;
    /* type section */
    if (w.nsig) {
        size_t s = _wb_section_begin(&w, 1);
        _wb_u32(&w, (uint32_t)w.nsig);
        for (int i = 0; i < w.nsig; i++) {
            _wb_u8(&w, 0x60);
            _wb_tuple(&w, w.sig[order[i]].params);
            _wb_tuple(&w, w.sig[order[i]].results);
        }
        _wb_size_end(&w, s);
    }
    /* imports: functions, the memory, tables (writeImports) */
    uint32_t nimports = (uint32_t)(w.nimported + w.ntab + (mem != NULL));
    if (nimports) {
        size_t s = _wb_section_begin(&w, 2);
        _wb_u32(&w, nimports);
        for (int f = 0; f < w.nimported; f++) {
            _wb_str(&w, BinaryenFunctionImportGetModule(w.fun[f]));
            _wb_str(&w, BinaryenFunctionImportGetBase(w.fun[f]));
            _wb_u8(&w, 0x00);
            _wb_u32(&w, (uint32_t)w.sig[w.fsig[f]].index);
        }
        if (mem) {
            _wb_str(&w, mem->module);
            _wb_str(&w, mem->base);
            _wb_u8(&w, 0x02);
            _wb_u8(&w, 0x00); /* limits: no maximum */
            _wb_u32(&w, mem->initial);
        }
        for (int t = 0; t < w.ntab; t++) {
            _wb_str(&w, BinaryenTableImportGetModule(tabs[t]));
            _wb_str(&w, BinaryenTableImportGetBase(tabs[t]));
            _wb_u8(&w, 0x01);
            _wb_u8(&w, 0x70); /* funcref: the C API makes no other */
            bool has_max = BinaryenTableHasMax(tabs[t]);
            _wb_u8(&w, has_max ? 0x01 : 0x00);
            _wb_u32(&w, BinaryenTableGetInitial(tabs[t]));
            if (has_max) _wb_u32(&w, BinaryenTableGetMax(tabs[t]));
        }
        _wb_size_end(&w, s);
    }
    /* function section */
    if (w.nfun > w.nimported) {
        size_t s = _wb_section_begin(&w, 3);
        _wb_u32(&w, (uint32_t)(w.nfun - w.nimported));
        for (int f = w.nimported; f < w.nfun; f++) _wb_u32(&w, (uint32_t)w.sig[w.fsig[f]].index);
        _wb_size_end(&w, s);
    }
    /* exports */
    BinaryenIndex ne = BinaryenGetNumExports(m);
    if (ne) {
        size_t s = _wb_section_begin(&w, 7);
        _wb_u32(&w, ne);
        for (BinaryenIndex i = 0; i < ne; i++) {
            BinaryenExportRef e = BinaryenGetExportByIndex(m, i);
            BinaryenExternalKind k = BinaryenExportGetKind(e);
            _wb_str(&w, BinaryenExportGetName(e));
            if (k == BinaryenExternalFunction()) {
                _wb_u8(&w, 0x00);
                _wb_u32(&w, (uint32_t)_wb_func_index(&w, BinaryenExportGetValue(e)));
            } else if (k == BinaryenExternalTable() || k == BinaryenExternalMemory()) {
                _wb_u8(&w, k == BinaryenExternalTable() ? 0x01 : 0x02);
                _wb_u8(&w, 0x00);
            } else {
                _wb_fail(&w, "an export of kind %u is not written", (unsigned)k);
            }
        }
        _wb_size_end(&w, s);
    }
    /* code */
    if (w.nfun > w.nimported) {
        size_t s = _wb_section_begin(&w, 10);
        _wb_u32(&w, (uint32_t)(w.nfun - w.nimported));
        for (int f = w.nimported; f < w.nfun && !w.bad; f++) _wb_function(&w, f);
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
