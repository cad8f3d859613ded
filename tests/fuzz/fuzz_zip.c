/*
 * fuzz_zip.c: libFuzzer target for the ZIP container. Whatever entry is
 * picked must extract to exactly its declared size or fail with a message.
 */
#include <stdlib.h>

#include "media/zip.h"

static bool any(const char *name) { return name[0] != 0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[256];
    zip_entry_t e;
    unsigned count;
    if (!zip_pick(data, size, any, "file", &e, &count, err, sizeof err)) {
        if (!err[0]) abort();
        return 0;
    }
    uint8_t *bytes;
    size_t n;
    if (!zip_extract(data, size, &e, &bytes, &n, err, sizeof err)) {
        if (!err[0]) abort();
        return 0;
    }
    if (n != e.size || n > ZIP_MAX_ENTRY) abort();
    free(bytes);
    return 0;
}
