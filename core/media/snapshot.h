/*
 * snapshot.h: snapshot formats (SNA, Z80, SZX) of the whole Spectrum family
 * (48K, 128K, +2, +2A, +3, Pentagon 128) to and from a neutral zx_snap_t.
 *
 * Parsers never touch a running machine: they fill a zx_snap_t, and the
 * machine (core/machine/zx/zx_snap.c) commits it only when the whole file was
 * valid. Every parser checks every length before reading, and on failure
 * returns false with a message naming the problem in err (the caller adds
 * the file name); on success err may hold warnings ("; "-separated) about
 * what the file holds that the snapshot cannot carry. Savers return the
 * number of bytes written, or 0 if `cap` is too small; SNAP_MAX_SIZE bounds
 * every saver for every model.
 *
 * What each format stores for each model: docs/FORMATS.md.
 *
 *     zx_snap_t *s = malloc(sizeof *s);   // 128K of RAM: keep it off the stack
 *     if (!snap_load_z80(s, data, len, err, sizeof err)) report(err);
 *     else if (s->model != SNAP_MODEL_48K) ... page s->port_7ffd ...
 */
#ifndef MEDIA_SNAPSHOT_H
#define MEDIA_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The machine static-asserts that these equal its zx_model_t. */
typedef enum {
    SNAP_MODEL_48K = 0,
    SNAP_MODEL_128K = 1,
    SNAP_MODEL_PLUS2 = 2,
    SNAP_MODEL_PLUS2A = 3,
    SNAP_MODEL_PLUS3 = 4,
    SNAP_MODEL_PENTAGON = 5,
    SNAP_MODEL_COUNT = 6,
} snap_model_t;

enum { SNAP_BANK_SIZE = 16384, SNAP_RAM_BANKS = 8 };

typedef struct {
    uint8_t model;      /* snap_model_t */
    uint16_t af, bc, de, hl, af_, bc_, de_, hl_, ix, iy, sp, pc, wz;
    uint8_t i, r, iff1, iff2, im;
    uint8_t halted;
    uint8_t ei_delay;   /* the last instruction was EI (SZX keeps it) */
    uint8_t border;     /* 0-7 */
    uint8_t last_fe;    /* last byte written to port 0xFE */
    uint8_t issue2;     /* keyboard issue 2 (Z80 format flag) */
    uint8_t port_7ffd;  /* last byte written to 0x7FFD (128K paging); 0 on 48K */
    uint8_t port_1ffd;  /* last byte written to 0x1FFD (+2A/+3 paging); 0 elsewhere */
    uint8_t has_ay;     /* an AY-3-8912 is present: every 128K model; on a 48K an add-on (Z80/SZX flag) */
    uint8_t ay_select;  /* AY register last selected (port 0xFFFD) */
    uint8_t ay_regs[16];
    /* T-state within the model's frame: 0..snap_frame_tstates(model)-1. */
    uint32_t tstates;
    /* RAM banks 0-7. A 48K snapshot uses banks 5, 2 and 0 for 0x4000,
     * 0x8000 and 0xC000 (as Z80 pages 8, 4, 5 and SZX pages 5, 2, 0 do);
     * the other banks stay zero. */
    uint8_t ram[SNAP_RAM_BANKS][SNAP_BANK_SIZE];
} zx_snap_t;

enum {
    SNA_48K_SIZE = 49179,        /* 27-byte header + 48K */
    SNA_128K_SIZE = 131103,      /* + PC, 7FFD, TR-DOS (4 bytes) + 5 banks */
    SNA_128K_LONG_SIZE = 147487, /* + 6 banks: the bank at 0xC000 is 2 or 5, stored twice */
    /* The largest saver output: the long 128K SNA; Z80 (at most 87 + 8 x
     * 16387) and SZX (at most 152 + 8 x 16395) stay below it. */
    SNAP_MAX_SIZE = SNA_128K_LONG_SIZE,
};

/* T-states per frame: 48K 224 x 312 = 69888; 128K/+2 and +2A/+3 228 x 311 =
 * 70908; Pentagon 128 224 x 320 = 71680 (libspectrum timings.c, the
 * ferranti_5c_6c, ferranti_7c, amstrad_asic and pentagon frames). */
static inline uint32_t snap_frame_tstates(unsigned model) {
    switch (model) {
    case SNAP_MODEL_48K: return 69888;
    case SNAP_MODEL_PENTAGON: return 71680;
    default: return 70908;
    }
}

static inline bool snap_is_128k(unsigned model) { return model != SNAP_MODEL_48K; }

/* The model's name as messages and docs give it. */
const char *snap_model_name(unsigned model);

/* The byte at a 48K address (0x4000-0xFFFF) of a 48K snapshot: banks 5, 2
 * and 0. NULL below 0x4000 (ROM). */
static inline uint8_t *snap_ram48(zx_snap_t *s, uint16_t addr) {
    static const uint8_t bank_at[4] = {0, 5, 2, 0};
    if (addr < 0x4000) return NULL;
    return &s->ram[bank_at[addr >> 14]][addr & 0x3fff];
}

/* SNA: 48K (49179 bytes) or 128K (131103/147487 bytes; loads as the 128K,
 * or the Pentagon 128 when the file says TR-DOS was paged). */
bool snap_load_sna(zx_snap_t *out, const uint8_t *data, size_t len, char *err, size_t errlen);
/* Z80: versions 1, 2 and 3, every hardware value of the models above. */
bool snap_load_z80(zx_snap_t *out, const uint8_t *data, size_t len, char *err, size_t errlen);
/* SZX: machine ids 1 (48K), 2 (128K), 3 (+2), 4 (+2A), 5 (+3), 7 (Pentagon 128). */
bool snap_load_szx(zx_snap_t *out, const uint8_t *data, size_t len, char *err, size_t errlen);

/* SNA: a 48K snapshot as 49179 bytes with PC pushed on the guest stack, as
 * every SNA writer does (a snapshot taken with SP in 0x4000-0x4001 loses PC:
 * it would be pushed into ROM; that is the format's limit). Any 128K model
 * as the 131103-byte form, or 147487 when bank 2 or 5 is paged at 0xC000;
 * the model, 0x1FFD, the AY and the T-state are not stored. */
size_t snap_save_sna(const zx_snap_t *s, uint8_t *out, size_t cap);
/* Z80 version 3 (55-byte extended header when 0x1FFD matters), pages
 * compressed; every model. */
size_t snap_save_z80(const zx_snap_t *s, uint8_t *out, size_t cap);
/* SZX 1.4: CRTR, Z80R, SPCR, KEYB, AY (when has_ay) and uncompressed RAMP
 * blocks; every model. */
size_t snap_save_szx(const zx_snap_t *s, uint8_t *out, size_t cap);

/* Z80 "ED ED nn bb" page compression, exposed for tests. */
size_t snap_z80_compress(const uint8_t *in, size_t len, uint8_t *out, size_t cap);

#endif
