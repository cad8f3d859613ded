/*
 * tap.c: TAP files: a sequence of (16-bit LE length, block) where each
 * block is what the ROM's SA-BYTES writes: flag byte, data, XOR checksum.
 * Every block plays with standard ROM timings and a one-second pause.
 */
#include "media/media_util.h"
#include "media/tape.h"
#include "media/tape_build.h"

#include <stdio.h>
#include <string.h>

bool tape_parse_tap(tape_t *out, const uint8_t *d, size_t len, char *err, size_t errlen) {
    if (err && errlen) err[0] = 0;
    memset(out, 0, sizeof *out);
    if (len == 0) return media_fail(err, errlen, "TAP: empty file");
    if (!tape_check_size("TAP", len, err, errlen)) return false;
    /* Validate and count first so a bad file allocates nothing. */
    size_t pos = 0, n = 0, playable = 0;
    while (pos < len) {
        if (len - pos < 2) return media_fail(err, errlen, "TAP: truncated block length at offset %zu", pos);
        size_t blen = media_le16(d + pos);
        if (blen > len - pos - 2)
            return media_fail(err, errlen, "TAP: block %zu claims %zu bytes, only %zu left", n + 1, blen, len - pos - 2);
        if (blen && !tape_check_blocks("TAP", ++playable, pos, err, errlen)) return false;
        pos += 2 + blen;
        n++;
    }
    char warn[256] = "";
    tape_t t;
    uint32_t cap = 0;
    if (!tape_build_begin(&t, &cap, d, len, (uint32_t)playable)) return media_fail(err, errlen, "TAP: out of memory");
    pos = 0;
    for (size_t i = 0; i < n; i++) {
        size_t blen = media_le16(d + pos);
        pos += 2;
        if (blen == 0) { /* nothing to play; keep the numbering of later blocks honest in warnings */
            media_warn(warn, sizeof warn, "TAP block %zu is empty", i + 1);
            continue;
        }
        uint8_t x = 0;
        for (size_t k = 0; k < blen; k++) x ^= d[pos + k];
        /* A bad checksum is what a real tape can carry (the ROM then reports
         * "R Tape loading error"), and custom loaders may not use one, so it
         * is a warning, not a reason to refuse the file. */
        if (x != 0 && blen >= 2) media_warn(warn, sizeof warn, "TAP block %zu: checksum mismatch (XOR 0x%02X)", i + 1, x);
        tape_block_t *b = tape_build_add(&t, &cap, TAPE_DATA, 0x10);
        if (!b) {
            tape_free(&t);
            return media_fail(err, errlen, "TAP: out of memory");
        }
        tape_std_block(b, (uint32_t)pos, (uint32_t)blen, 1000, t.data);
        pos += blen;
    }
    *out = t;
    if (err && errlen) snprintf(err, errlen, "%s", warn);
    return true;
}
