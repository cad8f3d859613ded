/*
 * szx.c: SZX ("ZX-State", Spectaculator) snapshots of a 48K machine
 * (spec: https://www.spectaculator.com/docs/zx-state/intro.shtml).
 *
 * An 8-byte header ("ZXST", major, minor, machine id, flags) and blocks of
 * (4-char id, 32-bit LE size, data). We read Z80R (registers), SPCR (border,
 * last port 0xFE write), KEYB (issue 2) and RAMP (16K RAM pages, 48K: 5 at
 * 0x4000, 2 at 0x8000, 0 at 0xC000; zlib-compressed when bit 0 of the flags
 * is set). CRTR and every other block are skipped: they describe hardware a
 * 48K machine does not have or nothing the machine needs.
 *
 * As lenient as Fuse's libspectrum (szx.c) where the file can still be
 * loaded meaningfully: any interrupt mode byte, a T-state past the frame,
 * RAM pages a 48K lacks, repeated blocks (the last wins) and oversized
 * stored pages load; truncated or corrupt data, a missing register block or
 * 48K page, and other machines are refused with the reason.
 */
#include "media/inflate.h"
#include "media/media_util.h"
#include "media/snapshot.h"

#include <string.h>

enum {
    SZX_HEADER = 8,
    SZX_MACHINE_48K = 1,
    SZX_Z80R_SIZE = 37,
    SZX_SPCR_SIZE = 8,
    SZX_RAMP_COMPRESSED = 1,
    SZX_Z80R_EILAST = 1,
    SZX_Z80R_HALTED = 2,
    PAGE = 16384,
};

static int _szx_slot(unsigned page) {
    return page == 5 ? 0 : page == 2 ? 1 : page == 0 ? 2 : -1;
}

static bool _szx_z80r(zx_snap_t *out, const uint8_t *b, uint32_t size, char *err, size_t errlen) {
    if (size < SZX_Z80R_SIZE) return media_fail(err, errlen, "SZX: Z80R block is %u bytes, want 37", size);
    out->af = media_le16(b + 0);
    out->bc = media_le16(b + 2);
    out->de = media_le16(b + 4);
    out->hl = media_le16(b + 6);
    out->af_ = media_le16(b + 8);
    out->bc_ = media_le16(b + 10);
    out->de_ = media_le16(b + 12);
    out->hl_ = media_le16(b + 14);
    out->ix = media_le16(b + 16);
    out->iy = media_le16(b + 18);
    out->sp = media_le16(b + 20);
    out->pc = media_le16(b + 22);
    out->i = b[24];
    out->r = b[25];
    out->iff1 = b[26] ? 1 : 0;
    out->iff2 = b[27] ? 1 : 0;
    out->im = media_interrupt_mode(b[28]); /* libspectrum keeps any byte: see media_util.h */
    /* A T-state past the frame cannot be where the snapshot was taken: start
     * at the interrupt, as libspectrum's z80.c does for the same fault. */
    uint32_t t = media_le32(b + 29);
    out->tstates = t < 69888u ? t : 0;
    /* b[33]: cycles /INT stays asserted; the machine has its own (32). */
    out->ei_delay = (b[34] & SZX_Z80R_EILAST) ? 1 : 0;
    out->halted = (b[34] & SZX_Z80R_HALTED) ? 1 : 0;
    out->wz = media_le16(b + 35);
    return true;
}

static bool _szx_ramp(zx_snap_t *out, const uint8_t *b, uint32_t size, bool seen[3], char *err, size_t errlen) {
    if (size < 3) return media_fail(err, errlen, "SZX: RAMP block is %u bytes, too short for its header", size);
    unsigned flags = media_le16(b), page = b[2];
    int slot = _szx_slot(page);
    /* A page a 48K does not have is skipped (libspectrum stores it for
     * machines that have it); a page seen again replaces the first copy,
     * as in libspectrum's szx.c. Skipped data is still checked. */
    uint8_t skipped[PAGE];
    if (slot >= 0) seen[slot] = true;
    uint8_t *dst = slot >= 0 ? out->ram + slot * PAGE : skipped;
    const uint8_t *data = b + 3;
    uint32_t n = size - 3;
    if (flags & SZX_RAMP_COMPRESSED) {
        size_t got = 0;
        inflate_result_t r = inflate_zlib(data, n, dst, PAGE, &got);
        if (r != INFLATE_OK) return media_fail(err, errlen, "SZX: RAM page %u: %s", page, inflate_strerror(r));
        if (got != PAGE) return media_fail(err, errlen, "SZX: RAM page %u inflates to %zu bytes, want 16384", page, got);
    } else {
        /* bytes past the page are ignored, as libspectrum does */
        if (n < PAGE) return media_fail(err, errlen, "SZX: uncompressed RAM page %u has %u bytes, want 16384", page, n);
        memcpy(dst, data, PAGE);
    }
    return true;
}

bool snap_load_szx(zx_snap_t *out, const uint8_t *d, size_t len, char *err, size_t errlen) {
    if (len < SZX_HEADER) return media_fail(err, errlen, "SZX truncated: %zu bytes, the header has 8", len);
    if (memcmp(d, "ZXST", 4) != 0) return media_fail(err, errlen, "SZX: missing ZXST signature");
    if (d[4] != 1) return media_fail(err, errlen, "SZX: unsupported major version %u (want 1)", d[4]);
    if (d[6] != SZX_MACHINE_48K)
        return media_fail(err, errlen, "SZX: machine id %u is not supported; only 48K snapshots (id 1) load on this machine", d[6]);
    memset(out, 0, sizeof *out);
    out->border = 7;
    bool have_regs = false, seen[3] = {false, false, false};
    size_t pos = SZX_HEADER;
    while (pos < len) {
        if (len - pos < 8) return media_fail(err, errlen, "SZX: truncated block header at offset %zu", pos);
        char id[5];
        memcpy(id, d + pos, 4);
        id[4] = 0;
        for (int k = 0; k < 4; k++)
            if (id[k] < 0x20 || id[k] > 0x7e) id[k] = '?';
        uint32_t size = media_le32(d + pos + 4);
        pos += 8;
        if (size > len - pos) return media_fail(err, errlen, "SZX: block %s claims %u bytes, only %zu left", id, size, len - pos);
        const uint8_t *b = d + pos;
        if (!memcmp(id, "Z80R", 4)) {
            if (!_szx_z80r(out, b, size, err, errlen)) return false;
            have_regs = true;
        } else if (!memcmp(id, "SPCR", 4)) {
            if (size < SZX_SPCR_SIZE) return media_fail(err, errlen, "SZX: SPCR block is %u bytes, want 8", size);
            out->border = b[0] & 7;
            out->last_fe = b[3];
        } else if (!memcmp(id, "KEYB", 4)) {
            if (size < 4) return media_fail(err, errlen, "SZX: KEYB block is %u bytes, want 5", size);
            out->issue2 = b[0] & 1;
        } else if (!memcmp(id, "RAMP", 4)) {
            if (!_szx_ramp(out, b, size, seen, err, errlen)) return false;
        }
        pos += size;
    }
    if (!have_regs) return media_fail(err, errlen, "SZX: no Z80R (registers) block");
    static const unsigned pages[3] = {5, 2, 0};
    for (int k = 0; k < 3; k++)
        if (!seen[k]) return media_fail(err, errlen, "SZX: RAM page %u missing", pages[k]);
    return true;
}
