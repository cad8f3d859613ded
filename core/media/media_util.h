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
static inline void media_put32(uint8_t *p, uint32_t v) { media_put16(p, (uint16_t)v); media_put16(p + 2, (uint16_t)(v >> 16)); }

#endif
