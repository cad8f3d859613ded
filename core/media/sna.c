/*
 * sna.c: the SNA snapshot, 48K and 128K (World of Spectrum "SNA format",
 * https://worldofspectrum.org/faq/reference/formats.htm; libspectrum's
 * sna.c reads and writes the same layout).
 *
 * Header (27 bytes): 0 I, 1 HL', 3 DE', 5 BC', 7 AF', 9 HL, 11 DE, 13 BC,
 * 15 IY, 17 IX, 19 IFF2 in bit 2, 20 R, 21 AF, 23 SP, 25 IM, 26 border.
 *
 * 48K (49179 bytes): the header and 0x4000-0xFFFF; PC is on the guest
 * stack, as if an NMI had just been taken.
 *
 * 128K (131103 or 147487 bytes): the header, banks 5, 2 and the bank paged
 * at 0xC000, then PC (word), the last byte written to 0x7FFD, a byte that
 * is 1 when the TR-DOS ROM was paged, then the remaining banks in ascending
 * order skipping 5, 2 and the paged one. When the paged bank is 2 or 5 it
 * is stored twice and six banks follow: the longer size. PC is not on the
 * stack.
 *
 * The 128K form names no model. libspectrum loads it as a Pentagon 128
 * (the format grew up on Pentagon emulators); we load it as the 128K,
 * which is what the format's own description documents and what most such
 * files were taken on, unless the TR-DOS byte says the Beta 128 disk
 * interface's ROM was paged: that interface is built into the Pentagon 128,
 * so the file was taken on one (or a clone).
 */
#include "media/media_util.h"
#include "media/snapshot.h"

#include <string.h>

enum {
    SNA_HEADER = 27,
    SNA_128K_EXTRA = 4, /* PC, 7FFD, TR-DOS */
    SNA_128K_EXTRA_AT = SNA_HEADER + 3 * SNAP_BANK_SIZE,
    SNA_128K_REST_AT = SNA_128K_EXTRA_AT + SNA_128K_EXTRA,
};

static void _sna_read_header(zx_snap_t *out, const uint8_t *d) {
    out->i = d[0];
    out->hl_ = media_le16(d + 1);
    out->de_ = media_le16(d + 3);
    out->bc_ = media_le16(d + 5);
    out->af_ = media_le16(d + 7);
    out->hl = media_le16(d + 9);
    out->de = media_le16(d + 11);
    out->bc = media_le16(d + 13);
    out->iy = media_le16(d + 15);
    out->ix = media_le16(d + 17);
    out->iff1 = out->iff2 = (d[19] >> 2) & 1; /* RETN after the NMI copies IFF2 to IFF1 */
    out->r = d[20];
    out->af = media_le16(d + 21);
    out->sp = media_le16(d + 23);
    out->im = d[25];
    out->border = d[26];
    out->last_fe = d[26];
    /* The machine cannot know where in the frame the snapshot was taken;
     * starting just after the interrupt is what every loader does. */
    out->tstates = 0;
}

static bool _sna_load_128k(zx_snap_t *out, const uint8_t *d, size_t len, char *err, size_t errlen) {
    const uint8_t *extra = d + SNA_128K_EXTRA_AT;
    unsigned paged = extra[2] & 7;
    bool twice = paged == 2 || paged == 5;
    if (twice && len != SNA_128K_LONG_SIZE)
        return media_fail(err, errlen,
                          "128K SNA: bank %u is paged at 0xC000, so it is stored twice and the file has %d bytes; "
                          "this one has %zu: a bank is missing",
                          paged, SNA_128K_LONG_SIZE, len);
    out->model = extra[3] ? SNAP_MODEL_PENTAGON : SNAP_MODEL_128K;
    out->has_ay = 1;
    out->pc = media_le16(extra);
    out->port_7ffd = extra[2];
    memcpy(out->ram[5], d + SNA_HEADER, SNAP_BANK_SIZE);
    memcpy(out->ram[2], d + SNA_HEADER + SNAP_BANK_SIZE, SNAP_BANK_SIZE);
    const uint8_t *third = d + SNA_HEADER + 2 * SNAP_BANK_SIZE;
    if (twice && memcmp(out->ram[paged], third, SNAP_BANK_SIZE) != 0)
        return media_fail(err, errlen, "128K SNA: bank %u is stored twice with different contents", paged);
    memcpy(out->ram[paged], third, SNAP_BANK_SIZE);
    const uint8_t *next = d + SNA_128K_REST_AT;
    for (unsigned bank = 0; bank < SNAP_RAM_BANKS; bank++) {
        if (bank == 2 || bank == 5 || bank == paged) continue;
        memcpy(out->ram[bank], next, SNAP_BANK_SIZE);
        next += SNAP_BANK_SIZE;
    }
    /* Like libspectrum, read a long file whose paged bank is not 2 or 5
     * and leave its last bank unread, but say so. */
    if (!twice && len == SNA_128K_LONG_SIZE)
        media_warn(err, errlen, "128K SNA: the last 16384 bytes are ignored (bank %u is paged, so the file should have %d bytes)",
                   paged, SNA_128K_SIZE);
    if (extra[3])
        media_warn(err, errlen, "128K SNA: the TR-DOS ROM was paged (byte %u); loading as a Pentagon 128, which has no disk here",
                   extra[3]);
    return true;
}

bool snap_load_sna(zx_snap_t *out, const uint8_t *d, size_t len, char *err, size_t errlen) {
    if (err && errlen) err[0] = 0; /* warnings are appended to it */
    if (len < SNA_48K_SIZE)
        return media_fail(err, errlen, "SNA truncated: %zu bytes, a 48K SNA has %d", len, SNA_48K_SIZE);
    if (len > SNA_48K_SIZE && len < SNA_128K_SIZE)
        return media_fail(err, errlen, "SNA too large: %zu bytes, a 48K SNA has %d (and a 128K SNA is truncated: it has %d or %d)",
                          len, SNA_48K_SIZE, SNA_128K_SIZE, SNA_128K_LONG_SIZE);
    if (len > SNA_128K_SIZE && len < SNA_128K_LONG_SIZE)
        return media_fail(err, errlen, "128K SNA: %zu bytes, a 128K SNA has %d or %d", len, SNA_128K_SIZE, SNA_128K_LONG_SIZE);
    if (len > SNA_128K_LONG_SIZE)
        return media_fail(err, errlen, "SNA too large: %zu bytes, the largest (128K) SNA has %d", len, SNA_128K_LONG_SIZE);
    if (d[25] > 2) return media_fail(err, errlen, "SNA: bad interrupt mode %u", d[25]);
    if (d[26] > 7) return media_fail(err, errlen, "SNA: bad border colour %u", d[26]);

    memset(out, 0, sizeof *out);
    _sna_read_header(out, d);
    if (len != SNA_48K_SIZE) return _sna_load_128k(out, d, len, err, errlen);

    out->model = SNAP_MODEL_48K;
    static const uint8_t banks48[3] = {5, 2, 0};
    for (int k = 0; k < 3; k++) memcpy(out->ram[banks48[k]], d + SNA_HEADER + k * SNAP_BANK_SIZE, SNAP_BANK_SIZE);
    /* Pop PC the way RETN would: the bytes may lie in ROM (SP < 0x4000),
     * which we cannot read here; such a file is malformed. */
    uint16_t sp = out->sp;
    if (sp < 0x4000 || sp == 0xffff)
        return media_fail(err, errlen, "SNA: stack pointer 0x%04X does not point into RAM, cannot pop PC", sp);
    out->pc = (uint16_t)(*snap_ram48(out, sp) | *snap_ram48(out, (uint16_t)(sp + 1)) << 8);
    out->sp = (uint16_t)(sp + 2);
    return true;
}

static void _sna_write_header(const zx_snap_t *s, uint16_t sp, uint8_t *d) {
    d[0] = s->i;
    media_put16(d + 1, s->hl_);
    media_put16(d + 3, s->de_);
    media_put16(d + 5, s->bc_);
    media_put16(d + 7, s->af_);
    media_put16(d + 9, s->hl);
    media_put16(d + 11, s->de);
    media_put16(d + 13, s->bc);
    media_put16(d + 15, s->iy);
    media_put16(d + 17, s->ix);
    d[19] = (uint8_t)(s->iff2 ? 0x04 : 0x00);
    d[20] = s->r;
    media_put16(d + 21, s->af);
    media_put16(d + 23, sp);
    d[25] = s->im;
    d[26] = s->border & 7;
}

static size_t _sna_save_128k(const zx_snap_t *s, uint8_t *d, size_t cap) {
    unsigned paged = s->port_7ffd & 7;
    size_t size = paged == 2 || paged == 5 ? SNA_128K_LONG_SIZE : SNA_128K_SIZE;
    if (cap < size) return 0;
    _sna_write_header(s, s->sp, d);
    memcpy(d + SNA_HEADER, s->ram[5], SNAP_BANK_SIZE);
    memcpy(d + SNA_HEADER + SNAP_BANK_SIZE, s->ram[2], SNAP_BANK_SIZE);
    memcpy(d + SNA_HEADER + 2 * SNAP_BANK_SIZE, s->ram[paged], SNAP_BANK_SIZE);
    uint8_t *extra = d + SNA_128K_EXTRA_AT;
    media_put16(extra, s->pc);
    extra[2] = s->port_7ffd;
    extra[3] = 0; /* TR-DOS ROM not paged: there is no Beta disk interface here */
    uint8_t *next = d + SNA_128K_REST_AT;
    for (unsigned bank = 0; bank < SNAP_RAM_BANKS; bank++) {
        if (bank == 2 || bank == 5 || bank == paged) continue;
        memcpy(next, s->ram[bank], SNAP_BANK_SIZE);
        next += SNAP_BANK_SIZE;
    }
    return size;
}

size_t snap_save_sna(const zx_snap_t *s, uint8_t *out, size_t cap) {
    if (snap_is_128k(s->model)) return _sna_save_128k(s, out, cap);
    if (cap < SNA_48K_SIZE) return 0;
    uint8_t *d = out;
    uint16_t sp = (uint16_t)(s->sp - 2);
    _sna_write_header(s, sp, d);
    static const uint8_t banks48[3] = {5, 2, 0};
    for (int k = 0; k < 3; k++) memcpy(d + SNA_HEADER + k * SNAP_BANK_SIZE, s->ram[banks48[k]], SNAP_BANK_SIZE);
    /* Push PC into the file's RAM image; bytes that would land in ROM are lost. */
    for (int k = 0; k < 2; k++) {
        uint16_t a = (uint16_t)(sp + k);
        if (a >= 0x4000) d[SNA_HEADER + a - 0x4000] = (uint8_t)(s->pc >> (8 * k));
    }
    return SNA_48K_SIZE;
}
