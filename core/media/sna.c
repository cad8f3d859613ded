/*
 * sna.c: the 48K SNA snapshot (World of Spectrum "SNA format"): a 27-byte
 * register header and the 48K RAM image; PC is on the guest stack, as if
 * an NMI had just been taken.
 *
 * Header: 0 I, 1 HL', 3 DE', 5 BC', 7 AF', 9 HL, 11 DE, 13 BC, 15 IY,
 * 17 IX, 19 IFF2 in bit 2, 20 R, 21 AF, 23 SP, 25 IM, 26 border.
 *
 * As lenient as Fuse's libspectrum (sna.c): only the length and a stack
 * pointer that cannot hold PC make a file unloadable (docs/MEDIA.md).
 */
#include "media/media_util.h"
#include "media/snapshot.h"

#include <string.h>

enum { SNA_HEADER = 27, SNA_128K_SIZE = 131103, SNA_128K_SIZE_BIG = 147487 };

bool snap_load_sna(zx_snap_t *out, const uint8_t *d, size_t len, char *err, size_t errlen) {
    if (len == SNA_128K_SIZE || len == SNA_128K_SIZE_BIG)
        return media_fail(err, errlen, "128K SNA snapshots are not supported (this is a 48K machine)");
    if (len < SNA_48K_SIZE)
        return media_fail(err, errlen, "SNA truncated: %zu bytes, a 48K SNA has %d", len, SNA_48K_SIZE);
    if (len > SNA_48K_SIZE)
        return media_fail(err, errlen, "SNA too large: %zu bytes, a 48K SNA has %d", len, SNA_48K_SIZE);

    memset(out, 0, sizeof *out);
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
    /* Only the low bits mean anything, as libspectrum's sna.c reads them
     * (IM & 3, border & 7); a stray high bit loses nothing. */
    out->im = media_interrupt_mode(d[25] & 3);
    out->border = d[26] & 7;
    out->last_fe = d[26] & 7;
    memcpy(out->ram, d + SNA_HEADER, sizeof out->ram);

    /* Pop PC the way RETN would: the bytes may lie in ROM (SP < 0x4000),
     * which we cannot read here; such a file is malformed. */
    uint16_t sp = out->sp;
    if (sp < 0x4000 || sp == 0xffff)
        return media_fail(err, errlen, "SNA: stack pointer 0x%04X does not point into RAM, cannot pop PC", sp);
    out->pc = (uint16_t)(out->ram[sp - 0x4000] | out->ram[sp - 0x4000 + 1] << 8);
    out->sp = (uint16_t)(sp + 2);
    /* The machine cannot know where in the frame the snapshot was taken;
     * starting just after the interrupt is what every loader does. */
    out->tstates = 0;
    return true;
}

size_t snap_save_sna(const zx_snap_t *s, uint8_t *out, size_t cap) {
    if (cap < SNA_48K_SIZE) return 0;
    uint8_t *d = out;
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
    uint16_t sp = (uint16_t)(s->sp - 2);
    media_put16(d + 23, sp);
    d[25] = s->im;
    d[26] = s->border & 7;
    memcpy(d + SNA_HEADER, s->ram, sizeof s->ram);
    /* Push PC into the file's RAM image; bytes that would land in ROM are lost. */
    for (int k = 0; k < 2; k++) {
        uint16_t a = (uint16_t)(sp + k);
        if (a >= 0x4000) d[SNA_HEADER + a - 0x4000] = (uint8_t)(s->pc >> (8 * k));
    }
    return SNA_48K_SIZE;
}
