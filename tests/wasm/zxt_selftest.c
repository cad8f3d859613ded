/*
 * zxt_selftest.c: the end-to-end proof of the dynarec's risky path, callable from
 * JS in both the Node and the browser build:
 *   C sends a compile request -> the compiler program builds a Wasm function
 *   with Binaryen, calling one of the core's functions through the core's
 *   table -> the JS glue instantiates it against the core's memory and
 *   table -> it lands in the table -> C calls it through a function pointer.
 */
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <stdint.h>
#include <stdlib.h>

#include "jit/jit_host.h"

/* The core function the generated module calls, at its table slot. */
EMSCRIPTEN_KEEPALIVE int32_t helper(int32_t v) { return v + 1000; }

/* Returns 0 when the generated function, called from C, gives the expected
 * result and wrote it into the core's memory; a positive step number else. */
EMSCRIPTEN_KEEPALIVE int32_t zx_selftest_run(int32_t input) {
    uint32_t at = (uint32_t)(uintptr_t)helper; /* a function pointer is its table slot */
    const uint8_t request[8] = {1, 0, 0, 0, (uint8_t)at, (uint8_t)(at >> 8), (uint8_t)(at >> 16), (uint8_t)(at >> 24)};
    int32_t slot = -1;
    jit_host_cost_t cost;
    if (jit_host_compile(request, sizeof request, &slot, 1, &cost) != 1 || cost.bytes == 0) return 1;
    int32_t (*f)(int32_t *) = (int32_t (*)(int32_t *))(uintptr_t)slot;
    int32_t *cell = malloc(2 * sizeof(int32_t));
    if (!cell) return 2;
    cell[0] = input;
    cell[1] = 0;
    int32_t expect = (input + 1000) * 2 + 1;
    int32_t got = f(cell);
    int32_t stored = cell[1];
    free(cell);
    jit_host_release(slot);
    if (got != expect) return 3;
    if (stored != expect) return 4;
    return 0;
}
#endif
