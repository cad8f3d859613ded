/*
 * tape.c: what TAP and TZX share: the block list, format detection, freeing.
 */
#include "media/tape.h"
#include "media/media_util.h"
#include "media/tape_build.h"

#include <stdlib.h>
#include <string.h>

bool tape_build_begin(tape_t *t, uint32_t *cap, const uint8_t *bytes, size_t len, uint32_t blocks) {
    memset(t, 0, sizeof *t);
    *cap = 0;
    if (len > TAPE_MAX_FILE_BYTES || blocks > TAPE_MAX_BLOCKS) return false;
    t->data = malloc(len ? len : 1);
    t->blocks = malloc((blocks ? blocks : 1) * sizeof *t->blocks);
    if (!t->data || !t->blocks) {
        tape_free(t);
        return false;
    }
    if (len) memcpy(t->data, bytes, len);
    t->data_len = (uint32_t)len;
    *cap = blocks ? blocks : 1;
    return true;
}

bool tape_check_size(const char *what, size_t len, char *err, size_t errlen) {
    if (len <= TAPE_MAX_FILE_BYTES) return true;
    return media_fail(err, errlen, "%s: the file has %zu bytes, more than a tape may have (%d MB)", what, len,
                      TAPE_MAX_FILE_BYTES >> 20);
}

bool tape_check_blocks(const char *what, size_t blocks, size_t offset, char *err, size_t errlen) {
    if (blocks <= TAPE_MAX_BLOCKS) return true;
    return media_fail(err, errlen, "%s: more than %d blocks (block %zu at offset %zu): not a tape this player holds", what,
                      TAPE_MAX_BLOCKS, blocks, offset);
}

tape_block_t *tape_build_add(tape_t *t, uint32_t *cap, tape_kind_t kind, uint8_t tzx_id) {
    if (t->block_count >= *cap) return NULL; /* the parsers count blocks first: never */
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
