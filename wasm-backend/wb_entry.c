/*
 * wb_entry.c: the compiler program's entry point (Wasm build of
 * wasm-backend/ with Binaryen linked in; see emcc.mk).
 *
 * The core never links Binaryen. It sends a compile request, a byte string
 * in its own memory, through the JS glue (core/jit/jit_host.js), which copies it
 * into this program's memory and calls wb_compile_request(). The result is a
 * Wasm module whose exports f0..f(n-1) the glue installs in the core's
 * function table. The compiler is a pure function of the request.
 */
#include "wb_entry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jit/jit_request.h"
#include "wb_module.h"
#include "wb_selftest.h"
#include "z80/wb_z80.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#define WB_EXPORT EMSCRIPTEN_KEEPALIVE
#else
#define WB_EXPORT
#endif

static uint8_t *_wb_result;
static size_t _wb_result_len;
static char _wb_error[256];
static double _wb_ms[2]; /* the last request's build and write times */

static double _wb_now_ms(void) {
#ifdef __EMSCRIPTEN__
    return emscripten_get_now();
#else
    return 0; /* natively nobody reads the split */
#endif
}

uint8_t *wb_compile(const uint8_t *request, size_t len, size_t *out_len, char *err, size_t errlen) {
    if (len < 4) {
        snprintf(err, errlen, "compile request too short (%zu bytes)", len);
        return NULL;
    }
    jit_wire_reader_t r = {request, request + len, false};
    uint32_t kind = jit_wire_get32(&r);
    switch (kind) {
    case JIT_REQUEST_SELFTEST: {
        uint32_t slot = jit_wire_get32(&r);
        if (r.truncated || !slot) {
            snprintf(err, errlen, "self-test request without the helper's table slot");
            return NULL;
        }
        uint8_t *bytes = wb_build_selftest_module(slot, out_len);
        if (!bytes) snprintf(err, errlen, "self-test module failed Binaryen's validation");
        return bytes;
    }
    case JIT_REQUEST_Z80: {
        double t0 = _wb_now_ms();
        wb_mod_t *m = wb_z80_build(request, len, err, errlen);
        if (!m) return NULL;
        double t1 = _wb_now_ms();
        uint8_t *bytes = wb_module_write(m, out_len, err, errlen);
        _wb_ms[0] = t1 - t0;
        _wb_ms[1] = _wb_now_ms() - t1;
        return bytes;
    }
    default:
        snprintf(err, errlen, "unknown compile request kind %u", kind);
        return NULL;
    }
}

WB_EXPORT const uint8_t *wb_compile_request(const uint8_t *request, uint32_t len) {
    free(_wb_result);
    _wb_result_len = 0;
    _wb_error[0] = 0;
    _wb_ms[0] = _wb_ms[1] = 0;
    _wb_result = wb_compile(request, len, &_wb_result_len, _wb_error, sizeof _wb_error);
    return _wb_result;
}

WB_EXPORT uint32_t wb_result_size(void) { return (uint32_t)_wb_result_len; }
WB_EXPORT const char *wb_last_error(void) { return _wb_error; }
/* The last request's Binaryen times in ms: [0] build, [1] write. */
WB_EXPORT const double *wb_last_times(void) { return _wb_ms; }
