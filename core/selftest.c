/*
 * selftest.c: the end-to-end proof of the dynarec's risky path, callable from
 * JS in both the Node and the browser build:
 *   C builds a Wasm function with Binaryen -> JS glue instantiates it against
 *   the core's memory, importing one of the core's own exports -> it lands in
 *   the function table -> C calls it through a function pointer.
 */
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <stdint.h>
#include <stdlib.h>

#include "jit_host.h"
#include "wb_selftest.h"

/* The core export that the generated module imports as env.helper. */
EMSCRIPTEN_KEEPALIVE int32_t helper(int32_t v) { return v + 1000; }

static uint8_t *_selftest_bytes;
static size_t _selftest_len;

/* Builds the module and keeps its bytes, so JS can validate them. */
EMSCRIPTEN_KEEPALIVE uint8_t *zx_selftest_build(void) {
    free(_selftest_bytes);
    _selftest_bytes = wb_build_selftest_module(&_selftest_len);
    return _selftest_bytes;
}

EMSCRIPTEN_KEEPALIVE uint32_t zx_selftest_size(void) { return (uint32_t)_selftest_len; }

/* Returns 0 when the generated function, called from C, gives the expected
 * result and wrote it into the core's memory; a positive step number else. */
EMSCRIPTEN_KEEPALIVE int32_t zx_selftest_run(int32_t input) {
    if (!zx_selftest_build()) return 1;
    int32_t slot = jit_host_install(_selftest_bytes, (uint32_t)_selftest_len, "f");
    if (slot < 0) return 2;
    int32_t (*f)(int32_t *) = (int32_t (*)(int32_t *))(uintptr_t)slot;
    int32_t *cell = malloc(2 * sizeof(int32_t));
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
