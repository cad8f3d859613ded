/*
 * jit_region.h: which guest instructions one compiled function covers.
 *
 * A region is the set of basic blocks reachable from one hot entry through
 * static jumps (JP, JR, DJNZ and their conditional forms, and the repeat of
 * LDIR & co) inside a window of guest bytes. It is pure (a function of the
 * bytes and the configuration). The core runs it, to know which bytes a
 * function was built from (code map, xxHash); the compile request carries
 * the blocks it found (start, count), from which the compiler rebuilds the
 * very same region (jit_region_from_blocks) without following branches.
 * Every instruction
 * is compiled, HALT included: it ends its block, and the dispatcher runs a
 * halted CPU.
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
    JIT_REGION_MAX_INSNS = 160,
    JIT_REGION_MAX_BLOCKS = 48,
    JIT_REGION_WINDOW = 1024, /* bytes of guest code a request carries per entry */
};

typedef struct {
    const uint8_t *bytes; /* the window's snapshot */
    uint16_t base;        /* guest address of bytes[0] */
    uint16_t len;         /* window length (<= JIT_REGION_WINDOW) */
    int32_t trap_pc;      /* never compiled across (-1: none) */
    bool single_block;    /* basic block only (no internal branches) */
} jit_region_src_t;

typedef struct {
    uint16_t start;   /* guest address */
    uint16_t first;   /* index of its first instruction in insns[] */
    uint16_t count;   /* instructions */
} jit_block_t;

typedef struct {
    uint16_t entry;
    int n_insns, n_blocks;
    jit_block_t blocks[JIT_REGION_MAX_BLOCKS]; /* blocks[0] starts at entry */
    z80_insn_t insns[JIT_REGION_MAX_INSNS];    /* grouped by block, in address order within one */
    uint8_t covered[JIT_REGION_WINDOW / 8];    /* window bytes the instructions occupy */
    uint16_t lo, hi;                           /* covered bytes span [lo, hi] (guest addresses) */
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

/* Index of the block starting at pc, or -1. */
int jit_region_block_at(const jit_region_t *r, uint16_t pc);

#endif
