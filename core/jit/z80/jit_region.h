/*
 * jit_region.h: which guest instructions one compiled function covers.
 *
 * A region is the set of basic blocks reachable from one hot entry through
 * static jumps (JP, JR, DJNZ and their conditional forms, and the repeat of
 * LDIR & co) and calls (CALL nn and CALL cc,nn: the callee, and the code
 * after the call, where a RET is predicted to return: call sites) inside a
 * window of guest bytes. It is pure (a function of the
 * bytes and the configuration). The core runs it, to know which bytes a
 * function was built from (code map, xxHash); the compile request carries
 * the blocks it found (start, count), from which the compiler rebuilds the
 * very same region (jit_region_from_blocks) without following branches.
 * Indirect jumps (JP (HL) & co) leave, unless the source names targets
 * they were seen to take: those are followed too and their blocks flagged
 * (JIT_BLOCK_INDIRECT), so the compiled jump goes on inside the function
 * when the address is one of them. Every instruction
 * is compiled, HALT included: it ends its block, and the dispatcher runs a
 * halted CPU.
 *
 * Load form (self-modifying code whose operands are patched): the source
 * may name window bytes to load at run time (`load`). Those of them that
 * are operands the translator can read from guest memory when the
 * instruction runs (jit_region_operand_loadable) become the region's
 * `loaded` bytes: they are not covered (a store into them leaves the
 * function valid), and a jump whose target is loaded is not followed.
 *
 * HOWTO
 *     jit_region_t *r = malloc(sizeof *r);
 *     jit_region_build(&(jit_region_src_t){ bytes, base, len, trap_pc, false }, entry, r);
 *     for (int b = 0; b < r->n_blocks; b++) ... r->insns[r->blocks[b].first + i]
 */
#ifndef JIT_REGION_H
#define JIT_REGION_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/z80/z80_decode.h"

enum {
    /* A region's size: at most JIT_REGION_INSNS instructions in
     * JIT_REGION_BLOCKS blocks, twice that once profiled (its indirect
     * jumps' targets are known: the code it runs is known to be hot). */
    JIT_REGION_INSNS = 160,
    JIT_REGION_BLOCKS = 48,
    JIT_REGION_MAX_INSNS = 2 * JIT_REGION_INSNS,
    JIT_REGION_MAX_BLOCKS = 2 * JIT_REGION_BLOCKS,
    JIT_REGION_WINDOW = 1024, /* bytes of guest code a request carries per entry */
    JIT_REGION_CALL_DEPTH = 2, /* levels of CALL followed into callees */
    JIT_REGION_MAX_TARGETS = 8, /* predicted targets of indirect jumps (jit_region_src_t.targets) */
};

/* jit_block_t.flags */
enum {
    JIT_BLOCK_INDIRECT = 1u << 0, /* a predicted target of the region's indirect jumps (JP (HL), JP (IX),
                                     JP (IY)): they compare the address with it and go on inside */
};

typedef struct {
    const uint8_t *bytes; /* the window's snapshot */
    uint16_t base;        /* guest address of bytes[0] */
    uint16_t len;         /* window length (<= JIT_REGION_WINDOW) */
    int32_t trap_pc;      /* never compiled across (-1: none) */
    bool single_block;    /* basic block only (no internal branches) */
    const uint8_t *load;  /* bitmap over the window: bytes to load at run time where they are
                             loadable operands (NULL: none; the load form) */
    const uint16_t *targets; /* where the entry's indirect jumps were seen to go (a profile: the
                                core records them, core/jit/jit_internal.h), followed from every
                                JP (HL), JP (IX) and JP (IY) of the region; NULL: none */
    int n_targets;        /* <= JIT_REGION_MAX_TARGETS */
} jit_region_src_t;

typedef struct {
    uint16_t start;   /* guest address */
    uint16_t first;   /* index of its first instruction in insns[] */
    uint16_t count;   /* instructions */
    uint16_t flags;   /* JIT_BLOCK_* */
} jit_block_t;

typedef struct {
    uint16_t entry;
    int n_insns, n_blocks;
    jit_block_t blocks[JIT_REGION_MAX_BLOCKS]; /* blocks[0] starts at entry */
    z80_insn_t insns[JIT_REGION_MAX_INSNS];    /* grouped by block, in address order within one */
    uint8_t covered[JIT_REGION_WINDOW / 8];    /* window bytes the instructions occupy, but loaded ones */
    uint16_t lo, hi;                           /* covered bytes span [lo, hi] (guest addresses) */
    uint16_t base;                             /* guest address of window byte 0 */
    int n_loaded;
    uint8_t loaded[JIT_REGION_WINDOW / 8];     /* operand bytes read from guest memory at run time */
    uint8_t loadable[JIT_REGION_WINDOW / 8];   /* operand bytes the load form could read so */
} jit_region_t;

/* Builds the region from entry. Returns false when not even the entry's
 * first instruction can be compiled (the entry is then left to the
 * interpreter). */
bool jit_region_build(const jit_region_src_t *src, uint16_t entry, jit_region_t *out);

/* Rebuilds a region from its blocks' start and count (first is ignored):
 * each block's instructions are decoded one after another from its start.
 * The result equals what jit_region_build gave for those blocks. Returns
 * false when a block is empty, an instruction leaves the window or sits on
 * the trap, or the limits are exceeded. */
bool jit_region_from_blocks(const jit_region_src_t *src, const jit_block_t *blocks, int n_blocks, jit_region_t *out);

/* Whether byte addr of the instruction is an operand that the load form
 * reads from guest memory when the instruction runs: n or nn of LD r,n,
 * LD (HL),n, ALU A,n, LD rr,nn, LD (nn),A/HL/IX/IY/rr and the loads back,
 * JP (cc,)nn, CALL (cc,)nn, OUT (n),A and IN A,(n). The translator
 * (wasm-backend/z80/wb_z80_ops*.c) handles exactly these. */
bool jit_region_operand_loadable(const z80_insn_t *in, uint16_t addr);

/* JP (HL), JP (IX) or JP (IY): the jumps whose targets a profile predicts. */
static inline bool jit_region_indirect_jump(const z80_insn_t *in) {
    return (in->attrs & Z80_INSN_JUMP) && (in->attrs & Z80_INSN_INDIRECT);
}

/* Whether window byte off is set in a bitmap over the window. */
static inline bool jit_region_bit(const uint8_t *bits, int off) { return (bits[off >> 3] >> (off & 7)) & 1; }

/* Index of the block starting at pc, or -1. */
int jit_region_block_at(const jit_region_t *r, uint16_t pc);

#endif
