/*
 * jit_host.h: compiling and installing run-time generated Wasm (Wasm builds).
 *
 * Implemented in JS (core/jit/jit_host.js). A compile request (see
 * wasm-backend/wb_entry.h) goes to the compiler program; the module it
 * returns is instantiated against the core's own memory, with its function
 * imports resolved to the core's own exports of the same name, and its
 * exports f0..f(n-1) are put in the core's function table. A slot is a C
 * function pointer value: cast it to the function's type and call it.
 */
#ifndef JIT_HOST_H
#define JIT_HOST_H

#include <stddef.h>
#include <stdint.h>

/* What one request cost, filled in by the host. */
typedef struct {
    double build_ms;        /* Binaryen: IR and Relooper (the compiler program's own clock) */
    double write_ms;        /* Binaryen: module bytes, plus copying them out */
    double compile_ms;      /* new WebAssembly.Module */
    double instantiate_ms;  /* new WebAssembly.Instance, table installs */
    uint32_t bytes;         /* module size */
} jit_host_cost_t;

/* jit_host.js writes the fields by these offsets (HEAPF64 index 0-3, HEAPU32 index 8). */
_Static_assert(offsetof(jit_host_cost_t, build_ms) == 0 && offsetof(jit_host_cost_t, write_ms) == 8 &&
                   offsetof(jit_host_cost_t, compile_ms) == 16 && offsetof(jit_host_cost_t, instantiate_ms) == 24 &&
                   offsetof(jit_host_cost_t, bytes) == 32,
               "jit_host.js's view of jit_host_cost_t");

enum { JIT_HOST_NOT_READY = -2 };

#ifdef __EMSCRIPTEN__
/* Returns how many functions were installed, -1 when the request failed,
 * or JIT_HOST_NOT_READY when no compiler is loaded yet (the caller keeps
 * interpreting either way). */
int32_t jit_host_compile(const uint8_t *request, uint32_t len, int32_t *slots, uint32_t max_slots,
                         jit_host_cost_t *cost);
void jit_host_release(int32_t slot);
#endif

#endif
