/*
 * wb_ir.c: the module and its nodes (see wb_ir.h), from one arena per
 * module.
 */
#include "wb_ir.h"

#include <stdlib.h>
#include <string.h>

enum { WB_ARENA_CHUNK = 64 * 1024 };

typedef struct wb_chunk {
    struct wb_chunk *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
} wb_chunk_t;

struct wb_mod {
    wb_chunk_t *chunks; /* the newest first */
    bool table;
    int nfuncs;
    wb_func_t funcs[WB_MOD_MAX_FUNCS];
};

/* Chunks of disposed modules, kept for the next (the compiler is
 * single-threaded and makes one module after another). */
static wb_chunk_t *_wb_spare;

static void *_wb_alloc(wb_mod_t *m, size_t size) {
    size = (size + 15) & ~(size_t)15;
    wb_chunk_t *c = m->chunks;
    if (!c || c->used + size > c->size) {
        if (size <= WB_ARENA_CHUNK && _wb_spare) {
            c = _wb_spare;
            _wb_spare = c->next;
        } else {
            size_t cap = size > WB_ARENA_CHUNK ? size : WB_ARENA_CHUNK;
            c = malloc(sizeof *c + cap);
            if (!c) abort(); /* as every allocation of the compiler */
            c->size = cap;
        }
        c->used = 0;
        c->next = m->chunks;
        m->chunks = c;
    }
    void *p = c->data + c->used;
    c->used += size;
    return p;
}

static wbx_t _wb_node(wb_mod_t *m, int kind, int type) {
    wbx_t x = _wb_alloc(m, sizeof *x);
    memset(x, 0, sizeof *x);
    x->kind = (uint8_t)kind;
    x->type = (uint8_t)type;
    return x;
}

wbx_t wbi_i32(wb_mod_t *m, int32_t v) {
    wbx_t x = _wb_node(m, WB_X_CONST, WB_T_I32);
    x->value = v;
    return x;
}

wbx_t wbi_get(wb_mod_t *m, uint32_t local) {
    wbx_t x = _wb_node(m, WB_X_GET, WB_T_I32);
    x->index = local;
    return x;
}

wbx_t wbi_set(wb_mod_t *m, uint32_t local, wbx_t v) {
    wbx_t x = _wb_node(m, WB_X_SET, WB_T_NONE);
    x->index = local;
    x->a = v;
    x->deep = v->deep;
    return x;
}

wbx_t wbi_tee(wb_mod_t *m, uint32_t local, wbx_t v) {
    wbx_t x = wbi_set(m, local, v);
    x->flag = 1;
    x->type = WB_T_I32;
    return x;
}

wbx_t wbi_binary(wb_mod_t *m, int op, wbx_t l, wbx_t r) {
    wbx_t x = _wb_node(m, WB_X_BINARY, op == WB_I64_ADD ? WB_T_I64 : WB_T_I32);
    x->op = (uint8_t)op;
    x->a = l;
    x->b = r;
    x->deep = l->deep | r->deep;
    return x;
}

wbx_t wbi_unary(wb_mod_t *m, int op, wbx_t v) {
    wbx_t x = _wb_node(m, WB_X_UNARY, op == WB_I64_EXTEND_I32_U ? WB_T_I64 : WB_T_I32);
    x->op = (uint8_t)op;
    x->a = v;
    x->deep = v->deep;
    return x;
}

wbx_t wbi_load(wb_mod_t *m, int bytes, bool is_signed, uint32_t offset, int type, wbx_t ptr) {
    wbx_t x = _wb_node(m, WB_X_LOAD, type);
    x->bytes = (uint8_t)bytes;
    x->vtype = (uint8_t)type;
    x->flag = is_signed;
    x->index = offset;
    x->a = ptr;
    x->deep = ptr->deep;
    return x;
}

wbx_t wbi_store(wb_mod_t *m, int bytes, uint32_t offset, wbx_t ptr, wbx_t value, int type) {
    wbx_t x = _wb_node(m, WB_X_STORE, WB_T_NONE);
    x->bytes = (uint8_t)bytes;
    x->vtype = (uint8_t)type;
    x->index = offset;
    x->a = ptr;
    x->b = value;
    x->deep = ptr->deep | value->deep;
    return x;
}

wbx_t wbi_select(wb_mod_t *m, wbx_t cond, wbx_t a, wbx_t b) {
    wbx_t x = _wb_node(m, WB_X_SELECT, a->type == WB_T_I64 ? WB_T_I64 : WB_T_I32);
    x->a = cond;
    x->b = a;
    x->c = b;
    x->deep = cond->deep | a->deep | b->deep;
    return x;
}

wbx_t wbi_if(wb_mod_t *m, wbx_t cond, wbx_t then, wbx_t otherwise) {
    wbx_t x = _wb_node(m, WB_X_IF, WB_T_NONE);
    x->a = cond;
    x->b = then;
    x->c = otherwise;
    x->deep = 1;
    return x;
}

static void _wb_kids(wb_mod_t *m, wbx_t x, const wbx_t *kids, uint32_t n) {
    uint32_t cap = n < 4 ? 4 : n;
    x->kids = _wb_alloc(m, cap * sizeof *x->kids);
    if (n) memcpy(x->kids, kids, n * sizeof *kids);
    x->n = n;
    x->cap = cap;
}

wbx_t wbi_block(wb_mod_t *m, uint32_t label, const wbx_t *kids, uint32_t n) {
    wbx_t x = _wb_node(m, WB_X_BLOCK, WB_T_NONE);
    x->index = label;
    x->deep = 1;
    _wb_kids(m, x, kids, n);
    return x;
}

void wbi_append(wb_mod_t *m, wbx_t block, wbx_t x) {
    if (block->n == block->cap) {
        wbx_t *kids = _wb_alloc(m, 2 * block->cap * sizeof *kids);
        memcpy(kids, block->kids, block->n * sizeof *kids);
        block->kids = kids;
        block->cap *= 2;
    }
    block->kids[block->n++] = x;
}

wbx_t wbi_loop(wb_mod_t *m, uint32_t label, wbx_t body) {
    wbx_t x = _wb_node(m, WB_X_LOOP, WB_T_NONE);
    x->index = label;
    x->a = body;
    x->deep = 1;
    return x;
}

wbx_t wbi_br(wb_mod_t *m, uint32_t label, wbx_t cond) {
    wbx_t x = _wb_node(m, WB_X_BR, cond ? WB_T_NONE : WB_T_UNREACHABLE);
    x->index = label;
    x->a = cond;
    x->deep = 1;
    return x;
}

wbx_t wbi_br_table(wb_mod_t *m, const uint32_t *labels, uint32_t n, uint32_t dflt, wbx_t index) {
    wbx_t x = _wb_node(m, WB_X_BR_TABLE, WB_T_UNREACHABLE);
    x->labels = _wb_alloc(m, (n + 1) * sizeof *x->labels);
    memcpy(x->labels, labels, n * sizeof *labels);
    x->labels[n] = dflt;
    x->n = n;
    x->a = index;
    x->deep = 1;
    return x;
}

wbx_t wbi_call(wb_mod_t *m, const char *name, const wbx_t *args, uint32_t n, bool returns, bool tail) {
    int f = 0;
    while (f < m->nfuncs && strcmp(m->funcs[f].name, name) != 0) f++;
    if (f == m->nfuncs) abort(); /* a call to a function not added yet: a front-end bug */
    wbx_t x = _wb_node(m, WB_X_CALL, tail ? WB_T_UNREACHABLE : returns ? WB_T_I32 : WB_T_NONE);
    x->index = (uint32_t)f;
    x->flag = tail;
    x->vtype = returns ? WB_T_I32 : WB_T_NONE;
    x->deep = 1;
    _wb_kids(m, x, args, n);
    return x;
}

wbx_t wbi_call_indirect(wb_mod_t *m, wbx_t target, const wbx_t *args, uint32_t n, int result, bool tail) {
    wbx_t x = _wb_node(m, WB_X_CALL_INDIRECT, tail ? WB_T_UNREACHABLE : result);
    x->a = target;
    x->flag = tail;
    x->vtype = (uint8_t)result;
    if (n > UINT8_MAX) abort(); /* no signature has as many: a front-end bug */
    x->nparams = (uint8_t)n;
    x->deep = 1;
    _wb_kids(m, x, args, n);
    return x;
}

wbx_t wbi_return(wb_mod_t *m, wbx_t v) {
    wbx_t x = _wb_node(m, WB_X_RETURN, WB_T_UNREACHABLE);
    x->a = v;
    x->deep = 1;
    return x;
}

wbx_t wbi_drop(wb_mod_t *m, wbx_t v) {
    wbx_t x = _wb_node(m, WB_X_DROP, WB_T_NONE);
    x->a = v;
    x->deep = v->deep;
    return x;
}

wbx_t wbi_nop(wb_mod_t *m) { return _wb_node(m, WB_X_NOP, WB_T_NONE); }
wbx_t wbi_unreachable(wb_mod_t *m) {
    wbx_t x = _wb_node(m, WB_X_UNREACHABLE, WB_T_UNREACHABLE);
    x->deep = 1;
    return x;
}

/* ---- the module ---- */

wb_mod_t *wb_mod_create(void) {
    wb_mod_t *m = calloc(1, sizeof *m);
    if (!m) abort();
    return m;
}

void wb_mod_import_table(wb_mod_t *m) { m->table = true; }

void wb_mod_add_function(wb_mod_t *m, const char *name, int n_params, int n_vars, wbx_t body, bool exported) {
    if (m->nfuncs == WB_MOD_MAX_FUNCS || strlen(name) >= WB_MOD_NAME || n_params < 0 || n_vars < 0 ||
        n_params + n_vars > WB_MOD_MAX_LOCALS)
        abort(); /* a front-end bug */
    wb_func_t *f = &m->funcs[m->nfuncs++];
    strcpy(f->name, name);
    f->nparams = (uint16_t)n_params;
    f->nvars = (uint16_t)n_vars;
    f->exported = exported;
    f->body = body;
}

void wb_mod_dispose(wb_mod_t *m) {
    if (!m) return;
    while (m->chunks) {
        wb_chunk_t *c = m->chunks;
        m->chunks = c->next;
        if (c->size == WB_ARENA_CHUNK) {
            c->next = _wb_spare;
            _wb_spare = c;
        } else {
            free(c);
        }
    }
    free(m);
}

int wb_mod_functions(const wb_mod_t *m) { return m->nfuncs; }
const wb_func_t *wb_mod_function(const wb_mod_t *m, int i) { return &m->funcs[i]; }
bool wb_mod_has_table(const wb_mod_t *m) { return m->table; }
