/*
 * test_zip.c: the ZIP container (core/media/zip.c) and loading through it
 * (zx_load, zx_detect_format, zx_snapshot_model). Archives are built here
 * byte by byte, stored or as a raw DEFLATE stream of stored blocks, so no
 * zlib is needed; tests/node/zip.test.mjs covers real deflated archives.
 *
 * With an argument, `test_zip DIR` writes seed.zip into DIR for the fuzz
 * target (tests/fuzz/run.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/zx/zx.h"
#include "media/zip.h"

#include "check.h"

typedef struct {
    const char *name;
    const uint8_t *data;
    size_t len;
    int method;          /* 0 stored, 8 deflate (as stored DEFLATE blocks), other: written as is */
    uint16_t flags;
    int bad_crc;
} entry_t;

static uint8_t g_zip[400000];

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v & 0xffff); put16(p + 2, v >> 16); }

/* The data as a raw DEFLATE stream of stored blocks (at most 65535 bytes each). */
static size_t deflate_stored(const uint8_t *in, size_t n, uint8_t *out) {
    size_t at = 0;
    do {
        size_t chunk = n > 65535 ? 65535 : n;
        out[at++] = chunk == n ? 1 : 0;   /* BFINAL, BTYPE 00 */
        put16(out + at, (unsigned)chunk);
        put16(out + at + 2, (unsigned)~chunk & 0xffff);
        at += 4;
        memcpy(out + at, in, chunk);
        at += chunk;
        in += chunk;
        n -= chunk;
    } while (n);
    return at;
}

static size_t make_zip(const entry_t *e, int count) {
    static uint8_t central[8192], packed[200000];
    size_t at = 0, cat = 0;
    for (int i = 0; i < count; i++) {
        size_t name_len = strlen(e[i].name), plen = e[i].len;
        const uint8_t *pdata = e[i].data;
        if (e[i].method == 8) {
            plen = deflate_stored(e[i].data, e[i].len, packed);
            pdata = packed;
        }
        uint32_t crc = zip_crc32(e[i].data, e[i].len) ^ (e[i].bad_crc ? 1u : 0u);
        uint8_t *l = g_zip + at;
        memset(l, 0, 30);
        put32(l, 0x04034b50);
        put16(l + 4, 20);
        put16(l + 6, e[i].flags);
        put16(l + 8, (unsigned)e[i].method);
        put32(l + 14, crc);
        put32(l + 18, (uint32_t)plen);
        put32(l + 22, (uint32_t)e[i].len);
        put16(l + 26, (unsigned)name_len);
        memcpy(l + 30, e[i].name, name_len);
        memcpy(l + 30 + name_len, pdata, plen);
        uint8_t *c = central + cat;
        memset(c, 0, 46);
        put32(c, 0x02014b50);
        put16(c + 4, 20);
        put16(c + 6, 20);
        put16(c + 8, e[i].flags);
        put16(c + 10, (unsigned)e[i].method);
        put32(c + 16, crc);
        put32(c + 20, (uint32_t)plen);
        put32(c + 24, (uint32_t)e[i].len);
        put16(c + 28, (unsigned)name_len);
        put32(c + 42, (uint32_t)at);
        memcpy(c + 46, e[i].name, name_len);
        cat += 46 + name_len;
        at += 30 + name_len + plen;
    }
    memcpy(g_zip + at, central, cat);
    uint8_t *end = g_zip + at + cat;
    memset(end, 0, 22);
    put32(end, 0x06054b50);
    put16(end + 8, (unsigned)count);
    put16(end + 10, (unsigned)count);
    put32(end + 12, (uint32_t)cat);
    put32(end + 16, (uint32_t)at);
    return at + cat + 22;
}

static bool is_tap(const char *name) {
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".tap") == 0;
}

static const uint8_t k_text[] = "not a tape";

/* A one-block TAP: a 19-byte header block for a BASIC program named "zip". */
static uint8_t k_tap[21];
static void make_tap(void) {
    uint8_t *b = k_tap + 2;
    put16(k_tap, 19);
    memset(b, 0, 19);
    b[0] = 0x00;  /* header flag */
    b[1] = 0x00;  /* program */
    memcpy(b + 2, "zip       ", 10);
    uint8_t x = 0;
    for (int i = 0; i < 18; i++) x ^= b[i];
    b[18] = x;
}

static bool is_one_of_them(const uint8_t *bytes, size_t size) {
    return (size == sizeof k_tap && !memcmp(bytes, k_tap, size)) || (size == sizeof k_text && !memcmp(bytes, k_text, size)) || size == 0;
}

static void test_pick_and_extract(void) {
    char err[256];
    zip_entry_t e;
    unsigned count;
    uint8_t *bytes;
    size_t size;
    entry_t entries[] = {
        {"readme.txt", k_text, sizeof k_text, 0, 0, 0},
        {"__MACOSX/._b.tap", k_text, sizeof k_text, 0, 0, 0},
        {"dir/", k_text, 0, 0, 0, 0},
        {"games/b.tap", k_tap, sizeof k_tap, 8, 0, 0},
        {"a.tap", k_tap, sizeof k_tap, 0, 0, 0},
    };
    size_t n = make_zip(entries, 5);
    bool ok = zip_is_archive(g_zip, n) && zip_pick(g_zip, n, is_tap, "tape", &e, &count, err, sizeof err);
    CHECK("zip_picks_first_wanted_skipping_metadata", ok && !strcmp(e.name, "games/b.tap") && count == 2, "ok=%d name=%s count=%u %s", ok, ok ? e.name : "", count, err);
    ok = ok && zip_extract(g_zip, n, &e, &bytes, &size, err, sizeof err);
    CHECK("zip_extracts_deflate", ok && size == sizeof k_tap && !memcmp(bytes, k_tap, size), "ok=%d size=%zu %s", ok, size, err);
    if (ok) free(bytes);

    entry_t none[] = {{"readme.txt", k_text, sizeof k_text, 0, 0, 0}, {"game.dsk", k_text, sizeof k_text, 0, 0, 0}};
    n = make_zip(none, 2);
    ok = zip_pick(g_zip, n, is_tap, "tape", &e, &count, err, sizeof err);
    CHECK("zip_nothing_wanted_names_its_files", !ok && strstr(err, "holds no tape; it has readme.txt, game.dsk"), "%s", err);

    n = make_zip(none, 0);
    ok = zip_is_archive(g_zip, n) && zip_pick(g_zip, n, is_tap, "tape", &e, &count, err, sizeof err);
    CHECK("zip_empty_archive", !ok && strstr(err, "is empty"), "%s", err);

    struct {
        const char *name;
        entry_t entry;
        const char *why;
    } bad[] = {
        {"zip_encrypted_refused", {"a.tap", k_tap, sizeof k_tap, 0, 1, 0}, "is encrypted"},
        {"zip_unknown_method_refused", {"a.tap", k_tap, sizeof k_tap, 14, 0, 0}, "compressed with method 14"},
        {"zip_bad_crc_refused", {"a.tap", k_tap, sizeof k_tap, 8, 0, 1}, "fails its CRC-32 check"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        n = make_zip(&bad[i].entry, 1);
        ok = zip_pick(g_zip, n, is_tap, "tape", &e, &count, err, sizeof err) && zip_extract(g_zip, n, &e, &bytes, &size, err, sizeof err);
        CHECK(bad[i].name, !ok && strstr(err, bad[i].why), "ok=%d %s", ok, err);
        if (ok) free(bytes);
    }

    /* Every truncation and every single-byte corruption fails cleanly or
     * extracts exactly one of the files put in (a corrupted name may make
     * another entry the first wanted one); ASan catches a stray read. */
    n = make_zip(entries, 5);
    static uint8_t copy[sizeof g_zip];
    bool clean = true;
    for (size_t cut = 0; cut < n; cut++) {
        if (zip_pick(g_zip, cut, is_tap, "tape", &e, &count, err, sizeof err) && zip_extract(g_zip, cut, &e, &bytes, &size, err, sizeof err)) {
            clean &= is_one_of_them(bytes, size);
            free(bytes);
        } else {
            clean &= err[0] != 0;
        }
    }
    for (size_t at = 0; at < n; at++) {
        memcpy(copy, g_zip, n);
        copy[at] ^= 0xa5;
        if (zip_pick(copy, n, is_tap, "tape", &e, &count, err, sizeof err) && zip_extract(copy, n, &e, &bytes, &size, err, sizeof err)) {
            clean &= is_one_of_them(bytes, size);
            free(bytes);
        } else {
            clean &= err[0] != 0;
        }
    }
    CHECK("zip_truncations_and_corruptions_fail_cleanly", clean, "a damaged archive extracted wrong bytes or failed silently");
}

static uint8_t k_rom[ZX_ROM_SIZE];

static void test_machine_loads_zip(void) {
    static zx_t zx, other;
    static uint8_t snap[ZX_SNAPSHOT_MAX], again[ZX_SNAPSHOT_MAX];
    char err[256] = "";
    zx_init(&zx, &(zx_desc_t){.rom = k_rom, .rom_size = sizeof k_rom});
    zx.cpu.pc = 0x8123;
    zx_bank(&zx, 2)[0x100] = 0x5a;
    size_t n = zx_save_z80(&zx, snap, sizeof snap);
    entry_t entries[] = {{"notes.txt", k_text, sizeof k_text, 0, 0, 0}, {"GAME.Z80", snap, n, 8, 0, 0}, {"side2.tap", k_tap, sizeof k_tap, 0, 0, 0}};
    size_t zn = make_zip(entries, 3);
    CHECK("zip_detects_as_its_file", zx_detect_format(g_zip, zn, "x.zip") == ZX_FMT_Z80, "format %d", zx_detect_format(g_zip, zn, "x.zip"));
    CHECK("zip_snapshot_model", zx_snapshot_model(g_zip, zn, "x.zip") == ZX_MODEL_48K, "model %d", zx_snapshot_model(g_zip, zn, "x.zip"));
    zx_init(&other, &(zx_desc_t){.rom = k_rom, .rom_size = sizeof k_rom});
    bool ok = zx_load(&other, g_zip, zn, "x.zip", err, sizeof err);
    size_t n2 = ok ? zx_save_z80(&other, again, sizeof again) : 0;
    CHECK("zip_loads_the_snapshot_inside", ok && n2 == n && !memcmp(snap, again, n), "ok=%d %s", ok, err);
    CHECK("zip_warns_which_of_several", ok && strstr(err, "holds 2 tapes or snapshots, loaded the first: GAME.Z80"), "%s", err);

    entries[1].bad_crc = 1;
    zn = make_zip(entries, 3);
    ok = zx_load(&other, g_zip, zn, "x.zip", err, sizeof err);
    CHECK("zip_bad_entry_fails_naming_it", !ok && strstr(err, "GAME.Z80 fails its CRC-32"), "%s", err);
    entry_t broken[] = {{"GAME.Z80", snap, 20, 0, 0, 0}};
    zn = make_zip(broken, 1);
    ok = zx_load(&other, g_zip, zn, "x.zip", err, sizeof err);
    n2 = zx_save_z80(&other, again, sizeof again);
    CHECK("zip_inner_error_prefixed_machine_unchanged", !ok && !strncmp(err, "GAME.Z80 in the ZIP archive: ", 29) && n2 == n && !memcmp(snap, again, n), "%s", err);
    zx_discard(&zx);
    zx_discard(&other);
}

int main(int argc, char **argv) {
    make_tap();
    if (argc > 1) {
        entry_t entries[] = {{"readme.txt", k_text, sizeof k_text, 8, 0, 0}, {"game.tap", k_tap, sizeof k_tap, 8, 0, 0}};
        size_t n = make_zip(entries, 2);
        char path[1024];
        snprintf(path, sizeof path, "%s/seed.zip", argv[1]);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(g_zip, 1, n, f) != n) return 1;
        fclose(f);
        return 0;
    }
    test_pick_and_extract();
    test_machine_loads_zip();
    return failures ? 1 : 0;
}
