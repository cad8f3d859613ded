/*
 * zx_snap.c: snapshots and media detection for the machine. Parsers fill a
 * temporary zx_snap_t; the machine changes only when the file was valid.
 *
 * A snapshot is best loaded on the machine of its own model
 * (zx_snapshot_model tells a front end which to make), but any 128K-family
 * snapshot loads on any 128K-family machine (the 0x7FFD paging, RAM and
 * AY are common to all; a 128K SNA names no model at all), and a 48K
 * snapshot loads on a 128K model in the 48K mode of its ROM: the 48 BASIC
 * ROM and bank 0 paged and paging locked, as the 128K's own "USR 0" leaves
 * it (its timing stays the 128K's). Only the 48K refuses a 128K snapshot,
 * naming the machine it needs.
 */
#include "media/snapshot.h"
#include "media/zip.h"
#include "machine/zx/zx_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert((int)SNAP_MODEL_48K == (int)ZX_MODEL_48K && (int)SNAP_MODEL_128K == (int)ZX_MODEL_128K &&
                   (int)SNAP_MODEL_PLUS2 == (int)ZX_MODEL_PLUS2 && (int)SNAP_MODEL_PLUS2A == (int)ZX_MODEL_PLUS2A &&
                   (int)SNAP_MODEL_PLUS3 == (int)ZX_MODEL_PLUS3 && (int)SNAP_MODEL_PENTAGON == (int)ZX_MODEL_PENTAGON &&
                   (int)SNAP_MODEL_COUNT == (int)ZX_MODEL_COUNT,
               "snapshot models are the machine's");
_Static_assert((long)ZX_SNAPSHOT_MAX >= (long)SNAP_MAX_SIZE, "ZX_SNAPSHOT_MAX bounds every saver");

/* The RAM banks at 0x4000, 0x8000 and 0xC000 of a 48K. */
static const uint8_t _zx_banks48[3] = {5, 2, 0};

static void _zx_snap_take(const zx_t *zx, zx_snap_t *s) {
    const z80_t *c = &zx->cpu;
    memset(s, 0, sizeof *s);
    s->model = (uint8_t)zx->model;
    s->af = c->af.w, s->bc = c->bc.w, s->de = c->de.w, s->hl = c->hl.w;
    s->af_ = c->af_.w, s->bc_ = c->bc_.w, s->de_ = c->de_.w, s->hl_ = c->hl_.w;
    s->ix = c->ix.w, s->iy = c->iy.w, s->sp = c->sp, s->pc = c->pc, s->wz = c->wz;
    s->i = c->i, s->r = c->r, s->iff1 = c->iff1, s->iff2 = c->iff2, s->im = c->im;
    s->halted = c->halted, s->ei_delay = c->ei_delay;
    s->border = zx->border, s->last_fe = zx->last_fe, s->issue2 = zx->issue2;
    s->tstates = c->tstates % zx->timing.frame_t;
    s->port_7ffd = zx->port_7ffd;
    s->port_1ffd = zx->port_1ffd;
    if (zx->timing.ay_hz) {
        s->has_ay = 1;
        s->ay_select = zx->ay.latch;
        memcpy(s->ay_regs, zx->ay.regs, sizeof s->ay_regs);
    }
    if (zx->model == ZX_MODEL_48K)
        for (int k = 0; k < 3; k++) memcpy(s->ram[_zx_banks48[k]], zx_bank_const(zx, _zx_banks48[k]), SNAP_BANK_SIZE);
    else
        for (int b = 0; b < 8; b++) memcpy(s->ram[b], zx_bank_const(zx, b), SNAP_BANK_SIZE);
}

/* The model's family for loading: machines no snapshot tells apart. */
static int _zx_family(int model) {
    if (model == ZX_MODEL_PLUS2) return ZX_MODEL_128K;
    if (model == ZX_MODEL_PLUS3) return ZX_MODEL_PLUS2A;
    return model;
}

/* Whether the snapshot can load on zx; if not, says why in err. */
static bool _zx_snap_fits(const zx_t *zx, const zx_snap_t *s, char *err, size_t errlen) {
    if (_zx_family(s->model) == _zx_family(zx->model)) return true;
    if (s->model == SNAP_MODEL_48K) return true; /* 48K mode of a 128K model */
    /* Another 128K model: the 0x7FFD paging, the RAM and the AY are common
     * to all (a 128K SNA names no model at all); only the +2A/+3's 0x1FFD
     * is dropped elsewhere. zx_snapshot_model still names the right one. */
    if (zx->model != ZX_MODEL_48K) return true;
    if (err && errlen)
        snprintf(err, errlen, "this %s snapshot needs a 128K machine (the %s), not the %s", snap_model_name(s->model),
                 zx_model_timing((zx_model_t)s->model)->name, zx->timing.name);
    return false;
}

static void _zx_snap_apply(zx_t *zx, const zx_snap_t *s) {
    z80_t *c = &zx->cpu;
    z80_init(c);
    c->af.w = s->af, c->bc.w = s->bc, c->de.w = s->de, c->hl.w = s->hl;
    c->af_.w = s->af_, c->bc_.w = s->bc_, c->de_.w = s->de_, c->hl_.w = s->hl_;
    c->ix.w = s->ix, c->iy.w = s->iy, c->sp = s->sp, c->pc = s->pc, c->wz = s->wz;
    c->i = s->i, c->r = s->r, c->iff1 = s->iff1, c->iff2 = s->iff2, c->im = s->im;
    c->halted = s->halted, c->ei_delay = s->ei_delay;
    c->tstates = s->tstates % zx->timing.frame_t;
    zx->border = s->border & 7;
    zx->last_fe = s->last_fe;
    zx->issue2 = s->issue2 != 0;
    if (s->model == SNAP_MODEL_48K) {
        for (int k = 0; k < 3; k++) memcpy(zx_bank(zx, _zx_banks48[k]), s->ram[_zx_banks48[k]], SNAP_BANK_SIZE);
        /* on a 128K model: the 48 BASIC ROM, bank 0 at 0xC000, locked */
        zx->port_7ffd = zx->timing.paging != ZX_PAGING_NONE ? 0x30 : 0;
        zx->port_1ffd = zx->timing.paging == ZX_PAGING_PLUS3 ? 0x04 : 0;
    } else {
        for (int b = 0; b < 8; b++) memcpy(zx_bank(zx, b), s->ram[b], SNAP_BANK_SIZE);
        zx->port_7ffd = s->port_7ffd;
        zx->port_1ffd = zx->timing.paging == ZX_PAGING_PLUS3 ? s->port_1ffd : 0;
    }
    if (zx->timing.ay_hz) {
        ay_reset(&zx->ay);
        if (s->has_ay) {
            for (int r = 0; r < 16; r++) ay_write_reg(&zx->ay, r, s->ay_regs[r]);
            ay_select(&zx->ay, s->ay_select);
        }
    }
    zx->render_cell = 0;
    zx_video_set_mark(zx);
    zx_keys_clear(zx);
    zx_wire_cpu(zx); /* the snapshot's mapping, before the picture is drawn from its screen */
    /* a snapshot starts mid-frame: skip the audio and picture before it */
    zx_audio_restart_at(zx, c->tstates);
    zx_video_render_to(zx, c->tstates);
}

typedef bool (*_zx_snap_parser_t)(zx_snap_t *, const uint8_t *, size_t, char *, size_t);

static bool _zx_load_with(zx_t *zx, _zx_snap_parser_t parse, const uint8_t *data, size_t len, char *err, size_t errlen) {
    if (err && errlen) err[0] = 0;
    zx_snap_t *s = malloc(sizeof *s); /* 128K: too big for a Wasm stack */
    if (!s) {
        if (err && errlen) snprintf(err, errlen, "out of memory");
        return false;
    }
    bool ok = parse(s, data, len, err, errlen) && _zx_snap_fits(zx, s, err, errlen);
    if (ok) _zx_snap_apply(zx, s);
    free(s);
    return ok;
}

bool zx_load_sna(zx_t *zx, const uint8_t *data, size_t len, char *err, size_t errlen) {
    return _zx_load_with(zx, snap_load_sna, data, len, err, errlen);
}

bool zx_load_z80(zx_t *zx, const uint8_t *data, size_t len, char *err, size_t errlen) {
    return _zx_load_with(zx, snap_load_z80, data, len, err, errlen);
}

bool zx_load_szx(zx_t *zx, const uint8_t *data, size_t len, char *err, size_t errlen) {
    return _zx_load_with(zx, snap_load_szx, data, len, err, errlen);
}

static bool _zx_unzip(const uint8_t *data, size_t len, uint8_t **bytes, size_t *size, char *name, unsigned *count,
                      char *err, size_t errlen);

int zx_snapshot_model(const uint8_t *data, size_t len, const char *hint) {
    if (zip_is_archive(data, len)) {
        uint8_t *bytes;
        size_t size;
        char name[ZIP_NAME_MAX], err[256];
        unsigned count;
        if (!_zx_unzip(data, len, &bytes, &size, name, &count, err, sizeof err)) return -1;
        int model = zx_snapshot_model(bytes, size, name);
        free(bytes);
        return model;
    }
    _zx_snap_parser_t parse;
    switch (zx_detect_format(data, len, hint)) {
    case ZX_FMT_SNA: parse = snap_load_sna; break;
    case ZX_FMT_Z80: parse = snap_load_z80; break;
    case ZX_FMT_SZX: parse = snap_load_szx; break;
    default: return -1;
    }
    zx_snap_t *s = malloc(sizeof *s);
    if (!s) return -1;
    char err[256];
    int model = parse(s, data, len, err, sizeof err) ? s->model : -1;
    free(s);
    return model;
}

static size_t _zx_save_with(const zx_t *zx, size_t (*save)(const zx_snap_t *, uint8_t *, size_t), uint8_t *out, size_t cap) {
    zx_snap_t *s = malloc(sizeof *s);
    if (!s) return 0;
    _zx_snap_take(zx, s);
    size_t n = save(s, out, cap);
    free(s);
    return n;
}

size_t zx_save_sna(const zx_t *zx, uint8_t *out, size_t cap) {
    return _zx_save_with(zx, snap_save_sna, out, cap);
}

size_t zx_save_z80(const zx_t *zx, uint8_t *out, size_t cap) {
    return _zx_save_with(zx, snap_save_z80, out, cap);
}

size_t zx_save_szx(const zx_t *zx, uint8_t *out, size_t cap) {
    return _zx_save_with(zx, snap_save_szx, out, cap);
}

static const char *_zx_ext(const char *hint) {
    if (!hint) return "";
    const char *dot = strrchr(hint, '.');
    return dot ? dot + 1 : hint;
}

static bool _zx_ext_is(const char *ext, const char *want) {
    for (; *ext && *want; ext++, want++)
        if ((*ext | 0x20) != *want) return false;
    return *ext == 0 && *want == 0;
}

static zx_format_t _zx_format_by_name(const char *hint) {
    const char *ext = _zx_ext(hint);
    if (_zx_ext_is(ext, "tzx") || _zx_ext_is(ext, "cdt")) return ZX_FMT_TZX;
    if (_zx_ext_is(ext, "tap")) return ZX_FMT_TAP;
    if (_zx_ext_is(ext, "sna")) return ZX_FMT_SNA;
    if (_zx_ext_is(ext, "z80")) return ZX_FMT_Z80;
    if (_zx_ext_is(ext, "szx")) return ZX_FMT_SZX;
    return ZX_FMT_UNKNOWN;
}

static bool _zx_loadable_name(const char *name) { return _zx_format_by_name(name) != ZX_FMT_UNKNOWN; }

/* A ZIP archive loads as the first tape or snapshot in it (by its name's
 * extension): its bytes (malloc'd, the caller frees them), its name, and
 * how many loadable files the archive holds. */
static bool _zx_unzip(const uint8_t *data, size_t len, uint8_t **bytes, size_t *size, char *name, unsigned *count,
                      char *err, size_t errlen) {
    zip_entry_t e;
    if (!zip_pick(data, len, _zx_loadable_name, "tape or snapshot (.tap, .tzx, .sna, .z80, .szx)", &e, count, err, errlen))
        return false;
    if (!zip_extract(data, len, &e, bytes, size, err, errlen)) return false;
    memcpy(name, e.name, sizeof e.name);
    return true;
}

zx_format_t zx_detect_format(const uint8_t *data, size_t len, const char *hint) {
    /* Signatures win over names: a misnamed file still loads. */
    if (len >= 8 && memcmp(data, "ZXTape!\x1a", 8) == 0) return ZX_FMT_TZX;
    if (len >= 4 && memcmp(data, "ZXST", 4) == 0) return ZX_FMT_SZX;
    if (zip_is_archive(data, len)) {
        /* an archive is the format of the file it loads as */
        zip_entry_t e;
        unsigned count;
        char err[8];
        return zip_pick(data, len, _zx_loadable_name, "", &e, &count, err, sizeof err) ? _zx_format_by_name(e.name)
                                                                                        : ZX_FMT_UNKNOWN;
    }
    zx_format_t by_name = _zx_format_by_name(hint);
    if (by_name != ZX_FMT_UNKNOWN) return by_name;
    if (len == SNA_48K_SIZE || len == SNA_128K_SIZE || len == SNA_128K_LONG_SIZE) return ZX_FMT_SNA;
    return ZX_FMT_UNKNOWN;
}

/* Loads the file an archive holds; its name prefixes an error, and a
 * warning says which was chosen when there were several (with no "; " in
 * it: front ends split the warning list there). */
static bool _zx_load_zip(zx_t *zx, const uint8_t *data, size_t len, char *err, size_t errlen) {
    uint8_t *bytes;
    size_t size;
    char name[ZIP_NAME_MAX];
    unsigned count;
    if (!_zx_unzip(data, len, &bytes, &size, name, &count, err, errlen)) return false;
    char inner[512] = "";
    bool ok = zx_load(zx, bytes, size, name, inner, sizeof inner);
    free(bytes);
    if (!err || !errlen) return ok;
    if (!ok) {
        snprintf(err, errlen, "%s in the ZIP archive: %s", name, inner[0] ? inner : "could not load");
    } else if (count > 1) {
        snprintf(err, errlen, "the ZIP archive holds %u tapes or snapshots, loaded the first: %s%s%s", count, name,
                 inner[0] ? "; " : "", inner);
    } else {
        snprintf(err, errlen, "%s", inner);
    }
    return ok;
}

bool zx_load(zx_t *zx, const uint8_t *data, size_t len, const char *hint, char *err, size_t errlen) {
    if (zip_is_archive(data, len)) return _zx_load_zip(zx, data, len, err, errlen);
    switch (zx_detect_format(data, len, hint)) {
    case ZX_FMT_SNA: return zx_load_sna(zx, data, len, err, errlen);
    case ZX_FMT_Z80: return zx_load_z80(zx, data, len, err, errlen);
    case ZX_FMT_SZX: return zx_load_szx(zx, data, len, err, errlen);
    case ZX_FMT_TAP:
    case ZX_FMT_TZX: return zx_tape_insert(zx, data, len, hint, err, errlen);
    default:
        if (err && errlen) snprintf(err, errlen, "unknown file format (expected .tap, .tzx, .sna, .z80, .szx or a .zip holding one)");
        return false;
    }
}
