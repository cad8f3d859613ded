/*
 * jit_request.h: what every compile request has in common, shared by the
 * core (which sends requests) and the compiler program (wasm-backend/, which
 * answers them).
 *
 * A request is a byte string that starts with a little-endian u32 kind; the
 * rest is the kind's own layout (the Z80's: jit/z80/jit_z80_request.h). The
 * answer is a Wasm module (malloc'd bytes) that imports "env" "memory" and
 * any core exports it calls by their export names, and exports its
 * functions as "f0", "f1", ... in request order.
 *
 * Every field goes over the wire through the one writer and the one reader
 * below: little-endian u32 words, whatever the host's byte order.
 *
 * HOWTO
 *     jit_wire_writer_t w = {buf, buf + cap};
 *     jit_wire_put32(&w, JIT_REQUEST_Z80); ...   (w.overflow: cap too small)
 *     jit_wire_reader_t r = {bytes, bytes + len};
 *     uint32_t kind = jit_wire_get32(&r);       (r.truncated: past the end)
 */
#ifndef JIT_REQUEST_H
#define JIT_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* What a request asks for (its first word). */
typedef enum {
    JIT_REQUEST_SELFTEST = 1, /* then the helper's table slot: the compiler's self-test module (wasm-backend/wb_selftest.h) */
    JIT_REQUEST_Z80 = 2,      /* Z80 blocks/regions: jit/z80/jit_z80_request.h */
} jit_request_kind_t;

/* Why a compiled function returned (every guest's translator returns these;
 * the runtime counts them in jit_stats_t.exits). */
enum {
    JIT_EXIT_NORMAL = 0,   /* left the function; the guest's pc is where to go on */
    JIT_EXIT_DEADLINE = 1, /* the next block might not finish before `until` */
    JIT_EXIT_SMC = 2,      /* a store hit code of the running function */
    JIT_EXIT_PAGED = 3,    /* a port write changed the memory map (paging): the function's code
                              and the mapping it was compiled under may be gone */
    JIT_EXIT_COUNT = 4,
};

typedef struct {
    uint8_t *p, *end;
    bool overflow; /* a write did not fit: the request is unusable */
} jit_wire_writer_t;

typedef struct {
    const uint8_t *p, *end;
    bool truncated; /* a read went past the end: it returned zeros */
} jit_wire_reader_t;

static inline void jit_wire_put32(jit_wire_writer_t *w, uint32_t v) {
    if (w->overflow || w->end - w->p < 4) {
        w->overflow = true;
        return;
    }
    w->p[0] = (uint8_t)v;
    w->p[1] = (uint8_t)(v >> 8);
    w->p[2] = (uint8_t)(v >> 16);
    w->p[3] = (uint8_t)(v >> 24);
    w->p += 4;
}

/* n bytes, then zeros up to a multiple of 4 (the next word stays aligned). */
static inline void jit_wire_put_bytes(jit_wire_writer_t *w, const uint8_t *bytes, size_t n) {
    size_t padded = (n + 3) & ~(size_t)3;
    if (w->overflow || (size_t)(w->end - w->p) < padded) {
        w->overflow = true;
        return;
    }
    memcpy(w->p, bytes, n);
    memset(w->p + n, 0, padded - n);
    w->p += padded;
}

static inline uint32_t jit_wire_get32(jit_wire_reader_t *r) {
    if (r->truncated || r->end - r->p < 4) {
        r->truncated = true;
        return 0;
    }
    uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 24;
    r->p += 4;
    return v;
}

/* The next n bytes (and their padding) in place; NULL when truncated. */
static inline const uint8_t *jit_wire_get_bytes(jit_wire_reader_t *r, size_t n) {
    size_t padded = (n + 3) & ~(size_t)3;
    if (r->truncated || (size_t)(r->end - r->p) < n) {
        r->truncated = true;
        return NULL;
    }
    const uint8_t *bytes = r->p;
    r->p += (size_t)(r->end - r->p) < padded ? (size_t)(r->end - r->p) : padded;
    return bytes;
}

#endif
