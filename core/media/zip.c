/*
 * zip.c: the ZIP container after PKWARE's APPNOTE.TXT (4.3.6 local file
 * header, 4.3.12 central directory header, 4.3.16 end of central directory
 * record). The central directory is the archive's index: names, methods,
 * sizes and CRCs come from it (a local header may defer them to a data
 * descriptor); the local header only tells where the data starts.
 */
#include "media/zip.h"

#include <stdlib.h>
#include <string.h>

#include "media/inflate.h"
#include "media/media_util.h"

enum {
    SIG_LOCAL = 0x04034b50,
    SIG_CENTRAL = 0x02014b50,
    SIG_END = 0x06054b50,
    SIG_END64_LOCATOR = 0x07064b50,
    LOCAL_SIZE = 30,
    CENTRAL_SIZE = 46,
    END_SIZE = 22,
    MAX_COMMENT = 0xffff,
    FLAG_ENCRYPTED = 1u << 0,
    FLAG_STRONG_ENCRYPTION = 1u << 6,
    METHOD_STORED = 0,
    METHOD_DEFLATE = 8,
};

bool zip_is_archive(const uint8_t *data, size_t len) {
    if (len < 4) return false;
    uint32_t sig = media_le32(data);
    return sig == SIG_LOCAL || (sig == SIG_END && len >= END_SIZE);
}

/* The end of central directory record: the last signature that leaves room
 * for its own comment (a comment may itself contain the signature bytes). */
static const uint8_t *_zip_find_end(const uint8_t *data, size_t len) {
    if (len < END_SIZE) return NULL;
    size_t lowest = len - END_SIZE > MAX_COMMENT ? len - END_SIZE - MAX_COMMENT : 0;
    for (size_t at = len - END_SIZE + 1; at-- > lowest;) {
        if (media_le32(data + at) == SIG_END && at + END_SIZE + media_le16(data + at + 20) <= len) return data + at;
    }
    return NULL;
}

static bool _zip_skipped(const char *name) {
    size_t n = strlen(name);
    if (n == 0 || name[n - 1] == '/') return true;   /* a directory */
    if (strncmp(name, "__MACOSX/", 9) == 0) return true;
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    return base[0] == '.' && base[1] == '_';          /* AppleDouble metadata */
}

/* Appends ", name" to a list in err while it has room for it and an ellipsis. */
static void _zip_list_name(char *list, size_t cap, const char *name, unsigned *listed, unsigned *more) {
    size_t used = strlen(list), need = strlen(name) + 2;
    if (used + need + 8 >= cap) {
        (*more)++;
        return;
    }
    if (used) strcat(list, ", ");
    strcat(list, name);
    (*listed)++;
}

bool zip_pick(const uint8_t *data, size_t len, bool (*wanted)(const char *name), const char *what, zip_entry_t *out,
              unsigned *count, char *err, size_t errlen) {
    *count = 0;
    const uint8_t *end = _zip_find_end(data, len);
    if (!end) return media_fail(err, errlen, "a damaged ZIP archive (its central directory is missing: truncated download?)");
    size_t end_at = (size_t)(end - data);
    if (end_at >= 20 && media_le32(end - 20) == SIG_END64_LOCATOR)
        return media_fail(err, errlen, "a ZIP64 archive, which is not supported (re-pack it as an ordinary ZIP)");
    if (media_le16(end + 4) != 0 || media_le16(end + 6) != 0 || media_le16(end + 8) != media_le16(end + 10))
        return media_fail(err, errlen, "a multi-part ZIP archive, which is not supported (join its parts first)");
    unsigned entries = media_le16(end + 10);
    uint32_t cd_size = media_le32(end + 12), cd_at = media_le32(end + 16);
    if (cd_at > end_at || cd_size > end_at - cd_at)
        return media_fail(err, errlen, "a damaged ZIP archive (its central directory lies outside the file)");

    char names[200] = "";
    unsigned listed = 0, more = 0, files = 0;
    bool found = false;
    size_t at = cd_at, cd_end = (size_t)cd_at + cd_size;
    for (unsigned i = 0; i < entries; i++) {
        if (at + CENTRAL_SIZE > cd_end || media_le32(data + at) != SIG_CENTRAL)
            return media_fail(err, errlen, "a damaged ZIP archive (entry %u of %u in its central directory is broken)", i + 1, entries);
        const uint8_t *h = data + at;
        size_t name_len = media_le16(h + 28);
        size_t next = at + CENTRAL_SIZE + name_len + media_le16(h + 30) + media_le16(h + 32);
        if (next > cd_end)
            return media_fail(err, errlen, "a damaged ZIP archive (entry %u of %u in its central directory is broken)", i + 1, entries);
        zip_entry_t e;
        size_t n = name_len < ZIP_NAME_MAX - 1 ? name_len : ZIP_NAME_MAX - 1;
        memcpy(e.name, h + CENTRAL_SIZE, n);
        e.name[n] = 0;
        for (size_t k = 0; k < n; k++)
            if (e.name[k] == 0 || e.name[k] == '\\') e.name[k] = e.name[k] ? '/' : '?';
        at = next;
        if (_zip_skipped(e.name)) continue;
        files++;
        if (!wanted(e.name)) {
            _zip_list_name(names, sizeof names, e.name, &listed, &more);
            continue;
        }
        if ((*count)++) continue;
        e.flags = media_le16(h + 8);
        e.method = media_le16(h + 10);
        e.crc32 = media_le32(h + 16);
        e.packed_size = media_le32(h + 20);
        e.size = media_le32(h + 24);
        e.local_offset = media_le32(h + 42);
        if (e.packed_size == 0xffffffffu || e.size == 0xffffffffu || e.local_offset == 0xffffffffu)
            return media_fail(err, errlen, "%s: a ZIP64 entry, which is not supported (re-pack it as an ordinary ZIP)", e.name);
        *out = e;
        found = true;
    }
    if (found) return true;
    if (!files) return media_fail(err, errlen, "the ZIP archive is empty (it holds no %s)", what);
    if (more) return media_fail(err, errlen, "the ZIP archive holds no %s; it has %s and %u more", what, names, more);
    return media_fail(err, errlen, "the ZIP archive holds no %s; it has %s", what, names);
}

bool zip_extract(const uint8_t *data, size_t len, const zip_entry_t *e, uint8_t **bytes, size_t *size, char *err,
                 size_t errlen) {
    *bytes = NULL;
    *size = 0;
    if (e->flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION))
        return media_fail(err, errlen, "%s in the ZIP archive is encrypted (password-protected archives are not supported: unpack it first)", e->name);
    if (e->method != METHOD_STORED && e->method != METHOD_DEFLATE)
        return media_fail(err, errlen, "%s in the ZIP archive is compressed with method %u (only stored and deflate are supported: re-pack it)", e->name, e->method);
    if (e->size > ZIP_MAX_ENTRY)
        return media_fail(err, errlen, "%s in the ZIP archive is %u bytes, more than the %u a Spectrum file can be", e->name, e->size, (unsigned)ZIP_MAX_ENTRY);
    size_t at = e->local_offset;
    if (at > len || len - at < LOCAL_SIZE || media_le32(data + at) != SIG_LOCAL)
        return media_fail(err, errlen, "a damaged ZIP archive (the local header of %s is missing)", e->name);
    size_t start = at + LOCAL_SIZE + media_le16(data + at + 26) + media_le16(data + at + 28);
    if (start > len || len - start < e->packed_size)
        return media_fail(err, errlen, "a damaged ZIP archive (%s is cut short: truncated download?)", e->name);
    if (e->method == METHOD_STORED && e->packed_size != e->size)
        return media_fail(err, errlen, "a damaged ZIP archive (%s is stored with two different sizes)", e->name);

    uint8_t *out = malloc(e->size ? e->size : 1);
    if (!out) return media_fail(err, errlen, "out of memory for %s (%u bytes)", e->name, e->size);
    size_t got = e->size;
    if (e->method == METHOD_STORED) {
        memcpy(out, data + start, e->size);
    } else {
        size_t used;
        inflate_result_t r = inflate_raw(data + start, e->packed_size, out, e->size, &got, &used);
        if (r != INFLATE_OK || got != e->size) {
            free(out);
            const char *why = r == INFLATE_OK ? "it is shorter than its header says"
                            : r == INFLATE_OVERFLOW ? "it is longer than its header says" : inflate_strerror(r);
            return media_fail(err, errlen, "a damaged ZIP archive (%s does not unpack: %s)", e->name, why);
        }
    }
    if (zip_crc32(out, got) != e->crc32) {
        free(out);
        return media_fail(err, errlen, "a damaged ZIP archive (%s fails its CRC-32 check)", e->name);
    }
    *bytes = out;
    *size = got;
    return true;
}

uint32_t zip_crc32(const uint8_t *p, size_t n) {
    static uint32_t table[256];
    if (!table[1]) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
    }
    uint32_t c = 0xffffffffu;
    while (n--) c = table[(c ^ *p++) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}
