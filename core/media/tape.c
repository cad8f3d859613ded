/*
 * tape.c: what TAP and TZX share: the block list, format detection, freeing.
 */
#include "media/tape.h"
#include "media/tape_build.h"

#include <stdlib.h>
#include <string.h>

bool tape_build_begin(tape_t *t, const uint8_t *bytes, size_t len) {
    memset(t, 0, sizeof *t);
    if (len > UINT32_MAX) return false;
    t->data = malloc(len ? len : 1);
    if (!t->data) return false;
    if (len) memcpy(t->data, bytes, len);
    t->data_len = (uint32_t)len;
    return true;
}

tape_block_t *tape_build_add(tape_t *t, uint32_t *cap, tape_kind_t kind, uint8_t tzx_id) {
    if (t->block_count == *cap) {
        uint32_t ncap = *cap ? *cap * 2 : 16;
        tape_block_t *nb = realloc(t->blocks, ncap * sizeof *nb);
        if (!nb) return NULL;
        t->blocks = nb;
        *cap = ncap;
    }
    tape_block_t *b = &t->blocks[t->block_count++];
    memset(b, 0, sizeof *b);
    b->kind = (uint8_t)kind;
    b->tzx_id = tzx_id;
    b->used_bits = 8;
    return b;
}

void tape_std_block(tape_block_t *b, uint32_t data_off, uint32_t data_len, uint32_t pause_ms, const uint8_t *data) {
    b->rom_std = 1;
    b->pilot = TAPE_STD_PILOT;
    b->sync1 = TAPE_STD_SYNC1;
    b->sync2 = TAPE_STD_SYNC2;
    b->zero = TAPE_STD_ZERO;
    b->one = TAPE_STD_ONE;
    /* the ROM saves a longer pilot before headers (flag byte < 128) */
    b->count = data_len && data[data_off] < 128 ? TAPE_STD_PILOT_HEADER : TAPE_STD_PILOT_DATA;
    b->pause_ms = pause_ms;
    b->data_off = data_off;
    b->data_len = data_len;
    b->used_bits = 8;
}

void tape_free(tape_t *tape) {
    if (!tape) return;
    free(tape->blocks);
    free(tape->data);
    memset(tape, 0, sizeof *tape);
}

static bool _tape_ext_is(const char *hint, const char *ext) {
    if (!hint) return false;
    const char *dot = strrchr(hint, '.');
    const char *e = dot ? dot + 1 : hint;
    for (; *e && *ext; e++, ext++)
        if ((*e | 0x20) != *ext) return false; /* ext is lower case */
    return *e == 0 && *ext == 0;
}

bool tape_parse(tape_t *out, const uint8_t *bytes, size_t len, const char *hint, char *err, size_t errlen) {
    if (len >= 8 && memcmp(bytes, "ZXTape!\x1a", 8) == 0) return tape_parse_tzx(out, bytes, len, err, errlen);
    if (_tape_ext_is(hint, "tzx") || _tape_ext_is(hint, "cdt")) return tape_parse_tzx(out, bytes, len, err, errlen);
    return tape_parse_tap(out, bytes, len, err, errlen);
}

size_t tape_write_tap(uint8_t *out, size_t cap, const uint8_t *const *blocks, const size_t *lens, size_t count) {
    size_t pos = 0;
    for (size_t i = 0; i < count; i++) {
        if (lens[i] > 0xffff || cap - pos < 2 + lens[i]) return 0;
        out[pos] = (uint8_t)lens[i];
        out[pos + 1] = (uint8_t)(lens[i] >> 8);
        memcpy(out + pos + 2, blocks[i], lens[i]);
        pos += 2 + lens[i];
    }
    return pos;
}
