/*
 * wb_z80.h: the Z80 translator's entry points (the request:
 * core/jit/z80/jit_z80_request.h).
 */
#ifndef WB_Z80_H
#define WB_Z80_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/z80/z80_decode.h"
#include "wb_ir.h"

/* Module bytes (malloc'd) for a request; NULL with a message on failure. */
uint8_t *wb_z80_compile(const uint8_t *req, size_t len, size_t *out_len, char *err, size_t errlen);
/* The module itself, for tests (wb_ir_binaryen.h: validate, print); the
 * caller disposes it (wb_mod_dispose). */
wb_mod_t *wb_z80_build(const uint8_t *req, size_t len, char *err, size_t errlen);

#endif
