/* fuzz_z80.c: libFuzzer target for the Z80 snapshot parser (fuzz_snapshot.h). */
#include "fuzz_snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fuzz_snapshot(snap_load_z80, data, size); }
