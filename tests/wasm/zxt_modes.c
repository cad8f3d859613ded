/*
 * zxt_modes.c: the execution modes of the Wasm test build (zxt_modes.h).
 */
#include "zxt_modes.h"

#include <stddef.h>

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
        /* DYNAREC: wire mode 1 here. Set r->run to a function that executes
         * the cpu through compiled code (the dispatcher, interpreting what is
         * not compiled) until cpu->tstates >= until, exactly as z80_run would;
         * r->flush to drop every compiled block (called before each FUSE test
         * and when the flat machine is reset or loaded, since those rewrite
         * memory behind the cpu's back); r->ctx to the engine's state. Then
         * zxt_fuse_run_all(1) runs the FUSE suite through compiled code
         * (tests/node/fuse.test.mjs) and zxt_flat_* with mode 1 benchmarks it
         * (bench/bench_z80_wasm.mjs --mode 1). The compiler program is
         * attached to this build by loadTestProgram({ jit: true }). */
        return false;
    default:
        return false;
    }
}

void zxt_runner_flush(const zxt_runner_t *r) {
    if (r->flush) r->flush(r->ctx);
}
