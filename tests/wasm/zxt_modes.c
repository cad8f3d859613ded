/*
 * zxt_modes.c: the execution modes of the Wasm test build (zxt_modes.h).
 */
#include "zxt_modes.h"

#include <stddef.h>

#include "jit/jit.h"

static void run_interp(void *ctx, z80_t *cpu, uint32_t until) {
    (void)ctx;
    z80_run(cpu, until);
}

bool zxt_runner_for(int mode, zxt_runner_t *r) {
    switch (mode) {
    case ZXT_MODE_INTERP:
        *r = (zxt_runner_t){run_interp, NULL, NULL};
        return true;
    case ZXT_MODE_DYNAREC:
        /* zxt_jit.c's shared instance (configured from JS with
         * zxw_jit_shared_configure; by default everything is compiled at
         * its first execution). */
        *r = (zxt_runner_t){zxt_jit_shared_run, zxt_jit_shared_flush, NULL};
        return true;
    default:
        return false;
    }
}

void zxt_runner_flush(const zxt_runner_t *r) {
    if (r->flush) r->flush(r->ctx);
}

uint32_t zxt_runner_run(const zxt_runner_t *r, z80_t *cpu, uint32_t tstates, double *total) {
    if (!r->run) return 0;
    cpu->tstates = 0;
    r->run(r->ctx, cpu, tstates);
    *total += cpu->tstates;
    return cpu->tstates;
}
