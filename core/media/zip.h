/*
 * zip.h: reads a ZIP archive (PKWARE APPNOTE: central directory, local
 * headers; stored and deflate entries) so that a tape or snapshot inside
 * one loads like the file itself. Only what a download of a Spectrum
 * program needs: no ZIP64, no encryption, no multi-disk archives; each is
 * refused with a message saying so.
 *
 *     zip_entry_t e;
 *     if (zip_is_archive(data, len) && zip_pick(data, len, is_loadable, "a tape", &e, &count, err, n)) {
 *         uint8_t *bytes; size_t size;
 *         if (zip_extract(data, len, &e, &bytes, &size, err, n)) { use(bytes, size, e.name); free(bytes); }
 *     }
 */
#ifndef MEDIA_ZIP_H
#define MEDIA_ZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest entry we inflate: far above any Spectrum tape or snapshot. */
enum { ZIP_MAX_ENTRY = 64u << 20, ZIP_NAME_MAX = 256 };

typedef struct {
    char name[ZIP_NAME_MAX];   /* the entry's path in the archive, NUL-terminated */
    uint16_t method;           /* 0 stored, 8 deflate */
    uint16_t flags;            /* general purpose bits (bit 0: encrypted) */
    uint32_t crc32;
    uint32_t packed_size, size;
    uint32_t local_offset;     /* of its local header */
} zip_entry_t;

/* True when the bytes start like a ZIP archive (a local header, or the end
 * record of an empty one). */
bool zip_is_archive(const uint8_t *data, size_t len);

/* Finds the first file (in central directory order) whose name `wanted`
 * accepts; *count receives how many it accepts in all. Directories and
 * macOS metadata (__MACOSX/, ._name) are passed over. Fails (with err) on a
 * damaged archive, or when no file is wanted: err then says the archive
 * holds no `what` and names (some of) the files it has. */
bool zip_pick(const uint8_t *data, size_t len, bool (*wanted)(const char *name), const char *what, zip_entry_t *out,
              unsigned *count, char *err, size_t errlen);

/* The entry's bytes in a new malloc'd buffer (the caller frees it), checked
 * against its CRC-32. Fails on encrypted entries, other methods, sizes over
 * ZIP_MAX_ENTRY, or damaged data. */
bool zip_extract(const uint8_t *data, size_t len, const zip_entry_t *e, uint8_t **bytes, size_t *size, char *err,
                 size_t errlen);

uint32_t zip_crc32(const uint8_t *p, size_t n);

#endif
