/*
 * wb_builder.h: the guest-neutral way generated code is put together (in
 * the compiler's IR, wb_ir.h), shared by every front end
 * (wasm-backend/z80/ today).
 *
 * A builder holds the module, the statement list statements go to, and the
 * temp locals still free for the instruction being translated. Everything
 * is i32: guest registers, addresses and flags live in i32 locals. A front
 * end embeds a wb_builder_t in its own context and passes &ctx->b.
 *
 * Exits that leave a function through one shared tail break out of the
 * block labelled WB_LABEL_EXIT (a br to it), which the front end puts
 * around the function's flow once it is rendered.
 *
 * HOWTO
 *     wb_list_t code = {0};
 *     wb_builder_t b = {m, &code, FIRST_TEMP, FIRST_TEMP + N_TEMPS};
 *     int t = wb_tee_temp(&b, wb_add(&b, wb_get(&b, L_X), wb_i32(&b, 1)));
 *     wb_set(&b, L_X, wb_and(&b, wb_get(&b, t), 0xff));
 *     wbx_t body = wb_block(&b, &code); free(code.v);
 */
#ifndef WB_BUILDER_H
#define WB_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wb_ir.h"

/* Labels of a function: the exit block's, the flow's end, then the flow's
 * own (wb_flow.c: two per block of the graph, and one more). */
enum { WB_LABEL_EXIT = 1, WB_LABEL_FLOW_END = 2, WB_LABEL_FLOW = 3 };

/* A growable list of statements. */
typedef struct {
    wbx_t *v;
    int n, cap;
} wb_list_t;

typedef struct {
    wb_mod_t *m;
    wb_list_t *cur; /* where statements go */
    int tmp;        /* next free temp local */
    int tmp_end;    /* one past the last temp local */
    int *tmp_high;  /* when set: raised to one past every temp handed out (a function declares
                       only the locals it uses: V8's baseline compiler pays per local at every
                       branch and merge) */
} wb_builder_t;

/* ---- i32 expressions ---- */
wbx_t wb_i32(wb_builder_t *b, int32_t v);
wbx_t wb_get(wb_builder_t *b, int local);
wbx_t wb_bin(wb_builder_t *b, int op, wbx_t x, wbx_t y); /* WB_I32_* */
wbx_t wb_add(wb_builder_t *b, wbx_t x, wbx_t y);
wbx_t wb_sub(wb_builder_t *b, wbx_t x, wbx_t y);
wbx_t wb_and(wb_builder_t *b, wbx_t x, int32_t k);
wbx_t wb_or(wb_builder_t *b, wbx_t x, wbx_t y);
wbx_t wb_xor(wb_builder_t *b, wbx_t x, wbx_t y);
wbx_t wb_shl(wb_builder_t *b, wbx_t x, int k); /* k == 0: x itself */
wbx_t wb_shr(wb_builder_t *b, wbx_t x, int k); /* unsigned; k == 0: x itself */
wbx_t wb_eqz(wb_builder_t *b, wbx_t x);
wbx_t wb_ne0(wb_builder_t *b, wbx_t x);
wbx_t wb_load8(wb_builder_t *b, wbx_t ptr, uint32_t offset); /* unsigned byte */
wbx_t wb_call(wb_builder_t *b, const char *name, wbx_t *args, int n, bool returns);

/* An array p of *cap elements of `size` bytes grown (doubling) to hold at
 * least `need`; aborts when memory runs out, as every allocation of the
 * compiler. Returns the array. */
void *wb_grow(void *p, int *cap, int need, size_t size);

/* ---- statements ---- */
void wb_list_push(wb_list_t *l, wbx_t e);
void wb_emit(wb_builder_t *b, wbx_t stmt);
void wb_set(wb_builder_t *b, int local, wbx_t v);
int wb_temp(wb_builder_t *b);                /* aborts when none is left: a front-end bug */
int wb_tee_temp(wb_builder_t *b, wbx_t v);   /* v into a new temp; returns the temp */
wbx_t wb_block(wb_builder_t *b, wb_list_t *l); /* the list as one statement (a nop when empty) */

#endif
