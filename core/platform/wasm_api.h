/*
 * wasm_api.h: the constants of the core's Wasm exports (wasm_api.c) that
 * JavaScript passes in. tools/gen_constants.c writes them into the ES module
 * web/spectrum-core.mjs imports, so the two sides cannot drift apart.
 */
#ifndef WASM_API_H
#define WASM_API_H

/* zxw_create flags. */
enum {
    ZXW_FLAG_JIT = 1 << 0,           /* run hot code through the dynarec (core/jit/jit.h) */
    ZXW_FLAG_NO_TAPE_TRAPS = 1 << 1, /* always play tapes in real time */
    ZXW_FLAG_LOCKSTEP = 1 << 2       /* with JIT: check every compiled run against the interpreter */
};

#endif
