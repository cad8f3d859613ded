/*
 * wb_ir.h: the compiler's own small IR of a generated module, guest-neutral:
 * what the translator builds and wb_write.c writes as Wasm bytes.
 *
 * Generated code was built as Binaryen IR and written with a writer of our
 * own that copied Binaryen's rules; Binaryen's node creation (its arena, a
 * Literal per constant, a finalize per node, name interning, a branch
 * search per named block) was then the larger part of a compile
 * (bench/bench_compile.mjs "build"). These nodes hold only what the writer
 * needs, are made from one arena per module, and get their types in the
 * writer's one walk. The module means what Binaryen's would: the tests
 * rebuild every module they make in Binaryen (wb_ir_binaryen.h), validate
 * it there and compare Binaryen's bytes and text with ours, so Binaryen
 * stays the reference for what a module says.
 *
 * What it covers is what generated modules hold: an imported memory
 * (env.memory) and optionally the core's function table
 * (env.__indirect_function_table); functions `i32 f(i32 x n_params)` with
 * more i32 locals, exported or not; and the expressions below. Values are
 * i32, except i64 loads, stores, adds and i32-to-i64 extensions. Labels are
 * small numbers (nonzero, unique in a function): a block or loop has one, a
 * branch names one of an enclosing structure.
 *
 * Types are Binaryen's (Block/If/Loop::finalize): a block no branch
 * targets is unreachable when a child is; one a branch targets is none;
 * an if with an else is unreachable when both arms are; a loop has its
 * body's; anything with an unreachable operand is unreachable; br, br_table,
 * return, unreachable and tail calls are. The writer computes them
 * (wb_write.c), so a block may be filled after it is made.
 *
 * HOWTO
 *     wb_mod_t *m = wb_mod_create();
 *     wb_mod_import_table(m);
 *     wbx_t body = wbi_block(m, 0, NULL, 0);
 *     wbi_append(m, body, wbi_set(m, 2, wbi_binary(m, WB_I32_ADD, wbi_get(m, 0), wbi_i32(m, 1))));
 *     wbi_append(m, body, wbi_return(m, wbi_get(m, 2)));
 *     wb_mod_add_function(m, "f0", 2, 1, body, true);
 *     uint8_t *bytes = wb_mod_write(m, &len, err, sizeof err);   (wb_write.h)
 *     wb_mod_dispose(m);
 */
#ifndef WB_IR_H
#define WB_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Value types. */
enum { WB_T_NONE, WB_T_I32, WB_T_I64, WB_T_UNREACHABLE };

/* Numeric operators: their Wasm opcodes (the spec, 5.4.7). */
enum {
    WB_I32_EQZ = 0x45, WB_I32_EQ = 0x46, WB_I32_NE = 0x47, WB_I32_LT_S = 0x48, WB_I32_LT_U = 0x49,
    WB_I32_GT_S = 0x4a, WB_I32_GT_U = 0x4b, WB_I32_LE_S = 0x4c, WB_I32_LE_U = 0x4d, WB_I32_GE_S = 0x4e,
    WB_I32_GE_U = 0x4f, WB_I32_ADD = 0x6a, WB_I32_SUB = 0x6b, WB_I32_MUL = 0x6c, WB_I32_DIV_S = 0x6d,
    WB_I32_DIV_U = 0x6e, WB_I32_REM_S = 0x6f, WB_I32_REM_U = 0x70, WB_I32_AND = 0x71, WB_I32_OR = 0x72,
    WB_I32_XOR = 0x73, WB_I32_SHL = 0x74, WB_I32_SHR_S = 0x75, WB_I32_SHR_U = 0x76, WB_I32_ROTL = 0x77,
    WB_I32_ROTR = 0x78, WB_I64_ADD = 0x7c, WB_I64_EXTEND_I32_U = 0xad,
};

/* Expression kinds. */
enum {
    WB_X_CONST, WB_X_GET, WB_X_SET, WB_X_BINARY, WB_X_UNARY, WB_X_LOAD, WB_X_STORE, WB_X_SELECT, WB_X_BLOCK,
    WB_X_IF, WB_X_LOOP, WB_X_BR, WB_X_BR_TABLE, WB_X_CALL, WB_X_CALL_INDIRECT, WB_X_RETURN, WB_X_DROP, WB_X_NOP,
    WB_X_UNREACHABLE,
};

typedef struct wb_node wb_node_t;
typedef wb_node_t *wbx_t;

struct wb_node {
    uint8_t kind;     /* WB_X_* */
    uint8_t type;     /* WB_T_*: the result (set by the writer for structures) */
    uint8_t flag;     /* SET: tee; LOAD: signed; CALL*: a tail call */
    uint8_t bytes;    /* LOAD, STORE: access width */
    uint8_t vtype;    /* LOAD, STORE: the value's type; CALL*: the result type (type may become
                         unreachable, vtype stays) */
    uint8_t op;       /* BINARY, UNARY: WB_I32_* / WB_I64_* */
    uint8_t nparams;  /* CALL_INDIRECT: i32 parameters of its signature */
    uint8_t deep;     /* the node or one under it is a structure, a branch, a return, an
                         unreachable or a call: the writer's census looks inside (set by
                         the constructors; the other nodes keep their own types) */
    uint32_t index;   /* GET, SET: local; BLOCK, LOOP, BR: label; CALL: function; LOAD, STORE: offset */
    int32_t value;    /* CONST */
    wbx_t a, b, c;    /* operands: SET/UNARY/LOAD/DROP/RETURN a; BINARY a b; STORE ptr a value b;
                         SELECT cond a, if-true b, if-false c; IF cond a, then b, else c; LOOP body a;
                         BR cond a (br_if); BR_TABLE index a; CALL_INDIRECT target a */
    wbx_t *kids;      /* BLOCK children, CALL* arguments */
    uint32_t *labels; /* BR_TABLE: n targets then the default */
    uint32_t n, cap;
};

typedef struct wb_mod wb_mod_t;

/* ---- expressions (all from m's arena; gone with wb_mod_dispose) ---- */
wbx_t wbi_i32(wb_mod_t *m, int32_t v);
wbx_t wbi_get(wb_mod_t *m, uint32_t local);
wbx_t wbi_set(wb_mod_t *m, uint32_t local, wbx_t v);
wbx_t wbi_tee(wb_mod_t *m, uint32_t local, wbx_t v);
wbx_t wbi_binary(wb_mod_t *m, int op, wbx_t x, wbx_t y);
wbx_t wbi_unary(wb_mod_t *m, int op, wbx_t x);
/* type: WB_T_I32 or WB_T_I64; unsigned unless is_signed */
wbx_t wbi_load(wb_mod_t *m, int bytes, bool is_signed, uint32_t offset, int type, wbx_t ptr);
wbx_t wbi_store(wb_mod_t *m, int bytes, uint32_t offset, wbx_t ptr, wbx_t value, int type);
/* cond ? a : b */
wbx_t wbi_select(wb_mod_t *m, wbx_t cond, wbx_t a, wbx_t b);
wbx_t wbi_if(wb_mod_t *m, wbx_t cond, wbx_t then, wbx_t otherwise); /* otherwise: NULL for none */
/* label 0: none. kids: n expressions (copied), more with wbi_append */
wbx_t wbi_block(wb_mod_t *m, uint32_t label, const wbx_t *kids, uint32_t n);
void wbi_append(wb_mod_t *m, wbx_t block, wbx_t x);
wbx_t wbi_loop(wb_mod_t *m, uint32_t label, wbx_t body);
wbx_t wbi_br(wb_mod_t *m, uint32_t label, wbx_t cond); /* cond NULL: br, else br_if */
wbx_t wbi_br_table(wb_mod_t *m, const uint32_t *labels, uint32_t n, uint32_t dflt, wbx_t index);
/* a call of the module's function `name` (added before, returning i32, or
 * none when returns is false); tail: return_call */
wbx_t wbi_call(wb_mod_t *m, const char *name, const wbx_t *args, uint32_t n, bool returns, bool tail);
/* through the table: `result (i32 x n)` at index target; result WB_T_I32 or WB_T_NONE */
wbx_t wbi_call_indirect(wb_mod_t *m, wbx_t target, const wbx_t *args, uint32_t n, int result, bool tail);
wbx_t wbi_return(wb_mod_t *m, wbx_t v); /* v NULL: none */
wbx_t wbi_drop(wb_mod_t *m, wbx_t v);
wbx_t wbi_nop(wb_mod_t *m);
wbx_t wbi_unreachable(wb_mod_t *m);

/* x is an i32.const (its value in *v) */
static inline bool wbi_const(wbx_t x, int32_t *v) {
    if (x->kind != WB_X_CONST) return false;
    *v = x->value;
    return true;
}

/* ---- the module ---- */
enum { WB_MOD_MAX_FUNCS = 256, WB_MOD_MAX_LOCALS = 64, WB_MOD_NAME = 8 };

/* What a module imports, by these names (core/jit/jit_host.js provides them). */
#define WB_IMPORT_MODULE "env"
#define WB_IMPORT_MEMORY "memory"                   /* one page at least, no maximum */
#define WB_IMPORT_TABLE "__indirect_function_table" /* funcref, at least 0 slots, no maximum */

typedef struct {
    char name[WB_MOD_NAME];
    uint16_t nparams, nvars; /* all i32; the result is i32 */
    bool exported;
    wbx_t body;
} wb_func_t;

/* A new module importing env.memory (one page at least, no maximum). */
wb_mod_t *wb_mod_create(void);
/* It imports the core's function table (env.__indirect_function_table) too. */
void wb_mod_import_table(wb_mod_t *m);
/* Adds `i32 name(i32 x n_params)` with n_vars more i32 locals, exported
 * under its name when exported is set; aborts on a name too long, too many
 * functions or locals (a front-end bug). */
void wb_mod_add_function(wb_mod_t *m, const char *name, int n_params, int n_vars, wbx_t body, bool exported);
void wb_mod_dispose(wb_mod_t *m);

/* What the writer and wb_ir_binaryen.c read. */
int wb_mod_functions(const wb_mod_t *m);
const wb_func_t *wb_mod_function(const wb_mod_t *m, int i);
bool wb_mod_has_table(const wb_mod_t *m);

#endif
