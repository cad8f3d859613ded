/*
 * jit_inspect.h: the JIT inspector's read-only view of the code cache
 * (jit_inspect.c; the Emscripten build also exports it as zxw_jit_inspect_*).
 */
#ifndef JIT_INSPECT_H
#define JIT_INSPECT_H

#include <stdint.h>

#include "jit/jit.h"

/* Every entry (not the free ones) as a JSON array; malloc'd, NULL when out of memory. */
char *jit_inspect_functions_json(const jit_t *j);
/* One entry (pool index id) with its covered ranges and the bytes it was
 * built from; malloc'd; NULL for a free or unknown id. */
char *jit_inspect_function_json(const jit_t *j, uint32_t id);
/* The 64K logical space as mapped now: heat, cover and inval, 65536 each
 * (the codes are listed in jit_inspect.c). */
void jit_inspect_map(const jit_t *j, uint32_t *heat, uint8_t *cover, uint16_t *inval);

#endif
