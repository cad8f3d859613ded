/*
 * inflate.c: DEFLATE decoder after RFC 1951, in the canonical-Huffman
 * "count + symbol table" style (decode one bit at a time against the count
 * of codes per length). Slow-ish but small and easy to bound-check: SZX
 * pages are 16 KB, so speed does not matter.
 */
#include "media/inflate.h"

#include <string.h>

enum { MAX_BITS = 15, MAX_LIT = 288, MAX_DIST = 30 };

typedef struct {
    const uint8_t *in;
    size_t in_len, in_pos;
    uint32_t bitbuf, bitcnt;
    uint8_t *out;
    size_t out_cap, out_pos;
} _inf_state_t;

typedef struct {
    uint16_t count[MAX_BITS + 1]; /* codes of each length */
    uint16_t symbol[MAX_LIT];     /* symbols ordered by code */
} _inf_huff_t;

/* Returns -1 when the input runs out, so callers can tell truncation apart. */
static int _inf_bits(_inf_state_t *s, unsigned need) {
    uint32_t v = s->bitbuf;
    while (s->bitcnt < need) {
        if (s->in_pos >= s->in_len) return -1;
        v |= (uint32_t)s->in[s->in_pos++] << s->bitcnt;
        s->bitcnt += 8;
    }
    s->bitbuf = v >> need;
    s->bitcnt -= need;
    return (int)(v & ((1u << need) - 1));
}

/* Builds the tables; returns <0 for an over-subscribed set, >0 for an
 * incomplete one (allowed only for single-code distance sets), 0 if complete. */
static int _inf_build(_inf_huff_t *h, const uint8_t *lengths, int n) {
    uint16_t offs[MAX_BITS + 1];
    memset(h->count, 0, sizeof h->count);
    for (int i = 0; i < n; i++) h->count[lengths[i]]++;
    if (h->count[0] == n) return 0;
    int left = 1;
    for (int len = 1; len <= MAX_BITS; len++) {
        left <<= 1;
        left -= h->count[len];
        if (left < 0) return -1;
    }
    offs[1] = 0;
    for (int len = 1; len < MAX_BITS; len++) offs[len + 1] = offs[len] + h->count[len];
    for (int i = 0; i < n; i++)
        if (lengths[i]) h->symbol[offs[lengths[i]]++] = (uint16_t)i;
    return left;
}

/* Returns the symbol, -1 on truncation, -2 on an invalid code. */
static int _inf_decode(_inf_state_t *s, const _inf_huff_t *h) {
    int code = 0, first = 0, index = 0;
    for (int len = 1; len <= MAX_BITS; len++) {
        int b = _inf_bits(s, 1);
        if (b < 0) return -1;
        code |= b;
        int count = h->count[len];
        if (code - count < first) return h->symbol[index + (code - first)];
        index += count;
        first += count;
        first <<= 1;
        code <<= 1;
    }
    return -2;
}

static const uint16_t _inf_len_base[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                           35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t _inf_len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                           3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t _inf_dist_base[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129,
                                            193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
                                            4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t _inf_dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
                                            7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static inflate_result_t _inf_codes(_inf_state_t *s, const _inf_huff_t *lit, const _inf_huff_t *dist) {
    for (;;) {
        int sym = _inf_decode(s, lit);
        if (sym == -1) return INFLATE_TRUNCATED;
        if (sym < 0) return INFLATE_BAD_DATA;
        if (sym < 256) {
            if (s->out_pos >= s->out_cap) return INFLATE_OVERFLOW;
            s->out[s->out_pos++] = (uint8_t)sym;
        } else if (sym == 256) {
            return INFLATE_OK;
        } else {
            sym -= 257;
            if (sym >= 29) return INFLATE_BAD_DATA;
            int e = _inf_bits(s, _inf_len_extra[sym]);
            if (e < 0) return INFLATE_TRUNCATED;
            size_t len = _inf_len_base[sym] + (size_t)e;
            int d = _inf_decode(s, dist);
            if (d == -1) return INFLATE_TRUNCATED;
            if (d < 0 || d >= 30) return INFLATE_BAD_DATA;
            e = _inf_bits(s, _inf_dist_extra[d]);
            if (e < 0) return INFLATE_TRUNCATED;
            size_t back = _inf_dist_base[d] + (size_t)e;
            if (back > s->out_pos) return INFLATE_BAD_DATA;
            if (len > s->out_cap - s->out_pos) return INFLATE_OVERFLOW;
            for (size_t i = 0; i < len; i++, s->out_pos++) s->out[s->out_pos] = s->out[s->out_pos - back];
        }
    }
}

static inflate_result_t _inf_stored(_inf_state_t *s) {
    s->bitbuf = 0; /* stored blocks start on a byte boundary */
    s->bitcnt = 0;
    if (s->in_len - s->in_pos < 4) return INFLATE_TRUNCATED;
    unsigned len = s->in[s->in_pos] | (unsigned)s->in[s->in_pos + 1] << 8;
    unsigned nlen = s->in[s->in_pos + 2] | (unsigned)s->in[s->in_pos + 3] << 8;
    s->in_pos += 4;
    if (len != (~nlen & 0xffffu)) return INFLATE_BAD_DATA;
    if (s->in_len - s->in_pos < len) return INFLATE_TRUNCATED;
    if (s->out_cap - s->out_pos < len) return INFLATE_OVERFLOW;
    memcpy(s->out + s->out_pos, s->in + s->in_pos, len);
    s->in_pos += len;
    s->out_pos += len;
    return INFLATE_OK;
}

static inflate_result_t _inf_fixed(_inf_state_t *s) {
    _inf_huff_t lit, dist;
    uint8_t lengths[MAX_LIT];
    int i = 0;
    for (; i < 144; i++) lengths[i] = 8;
    for (; i < 256; i++) lengths[i] = 9;
    for (; i < 280; i++) lengths[i] = 7;
    for (; i < MAX_LIT; i++) lengths[i] = 8;
    _inf_build(&lit, lengths, MAX_LIT);
    for (i = 0; i < MAX_DIST; i++) lengths[i] = 5;
    _inf_build(&dist, lengths, MAX_DIST);
    return _inf_codes(s, &lit, &dist);
}

static inflate_result_t _inf_dynamic(_inf_state_t *s) {
    static const uint8_t order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    uint8_t lengths[MAX_LIT + MAX_DIST];
    _inf_huff_t lit, dist;
    int nlen = _inf_bits(s, 5), ndist = _inf_bits(s, 5), ncode = _inf_bits(s, 4);
    if (nlen < 0 || ndist < 0 || ncode < 0) return INFLATE_TRUNCATED;
    nlen += 257;
    ndist += 1;
    ncode += 4;
    if (nlen > 286 || ndist > 30) return INFLATE_BAD_DATA;
    int i = 0;
    for (; i < ncode; i++) {
        int b = _inf_bits(s, 3);
        if (b < 0) return INFLATE_TRUNCATED;
        lengths[order[i]] = (uint8_t)b;
    }
    for (; i < 19; i++) lengths[order[i]] = 0;
    if (_inf_build(&lit, lengths, 19) != 0) return INFLATE_BAD_DATA;
    for (i = 0; i < nlen + ndist;) {
        int sym = _inf_decode(s, &lit);
        if (sym == -1) return INFLATE_TRUNCATED;
        if (sym < 0) return INFLATE_BAD_DATA;
        if (sym < 16) {
            lengths[i++] = (uint8_t)sym;
            continue;
        }
        int rep, val = 0;
        if (sym == 16) {
            if (i == 0) return INFLATE_BAD_DATA; /* nothing to repeat */
            val = lengths[i - 1];
            rep = _inf_bits(s, 2);
            if (rep < 0) return INFLATE_TRUNCATED;
            rep += 3;
        } else if (sym == 17) {
            rep = _inf_bits(s, 3);
            if (rep < 0) return INFLATE_TRUNCATED;
            rep += 3;
        } else {
            rep = _inf_bits(s, 7);
            if (rep < 0) return INFLATE_TRUNCATED;
            rep += 11;
        }
        if (i + rep > nlen + ndist) return INFLATE_BAD_DATA;
        while (rep--) lengths[i++] = (uint8_t)val;
    }
    if (lengths[256] == 0) return INFLATE_BAD_DATA; /* no end-of-block code */
    int err = _inf_build(&lit, lengths, nlen);
    if (err < 0 || (err > 0 && nlen - lit.count[0] != 1)) return INFLATE_BAD_DATA;
    err = _inf_build(&dist, lengths + nlen, ndist);
    if (err < 0 || (err > 0 && ndist - dist.count[0] != 1)) return INFLATE_BAD_DATA;
    return _inf_codes(s, &lit, &dist);
}

inflate_result_t inflate_raw(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len, size_t *in_used) {
    _inf_state_t s = {.in = in, .in_len = in_len, .out = out, .out_cap = out_cap};
    inflate_result_t r = INFLATE_OK;
    int last;
    do {
        last = _inf_bits(&s, 1);
        int type = _inf_bits(&s, 2);
        if (last < 0 || type < 0) {
            r = INFLATE_TRUNCATED;
            break;
        }
        if (type == 0) r = _inf_stored(&s);
        else if (type == 1) r = _inf_fixed(&s);
        else if (type == 2) r = _inf_dynamic(&s);
        else r = INFLATE_BAD_DATA;
    } while (r == INFLATE_OK && !last);
    if (out_len) *out_len = s.out_pos;
    if (in_used) *in_used = s.in_pos;
    return r;
}

static uint32_t _inf_adler32(const uint8_t *p, size_t n) {
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < n; i++) {
        a = (a + p[i]) % 65521u;
        b = (b + a) % 65521u;
    }
    return b << 16 | a;
}

inflate_result_t inflate_zlib(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len) {
    size_t produced = 0, used = 0;
    if (out_len) *out_len = 0;
    if (in_len < 2) return INFLATE_TRUNCATED;
    /* CM 8 (deflate), window <= 32K, no preset dictionary, FCHECK valid */
    if ((in[0] & 0x0f) != 8 || (in[0] >> 4) > 7 || (in[1] & 0x20) || ((in[0] << 8) | in[1]) % 31 != 0)
        return INFLATE_BAD_HEADER;
    inflate_result_t r = inflate_raw(in + 2, in_len - 2, out, out_cap, &produced, &used);
    if (out_len) *out_len = produced;
    if (r != INFLATE_OK) return r;
    size_t pos = 2 + used;
    if (in_len - pos < 4) return INFLATE_TRUNCATED;
    uint32_t want = (uint32_t)in[pos] << 24 | (uint32_t)in[pos + 1] << 16 | (uint32_t)in[pos + 2] << 8 | in[pos + 3];
    return want == _inf_adler32(out, produced) ? INFLATE_OK : INFLATE_BAD_CHECKSUM;
}

const char *inflate_strerror(inflate_result_t r) {
    switch (r) {
    case INFLATE_OK: return "ok";
    case INFLATE_TRUNCATED: return "compressed data truncated";
    case INFLATE_BAD_DATA: return "invalid compressed data";
    case INFLATE_OVERFLOW: return "compressed data expands beyond its expected size";
    case INFLATE_BAD_HEADER: return "bad zlib header";
    case INFLATE_BAD_CHECKSUM: return "zlib checksum mismatch";
    }
    return "unknown inflate error";
}
