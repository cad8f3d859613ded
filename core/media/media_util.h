/*
 * media_util.h: little helpers shared by the media parsers.
 */
#ifndef MEDIA_UTIL_H
#define MEDIA_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* snprintf into err (if any); always returns false so parsers can
 * `return media_fail(err, errlen, "...")`. */
bool media_fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Appends "; msg" (or msg if err is empty) to a warning list in err. */
void media_warn(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static inline uint16_t media_le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t media_le24(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16; }
static inline uint32_t media_le32(const uint8_t *p) { return media_le24(p) | (uint32_t)p[3] << 24; }
static inline void media_put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
/* A snapshot's interrupt mode as the CPU can hold it. The Z80 has modes 0,
 * 1 and 2 only, but real files carry other values (Z80 files with 3 in bits
 * 0-1 of byte 29, for instance). libspectrum keeps any value and Fuse stops
 * with "Unknown interrupt mode" only if an interrupt is then accepted
 * (fuse z80/z80.c z80_interrupt), so every such file that runs in Fuse has
 * its program set the mode before it takes an interrupt. Taking it as IM 1
 * changes nothing for those files, and with 0xFF on a Spectrum's data bus
 * IM 0 and IM 1 both run RST 38h anyway. */
static inline uint8_t media_interrupt_mode(unsigned im) { return im <= 2 ? (uint8_t)im : 1; }
static inline void media_put32(uint8_t *p, uint32_t v) { media_put16(p, (uint16_t)v); media_put16(p + 2, (uint16_t)(v >> 16)); }

#endif
