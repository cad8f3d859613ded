/*
 * fuzz_tape.c: libFuzzer target for the TAP and TZX parsers. The first
 * input byte picks the format hint; a parsed tape must only reference
 * bytes inside its data.
 */
#include <stdlib.h>

#include "media/tape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    char err[256];
    tape_t t;
    const char *hint = data[0] & 1 ? "f.tzx" : "f.tap";
    if (!tape_parse(&t, data + 1, size - 1, hint, err, sizeof err)) {
        if (!err[0]) abort();
        return 0;
    }
    for (uint32_t i = 0; i < t.block_count; i++) {
        const tape_block_t *b = &t.blocks[i];
        if (b->data_off > t.data_len || b->data_len > t.data_len - b->data_off) abort();
        if (b->used_bits < 1 || b->used_bits > 8) abort();
    }
    tape_free(&t);
    return 0;
}
