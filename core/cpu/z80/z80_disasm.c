/*
 * z80_disasm.c: expands the decoder's mnemonic templates (the mnemonic
 * column of core/cpu/z80/z80_ops.tab, with field and index-register names
 * already filled in by the generator). Placeholders left for run time:
 * @n imm8, @w imm16, @j relative jump target, @d signed displacement.
 */
#include "cpu/z80/z80_disasm.h"

#include <stdio.h>

void z80_disasm_insn(const z80_insn_t *in, char *out, size_t n) {
    size_t j = 0;
    if (!n) return;
    for (const char *s = in->mnemonic; *s && j + 1 < n; s++) {
        char tmp[16];
        const char *ins = NULL;
        if (*s == '@' && s[1]) {
            switch (*++s) {
            case 'n': snprintf(tmp, sizeof tmp, "$%02X", in->imm8); break;
            case 'w': snprintf(tmp, sizeof tmp, "$%04X", in->imm16); break;
            case 'j': snprintf(tmp, sizeof tmp, "$%04X", in->target); break;
            case 'd': snprintf(tmp, sizeof tmp, "%c%d", in->disp < 0 ? '-' : '+', in->disp < 0 ? -in->disp : in->disp); break;
            default: tmp[0] = '@'; tmp[1] = *s; tmp[2] = 0; break;
            }
            ins = tmp;
        }
        if (ins) {
            while (*ins && j + 1 < n) out[j++] = *ins++;
        } else {
            out[j++] = *s;
        }
    }
    out[j] = 0;
}

int z80_disasm_peek(z80_peek_fn peek, void *user, uint16_t pc, char *out, size_t n) {
    z80_insn_t in;
    int len = z80_decode_peek(peek, user, pc, &in);
    z80_disasm_insn(&in, out, n);
    return len;
}

int z80_disasm(uint16_t pc, const uint8_t *bytes, int nbytes, char *out, size_t n) {
    z80_insn_t in;
    int len = z80_decode(bytes, nbytes, pc, &in);
    z80_disasm_insn(&in, out, n);
    return len;
}
