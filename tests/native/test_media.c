/*
 * test_media.c: the media parsers and the machine's load/save paths:
 * round trips, corrupt files (each must fail with a message and leave the
 * machine byte-identical), TAP/TZX structure, inflate.
 *
 * With an argument, `test_media DIR` also writes one valid file per format
 * into DIR, as the seed corpus for the fuzz targets (tests/fuzz/run.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/inflate.h"
#include "media/snapshot.h"
#include "media/tape.h"
#include "machine/zx/zx.h"

#include "check.h"

/* ASan's allocator statistics (the native tests always run under ASan; its
 * header, sanitizer/allocator_interface.h, is not installed here). */
size_t __sanitizer_get_current_allocated_bytes(void);

/* Generated with Python's zlib (level 9); inputs are rebuilt by the test. */
static const uint8_t k_zlib_fixed[28] = {
    0x78, 0xda, 0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0xd7, 0x51, 0x08, 0x2e, 0x48, 0x4d, 0x2e, 0x29, 0x2a,
    0xcd, 0x55, 0x54, 0xf0, 0x20, 0x24, 0x00, 0x00, 0xb9, 0xa4, 0x11, 0x5d,
};

static const uint8_t k_zlib_dynamic[328] = {
    0x78, 0xda, 0x0b, 0xc9, 0x48, 0x55, 0x28, 0x2c, 0xcd, 0x4c, 0xce, 0x56, 0x48, 0x2a, 0xca, 0x2f,
    0xcf, 0x53, 0x48, 0xcb, 0xaf, 0x50, 0xc8, 0x2a, 0xcd, 0x2d, 0x28, 0x56, 0xc8, 0x2f, 0x4b, 0x2d,
    0x52, 0x28, 0x01, 0x4a, 0xe7, 0x24, 0x56, 0x55, 0x2a, 0xa4, 0xe4, 0xa7, 0xeb, 0x29, 0x18, 0x18,
    0x1a, 0x19, 0x9b, 0x98, 0x9a, 0x99, 0x5b, 0x58, 0x2a, 0x84, 0xd0, 0x59, 0x1f, 0x03, 0x23, 0x13,
    0x33, 0x0b, 0x2b, 0x1b, 0x3b, 0x07, 0x27, 0x17, 0x37, 0x0f, 0x2f, 0x1f, 0xbf, 0x80, 0xa0, 0x90,
    0xb0, 0x88, 0xa8, 0x98, 0xb8, 0x84, 0xa4, 0x94, 0xb4, 0x8c, 0xac, 0x9c, 0xbc, 0x82, 0xa2, 0x92,
    0xb2, 0x8a, 0xaa, 0x9a, 0xba, 0x86, 0xa6, 0x96, 0xb6, 0x8e, 0xae, 0x9e, 0x3e, 0x42, 0xab, 0x95,
    0xb5, 0x8d, 0xad, 0x9d, 0xbd, 0x83, 0xa3, 0x93, 0xb3, 0x8b, 0xab, 0x9b, 0xbb, 0x87, 0xa7, 0x97,
    0xb7, 0x8f, 0xaf, 0x9f, 0x7f, 0x40, 0x60, 0x50, 0x70, 0x48, 0x68, 0x58, 0x78, 0x44, 0x64, 0x54,
    0x74, 0x4c, 0x6c, 0x5c, 0x7c, 0x42, 0x62, 0x52, 0x72, 0x4a, 0x6a, 0x5a, 0x7a, 0x46, 0x66, 0x56,
    0x76, 0x4e, 0x6e, 0x5e, 0x7e, 0x41, 0x61, 0x51, 0x71, 0x49, 0x69, 0x59, 0x79, 0x45, 0x65, 0x55,
    0x75, 0x4d, 0x6d, 0x5d, 0x7d, 0x43, 0x63, 0x53, 0x73, 0x4b, 0x6b, 0x5b, 0x7b, 0x47, 0x67, 0x57,
    0x77, 0x4f, 0x6f, 0x5f, 0xff, 0x84, 0x89, 0x93, 0x26, 0x4f, 0x99, 0x3a, 0x6d, 0xfa, 0x8c, 0x99,
    0xb3, 0x66, 0xcf, 0x99, 0x3b, 0x6f, 0xfe, 0x82, 0x85, 0x8b, 0x16, 0x2f, 0x59, 0xba, 0x6c, 0xf9,
    0x8a, 0x95, 0xab, 0x56, 0xaf, 0x59, 0xbb, 0x6e, 0xfd, 0x86, 0x8d, 0x9b, 0x36, 0x6f, 0xd9, 0xba,
    0x6d, 0xfb, 0x8e, 0x9d, 0xbb, 0x76, 0xef, 0xd9, 0xbb, 0x6f, 0xff, 0x81, 0x83, 0x87, 0x0e, 0x1f,
    0x39, 0x7a, 0xec, 0xf8, 0x89, 0x93, 0xa7, 0x4e, 0x9f, 0x39, 0x7b, 0xee, 0xfc, 0x85, 0x8b, 0x97,
    0x2e, 0x5f, 0xb9, 0x7a, 0xed, 0xfa, 0x8d, 0x9b, 0xb7, 0x6e, 0xdf, 0xb9, 0x7b, 0xef, 0xfe, 0x83,
    0x87, 0x8f, 0x1e, 0x3f, 0x79, 0xfa, 0xec, 0xf9, 0x8b, 0x97, 0xaf, 0x5e, 0xbf, 0x79, 0xfb, 0xee,
    0xfd, 0x87, 0x8f, 0x9f, 0x3e, 0x7f, 0xf9, 0xfa, 0xed, 0xfb, 0x8f, 0x9f, 0xbf, 0x7e, 0xff, 0xf9,
    0xfb, 0xef, 0x3f, 0x00, 0x65, 0xf1, 0xb6, 0x7d,
};

static const uint8_t k_zlib_page[77] = {
    0x78, 0xda, 0xed, 0xc7, 0xb1, 0x09, 0x00, 0x21, 0x10, 0x00, 0xb0, 0x55, 0x6e, 0x08, 0x0b, 0x7b,
    0xb1, 0x12, 0xe1, 0x79, 0x15, 0xc4, 0xfd, 0x07, 0x71, 0x0b, 0xab, 0xa4, 0xcb, 0xd9, 0x31, 0xbe,
    0x5a, 0xe6, 0xbf, 0x7a, 0xa4, 0xdc, 0xe2, 0xb8, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb,
    0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb,
    0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xbb, 0xfb, 0xf3, 0x5f, 0xa0, 0xee, 0xf0, 0xf1,
};


static uint8_t k_rom[ZX_ROM_SIZE];
static zx_t g_zx, g_before;

static void dyn_text(uint8_t *out, size_t *len) {
    const char *s = "The quick brown fox jumps over the lazy dog. 0123456789 ";
    size_t n = 0, sl = strlen(s);
    for (int k = 0; k < 3; k++, n += sl) memcpy(out + n, s, sl);
    for (int i = 0; i < 256; i++) out[n++] = (uint8_t)i;
    *len = n;
}

static uint32_t adler32(const uint8_t *p, size_t n) {
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < n; i++) a = (a + p[i]) % 65521, b = (b + a) % 65521;
    return b << 16 | a;
}

/* A zlib stream of stored blocks: lets tests build valid compressed SZX pages. */
static size_t zlib_stored(const uint8_t *in, size_t n, uint8_t *out) {
    size_t o = 0, i = 0;
    out[o++] = 0x78, out[o++] = 0x01;
    do {
        size_t chunk = n - i > 65535 ? 65535 : n - i;
        out[o++] = (uint8_t)(i + chunk == n);
        out[o++] = (uint8_t)chunk, out[o++] = (uint8_t)(chunk >> 8);
        out[o++] = (uint8_t)~chunk, out[o++] = (uint8_t)(~chunk >> 8);
        memcpy(out + o, in + i, chunk);
        o += chunk, i += chunk;
    } while (i < n);
    uint32_t a = adler32(in, n);
    out[o++] = (uint8_t)(a >> 24), out[o++] = (uint8_t)(a >> 16), out[o++] = (uint8_t)(a >> 8), out[o++] = (uint8_t)a;
    return o;
}

static void test_inflate(void) {
    uint8_t out[20000];
    size_t n;
    inflate_result_t r = inflate_zlib(k_zlib_fixed, sizeof k_zlib_fixed, out, sizeof out, &n);
    const char *hello = "Hello, Spectrum! Hello, Spectrum! Hello, Spectrum!";
    CHECK("inflate_fixed_huffman", r == INFLATE_OK && n == strlen(hello) && !memcmp(out, hello, n), "r=%d n=%zu", r, n);

    uint8_t want[600];
    size_t wlen;
    dyn_text(want, &wlen);
    r = inflate_zlib(k_zlib_dynamic, sizeof k_zlib_dynamic, out, sizeof out, &n);
    CHECK("inflate_dynamic_huffman", r == INFLATE_OK && n == wlen && !memcmp(out, want, n), "r=%d n=%zu", r, n);

    r = inflate_zlib(k_zlib_page, sizeof k_zlib_page, out, 16384, &n);
    bool page_ok = r == INFLATE_OK && n == 16384;
    for (size_t i = 0; page_ok && i < 16384; i += 16) page_ok = !memcmp(out + i, "ZX SPECTRUM 48K ", 16);
    CHECK("inflate_page_with_long_matches", page_ok, "r=%d n=%zu", r, n);

    uint8_t big[70000], packed[70100];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (uint8_t)(i * 31 + (i >> 7));
    size_t plen = zlib_stored(big, sizeof big, packed);
    static uint8_t back[70000];
    r = inflate_zlib(packed, plen, back, sizeof back, &n);
    CHECK("inflate_stored_blocks", r == INFLATE_OK && n == sizeof big && !memcmp(back, big, n), "r=%d", r);

    bool all_trunc = true;
    for (size_t cut = 0; cut < sizeof k_zlib_dynamic; cut++) {
        r = inflate_zlib(k_zlib_dynamic, cut, out, sizeof out, &n);
        if (r == INFLATE_OK) all_trunc = false;
    }
    CHECK("inflate_every_truncation_fails", all_trunc, "a truncated stream decoded");

    uint8_t bad[sizeof k_zlib_fixed];
    memcpy(bad, k_zlib_fixed, sizeof bad);
    bad[sizeof bad - 1] ^= 1;
    r = inflate_zlib(bad, sizeof bad, out, sizeof out, &n);
    CHECK("inflate_bad_adler32", r == INFLATE_BAD_CHECKSUM, "r=%d", r);
    memcpy(bad, k_zlib_fixed, sizeof bad);
    bad[0] = 0x79;
    r = inflate_zlib(bad, sizeof bad, out, sizeof out, &n);
    CHECK("inflate_bad_header", r == INFLATE_BAD_HEADER, "r=%d", r);
    r = inflate_zlib(k_zlib_page, sizeof k_zlib_page, out, 1000, &n);
    CHECK("inflate_output_bound", r == INFLATE_OVERFLOW, "r=%d", r);
    static const uint8_t type3[] = {0x78, 0x01, 0x07};
    r = inflate_zlib(type3, sizeof type3, out, sizeof out, &n);
    CHECK("inflate_reserved_block_type", r == INFLATE_BAD_DATA, "r=%d", r);
}

/* A machine with distinctive state, to save and compare. */
static void make_state(zx_t *zx, uint32_t seed) {
    zx_init(zx, &(zx_desc_t){.rom = k_rom, .rom_size = sizeof k_rom});
    uint32_t x = seed;
    for (size_t i = 0; i < ZX_RAM_SIZE; i++) {
        x = x * 1103515245u + 12345u;
        /* runs and ED bytes exercise the Z80 compressor's special cases */
        zx_bank(zx, 5)[i] = (i % 4096 < 600) ? 0 : (i % 97 < 3) ? 0xed : (uint8_t)(x >> 16);
    }
    z80_t *c = &zx->cpu;
    c->af.w = 0x1234, c->bc.w = 0x2345, c->de.w = 0x3456, c->hl.w = 0x4567;
    c->af_.w = 0x5678, c->bc_.w = 0x6789, c->de_.w = 0x789a, c->hl_.w = 0x89ab;
    c->ix.w = 0x9abc, c->iy.w = 0xabcd, c->sp = 0xbff0, c->pc = 0x8123;
    c->i = 0x3f, c->r = 0xc5, c->iff1 = c->iff2 = 1, c->im = 1;
    c->tstates = 12345;
    zx->border = 5, zx->last_fe = 5;
}

static bool same_regs(const zx_t *a, const zx_t *b) {
    const z80_t *x = &a->cpu, *y = &b->cpu;
    return x->af.w == y->af.w && x->bc.w == y->bc.w && x->de.w == y->de.w && x->hl.w == y->hl.w &&
           x->af_.w == y->af_.w && x->bc_.w == y->bc_.w && x->de_.w == y->de_.w && x->hl_.w == y->hl_.w &&
           x->ix.w == y->ix.w && x->iy.w == y->iy.w && x->sp == y->sp && x->pc == y->pc && x->i == y->i &&
           x->r == y->r && x->iff1 == y->iff1 && x->iff2 == y->iff2 && x->im == y->im && a->border == b->border;
}

static uint8_t g_file[ZX_SNAPSHOT_MAX], g_file2[ZX_SNAPSHOT_MAX];

static void test_roundtrips(void) {
    char err[256];
    static zx_t b;
    make_state(&g_zx, 1);
    size_t n = zx_save_sna(&g_zx, g_file, sizeof g_file);
    bool ok = n == SNA_48K_SIZE; /* b is loaded once it is a machine (zx_init) */
    zx_init(&b, &(zx_desc_t){.rom = k_rom, .rom_size = sizeof k_rom});
    ok = ok && zx_load_sna(&b, g_file, n, err, sizeof err);
    size_t n2 = zx_save_sna(&b, g_file2, sizeof g_file2);
    CHECK("sna_save_load_save_byte_exact", ok && n2 == n && !memcmp(g_file, g_file2, n), "ok=%d n=%zu n2=%zu %s", ok, n, n2, err);
    CHECK("sna_registers_survive", ok && same_regs(&g_zx, &b), "registers differ");

    make_state(&g_zx, 2);
    n = zx_save_z80(&g_zx, g_file, sizeof g_file);
    zx_init(&b, &(zx_desc_t){.rom = k_rom, .rom_size = sizeof k_rom});
    ok = n > 0 && zx_load_z80(&b, g_file, n, err, sizeof err);
    n2 = zx_save_z80(&b, g_file2, sizeof g_file2);
    CHECK("z80_save_load_save_byte_exact", ok && n2 == n && !memcmp(g_file, g_file2, n), "ok=%d n=%zu n2=%zu %s", ok, n, n2, err);
    CHECK("z80_registers_ram_tstates_survive",
          ok && same_regs(&g_zx, &b) && !memcmp(zx_bank(&g_zx, 5), zx_bank(&b, 5), ZX_RAM_SIZE) && b.cpu.tstates == 12345,
          "state differs (t=%u)", b.cpu.tstates);
    CHECK("z80_pages_compressed", n < 3 * 16384, "n=%zu", n);

    /* compressor edge cases: a lone ED before a run, ED ED, long runs */
    static const uint8_t tricky[] = {0xed, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xed, 0xed, 0x01, 0xed,
                                     0x05, 0x05, 0x05, 0x05, 0x05, 0xed};
    static uint8_t ram[49152];
    memset(ram, 0, sizeof ram);
    memcpy(ram, tricky, sizeof tricky);
    ram[49151] = 0xed; /* a lone ED right before the end marker */
    /* decode through a v1 file whose RAM is the tricky bytes then zeros */
    static uint8_t v1[30 + 3 * 16384];
    memset(v1, 0, 30);
    v1[6] = 0x00, v1[7] = 0x80; /* PC 0x8000: version 1 */
    v1[12] = 0x20;              /* compressed */
    size_t o = 30 + snap_z80_compress(ram, sizeof ram, v1 + 30, sizeof v1 - 34);
    memcpy(v1 + o, "\x00\xed\xed\x00", 4);
    o += 4;
    zx_init(&b, &(zx_desc_t){.rom = k_rom, .rom_size = sizeof k_rom});
    ok = zx_load_z80(&b, v1, o, err, sizeof err);
    CHECK("z80_v1_compressed_edge_cases", ok && !memcmp(zx_bank(&b, 5), ram, sizeof ram) && b.cpu.pc == 0x8000, "%s", err);
}

/* --- corrupt files: each must fail, say why, and leave the machine alone */

static void expect_reject(const char *name, bool (*load)(zx_t *, const uint8_t *, size_t, char *, size_t),
                          const uint8_t *data, size_t len, const char *want_substr) {
    char err[256] = "";
    memcpy(&g_before, &g_zx, sizeof g_zx);
    bool ok = load(&g_zx, data, len, err, sizeof err);
    bool same = memcmp(&g_before, &g_zx, sizeof g_zx) == 0;
    CHECK(name, !ok && err[0] && same && (!want_substr || strstr(err, want_substr)),
          "loaded=%d unchanged=%d message=\"%s\" (want \"%s\")", ok, same, err, want_substr ? want_substr : "");
}

static bool load_tape(zx_t *zx, const uint8_t *d, size_t n, char *err, size_t errlen) {
    return zx_tape_insert(zx, d, n, "x.tzx", err, errlen);
}
static bool load_tap(zx_t *zx, const uint8_t *d, size_t n, char *err, size_t errlen) {
    return zx_tape_insert(zx, d, n, "x.tap", err, errlen);
}

static uint8_t g_buf[200000];

static void test_corrupt_sna(void) {
    make_state(&g_zx, 3);
    size_t n = zx_save_sna(&g_zx, g_file, sizeof g_file);
    make_state(&g_zx, 4);
    size_t cuts[] = {0, 1, 26, 27, 1000, n - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "sna_truncated_at_%zu", cuts[i]);
        expect_reject(name, zx_load_sna, g_file, cuts[i], "truncated");
    }
    memcpy(g_buf, g_file, n);
    g_buf[n] = 0;
    expect_reject("sna_oversized", zx_load_sna, g_buf, n + 1, "too large");
    memcpy(g_buf, g_file, n);
    g_buf[23] = 0x00, g_buf[24] = 0x10;
    expect_reject("sna_stack_in_rom", zx_load_sna, g_buf, n, "stack pointer");
    memset(g_buf, 0, 131103);
    expect_reject("sna_128k_rejected", zx_load_sna, g_buf, 131103, "needs a 128K machine");
}

static void test_corrupt_z80(void) {
    make_state(&g_zx, 5);
    size_t n = zx_save_z80(&g_zx, g_file, sizeof g_file);
    make_state(&g_zx, 6);
    size_t cuts[] = {0, 29, 31, 60, 86, 88, 89, 500, n - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "z80_truncated_at_%zu", cuts[i]);
        expect_reject(name, zx_load_z80, g_file, cuts[i], NULL);
    }
    memcpy(g_buf, g_file, n);
    g_buf[30] = 40;
    expect_reject("z80_bad_header_length", zx_load_z80, g_buf, n, "extended header length");
    memcpy(g_buf, g_file, n);
    g_buf[34] = 4;
    expect_reject("z80_v3_128k_header_with_48k_pages", zx_load_z80, g_buf, n, "128K RAM page 3 (bank 0) missing");
    memcpy(g_buf, g_file, n);
    g_buf[30] = 23;
    memmove(g_buf + 32 + 23, g_file + 32 + 54, n - 32 - 54);
    g_buf[34] = 3;
    expect_reject("z80_v2_128k_header_with_48k_pages", zx_load_z80, g_buf, n - 31, "128K RAM page 3 (bank 0) missing");
    memcpy(g_buf, g_file, n);
    g_buf[86 + 2] = 0; /* first page number: 0 is not a page of the format */
    expect_reject("z80_bad_page_number", zx_load_z80, g_buf, n, "page number 0");
    g_buf[86 + 2] = 19;
    expect_reject("z80_page_number_past_18", zx_load_z80, g_buf, n, "page number 19");
    memcpy(g_buf, g_file, n);
    g_buf[86] = 0xfe, g_buf[87] = 0xfe; /* page length far past the end */
    expect_reject("z80_bad_page_length", zx_load_z80, g_buf, n, "claims");
    memcpy(g_buf, g_file, n);
    memcpy(g_buf + n, g_file + 86, 3 + (g_file[86] | g_file[87] << 8));
    expect_reject("z80_duplicate_page", zx_load_z80, g_buf, n + 3 + (g_file[86] | g_file[87] << 8), "twice");
    /* uncompressed v1 with a byte too many */
    memset(g_buf, 0, 30 + 49153);
    g_buf[6] = 0x00, g_buf[7] = 0x80;
    expect_reject("z80_v1_oversized", zx_load_z80, g_buf, 30 + 49153, "too large");
    /* compressed v1 whose run overflows RAM */
    size_t o = 30;
    g_buf[12] = 0x20;
    for (int k = 0; k < 193; k++) g_buf[o++] = 0xed, g_buf[o++] = 0xed, g_buf[o++] = 255, g_buf[o++] = 1;
    expect_reject("z80_v1_run_overflows", zx_load_z80, g_buf, o, "overflows");
}

/* An SZX file: header, CRTR, Z80R, SPCR, RAMP x3 (page 2 compressed). */
static size_t make_szx(uint8_t *out, bool compress_page2, bool real_deflate) {
    size_t o = 0;
    memcpy(out, "ZXST\x01\x04\x01\x00", 8);
    o = 8;
    memcpy(out + o, "CRTR\x25\x00\x00\x00", 8);
    o += 8;
    memset(out + o, 0, 37);
    memcpy(out + o, "test_media", 10);
    o += 37;
    memcpy(out + o, "Z80R\x25\x00\x00\x00", 8);
    o += 8;
    uint8_t *r = out + o;
    memset(r, 0, 37);
    for (int i = 0; i < 24; i++) r[i] = (uint8_t)(0x11 * (i + 1));
    r[22] = 0x00, r[23] = 0x80; /* PC */
    r[24] = 0x3f, r[25] = 0x42, r[26] = 1, r[27] = 1, r[28] = 1;
    r[29] = 0x10, r[30] = 0x27; /* 10000 T */
    r[34] = 2;                  /* halted */
    o += 37;
    memcpy(out + o, "SPCR\x08\x00\x00\x00\x03\x00\x00\x13\x00\x00\x00\x00", 16);
    o += 16;
    static const uint8_t pages[3] = {5, 2, 0};
    for (int k = 0; k < 3; k++) {
        uint8_t page[16384];
        for (int i = 0; i < 16384; i++) page[i] = (uint8_t)(pages[k] * 16 + i % 13);
        memcpy(out + o, "RAMP", 4);
        uint8_t *hdr = out + o + 4;
        o += 8;
        size_t body;
        if (k == 1 && compress_page2) {
            out[o] = 1, out[o + 1] = 0, out[o + 2] = pages[k];
            if (real_deflate) {
                memcpy(out + o + 3, k_zlib_page, sizeof k_zlib_page);
                body = 3 + sizeof k_zlib_page;
            } else {
                body = 3 + zlib_stored(page, sizeof page, out + o + 3);
            }
        } else {
            out[o] = 0, out[o + 1] = 0, out[o + 2] = pages[k];
            memcpy(out + o + 3, page, sizeof page);
            body = 3 + sizeof page;
        }
        hdr[0] = (uint8_t)body, hdr[1] = (uint8_t)(body >> 8), hdr[2] = hdr[3] = 0;
        o += body;
    }
    return o;
}

static void test_szx(void) {
    char err[256];
    size_t n = make_szx(g_buf, true, true);
    static zx_t b;
    zx_init(&b, &(zx_desc_t){.rom = k_rom, .rom_size = sizeof k_rom});
    bool ok = zx_load(&b, g_buf, n, "snap.szx", err, sizeof err);
    bool page_ok = ok && !memcmp(zx_bank(&b, 5) + 0x4000, "ZX SPECTRUM 48K ", 16) && zx_bank(&b, 5)[0] == 5 * 16;
    CHECK("szx_load_compressed_ramp", page_ok && b.cpu.pc == 0x8000 && b.cpu.tstates == 10000 && b.border == 3 &&
          b.cpu.halted == 1 && b.cpu.im == 1 && b.cpu.r == 0x42, "ok=%d %s pc=%04x t=%u", ok, err, b.cpu.pc, b.cpu.tstates);

    n = make_szx(g_buf, true, false);
    size_t cuts[] = {0, 7, 8, 12, 60, 100, n - 1};
    make_state(&g_zx, 7);
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "szx_truncated_at_%zu", cuts[i]);
        expect_reject(name, zx_load_szx, g_buf, cuts[i], NULL);
    }
    static uint8_t f[60000];
    memcpy(f, g_buf, n);
    f[0] = 'Y';
    expect_reject("szx_bad_signature", zx_load_szx, f, n, "signature");
    memcpy(f, g_buf, n);
    f[4] = 2;
    expect_reject("szx_bad_major_version", zx_load_szx, f, n, "major version");
    memcpy(f, g_buf, n);
    f[6] = 2;
    expect_reject("szx_128k_header_with_48k_pages", zx_load_szx, f, n, "RAM page 1 missing");
    memcpy(f, g_buf, n);
    f[6] = 10;
    expect_reject("szx_unsupported_machine", zx_load_szx, f, n, "machine id 10 (Scorpion ZS-256) is not supported");
    memcpy(f, g_buf, n);
    f[8 + 4] = 0xff, f[8 + 5] = 0xff; /* CRTR length past the end */
    expect_reject("szx_bad_block_length", zx_load_szx, f, n, "claims");
    memcpy(f, g_buf, n);
    f[n - 1] ^= 0x55; /* last page is stored: flip it and mark it compressed instead */
    size_t last = n - 16384 - 3;
    f[last] = 1;
    expect_reject("szx_bad_compressed_page", zx_load_szx, f, n, "RAM page 0");
    memcpy(f, g_buf, n);
    size_t p2 = 8 + 45 + 45 + 16 + 8 + 16387 + 8; /* body of the compressed RAMP */
    f[p2 + 3 + 10] ^= 0xff; /* corrupt the stored data: Adler-32 catches it */
    expect_reject("szx_ramp_checksum", zx_load_szx, f, n, "checksum");
    memcpy(f, g_buf, n);
    memcpy(f + 8 + 45, "XXXX", 4); /* no Z80R */
    expect_reject("szx_missing_registers", zx_load_szx, f, n, "Z80R");
    expect_reject("szx_missing_page", zx_load_szx, g_buf, n - 16384 - 3 - 8, "page 0 missing");
}

/* --- every model, at the zx_snap_t level */

static zx_snap_t g_snap, g_back;
static uint8_t g_snapfile[SNAP_MAX_SIZE], g_snapfile2[SNAP_MAX_SIZE];

/* Distinct state: each bank's bytes carry its number (so a bank stored in
 * the wrong place shows), with zero runs and ED bytes for the Z80
 * compressor; ports, AY and T-state within the model's frame. */
static void make_snap(zx_snap_t *s, unsigned model, uint8_t paged, uint32_t seed) {
    memset(s, 0, sizeof *s);
    s->model = (uint8_t)model;
    uint32_t x = seed;
    for (unsigned bank = 0; bank < SNAP_RAM_BANKS; bank++) {
        bool used = snap_is_128k(model) || bank == 5 || bank == 2 || bank == 0;
        for (unsigned i = 0; used && i < SNAP_BANK_SIZE; i++) {
            x = x * 1103515245u + 12345u;
            s->ram[bank][i] = (i % 4096 < 300) ? (uint8_t)(0x10 * bank) : (i % 97 < 3) ? 0xed
                                                                                        : (uint8_t)((x >> 16) ^ bank);
        }
        if (used) memcpy(s->ram[bank], "BANKx", 5), s->ram[bank][4] = (uint8_t)('0' + bank);
    }
    s->af = 0x1234, s->bc = 0x2345, s->de = 0x3456, s->hl = 0x4567;
    s->af_ = 0x5678, s->bc_ = 0x6789, s->de_ = 0x789a, s->hl_ = 0x89ab;
    s->ix = 0x9abc, s->iy = 0xabcd, s->sp = 0xbff0, s->pc = 0x8123, s->wz = 0x4242;
    s->i = 0x3f, s->r = 0xc5, s->iff1 = s->iff2 = 1, s->im = 2;
    s->border = 3, s->last_fe = 0x13, s->issue2 = 1;
    s->halted = 1;
    s->tstates = snap_frame_tstates(model) - 1 - seed % 1000; /* the frame's last quarter */
    if (snap_is_128k(model)) {
        s->port_7ffd = (uint8_t)(0x18 | paged); /* ROM 1, shadow screen, the given bank */
        s->has_ay = 1;
        s->ay_select = 0x0e;
        for (int k = 0; k < 16; k++) s->ay_regs[k] = (uint8_t)(0xa0 + k * 3);
    }
    if (model == SNAP_MODEL_PLUS2A || model == SNAP_MODEL_PLUS3) s->port_1ffd = 0x04; /* +3: ROM high bit, motor off */
}

/* What a format keeps: SZX everything; Z80 all but WZ, HALT, the EI delay
 * and last_fe (it keeps the border); SNA 128K no model (128K), T-state,
 * 0x1FFD, AY, IFF1 (IFF2 stands for both) or issue 2. */
enum { KEEP_ALL = 0, KEEP_Z80 = 1, KEEP_SNA128 = 2 };

static const char *snap_diff(const zx_snap_t *a, const zx_snap_t *b, int keep) {
#define DIFF(f) if (a->f != b->f) return #f
    DIFF(af); DIFF(bc); DIFF(de); DIFF(hl); DIFF(af_); DIFF(bc_); DIFF(de_); DIFF(hl_);
    DIFF(ix); DIFF(iy); DIFF(sp); DIFF(pc); DIFF(i); DIFF(r); DIFF(iff2); DIFF(im);
    DIFF(border); DIFF(port_7ffd);
    if (keep != KEEP_SNA128) {
        DIFF(model); DIFF(iff1); DIFF(tstates); DIFF(issue2); DIFF(port_1ffd); DIFF(has_ay); DIFF(ay_select);
        if (memcmp(a->ay_regs, b->ay_regs, 16)) return "ay_regs";
    } else if (b->model != (a->model == SNAP_MODEL_48K ? SNAP_MODEL_48K : SNAP_MODEL_128K)) {
        return "model";
    }
    if (keep == KEEP_ALL) {
        DIFF(wz); DIFF(halted); DIFF(ei_delay); DIFF(last_fe);
    }
#undef DIFF
    for (unsigned bank = 0; bank < SNAP_RAM_BANKS; bank++)
        if (memcmp(a->ram[bank], b->ram[bank], SNAP_BANK_SIZE)) {
            static char name[16];
            snprintf(name, sizeof name, "ram[%u]", bank);
            return name;
        }
    return NULL;
}

typedef size_t (*snap_saver_t)(const zx_snap_t *, uint8_t *, size_t);
typedef bool (*snap_loader_t)(zx_snap_t *, const uint8_t *, size_t, char *, size_t);

static const struct {
    const char *name;
    snap_saver_t save;
    snap_loader_t load;
    int keep;
} k_formats[3] = {
    {"sna", snap_save_sna, snap_load_sna, KEEP_SNA128},
    {"z80", snap_save_z80, snap_load_z80, KEEP_Z80},
    {"szx", snap_save_szx, snap_load_szx, KEEP_ALL},
};

static void test_snap_roundtrips_every_model(void) {
    for (int f = 0; f < 3; f++)
        for (unsigned model = 0; model < SNAP_MODEL_COUNT; model++)
            for (uint8_t paged = 3; paged <= 5; paged += 2) { /* bank 3: short SNA; bank 5: stored twice */
                if (model == SNAP_MODEL_48K && paged == 5) continue;
                char name[96], err[256] = "stale message"; /* a loader starts its message afresh */
                snprintf(name, sizeof name, "%s_roundtrip_%s_bank%u", k_formats[f].name, snap_model_name(model), paged);
                make_snap(&g_snap, model, paged, model * 7 + paged);
                if (f == 0 && model == SNAP_MODEL_48K) {
                    /* SNA keeps one interrupt flag, no T-state, no issue 2,
                     * and PC in the two stack bytes below SP */
                    g_snap.iff1 = g_snap.iff2, g_snap.tstates = 0, g_snap.issue2 = 0;
                    *snap_ram48(&g_snap, (uint16_t)(g_snap.sp - 2)) = (uint8_t)g_snap.pc;
                    *snap_ram48(&g_snap, (uint16_t)(g_snap.sp - 1)) = (uint8_t)(g_snap.pc >> 8);
                }
                size_t n = k_formats[f].save(&g_snap, g_snapfile, sizeof g_snapfile);
                bool ok = n > 0 && k_formats[f].load(&g_back, g_snapfile, n, err, sizeof err);
                int keep = f == 0 && model == SNAP_MODEL_48K ? KEEP_Z80 : k_formats[f].keep;
                const char *diff = ok ? snap_diff(&g_snap, &g_back, keep) : "load failed";
                /* save -> load -> save is byte-exact */
                size_t n2 = ok ? k_formats[f].save(&g_back, g_snapfile2, sizeof g_snapfile2) : 0;
                bool same = n2 == n && !memcmp(g_snapfile, g_snapfile2, n);
                CHECK(name, ok && !diff && same && !err[0], "n=%zu n2=%zu differs in %s; %s", n, n2, diff ? diff : "file", err);
            }
}

/* Every saver, every model, incompressible RAM: within SNAP_MAX_SIZE, and
 * a buffer one byte short is refused rather than overrun. */
static void test_snap_max_size(void) {
    for (int f = 0; f < 3; f++)
        for (unsigned model = 0; model < SNAP_MODEL_COUNT; model++) {
            make_snap(&g_snap, model, 5, 99);
            uint32_t x = 7;
            for (unsigned bank = 0; bank < SNAP_RAM_BANKS; bank++)
                for (unsigned i = 0; i < SNAP_BANK_SIZE; i++) {
                    x = x * 1103515245u + 12345u;
                    g_snap.ram[bank][i] = (i & 1) ? 0xed : (uint8_t)(x >> 16); /* ED every other byte: compression grows it */
                }
            size_t n = k_formats[f].save(&g_snap, g_snapfile, sizeof g_snapfile);
            size_t short_by_one = n ? k_formats[f].save(&g_snap, g_snapfile2, n - 1) : 1;
            char name[64];
            snprintf(name, sizeof name, "%s_max_size_%s", k_formats[f].name, snap_model_name(model));
            CHECK(name, n > 0 && n <= SNAP_MAX_SIZE && short_by_one == 0, "n=%zu (max %d) short=%zu", n, SNAP_MAX_SIZE, short_by_one);
        }
}

/* --- hand-built Z80 files: one per hardware value, v2 and v3 */

/* A v2/v3 header with the given hardware byte and flags, then the model's
 * pages stored (0xFFFF length) with bank b filled with 0x40 + b. */
static size_t make_z80_hw(uint8_t *out, unsigned ext, uint8_t hw, uint8_t b37, bool pages128) {
    size_t o = 32 + ext;
    memset(out, 0, o);
    out[0] = 0x12, out[8] = 0x00, out[9] = 0xc0; /* A, SP */
    out[29] = 1;                                 /* IM 1 */
    out[30] = (uint8_t)ext;
    out[32] = 0x34, out[33] = 0x12; /* PC 0x1234 */
    out[34] = hw, out[35] = 0x17, out[37] = b37, out[38] = 0x07;
    for (int k = 0; k < 16; k++) out[39 + k] = (uint8_t)(0x80 + k);
    if (ext >= 54) out[55] = 0x10, out[56] = 0x00, out[57] = 0; /* low counter 16, high 0 */
    if (ext == 55) out[86] = 0x05;
    static const uint8_t pages48[3] = {8, 4, 5};
    unsigned count = pages128 ? 8 : 3;
    for (unsigned k = 0; k < count; k++) {
        uint8_t page = pages128 ? (uint8_t)(3 + k) : pages48[k];
        out[o] = 0xff, out[o + 1] = 0xff, out[o + 2] = page;
        memset(out + o + 3, 0x40 + page, SNAP_BANK_SIZE);
        o += 3 + SNAP_BANK_SIZE;
    }
    return o;
}

static void test_z80_hardware_values(void) {
    static const struct {
        unsigned ext;
        uint8_t hw, b37;
        int model; /* -1: refused */
        const char *why;
    } cases[] = {
        {23, 0, 0, SNAP_MODEL_48K, NULL}, {23, 1, 0, SNAP_MODEL_48K, NULL},
        {23, 2, 0, -1, "SamRam"},
        {23, 3, 0, SNAP_MODEL_128K, NULL}, {23, 4, 0, SNAP_MODEL_128K, NULL},
        {23, 3, 0x80, SNAP_MODEL_PLUS2, NULL},
        {23, 7, 0, SNAP_MODEL_PLUS3, NULL}, {23, 8, 0, SNAP_MODEL_PLUS3, NULL},
        {23, 7, 0x80, SNAP_MODEL_PLUS2A, NULL},
        {23, 9, 0, SNAP_MODEL_PENTAGON, NULL}, {23, 12, 0, SNAP_MODEL_PLUS2, NULL}, {23, 13, 0, SNAP_MODEL_PLUS2A, NULL},
        {23, 5, 0, -1, "unknown"}, {23, 10, 0, -1, "Scorpion"},
        {54, 0, 0, SNAP_MODEL_48K, NULL}, {54, 1, 0, SNAP_MODEL_48K, NULL}, {54, 3, 0, SNAP_MODEL_48K, NULL},
        {54, 0, 0x04, SNAP_MODEL_48K, NULL}, /* 48K with an AY (xzx) */
        {54, 2, 0, -1, "SamRam"}, /* 16K (hardware 0, bit 7): test_lenient_snapshots */
        {54, 4, 0, SNAP_MODEL_128K, NULL}, {54, 5, 0, SNAP_MODEL_128K, NULL}, {54, 6, 0, SNAP_MODEL_128K, NULL},
        {54, 4, 0x80, SNAP_MODEL_PLUS2, NULL}, {54, 12, 0, SNAP_MODEL_PLUS2, NULL},
        {54, 13, 0, SNAP_MODEL_PLUS2A, NULL}, {54, 7, 0x80, SNAP_MODEL_PLUS2A, NULL}, {55, 13, 0, SNAP_MODEL_PLUS2A, NULL},
        {54, 7, 0, SNAP_MODEL_PLUS3, NULL}, {55, 7, 0, SNAP_MODEL_PLUS3, NULL}, {55, 8, 0, SNAP_MODEL_PLUS3, NULL},
        {54, 9, 0, SNAP_MODEL_PENTAGON, NULL}, {55, 9, 0, SNAP_MODEL_PENTAGON, NULL},
        {54, 11, 0, -1, "Didaktik"}, {54, 14, 0, -1, "TC2048"}, {55, 128, 0, -1, "TS2068"},
    };
    static uint8_t file[32 + 55 + 8 * 16387];
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        unsigned ext = cases[c].ext, version = ext == 23 ? 2 : 3;
        bool pages128 = cases[c].model > SNAP_MODEL_48K;
        size_t n = make_z80_hw(file, ext, cases[c].hw, cases[c].b37, pages128);
        char name[96], err[256] = "";
        snprintf(name, sizeof name, "z80_v%u_hw%u%s%s", version, cases[c].hw, cases[c].b37 & 0x80 ? "_modified" : "",
                 ext == 55 ? "_ext55" : "");
        bool ok = snap_load_z80(&g_back, file, n, err, sizeof err);
        if (cases[c].model < 0) {
            CHECK(name, !ok && strstr(err, cases[c].why), "ok=%d \"%s\" (want \"%s\")", ok, err, cases[c].why);
            continue;
        }
        unsigned model = (unsigned)cases[c].model;
        bool banks = true;
        for (unsigned bank = 0; bank < SNAP_RAM_BANKS; bank++) {
            unsigned page = pages128 ? bank + 3 : bank == 5 ? 8 : bank == 2 ? 4 : bank == 0 ? 5 : 0;
            uint8_t want = page ? (uint8_t)(0x40 + page) : 0;
            banks = banks && g_back.ram[bank][0] == want && g_back.ram[bank][SNAP_BANK_SIZE - 1] == want;
        }
        /* T-state counter: low 16, high 0 = the second quarter of the model's frame */
        uint32_t q = snap_frame_tstates(model) / 4, want_t = version == 3 ? q + q - 1 - 16 : 0;
        bool has_ay = pages128 || cases[c].b37 & 0x04;
        bool ports = g_back.port_7ffd == (pages128 ? 0x17 : 0) &&
                     g_back.port_1ffd == (ext == 55 && (model == SNAP_MODEL_PLUS3 || model == SNAP_MODEL_PLUS2A) ? 0x05 : 0);
        bool ay = g_back.has_ay == has_ay && (!has_ay || (g_back.ay_select == 7 && g_back.ay_regs[15] == 0x8f));
        CHECK(name, ok && g_back.model == model && banks && g_back.tstates == want_t && ports && ay && g_back.pc == 0x1234,
              "ok=%d %s model=%u (want %u) banks=%d t=%u (want %u) 7ffd=%02x 1ffd=%02x ay=%d", ok, err, g_back.model, model, banks,
              g_back.tstates, want_t, g_back.port_7ffd, g_back.port_1ffd, ay);
    }

    /* impossible 128K files */
    char err[256] = "";
    size_t n = make_z80_hw(file, 54, 4, 0, true);
    bool ok = snap_load_z80(&g_back, file, n - 16387, err, sizeof err);
    CHECK("z80_128k_bank_missing", !ok && strstr(err, "page 10 (bank 7) missing"), "ok=%d %s", ok, err);
    file[32 + 54 + 2] = 11; /* the first page: 11 is a ROM page (Multiface), skipped as libspectrum does */
    ok = snap_load_z80(&g_back, file, n, err, sizeof err);
    CHECK("z80_128k_rom_page_skipped_bank_then_missing", !ok && strstr(err, "page 3 (bank 0) missing"), "ok=%d %s", ok, err);
    n = make_z80_hw(file, 54, 4, 0, false); /* a 128K header with the 48K's pages */
    ok = snap_load_z80(&g_back, file, n, err, sizeof err);
    CHECK("z80_128k_with_48k_pages", !ok && strstr(err, "missing"), "ok=%d %s", ok, err);
    n = make_z80_hw(file, 54, 9, 0, true);
    file[55] = 0x00, file[56] = 0x46; /* 17920: beyond a Pentagon quarter frame (17920 T) */
    ok = snap_load_z80(&g_back, file, n, err, sizeof err);
    uint32_t t_beyond = g_back.tstates;
    file[55] = 0xff, file[56] = 0x45; /* 17919: the last T-state of the quarter */
    bool ok_last = snap_load_z80(&g_back, file, n, err, sizeof err);
    /* out of range: starts at the interrupt (libspectrum); in range: kept */
    CHECK("z80_tstate_counter_per_model", ok && t_beyond == 0 && ok_last && g_back.tstates == 17920, "ok=%d t=%u ok_last=%d t=%u", ok,
          t_beyond, ok_last, g_back.tstates);
}

/* --- hand-built SNA 128K files, both sizes */

static size_t make_sna128(uint8_t *out, uint8_t paged, bool long_form, uint8_t trdos) {
    memset(out, 0, 27);
    out[23] = 0x00, out[24] = 0x80; /* SP 0x8000 */
    out[25] = 1, out[26] = 2;       /* IM 1, border 2 */
    size_t o = 27;
    uint8_t order[9] = {5, 2, paged};
    unsigned count = 3;
    for (uint8_t bank = 0; bank < 8; bank++)
        if (bank != 5 && bank != 2 && bank != paged) order[count++] = bank;
    if (long_form && count == 8) order[count++] = 0; /* padding a reader must ignore */
    for (unsigned k = 0; k < count; k++) {
        if (k == 3) out[o++] = 0x21, out[o++] = 0x43, out[o++] = (uint8_t)(0x10 | paged), out[o++] = trdos;
        memset(out + o, 0x60 + order[k], SNAP_BANK_SIZE);
        o += SNAP_BANK_SIZE;
    }
    return o;
}

static void test_sna_128k_files(void) {
    static uint8_t file[SNA_128K_LONG_SIZE + 16];
    for (uint8_t paged = 0; paged < 8; paged++) {
        bool twice = paged == 2 || paged == 5;
        size_t n = make_sna128(file, paged, twice, 0);
        char name[64], err[256] = "";
        snprintf(name, sizeof name, "sna_128k_bank%u_paged_%zu_bytes", paged, n);
        bool ok = snap_load_sna(&g_back, file, n, err, sizeof err);
        bool banks = true;
        for (unsigned bank = 0; bank < 8; bank++)
            banks = banks && g_back.ram[bank][0] == 0x60 + bank && g_back.ram[bank][SNAP_BANK_SIZE - 1] == 0x60 + bank;
        CHECK(name, ok && n == (twice ? SNA_128K_LONG_SIZE : SNA_128K_SIZE) && g_back.model == SNAP_MODEL_128K && banks &&
              g_back.pc == 0x4321 && g_back.sp == 0x8000 && g_back.port_7ffd == (0x10 | paged) && !err[0],
              "ok=%d n=%zu model=%u banks=%d pc=%04x sp=%04x %s", ok, n, g_back.model, banks, g_back.pc, g_back.sp, err);
    }
    char err[256] = "";
    size_t n = make_sna128(file, 5, true, 0) - SNAP_BANK_SIZE; /* bank 7 cut off */
    bool ok = snap_load_sna(&g_back, file, n, err, sizeof err);
    CHECK("sna_128k_twice_stored_bank_missing", !ok && n == SNA_128K_SIZE && strstr(err, "bank is missing"), "ok=%d n=%zu %s", ok, n, err);
    n = make_sna128(file, 2, true, 0);
    file[27 + 2 * SNAP_BANK_SIZE + 100] ^= 1;
    ok = snap_load_sna(&g_back, file, n, err, sizeof err);
    CHECK("sna_128k_twice_stored_bank_differs", !ok && strstr(err, "different contents"), "ok=%d %s", ok, err);
    n = make_sna128(file, 3, true, 0);
    err[0] = 0;
    ok = snap_load_sna(&g_back, file, n, err, sizeof err);
    CHECK("sna_128k_long_form_extra_bank_warned", ok && n == SNA_128K_LONG_SIZE && g_back.ram[7][0] == 0x67 && strstr(err, "ignored"),
          "ok=%d n=%zu %s", ok, n, err);
    n = make_sna128(file, 0, false, 1);
    err[0] = 0;
    ok = snap_load_sna(&g_back, file, n, err, sizeof err);
    CHECK("sna_128k_trdos_paged_is_pentagon", ok && g_back.model == SNAP_MODEL_PENTAGON && strstr(err, "TR-DOS"), "ok=%d model=%u %s", ok,
          g_back.model, err);
    static const size_t bad_sizes[] = {SNA_48K_SIZE + 1, SNA_128K_SIZE - 1, SNA_128K_SIZE + 1, SNA_128K_LONG_SIZE - 1, SNA_128K_LONG_SIZE + 1};
    bool all_fail = true;
    for (size_t k = 0; k < sizeof bad_sizes / sizeof bad_sizes[0]; k++) {
        memset(file, 0, bad_sizes[k]);
        file[23] = 0, file[24] = 0x80;
        if (snap_load_sna(&g_back, file, bad_sizes[k], err, sizeof err) || !strstr(err, "SNA")) all_fail = false;
    }
    CHECK("sna_sizes_between_the_forms_refused", all_fail, "a file of an impossible size loaded (%s)", err);
}

/* --- SZX of the 128K models: RAMP stored and compressed, AY, SPCR */

static size_t szx_block(uint8_t *out, size_t o, const char id[4], const uint8_t *data, uint32_t size) {
    memcpy(out + o, id, 4);
    out[o + 4] = (uint8_t)size, out[o + 5] = (uint8_t)(size >> 8), out[o + 6] = (uint8_t)(size >> 16), out[o + 7] = 0;
    memcpy(out + o + 8, data, size);
    return o + 8 + size;
}

/* An SZX of `machine_id` with pages 0..pages-1 (odd pages zlib-compressed
 * as stored deflate blocks, page 4 as real deflate from k_zlib_page when
 * `real_deflate`), Z80R at T-state `t`, SPCR, and an AY block. */
static size_t make_szx128(uint8_t *out, uint8_t machine_id, unsigned pages, bool real_deflate, uint32_t t) {
    memcpy(out, "ZXST\x01\x04", 6);
    out[6] = machine_id, out[7] = 0;
    size_t o = 8;
    uint8_t z80r[37] = {0};
    z80r[22] = 0x00, z80r[23] = 0xc0; /* PC */
    z80r[28] = 1;
    z80r[29] = (uint8_t)t, z80r[30] = (uint8_t)(t >> 8), z80r[31] = (uint8_t)(t >> 16);
    o = szx_block(out, o, "Z80R", z80r, sizeof z80r);
    static const uint8_t spcr[8] = {4, 0x1b, 0x05, 0x14, 0, 0, 0, 0};
    o = szx_block(out, o, "SPCR", spcr, sizeof spcr);
    uint8_t ay[18] = {0, 0x0d};
    for (int k = 0; k < 16; k++) ay[2 + k] = (uint8_t)(0x30 + k);
    o = szx_block(out, o, "AY\0\0", ay, sizeof ay);
    static uint8_t body[3 + SNAP_BANK_SIZE + 64], page[SNAP_BANK_SIZE];
    for (unsigned p = 0; p < pages; p++) {
        memset(page, 0x70 + p, sizeof page);
        page[p * 7] = 0xee; /* not a single run */
        size_t len;
        body[2] = (uint8_t)p;
        if (p == 4 && real_deflate) {
            body[0] = 1, body[1] = 0;
            memcpy(body + 3, k_zlib_page, sizeof k_zlib_page);
            len = 3 + sizeof k_zlib_page;
        } else if (p & 1) {
            body[0] = 1, body[1] = 0;
            len = 3 + zlib_stored(page, sizeof page, body + 3);
        } else {
            body[0] = 0, body[1] = 0;
            memcpy(body + 3, page, sizeof page);
            len = 3 + sizeof page;
        }
        o = szx_block(out, o, "RAMP", body, (uint32_t)len);
    }
    return o;
}

static void test_szx_128k_files(void) {
    static uint8_t file[8 + 200 + 9 * (8 + 3 + 16384 + 64)]; /* room for a ninth page */
    static const struct { uint8_t id; unsigned model; } ids[] = {
        {2, SNAP_MODEL_128K}, {3, SNAP_MODEL_PLUS2}, {4, SNAP_MODEL_PLUS2A}, {5, SNAP_MODEL_PLUS3}, {7, SNAP_MODEL_PENTAGON},
    };
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
        for (int real = 0; real < 2; real++) {
            size_t n = make_szx128(file, ids[k].id, 8, real, 70000);
            char name[64], err[256] = "";
            snprintf(name, sizeof name, "szx_id%u_%s_ramp_%s", ids[k].id, snap_model_name(ids[k].model), real ? "deflate" : "stored");
            bool ok = snap_load_szx(&g_back, file, n, err, sizeof err);
            bool banks = true;
            for (unsigned p = 0; p < 8; p++) {
                if (p == 4 && real) {
                    banks = banks && !memcmp(g_back.ram[4] + 0x4000 - 16, "ZX SPECTRUM 48K ", 16);
                    continue;
                }
                banks = banks && g_back.ram[p][0] == (p ? 0x70 + p : 0xee) && g_back.ram[p][p * 7] == 0xee &&
                        g_back.ram[p][SNAP_BANK_SIZE - 1] == 0x70 + p;
            }
            bool plus3 = ids[k].model == SNAP_MODEL_PLUS2A || ids[k].model == SNAP_MODEL_PLUS3;
            CHECK(name, ok && g_back.model == ids[k].model && banks && g_back.port_7ffd == 0x1b && g_back.port_1ffd == (plus3 ? 5 : 0) &&
                  g_back.border == 4 && g_back.last_fe == 0x14 && g_back.has_ay && g_back.ay_select == 0x0d && g_back.ay_regs[15] == 0x3f &&
                  g_back.tstates == 70000 && g_back.pc == 0xc000,
                  "ok=%d %s model=%u banks=%d 7ffd=%02x 1ffd=%02x t=%u", ok, err, g_back.model, banks, g_back.port_7ffd, g_back.port_1ffd,
                  g_back.tstates);
        }
    }
    char err[256] = "";
    size_t n = make_szx128(file, 2, 7, false, 100);
    bool ok = snap_load_szx(&g_back, file, n, err, sizeof err);
    CHECK("szx_128k_bank_missing", !ok && strstr(err, "RAM page 7 missing"), "ok=%d %s", ok, err);
    n = make_szx128(file, 2, 8, false, 70908);
    ok = snap_load_szx(&g_back, file, n, err, sizeof err);
    CHECK("szx_tstate_beyond_128k_frame_starts_at_0", ok && g_back.tstates == 0, "ok=%d t=%u %s", ok, g_back.tstates, err);
    n = make_szx128(file, 7, 8, false, 71679);
    ok = snap_load_szx(&g_back, file, n, err, sizeof err);
    CHECK("szx_tstate_within_pentagon_frame", ok && g_back.tstates == 71679, "ok=%d %s", ok, err);
    n = make_szx128(file, 6, 8, false, 100);
    ok = snap_load_szx(&g_back, file, n, err, sizeof err);
    CHECK("szx_plus3e_refused", !ok && strstr(err, "+3e"), "ok=%d %s", ok, err);
    n = make_szx128(file, 2, 8, false, 100);
    static uint8_t page8[3 + SNAP_BANK_SIZE];
    page8[2] = 8;
    n = szx_block(file, n, "RAMP", page8, sizeof page8);
    ok = snap_load_szx(&g_back, file, n, err, sizeof err);
    bool intact = true; /* the zero-filled page 8 landed nowhere */
    for (unsigned p = 0; p < 8; p++) intact = intact && g_back.ram[p][SNAP_BANK_SIZE - 1] == 0x70 + p;
    CHECK("szx_128k_page_8_skipped", ok && intact, "ok=%d intact=%d %s", ok, intact, err);

    /* our saver's 48K SZX loads in the 48K machine exactly as the SNA it came from */
    make_state(&g_zx, 12);
    static zx_t from_sna, from_szx;
    n = zx_save_sna(&g_zx, g_file, sizeof g_file);
    zx_init(&from_sna, &(zx_desc_t){.rom = k_rom, .rom_size = sizeof k_rom});
    zx_init(&from_szx, &(zx_desc_t){.rom = k_rom, .rom_size = sizeof k_rom});
    ok = zx_load_sna(&from_sna, g_file, n, err, sizeof err) && snap_load_sna(&g_snap, g_file, n, err, sizeof err);
    size_t m = ok ? snap_save_szx(&g_snap, g_snapfile, sizeof g_snapfile) : 0;
    ok = m > 0 && zx_load(&from_szx, g_snapfile, m, "x.szx", err, sizeof err);
    CHECK("szx_saved_48k_loads_in_the_machine",
          ok && same_regs(&from_sna, &from_szx) && !memcmp(zx_bank(&from_sna, 5), zx_bank(&from_szx, 5), ZX_RAM_SIZE) && from_szx.cpu.pc == g_zx.cpu.pc,
          "ok=%d %s", ok, err);
    zx_discard(&from_sna);
    zx_discard(&from_szx);
}

/* The 48K machine refuses every 128K snapshot, saying why, unchanged. */
static void test_machine_refuses_128k(void) {
    make_state(&g_zx, 13);
    for (int f = 0; f < 3; f++) {
        make_snap(&g_snap, SNAP_MODEL_128K, 3, 1);
        size_t n = k_formats[f].save(&g_snap, g_snapfile, sizeof g_snapfile);
        char name[64];
        snprintf(name, sizeof name, "machine48_refuses_128k_%s", k_formats[f].name);
        static const char *const hints[3] = {"x.sna", "x.z80", "x.szx"};
        char err[256] = "";
        memcpy(&g_before, &g_zx, sizeof g_zx);
        bool ok = zx_load(&g_zx, g_snapfile, n, hints[f], err, sizeof err);
        bool same = memcmp(&g_before, &g_zx, sizeof g_zx) == 0;
        CHECK(name, !ok && same && strstr(err, "128K snapshot needs a 128K machine"), "ok=%d unchanged=%d %s", ok, same, err);
    }
}

/* --- leniency: what real files carry and Fuse's libspectrum loads */

/* Loads into g_zx; reports a failure (with the message) under `name`. */
static bool expect_load(const char *name, bool (*load)(zx_t *, const uint8_t *, size_t, char *, size_t),
                        const uint8_t *data, size_t len) {
    char err[256] = "";
    bool ok = load(&g_zx, data, len, err, sizeof err);
    if (!ok) CHECK(name, false, "refused: %s", err);
    return ok;
}

/* Appends a Z80 v2/v3 page block of 16384 stored bytes. */
static size_t z80_add_page(uint8_t *f, size_t n, uint8_t page, uint8_t fill) {
    f[n] = 0xff, f[n + 1] = 0xff, f[n + 2] = page;
    memset(f + n + 3, fill, 16384);
    return n + 3 + 16384;
}

/* Appends an SZX RAMP block of `len` stored bytes. */
static size_t szx_add_page(uint8_t *f, size_t n, uint8_t page, uint8_t fill, uint32_t len) {
    memcpy(f + n, "RAMP", 4);
    uint32_t size = 3 + len;
    f[n + 4] = (uint8_t)size, f[n + 5] = (uint8_t)(size >> 8), f[n + 6] = (uint8_t)(size >> 16), f[n + 7] = 0;
    f[n + 8] = 0, f[n + 9] = 0, f[n + 10] = page;
    memset(f + n + 11, fill, len);
    return n + 11 + len;
}

static void test_lenient_snapshots(void) {
    /* Z80: interrupt mode 3 in bits 0-1 of byte 29 (a well-known game's
     * snapshot has it). libspectrum keeps it; Fuse stops only if an
     * interrupt comes in that mode; here it is IM 1 (media_util.h). The
     * other bits of the byte still count: 0xC7 is IM 3, issue 2, joystick 3. */
    make_state(&g_zx, 11);
    size_t n = zx_save_z80(&g_zx, g_file, sizeof g_file);
    memcpy(g_buf, g_file, n);
    g_buf[29] = 0xc7;
    if (expect_load("z80_interrupt_mode_3_loads", zx_load_z80, g_buf, n))
        CHECK("z80_interrupt_mode_3_loads", g_zx.cpu.im == 1 && g_zx.issue2 && g_zx.cpu.pc == 0x8123,
              "im=%u issue2=%d pc=%04x", g_zx.cpu.im, g_zx.issue2, g_zx.cpu.pc);
    /* the same in a version 1 file (PC in the header, RAM stored) */
    memset(g_buf, 0, 30 + 49152);
    g_buf[6] = 0x00, g_buf[7] = 0x90, g_buf[29] = 3, g_buf[30 + 0x5000] = 0x77;
    if (expect_load("z80_v1_interrupt_mode_3_loads", zx_load_z80, g_buf, 30 + 49152))
        CHECK("z80_v1_interrupt_mode_3_loads", g_zx.cpu.im == 1 && g_zx.cpu.pc == 0x9000 && zx_bank(&g_zx, 5)[0x5000] == 0x77,
              "im=%u pc=%04x", g_zx.cpu.im, g_zx.cpu.pc);

    /* Z80: a ROM page (3 is the 48K ROM) and a 128K RAM page (6) are
     * skipped, as libspectrum does; the 48K pages load unchanged. */
    make_state(&g_zx, 12);
    static zx_t want;
    memcpy(&want, &g_zx, sizeof want);
    n = zx_save_z80(&g_zx, g_file, sizeof g_file);
    memcpy(g_buf, g_file, n);
    size_t m = z80_add_page(g_buf, n, 3, 0x11);
    m = z80_add_page(g_buf, m, 6, 0x22);
    make_state(&g_zx, 13);
    if (expect_load("z80_rom_and_128k_pages_skipped", zx_load_z80, g_buf, m))
        CHECK("z80_rom_and_128k_pages_skipped", !memcmp(zx_bank(&g_zx, 5), zx_bank(&want, 5), ZX_RAM_SIZE) && same_regs(&g_zx, &want),
              "RAM or registers differ");
    /* ...but a skipped page's data must still be whole */
    expect_reject("z80_skipped_page_truncated", zx_load_z80, g_buf, m - 100, "page 6 truncated");

    /* Z80: a T-state counter out of range starts the machine at the
     * interrupt (libspectrum: "Stop broken files from causing trouble"). */
    memcpy(g_buf, g_file, n);
    g_buf[55] = 0xff, g_buf[56] = 0xff;
    if (expect_load("z80_bad_tstate_counter_starts_at_0", zx_load_z80, g_buf, n))
        CHECK("z80_bad_tstate_counter_starts_at_0", g_zx.cpu.tstates == 0, "t=%u", g_zx.cpu.tstates);

    /* Z80: a 16K snapshot (bit 7 of byte 37, only page 8) runs on the 48K
     * with the upper 32K reading 0xFF. Pages are 8, 4, 5 in this file. */
    memcpy(g_buf, g_file, n);
    g_buf[37] |= 0x80;
    size_t page8 = 3 + (size_t)(g_buf[86] | g_buf[87] << 8);
    CHECK("z80_16k_first_page_is_8", g_buf[88] == 8, "first page %u", g_buf[88]);
    if (expect_load("z80_16k_snapshot_loads", zx_load_z80, g_buf, 86 + page8)) {
        bool upper_ff = true;
        for (size_t i = 0x4000; i < ZX_RAM_SIZE; i++) upper_ff = upper_ff && zx_bank(&g_zx, 5)[i] == 0xff;
        CHECK("z80_16k_snapshot_loads", upper_ff && !memcmp(zx_bank(&g_zx, 5), zx_bank(&want, 5), 0x4000), "RAM wrong");
    }
    expect_reject("z80_48k_page_missing", zx_load_z80, g_file, 86 + page8, "page 4 missing");

    /* SNA: only the low bits of the IM and border bytes mean anything
     * (libspectrum's sna.c masks them); IM 3 is IM 1 as above. */
    make_state(&g_zx, 14);
    n = zx_save_sna(&g_zx, g_file, sizeof g_file);
    memcpy(g_buf, g_file, n);
    g_buf[25] = 3, g_buf[26] = 0x0b;
    if (expect_load("sna_interrupt_mode_3_and_border_high_bits", zx_load_sna, g_buf, n))
        CHECK("sna_interrupt_mode_3_and_border_high_bits", g_zx.cpu.im == 1 && g_zx.border == 3, "im=%u border=%u",
              g_zx.cpu.im, g_zx.border);
    g_buf[25] = 0x42;
    if (expect_load("sna_interrupt_mode_high_bits", zx_load_sna, g_buf, n))
        CHECK("sna_interrupt_mode_high_bits", g_zx.cpu.im == 2, "im=%u", g_zx.cpu.im);

    /* SZX (libspectrum's szx.c): any IM byte, a T-state past the frame,
     * RAM pages a 48K lacks, a page or Z80R block repeated (the last one
     * counts) and a stored page with bytes to spare all load. */
    static uint8_t f[120000];
    n = make_szx(f, false, false);
    size_t z80r = 8 + 45 + 8;
    f[z80r + 28] = 3;
    f[z80r + 29] = 0x70, f[z80r + 30] = 0x11, f[z80r + 31] = 0x01; /* 70000 T */
    if (expect_load("szx_im_3_and_tstates_past_frame", zx_load_szx, f, n))
        CHECK("szx_im_3_and_tstates_past_frame", g_zx.cpu.im == 1 && g_zx.cpu.tstates == 0, "im=%u t=%u", g_zx.cpu.im,
              g_zx.cpu.tstates);
    f[z80r + 28] = 1;
    m = szx_add_page(f, n, 7, 0x33, 16384);  /* a 128K page */
    m = szx_add_page(f, m, 5, 0x44, 16384);  /* page 5 again: the last copy counts */
    m = szx_add_page(f, m, 0, 0x55, 16390);  /* stored page with 6 bytes to spare */
    memcpy(f + m, f + z80r - 8, 8 + 37);     /* Z80R again, PC changed */
    f[m + 8 + 22] = 0x34, f[m + 8 + 23] = 0x12;
    m += 8 + 37;
    if (expect_load("szx_extra_repeated_and_oversized_blocks", zx_load_szx, f, m))
        CHECK("szx_extra_repeated_and_oversized_blocks",
              zx_bank(&g_zx, 5)[0] == 0x44 && zx_bank(&g_zx, 5)[0x3fff] == 0x44 && zx_bank(&g_zx, 5)[0x8000] == 0x55 && g_zx.cpu.pc == 0x1234,
              "ram[4000]=%02x ram[C000]=%02x pc=%04x", zx_bank(&g_zx, 5)[0], zx_bank(&g_zx, 5)[0x8000], g_zx.cpu.pc);
    expect_reject("szx_short_stored_page", zx_load_szx, f, szx_add_page(f, n, 2, 0x66, 16000), "16000 bytes");
}

/* --- tapes */

static size_t make_tap(uint8_t *out) {
    /* a header block and a 16-byte data block, as SAVE "test" CODE would write */
    uint8_t hdr[19] = {0x00, 3, 't', 'e', 's', 't', ' ', ' ', ' ', ' ', ' ', ' ', 16, 0, 0x00, 0x80, 0, 0};
    uint8_t data[18];
    data[0] = 0xff;
    for (int i = 0; i < 16; i++) data[1 + i] = (uint8_t)(i * 17);
    uint8_t x = 0;
    for (int i = 0; i < 18; i++) x ^= hdr[i];
    hdr[18] = x;
    x = 0;
    for (int i = 0; i < 17; i++) x ^= data[i];
    data[17] = x;
    const uint8_t *blocks[2] = {hdr, data};
    size_t lens[2] = {19, 18};
    return tape_write_tap(out, 200, blocks, lens, 2);
}

static size_t make_tzx(uint8_t *out, bool with_unknown) {
    size_t o = 0;
    memcpy(out, "ZXTape!\x1a\x01\x14", 10);
    o = 10;
    out[o++] = 0x30, out[o++] = 4, memcpy(out + o, "demo", 4), o += 4;           /* text */
    out[o++] = 0x21, out[o++] = 2, out[o++] = 'g', out[o++] = '1';                /* group start */
    out[o++] = 0x10, out[o++] = 0xe8, out[o++] = 0x03, out[o++] = 3, out[o++] = 0; /* standard: 3 bytes */
    out[o++] = 0xff, out[o++] = 0x42, out[o++] = 0xbd;
    out[o++] = 0x22;                                                              /* group end */
    out[o++] = 0x11;                                                              /* turbo */
    static const uint8_t turbo[18] = {0x78, 0x08, 0x9b, 0x02, 0xdf, 0x02, 0x57, 0x03, 0xae, 0x06, 0x10, 0x00, 8, 0x00, 0x00, 2, 0, 0};
    memcpy(out + o, turbo, 18), o += 18;
    out[o++] = 0x00, out[o++] = 0x00;
    out[o++] = 0x12, out[o++] = 0x78, out[o++] = 0x08, out[o++] = 4, out[o++] = 0; /* pure tone */
    out[o++] = 0x13, out[o++] = 2, out[o++] = 0x9b, out[o++] = 0x02, out[o++] = 0xdf, out[o++] = 0x02;
    out[o++] = 0x14, out[o++] = 0x57, out[o++] = 0x03, out[o++] = 0xae, out[o++] = 0x06, out[o++] = 4;
    out[o++] = 0x00, out[o++] = 0x00, out[o++] = 1, out[o++] = 0, out[o++] = 0, out[o++] = 0xf0;
    out[o++] = 0x24, out[o++] = 3, out[o++] = 0;                                  /* loop x3 */
    out[o++] = 0x12, out[o++] = 100, out[o++] = 0, out[o++] = 2, out[o++] = 0;
    out[o++] = 0x25;
    if (with_unknown) { /* an id the spec does not define, skipped by its dword length */
        out[o++] = 0x4b, out[o++] = 3, out[o++] = 0, out[o++] = 0, out[o++] = 0, out[o++] = 1, out[o++] = 2, out[o++] = 3;
    }
    out[o++] = 0x32, out[o++] = 3, out[o++] = 0, out[o++] = 1, out[o++] = 0, out[o++] = 0; /* archive info */
    out[o++] = 0x20, out[o++] = 0xe8, out[o++] = 0x03;                            /* pause */
    out[o++] = 0x2a, out[o++] = 0, out[o++] = 0, out[o++] = 0, out[o++] = 0;      /* stop if 48K */
    return o;
}

static void test_tapes(void) {
    char err[256];
    tape_t t;
    size_t n = make_tap(g_buf);
    bool ok = tape_parse(&t, g_buf, n, "a.tap", err, sizeof err);
    CHECK("tap_parse", ok && t.block_count == 2 && t.blocks[0].count == TAPE_STD_PILOT_HEADER &&
          t.blocks[1].count == TAPE_STD_PILOT_DATA && t.blocks[1].data_len == 18 && err[0] == 0,
          "ok=%d blocks=%u err=%s", ok, ok ? t.block_count : 0, err);
    if (ok) tape_free(&t);

    make_state(&g_zx, 8);
    expect_reject("tap_truncated_length", load_tap, g_buf, 1, "truncated");
    expect_reject("tap_truncated_block", load_tap, g_buf, n - 1, "claims");
    expect_reject("tap_empty", load_tap, g_buf, 0, "empty");
    g_buf[n - 1] ^= 1;
    ok = tape_parse(&t, g_buf, n, "a.tap", err, sizeof err);
    CHECK("tap_bad_checksum_is_a_warning", ok && strstr(err, "checksum"), "ok=%d err=%s", ok, err);
    if (ok) tape_free(&t);

    n = make_tzx(g_buf, false);
    ok = tape_parse(&t, g_buf, n, NULL, err, sizeof err);
    static const uint8_t kinds[] = {TAPE_INFO, TAPE_INFO, TAPE_DATA, TAPE_INFO, TAPE_DATA, TAPE_TONE, TAPE_PULSES,
                                    TAPE_DATA, TAPE_LOOP_START, TAPE_TONE, TAPE_LOOP_END, TAPE_INFO, TAPE_PAUSE, TAPE_STOP_48K};
    bool kinds_ok = ok && t.block_count == sizeof kinds;
    for (uint32_t i = 0; kinds_ok && i < t.block_count; i++) kinds_ok = t.blocks[i].kind == kinds[i];
    CHECK("tzx_parse_all_block_types", kinds_ok && err[0] == 0, "ok=%d count=%u err=%s", ok, ok ? t.block_count : 0, err);
    CHECK("tzx_turbo_fields", kinds_ok && t.blocks[4].pilot == 2168 && t.blocks[4].count == 16 && t.blocks[4].data_len == 2 &&
          !t.blocks[4].rom_std && t.blocks[2].rom_std && t.blocks[2].pause_ms == 1000 && t.blocks[7].used_bits == 4,
          "fields wrong");
    if (ok) tape_free(&t);

    n = make_tzx(g_buf, true);
    ok = tape_parse(&t, g_buf, n, NULL, err, sizeof err);
    CHECK("tzx_unknown_block_skipped_with_warning", ok && strstr(err, "0x4B") && t.block_count == sizeof kinds + 1,
          "ok=%d err=%s", ok, err);
    if (ok) tape_free(&t);

    make_state(&g_zx, 9);
    /* mid-block cuts only: a cut between blocks is a valid shorter tape
     * (blocks start at 10, 16, 20, 28, 29, 50, 55, 61, 72, 75, 80, 81, 89, 95, 98) */
    size_t cuts[] = {0, 5, 9, 11, 17, 24, 30, 60, 78, 85, n - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "tzx_truncated_at_%zu", cuts[i]);
        expect_reject(name, load_tape, g_buf, cuts[i], NULL);
    }
    static uint8_t f[512];
    memcpy(f, g_buf, n);
    f[0] = 'X';
    expect_reject("tzx_bad_signature", load_tape, f, n, "signature");
    memcpy(f, g_buf, n);
    f[8] = 2;
    expect_reject("tzx_bad_major_version", load_tape, f, n, "major version");
    memcpy(f, g_buf, n);
    f[10 + 6 + 4 + 3] = 0xff; /* standard block's length */
    expect_reject("tzx_bad_block_length", load_tape, f, n, "claims");

    /* Used bits 0 or over 8 (libspectrum's tzx_read.c): 0 means the last
     * byte is not part of the data, over 8 means 8. */
    size_t turbo_used = 10 + 6 + 4 + 8 + 1 + 1 + 12;
    memcpy(f, g_buf, n);
    f[turbo_used] = 0;
    ok = tape_parse(&t, f, n, NULL, err, sizeof err);
    CHECK("tzx_used_bits_0_drops_last_byte", ok && t.blocks[4].used_bits == 8 && t.blocks[4].data_len == 1,
          "ok=%d err=%s", ok, err);
    if (ok) tape_free(&t);
    f[turbo_used] = 9;
    ok = tape_parse(&t, f, n, NULL, err, sizeof err);
    CHECK("tzx_used_bits_over_8_is_8", ok && t.blocks[4].used_bits == 8 && t.blocks[4].data_len == 2, "ok=%d err=%s", ok,
          err);
    if (ok) tape_free(&t);

    /* A loop inside a loop (the spec forbids it) plays as libspectrum
     * plays it: the inner start replaces the outer, whose end is a stray
     * loop end; both are reported. */
    size_t o = 0;
    memcpy(f, "ZXTape!\x1a\x01\x14", 10), o = 10;
    f[o++] = 0x24, f[o++] = 2, f[o++] = 0;
    f[o++] = 0x24, f[o++] = 3, f[o++] = 0;
    f[o++] = 0x12, f[o++] = 100, f[o++] = 0, f[o++] = 2, f[o++] = 0;
    f[o++] = 0x25;
    f[o++] = 0x25;
    ok = tape_parse(&t, f, o, NULL, err, sizeof err);
    CHECK("tzx_nested_loop_plays_inner", ok && t.block_count == 5 && t.blocks[1].kind == TAPE_LOOP_START &&
          t.blocks[1].count == 3 && t.blocks[3].kind == TAPE_LOOP_END && t.blocks[4].kind == TAPE_INFO &&
          strstr(err, "loop inside a loop") && strstr(err, "loop end without loop start"), "ok=%d err=%s", ok, err);
    if (ok) tape_free(&t);

    /* still refused: a direct recording whose samples last no time */
    memcpy(f, "ZXTape!\x1a\x01\x14", 10), o = 10;
    f[o++] = 0x15, f[o++] = 0, f[o++] = 0, f[o++] = 0, f[o++] = 0, f[o++] = 8, f[o++] = 1, f[o++] = 0, f[o++] = 0;
    f[o++] = 0xaa;
    expect_reject("tzx_direct_recording_zero_sample", load_tape, f, o, "zero T-states per sample");
}

/* What a file can make the tape parsers allocate (tape.h TAPE_MAX_*): a
 * TZX of one-byte blocks once grew the block list by doubling without
 * bound (10 MB of them took ~935 MB of Wasm heap). Now the blocks are
 * counted first and allocated once, at their number, up to a limit. */
static uint8_t *tzx_of_tiny_blocks(size_t blocks, size_t *len) {
    *len = 10 + blocks;
    uint8_t *f = malloc(*len);
    if (!f) return NULL;
    memcpy(f, "ZXTape!\x1a\x01\x14", 10);
    memset(f + 10, 0x22, blocks); /* group end: an id, no body */
    return f;
}

static void test_tape_limits(void) {
    char err[256];
    tape_t t;
    size_t len;
    /* Allocated exactly: the file's copy and one tape_block_t per block
     * (doubling from 16 would hold room for 262,144 blocks here). */
    uint8_t *f = tzx_of_tiny_blocks(200000, &len);
    size_t before = __sanitizer_get_current_allocated_bytes();
    bool ok = f && tape_parse(&t, f, len, NULL, err, sizeof err);
    size_t used = __sanitizer_get_current_allocated_bytes() - before;
    CHECK("tzx_blocks_allocated_exactly", ok && t.block_count == 200000 && used <= len + 200000 * sizeof(tape_block_t) + 64,
          "ok=%d blocks=%u allocated=%zu for %zu bytes + %zu blocks of %zu: %s", ok, ok ? t.block_count : 0, used, len,
          (size_t)200000, sizeof(tape_block_t), err);
    if (ok) tape_free(&t);
    free(f);

    f = tzx_of_tiny_blocks(TAPE_MAX_BLOCKS, &len);
    ok = f && tape_parse(&t, f, len, NULL, err, sizeof err);
    CHECK("tzx_max_blocks_load", ok && t.block_count == TAPE_MAX_BLOCKS, "ok=%d err=%s", ok, err);
    if (ok) tape_free(&t);
    free(f);

    f = tzx_of_tiny_blocks(TAPE_MAX_BLOCKS + 1, &len);
    before = __sanitizer_get_current_allocated_bytes();
    ok = f && tape_parse(&t, f, len, NULL, err, sizeof err);
    size_t left = __sanitizer_get_current_allocated_bytes() - before;
    CHECK("tzx_too_many_blocks_refused", !ok && strstr(err, "more than 262144 blocks") && left == 0 && t.blocks == NULL,
          "ok=%d left=%zu err=%s", ok, left, err);
    make_state(&g_zx, 12);
    if (f) expect_reject("tzx_too_many_blocks_machine_unchanged", load_tape, f, len, "blocks");
    free(f);

    /* TAP: one-byte blocks (length 1, a flag byte) */
    len = 3 * (size_t)(TAPE_MAX_BLOCKS + 1);
    f = malloc(len);
    for (size_t i = 0; f && i < len; i += 3) f[i] = 1, f[i + 1] = 0, f[i + 2] = 0xff;
    ok = f && tape_parse(&t, f, len, "x.tap", err, sizeof err);
    CHECK("tap_too_many_blocks_refused", !ok && strstr(err, "TAP: more than 262144 blocks"), "ok=%d err=%s", ok, err);
    ok = f && tape_parse(&t, f, len - 3, "x.tap", err, sizeof err);
    CHECK("tap_max_blocks_load", ok && t.block_count == TAPE_MAX_BLOCKS, "ok=%d err=%s", ok, err);
    if (ok) tape_free(&t);
    free(f);

    /* A file over the size limit is refused whatever it holds. */
    len = (size_t)TAPE_MAX_FILE_BYTES + 1;
    f = calloc(len, 1);
    if (f) memcpy(f, "ZXTape!\x1a\x01\x14", 10);
    before = __sanitizer_get_current_allocated_bytes();
    ok = f && tape_parse(&t, f, len, NULL, err, sizeof err);
    left = __sanitizer_get_current_allocated_bytes() - before;
    CHECK("tzx_over_size_limit_refused", !ok && strstr(err, "more than a tape may have (64 MB)") && left == 0,
          "ok=%d err=%s", ok, err);
    if (f) memset(f, 0, 10); /* no TZX signature: a TAP by its name */
    ok = f && tape_parse(&t, f, len, "x.tap", err, sizeof err);
    CHECK("tap_over_size_limit_refused", !ok && strstr(err, "TAP: the file has 67108865 bytes"), "ok=%d err=%s", ok, err);
    free(f);
}

static void write_corpus(const char *dir) {
    enum { SEEDS = 9 };
    struct { const char *name; size_t len; } files[SEEDS];
    static uint8_t bufs[SEEDS][SNAP_MAX_SIZE];
    make_state(&g_zx, 11);
    files[0].name = "seed.sna", files[0].len = zx_save_sna(&g_zx, bufs[0], sizeof bufs[0]);
    files[1].name = "seed.z80", files[1].len = zx_save_z80(&g_zx, bufs[1], sizeof bufs[1]);
    files[2].name = "seed.szx", files[2].len = make_szx(bufs[2], true, true);
    files[3].name = "seed.tap", files[3].len = make_tap(bufs[3]);
    files[4].name = "seed.tzx", files[4].len = make_tzx(bufs[4], true);
    files[5].name = "seed.zlib", files[5].len = sizeof k_zlib_dynamic;
    memcpy(bufs[5], k_zlib_dynamic, sizeof k_zlib_dynamic);
    /* 128K models: a +3 (both ports) for Z80, a 128K with bank 5 paged
     * (the long form) for SNA, a compressed Pentagon SZX */
    make_snap(&g_snap, SNAP_MODEL_PLUS3, 3, 5);
    files[6].name = "seed128.z80", files[6].len = snap_save_z80(&g_snap, bufs[6], sizeof bufs[6]);
    make_snap(&g_snap, SNAP_MODEL_128K, 5, 6);
    files[7].name = "seed128.sna", files[7].len = snap_save_sna(&g_snap, bufs[7], sizeof bufs[7]);
    files[8].name = "seed128.szx", files[8].len = make_szx128(bufs[8], 7, 8, true, 1000);
    for (int i = 0; i < SEEDS; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
        FILE *fp = fopen(path, "wb");
        bool ok = files[i].len && fp && fwrite(bufs[i], 1, files[i].len, fp) == files[i].len;
        if (fp) fclose(fp);
        CHECK(files[i].name, ok, "cannot write %s", path);
    }
}

int main(int argc, char **argv) {
    for (size_t i = 0; i < sizeof k_rom; i++) k_rom[i] = (uint8_t)(i * 7);
    if (argc > 1) {
        write_corpus(argv[1]);
        return failures ? 1 : 0;
    }
    test_inflate();
    test_roundtrips();
    test_corrupt_sna();
    test_corrupt_z80();
    test_szx();
    test_snap_roundtrips_every_model();
    test_snap_max_size();
    test_z80_hardware_values();
    test_sna_128k_files();
    test_szx_128k_files();
    test_machine_refuses_128k();
    test_lenient_snapshots();
    test_tapes();
    test_tape_limits();
    zx_discard(&g_zx);
    return failures ? 1 : 0;
}
