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
    double build_ms;        /* the compiler: its IR and control flow (its own clock) */
    double write_ms;        /* the compiler: module bytes, plus copying them out */
    double compile_ms;      /* new WebAssembly.Module */
    double instantiate_ms;  /* new WebAssembly.Instance, table installs */
    uint32_t bytes;         /* module size */
} jit_host_cost_t;

/* jit_host.js writes the fields by these offsets (HEAPF64 index 0-3, HEAPU32 index 8). */
_Static_assert(offsetof(jit_host_cost_t, build_ms) == 0 && offsetof(jit_host_cost_t, write_ms) == 8 &&
                   offsetof(jit_host_cost_t, compile_ms) == 16 && offsetof(jit_host_cost_t, instantiate_ms) == 24 &&
                   offsetof(jit_host_cost_t, bytes) == 32,
               "jit_host.js's view of jit_host_cost_t");

enum { JIT_HOST_NOT_READY = -2, JIT_HOST_SYNC = -3, JIT_HOST_ASYNC = 1 };

#ifdef __EMSCRIPTEN__
/* Returns how many functions were installed, -1 when the request failed,
 * or JIT_HOST_NOT_READY when no compiler is loaded yet (the caller keeps
 * interpreting either way). */
int32_t jit_host_compile(const uint8_t *request, uint32_t len, int32_t *slots, uint32_t max_slots,
                         jit_host_cost_t *cost);
void jit_host_release(int32_t slot);

/* Asynchronous compiles (core/jit/jit.c). How the host compiles now:
 * JIT_HOST_ASYNC (a compiler runs beside the emulation), JIT_HOST_SYNC
 * (jit_host_compile, in the caller's time), or JIT_HOST_NOT_READY. */
int32_t jit_host_mode(void);
/* Sends a request (the host copies it) to the compiler beside the
 * emulation; its result comes back through jit_host_poll as a call of the
 * core's jit_async_accept(ticket) and jit_async_install(ticket, ...).
 * Returns 0 when sent, JIT_HOST_SYNC when no such compiler is attached,
 * -1 when it could not be sent. */
int32_t jit_host_compile_async(const uint8_t *request, uint32_t len, uint32_t ticket);
/* Installs the results that arrived (never under running compiled code:
 * the core calls it between guest instructions). */
void jit_host_poll(void);
#endif

/* The core's side of an asynchronous result (exported; jit.c). */
int32_t jit_async_accept(uint32_t ticket);
void jit_async_install(uint32_t ticket, const int32_t *slots, int32_t got, const jit_host_cost_t *cost);

#endif
