/*
 * fuzz_sna.c: libFuzzer target for the SNA snapshot parser. A file that
 * loads must save and load again (SNA and Z80 only have savers).
 */
#include <stdlib.h>
#include <string.h>

#include "media/snapshot.h"

static zx_snap_t snap, again;
static uint8_t out[SNAP_MAX_SIZE];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[256];
    if (!snap_load_sna(&snap, data, size, err, sizeof err)) {
        if (!err[0]) abort(); /* every failure names its problem */
        return 0;
    }
    size_t n = snap_save_z80(&snap, out, sizeof out);
    if (!n || !snap_load_z80(&again, out, n, err, sizeof err)) abort();
    if (memcmp(again.ram, snap.ram, sizeof snap.ram) != 0 || again.pc != snap.pc) abort();
    return 0;
}
