/*
 * wb_entry.h: compile requests and their dispatch.
 *
 * A request starts with a little-endian u32 kind; the rest is the kind's own
 * layout. The answer is a Wasm module (malloc'd bytes) that imports
 * "env" "memory" and any core exports it calls by their export names, and
 * exports its functions as "f0", "f1", ... in request order.
 */
#ifndef WB_ENTRY_H
#define WB_ENTRY_H

#include <stddef.h>
#include <stdint.h>

enum {
    WB_REQUEST_SELFTEST = 1, /* no payload: the module of wb_selftest.h */
    WB_REQUEST_Z80 = 2,      /* Z80 blocks/regions: see the dynarec's request layout */
};

/* Compiles a request; NULL with a message in err on failure. */
uint8_t *wb_compile(const uint8_t *request, size_t len, size_t *out_len, char *err, size_t errlen);

/* Warms the compiler up (wb_warmup.c): `rounds` requests of `functions`
 * (1-8; other values: 8) functions from a built-in mix of Z80 code,
 * successive calls going round its entries and flavours. Returns the module
 * bytes made, 0 if a compile failed. */
uint32_t wb_warm_up(uint32_t rounds, uint32_t functions);

#endif
