/*
 * fuzz_snapshot.h: the body shared by the snapshot parsers' libFuzzer
 * targets. A file that fails must name its problem. A file that loads must
 * save and load again: as SZX (which keeps every field of zx_snap_t) to the
 * very same struct, and as Z80 (every model) with the same model, RAM, PC,
 * ports and AY.
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
    size_t n = snap_save_szx(&fuzz_snap, fuzz_out, sizeof fuzz_out);
    if (!n || !snap_load_szx(&fuzz_again, fuzz_out, n, err, sizeof err)) abort();
    if (memcmp(&fuzz_again, &fuzz_snap, sizeof fuzz_snap) != 0) abort();

    n = snap_save_z80(&fuzz_snap, fuzz_out, sizeof fuzz_out);
    if (!n || !snap_load_z80(&fuzz_again, fuzz_out, n, err, sizeof err)) abort();
    if (memcmp(fuzz_again.ram, fuzz_snap.ram, sizeof fuzz_snap.ram) != 0 || fuzz_again.pc != fuzz_snap.pc ||
        fuzz_again.model != fuzz_snap.model || fuzz_again.port_7ffd != fuzz_snap.port_7ffd ||
        fuzz_again.port_1ffd != fuzz_snap.port_1ffd || fuzz_again.has_ay != fuzz_snap.has_ay ||
        memcmp(fuzz_again.ay_regs, fuzz_snap.ay_regs, sizeof fuzz_snap.ay_regs) != 0)
        abort();
    return 0;
}

#endif
