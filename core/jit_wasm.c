/*
 * jit_wasm.c: the dynarec's exports to JavaScript, and the shared instance
 * that test programs (tests/wasm/zxt_modes.c) run through.
 *
 * Statistics go out as a JSON string (jit_stats_json) so the JS side needs
 * no knowledge of the struct layout.
 */
#include <stdlib.h>

#include "jit.h"
#include "zx.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#define JIT_API EMSCRIPTEN_KEEPALIVE
#else
#define JIT_API
#endif

enum { JITW_SINGLE_BLOCK = 1, JITW_LOCKSTEP = 2, JITW_DISABLED = 4 };

static jit_t *_jitw_shared;
static jit_config_t _jitw_shared_cfg = {.threshold = 0, .batch = 1};

static jit_config_t _jitw_config(uint32_t threshold, uint32_t batch, uint32_t flags, uint32_t max_functions,
                                 uint32_t max_bytes) {
    return (jit_config_t){
        .threshold = threshold,
        .batch = batch,
        .max_slots = max_functions,
        .max_bytes = max_bytes,
        .single_block = (flags & JITW_SINGLE_BLOCK) != 0,
        .lockstep = (flags & JITW_LOCKSTEP) != 0,
        .disabled = (flags & JITW_DISABLED) != 0,
    };
}

/* max_functions and max_bytes: 0 for the defaults (jit_config_t). */
JIT_API jit_t *zxw_jit_create(uint32_t threshold, uint32_t batch, uint32_t flags, uint32_t max_functions,
                              uint32_t max_bytes) {
    jit_config_t cfg = _jitw_config(threshold, batch, flags, max_functions, max_bytes);
    return jit_create(&cfg);
}

JIT_API void zxw_jit_destroy(jit_t *jit) { jit_destroy(jit); }
JIT_API void zxw_jit_flush(jit_t *jit) { jit_flush(jit); }
JIT_API void zxw_jit_set_lockstep(jit_t *jit, int on) { jit_set_lockstep(jit, on != 0); }
JIT_API void zxw_jit_set_enabled(jit_t *jit, int on) { jit_set_enabled(jit, on != 0); }
JIT_API const char *zxw_jit_stats(jit_t *jit) { return jit_stats_json(jit); }
JIT_API const char *zxw_jit_report(jit_t *jit) { return jit_lockstep_report(jit); }

static void _jitw_interp(void *ctx, z80_t *cpu, uint32_t until) {
    (void)ctx;
    z80_run(cpu, until);
}

/* Runs a machine's CPU through the dynarec (NULL: back to the interpreter). */
JIT_API void zxw_jit_attach(zx_t *zx, jit_t *jit) {
    zx->run_cpu = jit ? jit_run : _jitw_interp;
    zx->run_cpu_ctx = jit;
}

/* The instance behind the test programs' "dynarec" mode. Reconfiguring
 * replaces it (its compiled code is dropped). */
JIT_API jit_t *zxw_jit_shared(void) {
    if (!_jitw_shared) _jitw_shared = jit_create(&_jitw_shared_cfg);
    return _jitw_shared;
}

JIT_API jit_t *zxw_jit_shared_configure(uint32_t threshold, uint32_t batch, uint32_t flags, uint32_t max_functions,
                                        uint32_t max_bytes) {
    jit_destroy(_jitw_shared);
    _jitw_shared = NULL;
    _jitw_shared_cfg = _jitw_config(threshold, batch, flags, max_functions, max_bytes);
    return zxw_jit_shared();
}

void jit_shared_flush(void *ctx) {
    (void)ctx;
    if (_jitw_shared) jit_flush(_jitw_shared);
}

void jit_shared_run(void *ctx, z80_t *cpu, uint32_t until) {
    (void)ctx;
    jit_run(zxw_jit_shared(), cpu, until);
}
