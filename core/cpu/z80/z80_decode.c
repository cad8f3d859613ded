/*
 * z80_decode.c: decodes Z80 instructions with the per-opcode tables that
 * tools/gen_z80_tables.mjs generates from core/cpu/z80/z80_ops.tab (the
 * instruction set described once: mnemonic, T-states, operands, flags and
 * registers read and written, attributes). This file only walks the
 * prefixes and operand bytes and fills z80_insn_t from the table row.
 */
#include "cpu/z80/z80_decode.h"

#include <string.h>

#include "z80_ops_tables.h" /* build/gen, generated from z80_ops.tab */

/* The tables are static data; kept for callers that prepared them. */
void z80_decode_init(void) {}

/* ---- decoding ------------------------------------------------------- */

int z80_decode_peek(z80_peek_fn peek, void *user, uint16_t pc, z80_insn_t *out) {
    memset(out, 0, sizeof *out);
    out->pc = pc;
    int off = 0, extra_prefixes = 0, m1 = 1;
#define NEXT() peek(user, (uint16_t)(pc + off++))
    uint8_t op = NEXT();
    int group = Z80_GROUP_BASE;
    if (op == 0xdd || op == 0xfd) {
        /* only the last of a DD/FD chain counts; the others cost 4 T each */
        uint8_t next = peek(user, (uint16_t)(pc + off));
        while ((next == 0xdd || next == 0xfd) && off < 200) {
            op = next;
            off++;
            extra_prefixes++;
            m1++;
            next = peek(user, (uint16_t)(pc + off));
        }
        group = op == 0xdd ? Z80_GROUP_DD : Z80_GROUP_FD;
        op = NEXT();
        m1++;
        if (op == 0xcb) {
            /* DD CB d op: d and op are plain reads, not M1s */
            group = group == Z80_GROUP_DD ? Z80_GROUP_DDCB : Z80_GROUP_FDCB;
            out->disp = (int8_t)NEXT();
            op = NEXT();
        } else if (op == 0xed) {
            /* DD ED xx: the DD is ignored, ED runs */
            group = Z80_GROUP_ED;
            extra_prefixes++;
            op = NEXT();
            m1++;
        }
    } else if (op == 0xcb || op == 0xed) {
        group = op == 0xcb ? Z80_GROUP_CB : Z80_GROUP_ED;
        op = NEXT();
        m1++;
    }
    const z80_opcode_t *entry = &z80_opcodes[group][op];
    const z80_opfacts_t *o = &z80_opfacts[entry->facts];
    out->group = (uint8_t)group;
    out->opcode = op;
    out->prefixes = (uint8_t)(off - 1 - (group == Z80_GROUP_DDCB || group == Z80_GROUP_FDCB ? 1 : 0));
    switch (o->operands) {
    case Z80_OPERANDS_N: out->imm8 = NEXT(); break;
    case Z80_OPERANDS_NN: {
        uint8_t lo = NEXT();
        out->imm16 = (uint16_t)(lo | (NEXT() << 8));
        break;
    }
    case Z80_OPERANDS_E: out->disp = (int8_t)NEXT(); break;
    case Z80_OPERANDS_D:
        if (group != Z80_GROUP_DDCB && group != Z80_GROUP_FDCB) out->disp = (int8_t)NEXT();
        break;
    case Z80_OPERANDS_DN:
        out->disp = (int8_t)NEXT();
        out->imm8 = NEXT();
        break;
    default: break;
    }
#undef NEXT
    out->length = (uint8_t)off;
    out->r_incr = (uint8_t)m1;
    out->tstates = (uint8_t)(o->tstates + 4 * extra_prefixes);
    out->tstates_taken = (uint8_t)(o->tstates_taken + 4 * extra_prefixes);
    out->flags_read = o->flags_read;
    out->flags_written = o->flags_written;
    out->regs_read = o->regs_read;
    out->regs_written = o->regs_written | Z80_REG_R | Z80_REG_Q;
    out->attrs = o->attrs;
    out->mnemonic = z80_mnemonics + entry->mnemonic;
    if (o->attrs & Z80_INSN_HAS_TARGET) {
        if (o->operands == Z80_OPERANDS_NN) out->target = out->imm16;
        else if (o->operands == Z80_OPERANDS_E) out->target = (uint16_t)(pc + off + out->disp);
        else out->target = o->fixed_target; /* RST */
    }
    return off;
}

typedef struct {
    const uint8_t *bytes;
    int n;
    uint16_t pc;
} buf_t;

static uint8_t buf_peek(void *user, uint16_t addr) {
    const buf_t *b = user;
    unsigned i = (uint16_t)(addr - b->pc);
    return (int)i < b->n ? b->bytes[i] : 0;
}

int z80_decode(const uint8_t *bytes, int n, uint16_t pc, z80_insn_t *out) {
    buf_t b = {bytes, n, pc};
    return z80_decode_peek(buf_peek, &b, pc, out);
}
