/*
 * z80snap.c: the .Z80 snapshot, versions 1, 2 and 3, 48K machines only
 * (World of Spectrum "Z80 format", as documented with Gerton Lunter's Z80
 * emulator).
 *
 * Version 1: a 30-byte header, then 48K of RAM, "ED ED nn bb" compressed
 * when bit 5 of byte 12 is set (ending with 00 ED ED 00).
 * Versions 2/3: PC in the header is 0; an extra header of 23 (v2) or 54/55
 * (v3) bytes follows, then pages: length word (0xFFFF = 16384 stored), page
 * number, data. On a 48K machine pages 8, 4, 5 map to 0x4000, 0x8000, 0xC000.
 *
 * As lenient as Fuse's libspectrum (z80.c) where a file can still be loaded
 * meaningfully: interrupt mode 3, ROM and non-48K pages, 16K snapshots and
 * a T-state counter out of range load (see the comments at each); what
 * cannot be loaded (truncated or overflowing data, a page twice, a 48K page
 * missing, other machines) is refused with the reason.
 */
#include "media/media_util.h"
#include "media/snapshot.h"

#include <stdio.h>
#include <string.h>

enum { Z80_V1_HEADER = 30, PAGE = 16384 };

/* Decompresses exactly `want` bytes; returns the input bytes used, or 0
 * with a message. `in_len` bounds reading. */
static size_t _z80_unpack(const uint8_t *in, size_t in_len, uint8_t *out, size_t want, char *err, size_t errlen, const char *what) {
    size_t i = 0, o = 0;
    while (o < want) {
        if (i >= in_len) {
            media_fail(err, errlen, "Z80: %s: compressed data truncated after %zu of %zu bytes", what, o, want);
            return 0;
        }
        if (in[i] == 0xed && i + 1 < in_len && in[i + 1] == 0xed) {
            if (i + 3 >= in_len) {
                media_fail(err, errlen, "Z80: %s: compressed run truncated", what);
                return 0;
            }
            size_t n = in[i + 2];
            if (n == 0 || n > want - o) {
                media_fail(err, errlen, "Z80: %s: compressed run of %zu bytes overflows the %zu-byte block", what, n, want);
                return 0;
            }
            memset(out + o, in[i + 3], n);
            o += n;
            i += 4;
        } else {
            out[o++] = in[i++];
        }
    }
    return i;
}

size_t snap_z80_compress(const uint8_t *in, size_t len, uint8_t *out, size_t cap) {
    size_t i = 0, o = 0;
    while (i < len) {
        size_t run = 1;
        while (i + run < len && run < 255 && in[i + run] == in[i]) run++;
        /* Runs of 5+, or of 2+ EDs, are encoded; a lone ED's next byte must
         * stay literal, or "ED ED" would be read as a run marker. */
        if (run >= 5 || (in[i] == 0xed && run >= 2)) {
            if (o + 4 > cap) return 0;
            out[o++] = 0xed;
            out[o++] = 0xed;
            out[o++] = (uint8_t)run;
            out[o++] = in[i];
            i += run;
        } else if (in[i] == 0xed) {
            if (o + 2 > cap) return 0;
            out[o++] = 0xed;
            i++;
            if (i < len) out[o++] = in[i++];
        } else {
            if (o + 1 > cap) return 0;
            out[o++] = in[i++];
        }
    }
    return o;
}

/* Hardware byte (34) to "is a plain 48K": v2 uses 0/1 (48K, +IF1), v3 adds 3 (+MGT). */
static bool _z80_is_48k(unsigned version, uint8_t hw) {
    if (hw == 0 || hw == 1) return true;
    return version == 3 && hw == 3;
}

static const char *_z80_hw_name(unsigned version, uint8_t hw) {
    if (hw == 2) return "SamRam";
    if (version == 2) return hw == 3 || hw == 4 ? "128K" : "unknown";
    switch (hw) {
    case 4: case 5: case 6: return "128K";
    case 7: case 8: return "+3";
    case 9: return "Pentagon 128K";
    case 10: return "Scorpion 256K";
    case 11: return "Didaktik-Kompakt";
    case 12: return "+2";
    case 13: return "+2A";
    case 14: return "TC2048";
    case 15: return "TC2068";
    case 128: return "TS2068";
    default: return "unknown";
    }
}

bool snap_load_z80(zx_snap_t *out, const uint8_t *d, size_t len, char *err, size_t errlen) {
    if (len < Z80_V1_HEADER) return media_fail(err, errlen, "Z80 truncated: %zu bytes, the header alone has 30", len);
    memset(out, 0, sizeof *out);
    uint8_t b12 = d[12] == 0xff ? 1 : d[12]; /* the format says treat 255 as 1 */
    out->af = (uint16_t)(d[0] << 8 | d[1]);
    out->bc = media_le16(d + 2);
    out->hl = media_le16(d + 4);
    out->pc = media_le16(d + 6);
    out->sp = media_le16(d + 8);
    out->i = d[10];
    out->r = (uint8_t)((d[11] & 0x7f) | (b12 & 1) << 7);
    out->border = (b12 >> 1) & 7;
    out->last_fe = out->border;
    out->de = media_le16(d + 13);
    out->bc_ = media_le16(d + 15);
    out->de_ = media_le16(d + 17);
    out->hl_ = media_le16(d + 19);
    out->af_ = (uint16_t)(d[21] << 8 | d[22]);
    out->iy = media_le16(d + 23);
    out->ix = media_le16(d + 25);
    out->iff1 = d[27] ? 1 : 0;
    out->iff2 = d[28] ? 1 : 0;
    out->im = media_interrupt_mode(d[29] & 3); /* 3 appears in real files: see media_util.h */
    out->issue2 = (d[29] >> 2) & 1;

    if (out->pc != 0) { /* version 1 */
        const uint8_t *body = d + Z80_V1_HEADER;
        size_t blen = len - Z80_V1_HEADER;
        if (!(b12 & 0x20)) {
            if (blen < sizeof out->ram) return media_fail(err, errlen, "Z80 v1 truncated: %zu bytes of RAM, want 49152", blen);
            if (blen > sizeof out->ram) return media_fail(err, errlen, "Z80 v1 too large: %zu bytes of RAM, want 49152", blen);
            memcpy(out->ram, body, sizeof out->ram);
            return true;
        }
        size_t used = _z80_unpack(body, blen, out->ram, sizeof out->ram, err, errlen, "v1 RAM");
        if (!used) return false;
        /* The end marker is optional in practice (some writers omit it);
         * anything else after the data is an error. */
        size_t rest = blen - used;
        if (rest != 0 && !(rest == 4 && memcmp(body + used, "\x00\xed\xed\x00", 4) == 0))
            return media_fail(err, errlen, "Z80 v1: %zu unexpected bytes after the compressed RAM", rest);
        return true;
    }

    if (len < Z80_V1_HEADER + 2) return media_fail(err, errlen, "Z80 truncated before the extended header length");
    unsigned ext = media_le16(d + 30);
    unsigned version = ext == 23 ? 2 : (ext == 54 || ext == 55) ? 3 : 0;
    if (!version) return media_fail(err, errlen, "Z80: unknown extended header length %u (want 23, 54 or 55)", ext);
    size_t pos = Z80_V1_HEADER + 2 + ext;
    if (len < pos) return media_fail(err, errlen, "Z80 v%u truncated inside the %u-byte extended header", version, ext);
    out->pc = media_le16(d + 32);
    uint8_t hw = d[34];
    if (!_z80_is_48k(version, hw))
        return media_fail(err, errlen, "Z80 v%u: hardware type %u (%s) is not supported; only 48K snapshots load on this machine",
                          version, hw, _z80_hw_name(version, hw));
    /* Spectaculator's 16K flag (bit 7 of byte 37): only page 8 is stored.
     * A 16K program runs on a 48K (libspectrum loads it as a 16K machine);
     * the upper 32K reads 0xFF, as unattached memory does on a 16K and as
     * libspectrum writes a page a snapshot lacks. */
    bool is_16k = (d[37] & 0x80) != 0;
    if (is_16k) memset(out->ram + PAGE, 0xff, 2 * PAGE);
    if (version == 3) {
        /* Low counter counts down from 17471 in each quarter frame; the
         * high counter is 3 just after the interrupt (Z80 format v3 notes).
         * A counter out of range says nothing usable: start at the
         * interrupt, as libspectrum's z80.c does ("Stop broken files from
         * causing trouble"). */
        unsigned lo = media_le16(d + 55), hi = d[57] & 3;
        out->tstates = lo > 17471 ? 0 : ((hi + 1) & 3) * 17472u + (17471u - lo);
    }

    bool seen[3] = {false, false, false};
    uint8_t skipped[PAGE];
    while (pos < len) {
        if (len - pos < 3) return media_fail(err, errlen, "Z80 v%u: truncated page header at offset %zu", version, pos);
        unsigned plen = media_le16(d + pos), page = d[pos + 2];
        pos += 3;
        if (page == 0 || page > 18)
            return media_fail(err, errlen, "Z80 v%u: page number %u does not exist in the format (1-18)", version, page);
        int slot = page == 8 ? 0 : page == 4 ? 1 : page == 5 ? 2 : -1;
        /* Other pages hold ROMs (0-3, 11: Multiface) or RAM a 48K does not
         * have; libspectrum's z80.c skips them too. Their data is still
         * checked, so a damaged file is not half-loaded. */
        if (slot >= 0 && seen[slot]) return media_fail(err, errlen, "Z80 v%u: page %u appears twice", version, page);
        if (slot >= 0) seen[slot] = true;
        uint8_t *dst = slot >= 0 ? out->ram + slot * PAGE : skipped;
        if (plen == 0xffff) {
            if (len - pos < PAGE) return media_fail(err, errlen, "Z80 v%u: page %u truncated (%zu of 16384 bytes)", version, page, len - pos);
            memcpy(dst, d + pos, PAGE);
            pos += PAGE;
        } else {
            if (plen > len - pos) return media_fail(err, errlen, "Z80 v%u: page %u claims %u bytes, only %zu left", version, page, plen, len - pos);
            char what[16];
            snprintf(what, sizeof what, "page %u", page);
            size_t used = _z80_unpack(d + pos, plen, dst, PAGE, err, errlen, what);
            if (!used) return false;
            if (used != plen) return media_fail(err, errlen, "Z80 v%u: page %u: %u-byte block holds %zu bytes of data", version, page, plen, used);
            pos += plen;
        }
    }
    for (int k = 0; k < (is_16k ? 1 : 3); k++) {
        static const unsigned pages[3] = {8, 4, 5};
        if (!seen[k]) return media_fail(err, errlen, "Z80 v%u: RAM page %u missing", version, pages[k]);
    }
    return true;
}

size_t snap_save_z80(const zx_snap_t *s, uint8_t *out, size_t cap) {
    enum { EXT = 54, HDR = Z80_V1_HEADER + 2 + EXT };
    if (cap < HDR) return 0;
    uint8_t *d = out;
    memset(d, 0, HDR);
    d[0] = (uint8_t)(s->af >> 8);
    d[1] = (uint8_t)s->af;
    media_put16(d + 2, s->bc);
    media_put16(d + 4, s->hl);
    /* d[6..7] = 0: PC lives in the extended header */
    media_put16(d + 8, s->sp);
    d[10] = s->i;
    d[11] = s->r & 0x7f;
    d[12] = (uint8_t)((s->r >> 7) | (s->border & 7) << 1);
    media_put16(d + 13, s->de);
    media_put16(d + 15, s->bc_);
    media_put16(d + 17, s->de_);
    media_put16(d + 19, s->hl_);
    d[21] = (uint8_t)(s->af_ >> 8);
    d[22] = (uint8_t)s->af_;
    media_put16(d + 23, s->iy);
    media_put16(d + 25, s->ix);
    d[27] = s->iff1 ? 1 : 0;
    d[28] = s->iff2 ? 1 : 0;
    d[29] = (uint8_t)((s->im & 3) | (s->issue2 ? 4 : 0));
    media_put16(d + 30, EXT);
    media_put16(d + 32, s->pc);
    d[34] = 0; /* 48K */
    uint32_t t = s->tstates % 69888u;
    media_put16(d + 55, (uint16_t)(17471u - t % 17472u));
    d[57] = (uint8_t)((t / 17472u + 3) & 3);
    size_t pos = HDR;
    static const uint8_t pages[3] = {8, 4, 5};
    for (int k = 0; k < 3; k++) {
        if (cap - pos < 3) return 0;
        const uint8_t *src = s->ram + k * PAGE;
        size_t n = snap_z80_compress(src, PAGE, d + pos + 3, cap - pos - 3);
        if (n == 0 || n >= PAGE) { /* incompressible: store */
            if (cap - pos - 3 < PAGE) return 0;
            media_put16(d + pos, 0xffff);
            memcpy(d + pos + 3, src, PAGE);
            n = PAGE;
        } else {
            media_put16(d + pos, (uint16_t)n);
        }
        d[pos + 2] = pages[k];
        pos += 3 + n;
    }
    return pos;
}
