/*
 * inflate.h: a small, bounds-checked DEFLATE (RFC 1951) and zlib (RFC 1950)
 * decoder. SZX snapshots compress their RAM pages with zlib, and zlib itself
 * is not available in the Wasm build, so the core carries its own decoder.
 */
#ifndef MEDIA_INFLATE_H
#define MEDIA_INFLATE_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    INFLATE_OK = 0,
    INFLATE_TRUNCATED,   /* input ended inside the stream */
    INFLATE_BAD_DATA,    /* invalid block type, code lengths, distance, ... */
    INFLATE_OVERFLOW,    /* output would exceed the buffer */
    INFLATE_BAD_HEADER,  /* zlib header: method, window or check bits */
    INFLATE_BAD_CHECKSUM,/* zlib Adler-32 mismatch */
} inflate_result_t;

/* Raw DEFLATE stream. *out_len receives the bytes produced; *in_used the
 * bytes consumed (rounded up to a whole byte). */
inflate_result_t inflate_raw(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len, size_t *in_used);
/* zlib stream: header, DEFLATE data, Adler-32 of the output. */
inflate_result_t inflate_zlib(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len);
const char *inflate_strerror(inflate_result_t r);

#endif
