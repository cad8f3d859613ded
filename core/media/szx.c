/*
 * szx.c: SZX ("ZX-State", Spectaculator) snapshots of the 48K, 128K, +2,
 * +2A, +3 and Pentagon 128 (spec:
 * https://www.spectaculator.com/docs/zx-state/intro.shtml; libspectrum's
 * szx.c for the machine ids and what real files hold).
 *
 * An 8-byte header ("ZXST", major, minor, machine id, flags) and blocks of
 * (4-char id, 32-bit LE size, data). We read Z80R (registers), SPCR
 * (border, last writes to 0x7FFD, 0x1FFD and 0xFE), KEYB (issue 2), AY
 * (flags, selected register, 16 registers) and RAMP (16K RAM pages, zlib-
 * compressed when bit 0 of their flags is set: banks 5, 2, 0 on a 48K,
 * 0-7 on the 128K models). CRTR and every other block are skipped: they
 * describe hardware we do not have or nothing the machine needs.
 *
 * The saver writes version 1.4: CRTR, Z80R, SPCR, KEYB, AY (when there is
 * one) and uncompressed RAMP blocks (the core has an inflater but no
 * deflater; uncompressed pages are valid SZX).
 */
#include "media/inflate.h"
#include "media/media_util.h"
#include "media/snapshot.h"

#include <string.h>

enum {
    SZX_HEADER = 8,
    SZX_MAJOR = 1,
    SZX_MINOR = 4, /* 1.4: Z80R ends with MEMPTR */
    SZX_BLOCK_HEADER = 8,
    SZX_CRTR_SIZE = 36,
    SZX_Z80R_SIZE = 37,
    SZX_SPCR_SIZE = 8,
    SZX_KEYB_SIZE = 5,
    SZX_AY_SIZE = 18,
    SZX_RAMP_HEADER = 3,
    SZX_RAMP_COMPRESSED = 1,
    SZX_Z80R_EILAST = 1,
    SZX_Z80R_HALTED = 2,
    SZX_AY_FULLER = 1,  /* ZXSTAYF_FULLERBOX */
    SZX_AY_128AY = 2,   /* ZXSTAYF_128AY: a 128K-style AY on a 48K (Melodik) */
    SZX_KEYB_ISSUE2 = 1,
    PAGE = SNAP_BANK_SIZE,
};

/* Machine ids (ZXSTMID_*): index = id. */
static const char *const k_szx_machine_names[] = {
    "16K", "48K", "128K", "+2", "+2A", "+3", "+3e", "Pentagon 128", "TC2048", "TC2068",
    "Scorpion ZS-256", "ZX Spectrum SE", "TS2068", "Pentagon 512", "Pentagon 1024", "48K NTSC", "128Ke",
};

static int _szx_model_of(unsigned id) {
    switch (id) {
    case 1: return SNAP_MODEL_48K;
    case 2: return SNAP_MODEL_128K;
    case 3: return SNAP_MODEL_PLUS2;
    case 4: return SNAP_MODEL_PLUS2A;
    case 5: return SNAP_MODEL_PLUS3;
    case 7: return SNAP_MODEL_PENTAGON;
    default: return -1;
    }
}

static uint8_t _szx_id_of(unsigned model) {
    static const uint8_t ids[SNAP_MODEL_COUNT] = {1, 2, 3, 4, 5, 7};
    return model < SNAP_MODEL_COUNT ? ids[model] : 1;
}

static bool _szx_has_1ffd(unsigned model) { return model == SNAP_MODEL_PLUS2A || model == SNAP_MODEL_PLUS3; }

/* T-states /INT stays asserted (libspectrum timings.c: 32 on the 48K and
 * the +2A/+3, 36 on the 128K/+2 and the Pentagon). */
static unsigned _szx_int_length(unsigned model) {
    return model == SNAP_MODEL_48K || _szx_has_1ffd(model) ? 32 : 36;
}

/* RAM banks of a model in a file: 5, 2, 0 on a 48K, all eight otherwise. */
static bool _szx_bank_exists(unsigned model, unsigned page) {
    if (snap_is_128k(model)) return page < SNAP_RAM_BANKS;
    return page == 5 || page == 2 || page == 0;
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
    out->im = b[28];
    if (out->im > 2) return media_fail(err, errlen, "SZX: bad interrupt mode %u", out->im);
    uint32_t t = media_le32(b + 29), frame = snap_frame_tstates(out->model);
    if (t >= frame) return media_fail(err, errlen, "SZX: T-state %u is beyond the %s's %u-T frame", t, snap_model_name(out->model), frame);
    out->tstates = t;
    /* b[33]: cycles /INT stays asserted; the machine has its own. */
    out->ei_delay = (b[34] & SZX_Z80R_EILAST) ? 1 : 0;
    out->halted = (b[34] & SZX_Z80R_HALTED) ? 1 : 0;
    out->wz = media_le16(b + 35);
    return true;
}

static bool _szx_ramp(zx_snap_t *out, const uint8_t *b, uint32_t size, bool seen[SNAP_RAM_BANKS], char *err, size_t errlen) {
    if (size < SZX_RAMP_HEADER) return media_fail(err, errlen, "SZX: RAMP block is %u bytes, too short for its header", size);
    unsigned flags = media_le16(b), page = b[2];
    if (!_szx_bank_exists(out->model, page))
        return media_fail(err, errlen, "SZX: RAM page %u does not exist on a %s", page, snap_model_name(out->model));
    if (seen[page]) return media_fail(err, errlen, "SZX: RAM page %u appears twice", page);
    seen[page] = true;
    uint8_t *dst = out->ram[page];
    const uint8_t *data = b + SZX_RAMP_HEADER;
    uint32_t n = size - SZX_RAMP_HEADER;
    if (flags & SZX_RAMP_COMPRESSED) {
        size_t got = 0;
        inflate_result_t r = inflate_zlib(data, n, dst, PAGE, &got);
        if (r != INFLATE_OK) return media_fail(err, errlen, "SZX: RAM page %u: %s", page, inflate_strerror(r));
        if (got != PAGE) return media_fail(err, errlen, "SZX: RAM page %u inflates to %zu bytes, want 16384", page, got);
    } else {
        if (n != PAGE) return media_fail(err, errlen, "SZX: uncompressed RAM page %u has %u bytes, want 16384", page, n);
        memcpy(dst, data, PAGE);
    }
    return true;
}

static bool _szx_ay(zx_snap_t *out, const uint8_t *b, uint32_t size, char *err, size_t errlen) {
    if (size < SZX_AY_SIZE) return media_fail(err, errlen, "SZX: AY block is %u bytes, want 18", size);
    if (out->model == SNAP_MODEL_48K) {
        /* A 48K has an AY only as an add-on: say which */
        if (b[0] & SZX_AY_FULLER) media_warn(err, errlen, "SZX: a Fuller Box is not emulated; its AY registers are kept");
        if (!(b[0] & (SZX_AY_FULLER | SZX_AY_128AY))) return true;
    }
    out->has_ay = 1;
    out->ay_select = b[1];
    memcpy(out->ay_regs, b + 2, 16);
    return true;
}

bool snap_load_szx(zx_snap_t *out, const uint8_t *d, size_t len, char *err, size_t errlen) {
    if (err && errlen) err[0] = 0; /* warnings are appended to it */
    if (len < SZX_HEADER) return media_fail(err, errlen, "SZX truncated: %zu bytes, the header has 8", len);
    if (memcmp(d, "ZXST", 4) != 0) return media_fail(err, errlen, "SZX: missing ZXST signature");
    if (d[4] != SZX_MAJOR) return media_fail(err, errlen, "SZX: unsupported major version %u (want 1)", d[4]);
    int model = _szx_model_of(d[6]);
    if (model < 0) {
        unsigned known = sizeof k_szx_machine_names / sizeof k_szx_machine_names[0];
        return media_fail(err, errlen, "SZX: machine id %u (%s) is not supported (48K, 128K, +2, +2A, +3 and Pentagon 128 are)", d[6],
                          d[6] < known ? k_szx_machine_names[d[6]] : "unknown");
    }
    memset(out, 0, sizeof *out);
    out->model = (uint8_t)model;
    out->has_ay = snap_is_128k(out->model);
    out->border = 7;
    bool have_regs = false, seen[SNAP_RAM_BANKS] = {false};
    size_t pos = SZX_HEADER;
    while (pos < len) {
        if (len - pos < SZX_BLOCK_HEADER) return media_fail(err, errlen, "SZX: truncated block header at offset %zu", pos);
        char id[5];
        memcpy(id, d + pos, 4);
        id[4] = 0;
        for (int k = 0; k < 4; k++)
            if (id[k] < 0x20 || id[k] > 0x7e) id[k] = '?';
        uint32_t size = media_le32(d + pos + 4);
        bool is_ay = !memcmp(d + pos, "AY\0\0", 4);
        pos += SZX_BLOCK_HEADER;
        if (size > len - pos) return media_fail(err, errlen, "SZX: block %s claims %u bytes, only %zu left", id, size, len - pos);
        const uint8_t *b = d + pos;
        if (!memcmp(id, "Z80R", 4)) {
            if (have_regs) return media_fail(err, errlen, "SZX: Z80R block appears twice");
            if (!_szx_z80r(out, b, size, err, errlen)) return false;
            have_regs = true;
        } else if (!memcmp(id, "SPCR", 4)) {
            if (size < SZX_SPCR_SIZE) return media_fail(err, errlen, "SZX: SPCR block is %u bytes, want 8", size);
            out->border = b[0] & 7;
            if (snap_is_128k(out->model)) out->port_7ffd = b[1];
            if (_szx_has_1ffd(out->model)) out->port_1ffd = b[2];
            out->last_fe = b[3];
        } else if (!memcmp(id, "KEYB", 4)) {
            if (size < 4) return media_fail(err, errlen, "SZX: KEYB block is %u bytes, want 5", size);
            out->issue2 = b[0] & SZX_KEYB_ISSUE2;
        } else if (is_ay) {
            if (!_szx_ay(out, b, size, err, errlen)) return false;
        } else if (!memcmp(id, "RAMP", 4)) {
            if (!_szx_ramp(out, b, size, seen, err, errlen)) return false;
        }
        pos += size;
    }
    if (!have_regs) return media_fail(err, errlen, "SZX: no Z80R (registers) block");
    static const unsigned order48[3] = {5, 2, 0};
    for (unsigned k = 0; k < SNAP_RAM_BANKS; k++) {
        unsigned page = snap_is_128k(out->model) ? k : k < 3 ? order48[k] : SNAP_RAM_BANKS;
        if (page < SNAP_RAM_BANKS && !seen[page])
            return media_fail(err, errlen, "SZX: RAM page %u missing (a %s snapshot holds %s)", page, snap_model_name(out->model),
                              snap_is_128k(out->model) ? "pages 0-7" : "pages 5, 2 and 0");
    }
    return true;
}

/* --- saving */

typedef struct {
    uint8_t *out;
    size_t cap, pos;
    bool full;
} _szx_writer_t;

/* Starts a block of `size` bytes; returns where its data goes, or NULL
 * when it does not fit (the writer is then full and writes nothing more). */
static uint8_t *_szx_block(_szx_writer_t *w, const char id[4], uint32_t size) {
    if (w->full || w->cap - w->pos < (size_t)SZX_BLOCK_HEADER + size) {
        w->full = true;
        return NULL;
    }
    uint8_t *p = w->out + w->pos;
    memcpy(p, id, 4);
    media_put32(p + 4, size);
    memset(p + SZX_BLOCK_HEADER, 0, size);
    w->pos += SZX_BLOCK_HEADER + size;
    return p + SZX_BLOCK_HEADER;
}

size_t snap_save_szx(const zx_snap_t *s, uint8_t *out, size_t cap) {
    unsigned model = s->model < SNAP_MODEL_COUNT ? s->model : SNAP_MODEL_48K;
    if (cap < SZX_HEADER) return 0;
    memcpy(out, "ZXST", 4);
    out[4] = SZX_MAJOR, out[5] = SZX_MINOR, out[6] = _szx_id_of(model), out[7] = 0;
    _szx_writer_t w = {out, cap, SZX_HEADER, false};

    uint8_t *b = _szx_block(&w, "CRTR", SZX_CRTR_SIZE);
    if (b) memcpy(b, "zx-dynarec", 10); /* version words 0.0 */

    b = _szx_block(&w, "Z80R", SZX_Z80R_SIZE);
    if (b) {
        media_put16(b + 0, s->af);
        media_put16(b + 2, s->bc);
        media_put16(b + 4, s->de);
        media_put16(b + 6, s->hl);
        media_put16(b + 8, s->af_);
        media_put16(b + 10, s->bc_);
        media_put16(b + 12, s->de_);
        media_put16(b + 14, s->hl_);
        media_put16(b + 16, s->ix);
        media_put16(b + 18, s->iy);
        media_put16(b + 20, s->sp);
        media_put16(b + 22, s->pc);
        b[24] = s->i, b[25] = s->r, b[26] = s->iff1 ? 1 : 0, b[27] = s->iff2 ? 1 : 0, b[28] = s->im;
        uint32_t t = s->tstates % snap_frame_tstates(model);
        media_put32(b + 29, t);
        unsigned int_len = _szx_int_length(model);
        b[33] = (uint8_t)(t < int_len ? int_len - t : 0); /* T-states of /INT left */
        b[34] = (uint8_t)((s->ei_delay ? SZX_Z80R_EILAST : 0) | (s->halted ? SZX_Z80R_HALTED : 0));
        media_put16(b + 35, s->wz);
    }

    b = _szx_block(&w, "SPCR", SZX_SPCR_SIZE);
    if (b) {
        b[0] = s->border & 7;
        b[1] = snap_is_128k(model) ? s->port_7ffd : 0;
        b[2] = _szx_has_1ffd(model) ? s->port_1ffd : 0;
        b[3] = s->last_fe;
    }

    b = _szx_block(&w, "KEYB", SZX_KEYB_SIZE);
    if (b) b[0] = s->issue2 ? SZX_KEYB_ISSUE2 : 0;

    if (s->has_ay) {
        b = _szx_block(&w, "AY\0\0", SZX_AY_SIZE);
        if (b) {
            b[0] = model == SNAP_MODEL_48K ? SZX_AY_128AY : 0;
            b[1] = s->ay_select;
            memcpy(b + 2, s->ay_regs, 16);
        }
    }

    for (unsigned page = 0; page < SNAP_RAM_BANKS; page++) {
        if (!_szx_bank_exists(model, page)) continue;
        b = _szx_block(&w, "RAMP", SZX_RAMP_HEADER + PAGE);
        if (!b) break;
        b[2] = (uint8_t)page; /* flags 0: stored */
        memcpy(b + SZX_RAMP_HEADER, s->ram[page], PAGE);
    }
    return w.full ? 0 : w.pos;
}
