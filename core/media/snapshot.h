/*
 * snapshot.h: 48K snapshot formats (SNA, Z80, SZX) to and from a neutral
 * zx_snap_t.
 *
 * Parsers never touch a running machine: they fill a zx_snap_t, and the
 * machine (core/machine/zx/zx_snap.c) commits it only when the whole file was valid.
 * Every parser checks every length before reading, and on failure returns
 * false with a message naming the problem in err (the caller adds the file
 * name). Savers return the number of bytes written, or 0 if `cap` is too
 * small; snap_max_size() bounds every format.
 */
#ifndef MEDIA_SNAPSHOT_H
#define MEDIA_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint16_t af, bc, de, hl, af_, bc_, de_, hl_, ix, iy, sp, pc, wz;
    uint8_t i, r, iff1, iff2, im;
    uint8_t halted;
    uint8_t ei_delay;   /* the last instruction was EI (SZX keeps it) */
    uint8_t border;     /* 0-7 */
    uint8_t last_fe;    /* last byte written to port 0xFE */
    uint8_t issue2;     /* keyboard issue 2 (Z80 format flag) */
    uint32_t tstates;   /* T-state within the frame, 0..69887 */
    uint8_t ram[49152]; /* 0x4000-0xFFFF */
} zx_snap_t;

enum { SNA_48K_SIZE = 49179, SNAP_MAX_SIZE = 49152 + 512 };

bool snap_load_sna(zx_snap_t *out, const uint8_t *data, size_t len, char *err, size_t errlen);
bool snap_load_z80(zx_snap_t *out, const uint8_t *data, size_t len, char *err, size_t errlen);
bool snap_load_szx(zx_snap_t *out, const uint8_t *data, size_t len, char *err, size_t errlen);

/* SNA stores PC on the guest stack: the saver pushes it into its copy of
 * RAM, as every SNA writer does. A snapshot taken with SP in 0x4000-0x4001
 * loses PC (it would be pushed into ROM); that is the format's limit. */
size_t snap_save_sna(const zx_snap_t *s, uint8_t *out, size_t cap);
/* Z80 version 3, 48K, pages compressed. */
size_t snap_save_z80(const zx_snap_t *s, uint8_t *out, size_t cap);

/* Z80 "ED ED nn bb" page compression, exposed for tests. */
size_t snap_z80_compress(const uint8_t *in, size_t len, uint8_t *out, size_t cap);

#endif
