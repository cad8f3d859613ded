/*
 * tzx.c: TZX tapes (World of Spectrum "TZX format" v1.20): a 10-byte
 * header ("ZXTape!", 0x1A, major, minor) then blocks, each an id byte and a
 * body whose length each block type defines.
 *
 * Signal blocks become tape_block_t; information blocks (group, text,
 * archive info, hardware, ...) become TAPE_INFO so a tape browser can still
 * number blocks as the file does. Blocks this player cannot produce (CSW,
 * generalised data, jumps, calls) and unknown ids are skipped with a
 * warning: the spec gives every block from v1.10 on a 32-bit length after
 * its id precisely so that old readers can skip new blocks.
 *
 * As lenient as Fuse's libspectrum (tzx_read.c) where the tape still plays
 * meaningfully: used-bits counts of 0 or over 8 and nested loops load (see
 * _tzx_fix_used_bits and block 0x24); truncated blocks, a direct recording
 * of zero T-states per sample (no duration to play) and other major
 * versions are refused with the reason.
 */
#include "media/media_util.h"
#include "media/tape.h"
#include "media/tape_build.h"

#include <stdio.h>
#include <string.h>

enum { TZX_HEADER = 10 };

/* Body length of block `id` whose body starts at p with `left` bytes
 * available; returns false (with a message) if even the length fields are
 * cut off. Unknown ids use the 32-bit length convention. */
static bool _tzx_body_len(uint8_t id, const uint8_t *p, size_t left, size_t *body, char *err, size_t errlen, size_t off) {
    size_t fixed, extra = 0;
    switch (id) {
    case 0x10: fixed = 4; break;
    case 0x11: fixed = 18; break;
    case 0x12: fixed = 4; break;
    case 0x13: fixed = 1; break;
    case 0x14: fixed = 10; break;
    case 0x15: fixed = 8; break;
    case 0x20: fixed = 2; break;
    case 0x21: fixed = 1; break;
    case 0x22: fixed = 0; break;
    case 0x23: fixed = 2; break;
    case 0x24: fixed = 2; break;
    case 0x25: fixed = 0; break;
    case 0x26: fixed = 2; break;
    case 0x27: fixed = 0; break;
    case 0x28: fixed = 2; break;
    case 0x30: fixed = 1; break;
    case 0x31: fixed = 2; break;
    case 0x32: fixed = 2; break;
    case 0x33: fixed = 1; break;
    case 0x34: fixed = 8; break;
    case 0x35: fixed = 20; break;
    case 0x40: fixed = 4; break;
    case 0x5a: fixed = 9; break;
    default: fixed = 4; break; /* 0x16-0x19, 0x2A, 0x2B and unknown: dword length */
    }
    if (left < fixed) return media_fail(err, errlen, "TZX: block 0x%02X at offset %zu truncated in its header", id, off);
    switch (id) {
    case 0x10: extra = media_le16(p + 2); break;
    case 0x11: extra = media_le24(p + 15); break;
    case 0x13: extra = 2u * p[0]; break;
    case 0x14: extra = media_le24(p + 7); break;
    case 0x15: extra = media_le24(p + 5); break;
    case 0x21: case 0x30: extra = p[0]; break;
    case 0x26: extra = 2u * media_le16(p); break;
    case 0x28: case 0x32: extra = media_le16(p); break;
    case 0x31: extra = p[1]; break;
    case 0x33: extra = 3u * p[0]; break;
    case 0x35: extra = media_le32(p + 16); break;
    case 0x40: extra = media_le24(p + 1); break;
    case 0x12: case 0x20: case 0x22: case 0x23: case 0x24: case 0x25: case 0x27: case 0x34: case 0x5a: break;
    default: extra = media_le32(p); break;
    }
    if (extra > left - fixed)
        return media_fail(err, errlen, "TZX: block 0x%02X at offset %zu claims %zu bytes, only %zu left", id, off, extra, left - fixed);
    *body = fixed + extra;
    return true;
}

/* Used bits of a data block's last byte, as libspectrum's tzx_read.c
 * reads them: 0 means the last byte is not there at all (the block ends
 * with the byte before, all 8 bits used), more than 8 means 8. Writers
 * that store 0 for "a whole byte" exist. */
static void _tzx_fix_used_bits(tape_block_t *b) {
    if (b->used_bits == 0) {
        b->used_bits = 8;
        if (b->data_len > 0) b->data_len--;
    } else if (b->used_bits > 8) {
        b->used_bits = 8;
    }
}

static bool _tzx_block(tape_t *t, uint32_t *cap, uint8_t id, uint32_t off, size_t body, int *loop_depth, char *warn, size_t warnlen, char *err, size_t errlen) {
    const uint8_t *p = t->data + off;
    tape_block_t *b = NULL;
#define ADD(kind)                                                         \
    do {                                                                  \
        if (!(b = tape_build_add(t, cap, kind, id))) return media_fail(err, errlen, "TZX: out of memory"); \
    } while (0)
    switch (id) {
    case 0x10:
        ADD(TAPE_DATA);
        tape_std_block(b, off + 4, media_le16(p + 2), media_le16(p), t->data);
        break;
    case 0x11:
    case 0x14: {
        ADD(TAPE_DATA);
        const uint8_t *q = id == 0x11 ? p + 6 : p; /* 0x14 is 0x11 without pilot and sync */
        if (id == 0x11) {
            b->pilot = media_le16(p);
            b->sync1 = media_le16(p + 2);
            b->sync2 = media_le16(p + 4);
            b->count = media_le16(p + 10);
        }
        b->zero = media_le16(q);
        b->one = media_le16(q + 2);
        b->used_bits = id == 0x11 ? p[12] : p[4];
        b->pause_ms = id == 0x11 ? media_le16(p + 13) : media_le16(p + 5);
        b->data_off = off + (id == 0x11 ? 18 : 10);
        b->data_len = (uint32_t)(body - (id == 0x11 ? 18 : 10));
        _tzx_fix_used_bits(b);
        break;
    }
    case 0x12:
        ADD(TAPE_TONE);
        b->pilot = media_le16(p);
        b->count = media_le16(p + 2);
        break;
    case 0x13:
        ADD(TAPE_PULSES);
        b->count = p[0];
        b->data_off = off + 1;
        b->data_len = (uint32_t)(body - 1);
        break;
    case 0x15:
        ADD(TAPE_DIRECT);
        b->zero = media_le16(p);
        b->pause_ms = media_le16(p + 2);
        b->used_bits = p[4];
        b->data_off = off + 8;
        b->data_len = (uint32_t)(body - 8);
        _tzx_fix_used_bits(b);
        if (b->zero == 0) return media_fail(err, errlen, "TZX: block 0x15 at offset %u: zero T-states per sample", off - 1);
        break;
    case 0x20:
        ADD(TAPE_PAUSE);
        b->pause_ms = media_le16(p);
        break;
    case 0x24:
        /* Loops may not nest (TZX 1.20), but a file that nests them still
         * plays as libspectrum plays it: the inner loop start replaces the
         * outer one, whose end then counts as a stray loop end. */
        if (*loop_depth)
            media_warn(warn, warnlen, "TZX: loop inside a loop at offset %u: the outer loop is dropped", off - 1);
        ADD(TAPE_LOOP_START);
        b->count = media_le16(p);
        *loop_depth = 1;
        break;
    case 0x25:
        if (!*loop_depth) {
            media_warn(warn, warnlen, "TZX: loop end without loop start at offset %u ignored", off - 1);
            ADD(TAPE_INFO);
            break;
        }
        ADD(TAPE_LOOP_END);
        --*loop_depth;
        break;
    case 0x2a:
        ADD(TAPE_STOP_48K);
        break;
    case 0x2b:
        if (body < 5) return media_fail(err, errlen, "TZX: block 0x2B at offset %u is too short", off - 1);
        ADD(TAPE_SET_LEVEL);
        b->level = p[4] ? 1 : 0;
        break;
    case 0x21: case 0x22: case 0x28: case 0x30: case 0x31: case 0x32: case 0x33: case 0x35: case 0x5a:
        ADD(TAPE_INFO); /* descriptions only: nothing to play */
        b->data_off = off;
        b->data_len = (uint32_t)body;
        break;
    default:
        media_warn(warn, warnlen, "TZX: skipped %s block 0x%02X at offset %u",
                   id == 0x18 || id == 0x19 || id == 0x23 || id == 0x26 || id == 0x27 ? "unsupported" : "unknown", id, off - 1);
        ADD(TAPE_INFO);
        break;
    }
#undef ADD
    return true;
}

bool tape_parse_tzx(tape_t *out, const uint8_t *d, size_t len, char *err, size_t errlen) {
    if (err && errlen) err[0] = 0;
    memset(out, 0, sizeof *out);
    if (len < TZX_HEADER) return media_fail(err, errlen, "TZX truncated: %zu bytes, the header has 10", len);
    if (memcmp(d, "ZXTape!\x1a", 8) != 0) return media_fail(err, errlen, "TZX: missing \"ZXTape!\" signature");
    if (d[8] != 1) return media_fail(err, errlen, "TZX: unsupported major version %u (want 1)", d[8]);
    if (!tape_check_size("TZX", len, err, errlen)) return false;
    /* Walk the blocks' lengths first: a truncated file or one of too many
     * blocks is refused before anything is allocated, and the block list is
     * allocated once at its size. Every block id adds one tape block. */
    size_t blocks = 0;
    for (size_t pos = TZX_HEADER; pos < len; blocks++) {
        size_t body = 0;
        if (!_tzx_body_len(d[pos], d + pos + 1, len - pos - 1, &body, err, errlen, pos)) return false;
        if (!tape_check_blocks("TZX", blocks + 1, pos, err, errlen)) return false;
        pos += 1 + body;
    }
    tape_t t;
    uint32_t cap = 0;
    char warn[256] = "";
    int loop_depth = 0;
    if (!tape_build_begin(&t, &cap, d, len, (uint32_t)blocks)) return media_fail(err, errlen, "TZX: out of memory");
    size_t pos = TZX_HEADER;
    while (pos < len) {
        uint8_t id = d[pos];
        /* Set by _tzx_body_len on success; initialised because gcc -O2 cannot
         * see that the failure paths never read it (-Wmaybe-uninitialized). */
        size_t body = 0;
        if (!_tzx_body_len(id, d + pos + 1, len - pos - 1, &body, err, errlen, pos) ||
            !_tzx_block(&t, &cap, id, (uint32_t)(pos + 1), body, &loop_depth, warn, sizeof warn, err, errlen)) {
            tape_free(&t);
            return false;
        }
        pos += 1 + body;
    }
    if (loop_depth) media_warn(warn, sizeof warn, "TZX: loop start without loop end");
    *out = t;
    if (err && errlen) snprintf(err, errlen, "%s", warn);
    return true;
}
