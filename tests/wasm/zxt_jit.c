/*
 * zxt_jit.c: the dynarec instance that the Wasm test build's "dynarec" mode
 * runs through (zxt_modes.c), and its exports to the JS tests and
 * benchmarks. Test build only: the production core exports its dynarec
 * through core/platform/wasm_api.c.
 *
 * Statistics go out as a JSON string (jit_stats_json) so the JS side needs
 * no knowledge of the struct layout.
 */
#include <emscripten.h>
#include <stdlib.h>

#include "jit/z80/jit_z80.h"
#include "zxt_modes.h"

enum { ZXT_JIT_SINGLE_BLOCK = 1, ZXT_JIT_LOCKSTEP = 2, ZXT_JIT_DISABLED = 4 };

static jit_t *_zxt_shared;
/* Everything compiles at its first execution, and is compiled again with
 * its indirect jumps' targets after two such exits. */
static jit_config_t _zxt_shared_cfg = {.threshold = 0, .batch = 1, .profile_exits = 2};

EMSCRIPTEN_KEEPALIVE const char *zxw_jit_stats(jit_t *jit) { return jit_stats_json(jit); }
/* The shared instance's first lockstep divergence ("" if none). */
EMSCRIPTEN_KEEPALIVE const char *zxw_jit_shared_report(void) { return _zxt_shared ? jit_lockstep_report(_zxt_shared) : ""; }

/* The shared instance, made on first use. */
EMSCRIPTEN_KEEPALIVE jit_t *zxw_jit_shared(void) {
    if (!_zxt_shared) _zxt_shared = jit_create(&_zxt_shared_cfg);
    return _zxt_shared;
}

/* Reconfiguring replaces the instance (its compiled code is dropped).
 * max_functions and max_bytes: 0 for the defaults (jit_config_t). */
EMSCRIPTEN_KEEPALIVE jit_t *zxw_jit_shared_configure(uint32_t threshold, uint32_t batch, uint32_t flags,
                                                     uint32_t max_functions, uint32_t max_bytes) {
    jit_destroy(_zxt_shared);
    _zxt_shared = NULL;
    _zxt_shared_cfg = (jit_config_t){
        .threshold = threshold,
        .batch = batch,
        .max_slots = max_functions,
        .max_bytes = max_bytes,
        .profile_exits = 2,
        .single_block = (flags & ZXT_JIT_SINGLE_BLOCK) != 0,
        .lockstep = (flags & ZXT_JIT_LOCKSTEP) != 0,
        .disabled = (flags & ZXT_JIT_DISABLED) != 0,
    };
    return zxw_jit_shared();
}

void zxt_jit_shared_flush(void *ctx) {
    (void)ctx;
    if (_zxt_shared) jit_flush(_zxt_shared);
}

void zxt_jit_shared_run(void *ctx, z80_t *cpu, uint32_t until) {
    (void)ctx;
    jit_run(zxw_jit_shared(), cpu, until);
}
