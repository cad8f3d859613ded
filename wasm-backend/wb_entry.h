/*
 * wb_entry.h: compile requests and their dispatch. What a request and its
 * answer are, and the request kinds: core/jit/jit_request.h.
 */
#ifndef WB_ENTRY_H
#define WB_ENTRY_H

#include <stddef.h>
#include <stdint.h>

/* Compiles a request; NULL with a message in err on failure. */
uint8_t *wb_compile(const uint8_t *request, size_t len, size_t *out_len, char *err, size_t errlen);

/* Warms the compiler up (wb_warmup.c): `rounds` requests of `functions`
 * (1-8; other values: 8) functions from a built-in mix of Z80 code,
 * successive calls going round its entries and flavours. Returns the module
 * bytes made, 0 if a compile failed. */
uint32_t wb_warm_up(uint32_t rounds, uint32_t functions);

#endif
