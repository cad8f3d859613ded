/*
 * z80_decode.h: one table-driven Z80 instruction decoder, shared by the
 * interpreter's tests, the disassembler and the dynarec.
 *
 * z80_decode() reads the bytes of one instruction (through a peek callback
 * or from a buffer) and fills a z80_insn_t: length, prefix group, opcode,
 * operands, base T-states (uncontended) and what the instruction reads and
 * writes: registers, flag bits, memory, ports, and whether it ends a basic
 * block. Every per-opcode fact comes from one description of the
 * instruction set, core/cpu/z80/z80_ops.tab, which tools/gen_z80_tables.mjs
 * turns into static tables at build time (z80_decode_init() has nothing
 * left to do and is kept for callers).
 *
 * Redundant prefixes: a chain of DD/FD prefixes is one instruction (as the
 * interpreter runs it, and as FUSE does): only the last prefix counts, and
 * each earlier one adds 1 byte, 4 T and one R increment. A DD/FD before an
 * opcode that does not involve HL (e.g. DD 00) also makes one instruction
 * that behaves as the unprefixed opcode, 4 T longer.
 *
 * Flag masks are exact per F bit, including bits 3 and 5:
 *   flags_written: bits of F this instruction defines (the rest keep their
 *                  value);
 *   flags_read:    bits of F whose incoming value the instruction uses
 *                  (bits merely kept are not counted). Where in doubt a bit
 *                  is counted as read, which is always safe for liveness.
 * SCF and CCF also read the Q latch (Z80_REG_Q): whether the previous
 * instruction set F (Z80_INSN_SETS_Q). Every instruction writes Q.
 *
 * HOWTO
 *     z80_insn_t in;
 *     z80_decode_peek(peek, user, pc, &in);   // or z80_decode(bytes, n, pc, &in)
 *     if (in.attrs & Z80_INSN_ENDS_BLOCK) ...
 */
#ifndef Z80_DECODE_H
#define Z80_DECODE_H

#include <stdint.h>

typedef uint8_t (*z80_peek_fn)(void *user, uint16_t addr);

enum z80_group {
    Z80_GROUP_BASE, Z80_GROUP_CB, Z80_GROUP_ED,
    Z80_GROUP_DD, Z80_GROUP_FD, Z80_GROUP_DDCB, Z80_GROUP_FDCB,
};

/* Register masks (regs_read / regs_written). */
enum {
    Z80_REG_A = 1u << 0, Z80_REG_F = 1u << 1,
    Z80_REG_B = 1u << 2, Z80_REG_C = 1u << 3, Z80_REG_D = 1u << 4, Z80_REG_E = 1u << 5,
    Z80_REG_H = 1u << 6, Z80_REG_L = 1u << 7,
    Z80_REG_IXH = 1u << 8, Z80_REG_IXL = 1u << 9, Z80_REG_IYH = 1u << 10, Z80_REG_IYL = 1u << 11,
    Z80_REG_SP = 1u << 12, Z80_REG_I = 1u << 13, Z80_REG_R = 1u << 14, Z80_REG_WZ = 1u << 15,
    Z80_REG_AF_ = 1u << 16, Z80_REG_BC_ = 1u << 17, Z80_REG_DE_ = 1u << 18, Z80_REG_HL_ = 1u << 19,
    Z80_REG_IFF = 1u << 20, /* IFF1/IFF2 */
    Z80_REG_IM = 1u << 21,
    Z80_REG_Q = 1u << 22,   /* the Q latch (only SCF/CCF read it) */
    Z80_REG_PC = 1u << 23,  /* read: uses its own address (JR, CALL, RST); written: jumps */
};

/* Attribute bits. */
enum {
    Z80_INSN_MEM_READ = 1u << 0,
    Z80_INSN_MEM_WRITE = 1u << 1,
    Z80_INSN_IO_IN = 1u << 2,
    Z80_INSN_IO_OUT = 1u << 3,
    Z80_INSN_ENDS_BLOCK = 1u << 4, /* control flow, HALT, interrupt state, R/I writes */
    Z80_INSN_CONDITIONAL = 1u << 5,/* tstates_taken differs: branch taken / block repeats */
    Z80_INSN_JUMP = 1u << 6,       /* JP, JR, DJNZ, JP (HL) */
    Z80_INSN_CALL = 1u << 7,       /* CALL, RST */
    Z80_INSN_RET = 1u << 8,        /* RET, RETI, RETN */
    Z80_INSN_INDIRECT = 1u << 9,   /* target not known statically (RET, JP (HL)) */
    Z80_INSN_REPEAT = 1u << 10,    /* LDIR & co: may re-execute itself (PC -= 2) */
    Z80_INSN_HALT = 1u << 11,
    Z80_INSN_UNDOC = 1u << 12,     /* undocumented opcode */
    Z80_INSN_SETS_Q = 1u << 13,    /* Q = F afterwards (else Q = 0) */
    Z80_INSN_HAS_TARGET = 1u << 14,/* `target` is a static absolute address */
    Z80_INSN_IGNORED_PREFIX = 1u << 15, /* DD/FD had no effect (DD 00 = NOP) */
};

typedef struct {
    uint16_t pc;          /* address of the first byte */
    uint8_t length;       /* bytes, prefixes included */
    uint8_t group;        /* enum z80_group */
    uint8_t opcode;       /* the opcode byte within its group */
    uint8_t prefixes;     /* prefix bytes (DD/FD/CB/ED, redundant ones included) */
    uint8_t r_incr;       /* R increments (M1 cycles) */
    int8_t disp;          /* d of (IX+d)/(IY+d) */
    uint8_t imm8;         /* n, or the port of IN A,(n)/OUT (n),A */
    uint16_t imm16;       /* nn */
    uint16_t target;      /* absolute target of JP/JR/DJNZ/CALL/RST (if HAS_TARGET) */
    uint8_t tstates;      /* uncontended T-states: not taken / not repeating */
    uint8_t tstates_taken;/* taken / repeating (= tstates if unconditional) */
    uint8_t flags_read;   /* F bits used */
    uint8_t flags_written;/* F bits defined */
    uint32_t regs_read;   /* Z80_REG_* */
    uint32_t regs_written;
    uint32_t attrs;       /* Z80_INSN_* */
    const char *mnemonic; /* template for the disassembler (see z80_disasm.c), static */
} z80_insn_t;

void z80_decode_init(void);
/* Decode the instruction at pc; returns its length. */
int z80_decode_peek(z80_peek_fn peek, void *user, uint16_t pc, z80_insn_t *out);
/* Same from a buffer holding the bytes from pc on (bytes past n read as 0). */
int z80_decode(const uint8_t *bytes, int n, uint16_t pc, z80_insn_t *out);

#endif
