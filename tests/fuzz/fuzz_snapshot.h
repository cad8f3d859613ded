/*
 * fuzz_snapshot.h: the body shared by the snapshot parsers' libFuzzer
 * targets. A file that loads must save (as Z80, the format with a saver for
 * every state) and load again with the same RAM and PC; a file that fails
 * must name its problem.
 */
#ifndef FUZZ_SNAPSHOT_H
#define FUZZ_SNAPSHOT_H

#include <stdlib.h>
#include <string.h>

#include "media/snapshot.h"

typedef bool (*fuzz_snap_loader_t)(zx_snap_t *out, const uint8_t *data, size_t len, char *err, size_t errlen);

static zx_snap_t fuzz_snap, fuzz_again;
static uint8_t fuzz_out[SNAP_MAX_SIZE];

static int fuzz_snapshot(fuzz_snap_loader_t load, const uint8_t *data, size_t size) {
    char err[256];
    if (!load(&fuzz_snap, data, size, err, sizeof err)) {
        if (!err[0]) abort();
        return 0;
    }
    size_t n = snap_save_z80(&fuzz_snap, fuzz_out, sizeof fuzz_out);
    if (!n || !snap_load_z80(&fuzz_again, fuzz_out, n, err, sizeof err)) abort();
    if (memcmp(fuzz_again.ram, fuzz_snap.ram, sizeof fuzz_snap.ram) != 0 || fuzz_again.pc != fuzz_snap.pc) abort();
    return 0;
}

#endif
