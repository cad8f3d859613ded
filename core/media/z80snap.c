/*
 * z80snap.c: the .Z80 snapshot, versions 1, 2 and 3, of the 48K, 128K, +2,
 * +2A, +3 and Pentagon 128 (World of Spectrum "Z80 format",
 * https://worldofspectrum.org/faq/reference/z80format.htm, as documented
 * with Gerton Lunter's Z80 emulator; libspectrum's z80.c for what real
 * files contain).
 *
 * Version 1: a 30-byte header, then 48K of RAM, "ED ED nn bb" compressed
 * when bit 5 of byte 12 is set (ending with 00 ED ED 00).
 * Versions 2/3: PC in the header is 0; an extra header of 23 (v2) or 54/55
 * (v3) bytes follows, then pages: length word (0xFFFF = 16384 stored), page
 * number, data. On a 48K machine pages 8, 4, 5 map to 0x4000, 0x8000,
 * 0xC000 (banks 5, 2, 0); on the 128K models pages 3-10 are banks 0-7.
 *
 * Extended header: 32 PC, 34 hardware (the model, below), 35 last write to
 * 0x7FFD, 37 flags (bit 7 "modify hardware", bit 2 AY in 48K mode), 38 AY
 * register selected, 39-54 the AY registers; v3: 55-57 the T-state
 * counter, 61-62 0xFF when 0x0000-0x1FFF / 0x2000-0x3FFF hold ROM, and with
 * a 55-byte extension, 86 the last write to 0x1FFD.
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

/* Hardware byte (34) values of the WoS table. In v2, 3 is the 128K and 4
 * the 128K with Interface 1; v3 moved the 128K to 4 (5 +IF1, 6 +MGT) and
 * made 3 the 48K with an MGT interface. 7 and up mean the same in both
 * (8 is what some XZX versions wrote for the +3). */
enum {
    Z80_HW_48K = 0, Z80_HW_48K_IF1 = 1, Z80_HW_SAMRAM = 2,
    Z80_HW_V2_128K = 3, Z80_HW_V2_128K_IF1 = 4,
    Z80_HW_V3_48K_MGT = 3, Z80_HW_V3_128K = 4, Z80_HW_V3_128K_IF1 = 5, Z80_HW_V3_128K_MGT = 6,
    Z80_HW_PLUS3 = 7, Z80_HW_PLUS3_XZX = 8, Z80_HW_PENTAGON = 9, Z80_HW_PLUS2 = 12, Z80_HW_PLUS2A = 13,
};

enum {
    Z80_FLAG_MODIFY_HW = 0x80, /* byte 37: 48K -> 16K, 128K -> +2, +3 -> +2A (Spectaculator) */
    Z80_FLAG_AY = 0x04,        /* byte 37: an AY in 48K mode (xzx); with 0x40 too, a Fuller Box */
    Z80_FLAG_FULLER = 0x40,
};

static const char *_z80_hw_name(unsigned version, uint8_t hw) {
    if (hw == Z80_HW_SAMRAM) return "SamRam";
    /* 3-6 differ between the versions; 7 and up mean the same in both */
    if (version == 2 && hw < Z80_HW_PLUS3) return hw == 3 || hw == 4 ? "128K" : "unknown";
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

/* The model of a v2/v3 file from its hardware byte and the "modify
 * hardware" bit; -1 when it is none of ours. */
static int _z80_model(unsigned version, uint8_t hw, bool modify) {
    int model = -1;
    if (hw == Z80_HW_48K || hw == Z80_HW_48K_IF1 || (version == 3 && hw == Z80_HW_V3_48K_MGT)) model = SNAP_MODEL_48K;
    else if (version == 2 && (hw == Z80_HW_V2_128K || hw == Z80_HW_V2_128K_IF1)) model = SNAP_MODEL_128K;
    else if (version == 3 && (hw == Z80_HW_V3_128K || hw == Z80_HW_V3_128K_IF1 || hw == Z80_HW_V3_128K_MGT)) model = SNAP_MODEL_128K;
    else if (hw == Z80_HW_PLUS3 || hw == Z80_HW_PLUS3_XZX) model = SNAP_MODEL_PLUS3;
    else if (hw == Z80_HW_PENTAGON) model = SNAP_MODEL_PENTAGON;
    else if (hw == Z80_HW_PLUS2) model = SNAP_MODEL_PLUS2;
    else if (hw == Z80_HW_PLUS2A) model = SNAP_MODEL_PLUS2A;
    if (modify && model == SNAP_MODEL_128K) model = SNAP_MODEL_PLUS2;
    if (modify && model == SNAP_MODEL_PLUS3) model = SNAP_MODEL_PLUS2A;
    return model;
}

static uint8_t _z80_hw_byte(unsigned model) {
    switch (model) {
    case SNAP_MODEL_128K: return Z80_HW_V3_128K;
    case SNAP_MODEL_PLUS2: return Z80_HW_PLUS2;
    case SNAP_MODEL_PLUS2A: return Z80_HW_PLUS2A;
    case SNAP_MODEL_PLUS3: return Z80_HW_PLUS3;
    case SNAP_MODEL_PENTAGON: return Z80_HW_PENTAGON;
    default: return Z80_HW_48K;
    }
}

static bool _z80_has_1ffd(unsigned model) { return model == SNAP_MODEL_PLUS2A || model == SNAP_MODEL_PLUS3; }

/* The RAM bank a page number holds on this model, or -1. */
static int _z80_page_bank(unsigned model, unsigned page) {
    if (snap_is_128k(model)) return page >= 3 && page <= 10 ? (int)page - 3 : -1;
    return page == 8 ? 5 : page == 4 ? 2 : page == 5 ? 0 : -1;
}

bool snap_load_z80(zx_snap_t *out, const uint8_t *d, size_t len, char *err, size_t errlen) {
    if (err && errlen) err[0] = 0; /* warnings are appended to it */
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
    out->im = d[29] & 3;
    out->issue2 = (d[29] >> 2) & 1;
    if (out->im == 3) return media_fail(err, errlen, "Z80: bad interrupt mode 3");

    if (out->pc != 0) { /* version 1: always a 48K */
        out->model = SNAP_MODEL_48K;
        /* Unpacked into banks 0-2 (contiguous in the struct: runs may
         * cross 16K boundaries), then moved to banks 5, 2, 0. */
        uint8_t *flat = &out->ram[0][0];
        size_t want = 3 * SNAP_BANK_SIZE;
        const uint8_t *body = d + Z80_V1_HEADER;
        size_t blen = len - Z80_V1_HEADER;
        if (!(b12 & 0x20)) {
            if (blen < want) return media_fail(err, errlen, "Z80 v1 truncated: %zu bytes of RAM, want 49152", blen);
            if (blen > want) return media_fail(err, errlen, "Z80 v1 too large: %zu bytes of RAM, want 49152", blen);
            memcpy(flat, body, want);
        } else {
            size_t used = _z80_unpack(body, blen, flat, want, err, errlen, "v1 RAM");
            if (!used) return false;
            /* The end marker is optional in practice (some writers omit it);
             * anything else after the data is an error. */
            size_t rest = blen - used;
            if (rest != 0 && !(rest == 4 && memcmp(body + used, "\x00\xed\xed\x00", 4) == 0))
                return media_fail(err, errlen, "Z80 v1: %zu unexpected bytes after the compressed RAM", rest);
        }
        memcpy(out->ram[5], out->ram[0], SNAP_BANK_SIZE); /* 0x4000 */
        memcpy(out->ram[3], out->ram[2], SNAP_BANK_SIZE); /* 0xC000, parked */
        memcpy(out->ram[2], out->ram[1], SNAP_BANK_SIZE); /* 0x8000 */
        memcpy(out->ram[0], out->ram[3], SNAP_BANK_SIZE);
        memset(out->ram[1], 0, SNAP_BANK_SIZE);
        memset(out->ram[3], 0, SNAP_BANK_SIZE);
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
    int model = _z80_model(version, hw, d[37] & Z80_FLAG_MODIFY_HW);
    if (model < 0)
        return media_fail(err, errlen, "Z80 v%u: hardware type %u (%s) is not supported (48K, 128K, +2, +2A, +3 and Pentagon 128 are)",
                          version, hw, _z80_hw_name(version, hw));
    if (model == SNAP_MODEL_48K && (d[37] & Z80_FLAG_MODIFY_HW))
        return media_fail(err, errlen, "Z80: 16K Spectrum snapshots are not supported");
    out->model = (uint8_t)model;
    if (snap_is_128k(model)) out->port_7ffd = d[35];
    if (_z80_has_1ffd(model) && ext == 55) out->port_1ffd = d[86];
    if (model == SNAP_MODEL_48K && (d[37] & Z80_FLAG_AY)) {
        if (d[37] & Z80_FLAG_FULLER) media_warn(err, errlen, "Z80: a Fuller Box is not emulated; its AY registers are kept");
        out->has_ay = 1;
    }
    if (snap_is_128k(model)) out->has_ay = 1;
    if (out->has_ay) {
        out->ay_select = d[38];
        memcpy(out->ay_regs, d + 39, 16);
    }
    if (version == 3) {
        /* The low counter counts down from a quarter frame minus one in each
         * quarter frame; the high counter is 3 just after the interrupt (Z80
         * format v3 notes; libspectrum's z80.c reads it the same way). */
        uint32_t quarter = snap_frame_tstates((unsigned)model) / 4;
        unsigned lo = media_le16(d + 55), hi = d[57] & 3;
        if (lo >= quarter)
            return media_fail(err, errlen, "Z80 v3: bad T-state counter %u (a %s quarter frame has %u)", lo, snap_model_name((unsigned)model),
                              (unsigned)quarter);
        out->tstates = ((hi + 1) & 3) * quarter + (quarter - 1 - lo);
    }

    unsigned banks = snap_is_128k(model) ? 8 : 3;
    bool seen[SNAP_RAM_BANKS] = {false};
    while (pos < len) {
        if (len - pos < 3) return media_fail(err, errlen, "Z80 v%u: truncated page header at offset %zu", version, pos);
        unsigned plen = media_le16(d + pos), page = d[pos + 2];
        pos += 3;
        int bank = _z80_page_bank((unsigned)model, page);
        if (bank < 0) {
            if (banks == 8) return media_fail(err, errlen, "Z80 v%u: page %u is not a 128K RAM page (want 3-10)", version, page);
            return media_fail(err, errlen, "Z80 v%u: page %u is not a 48K RAM page (want 4, 5 or 8)", version, page);
        }
        if (seen[bank]) return media_fail(err, errlen, "Z80 v%u: page %u appears twice", version, page);
        seen[bank] = true;
        uint8_t *dst = out->ram[bank];
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
    for (unsigned page = 0; page < 256; page++) {
        int bank = _z80_page_bank((unsigned)model, page);
        if (bank < 0 || seen[bank]) continue;
        if (banks == 8)
            return media_fail(err, errlen, "Z80 v%u: %s RAM page %u (bank %d) missing", version, snap_model_name((unsigned)model), page, bank);
        return media_fail(err, errlen, "Z80 v%u: RAM page %u missing", version, page);
    }
    return true;
}

/* Writes one page: compressed, or stored when that is not smaller. */
static size_t _z80_put_page(const uint8_t *src, uint8_t page, uint8_t *d, size_t room) {
    if (room < 3) return 0;
    size_t n = snap_z80_compress(src, PAGE, d + 3, room - 3);
    if (n == 0 || n >= PAGE) { /* incompressible: store */
        if (room - 3 < PAGE) return 0;
        media_put16(d, 0xffff);
        memcpy(d + 3, src, PAGE);
        n = PAGE;
    } else {
        media_put16(d, (uint16_t)n);
    }
    d[2] = page;
    return 3 + n;
}

size_t snap_save_z80(const zx_snap_t *s, uint8_t *out, size_t cap) {
    unsigned model = s->model < SNAP_MODEL_COUNT ? s->model : SNAP_MODEL_48K;
    /* 55 bytes (with 0x1FFD) for the models that have the port, as
     * libspectrum writes them */
    unsigned ext = _z80_has_1ffd(model) ? 55 : 54;
    size_t hdr = Z80_V1_HEADER + 2 + ext;
    if (cap < hdr) return 0;
    uint8_t *d = out;
    memset(d, 0, hdr);
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
    media_put16(d + 30, (uint16_t)ext);
    media_put16(d + 32, s->pc);
    d[34] = _z80_hw_byte(model);
    if (snap_is_128k(model)) d[35] = s->port_7ffd;
    if (model == SNAP_MODEL_48K && s->has_ay) d[37] = Z80_FLAG_AY;
    if (s->has_ay) {
        d[38] = s->ay_select;
        memcpy(d + 39, s->ay_regs, 16);
    }
    uint32_t quarter = snap_frame_tstates(model) / 4;
    uint32_t t = s->tstates % (4 * quarter);
    media_put16(d + 55, (uint16_t)(quarter - 1 - t % quarter));
    d[57] = (uint8_t)((t / quarter + 3) & 3);
    /* 0x0000-0x3FFF holds ROM, unless the +2A/+3 is in an all-RAM mode */
    bool all_ram = _z80_has_1ffd(model) && (s->port_1ffd & 1);
    d[61] = d[62] = all_ram ? 0x00 : 0xff;
    if (ext == 55) d[86] = s->port_1ffd;
    size_t pos = hdr;
    if (snap_is_128k(model)) {
        for (unsigned bank = 0; bank < SNAP_RAM_BANKS; bank++) {
            size_t n = _z80_put_page(s->ram[bank], (uint8_t)(bank + 3), d + pos, cap - pos);
            if (!n) return 0;
            pos += n;
        }
        return pos;
    }
    static const uint8_t pages[3] = {8, 4, 5}, banks48[3] = {5, 2, 0};
    for (int k = 0; k < 3; k++) {
        size_t n = _z80_put_page(s->ram[banks48[k]], pages[k], d + pos, cap - pos);
        if (!n) return 0;
        pos += n;
    }
    return pos;
}
