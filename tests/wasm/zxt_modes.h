/*
 * zxt_modes.h: what executes guest code in the Wasm test build.
 *
 * Every entry point of the test build that runs Z80 code (the FUSE suite in
 * zxt_fuse.c, the flat benchmark machine in zxt_flat.c) takes a `mode` and
 * runs through the runner this returns, so a new execution engine is wired
 * once, in zxt_modes.c, and both the exactness suite and the benchmarks use
 * it with no other change.
 */
#ifndef ZXT_MODES_H
#define ZXT_MODES_H

#include <stdbool.h>

#include "fuse_runner.h"

enum {
    ZXT_MODE_INTERP = 0,  /* core/cpu/z80/z80.c's z80_run: the reference */
    ZXT_MODE_DYNAREC = 1, /* compiled code through the dispatcher: not wired yet (zxt_modes.c) */
};

typedef struct {
    fuse_run_fn run;          /* run cpu until cpu->tstates >= until (whole instructions) */
    void (*flush)(void *ctx); /* guest memory was replaced wholesale: drop compiled code (NULL: nothing to drop) */
    void *ctx;
} zxt_runner_t;

/* Fills *r for mode; false when that mode is not available in this build. */
bool zxt_runner_for(int mode, zxt_runner_t *r);

/* Calls r->flush if there is one. */
void zxt_runner_flush(const zxt_runner_t *r);

/* Runs cpu through r for at least `tstates` T-states (whole instructions,
 * the last one may overrun) from a counter restarted at 0, so it never
 * wraps however long a benchmark runs; adds the T-states run to *total and
 * returns them. 0 when r is not set up yet (no memory wired). */
uint32_t zxt_runner_run(const zxt_runner_t *r, z80_t *cpu, uint32_t tstates, double *total);

/* zxt_jit.c: the shared dynarec instance behind ZXT_MODE_DYNAREC, as a
 * fuse_run_fn-compatible run and a flush. */
void zxt_jit_shared_run(void *ctx, z80_t *cpu, uint32_t until);
void zxt_jit_shared_flush(void *ctx);

#endif
