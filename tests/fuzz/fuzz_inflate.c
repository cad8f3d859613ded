/*
 * fuzz_inflate.c: libFuzzer target for the zlib/DEFLATE decoder, with the
 * 16 KB output bound SZX pages use.
 */
#include <stdlib.h>

#include "media/inflate.h"

static uint8_t out[16384];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t n = 0, used = 0;
    inflate_zlib(data, size, out, sizeof out, &n);
    if (n > sizeof out) abort();
    inflate_raw(data, size, out, sizeof out, &n, &used);
    if (n > sizeof out || used > size) abort();
    return 0;
}
