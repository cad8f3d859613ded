/* fuzz_sna.c: libFuzzer target for the SNA snapshot parser (fuzz_snapshot.h). */
#include "fuzz_snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fuzz_snapshot(snap_load_sna, data, size); }
