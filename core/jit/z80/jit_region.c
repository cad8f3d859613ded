/*
 * jit_region.c: region discovery (see jit_region.h). Two passes: follow
 * control flow from the entry, decoding linear runs and collecting block
 * leaders (jump targets, fall-throughs of conditional branches); then cut
 * the decoded instructions into blocks at the leaders.
 */
#include "jit/z80/jit_region.h"

#include <string.h>

typedef struct {
    const jit_region_src_t *src;
    jit_region_t *r;
    int16_t at[JIT_REGION_WINDOW];    /* window offset -> instruction index, -1 none */
    uint8_t owner[JIT_REGION_WINDOW]; /* byte belongs to an instruction */
    uint8_t leader[JIT_REGION_WINDOW];
    uint8_t indirect[JIT_REGION_WINDOW]; /* a predicted target of an indirect jump starts here */
    z80_insn_t tmp[JIT_REGION_MAX_INSNS];
} _jr_ctx_t;

enum { _JR_MAX_WORK = JIT_REGION_MAX_INSNS * 2 + 2 + JIT_REGION_MAX_TARGETS };

static int _jr_src_off(const jit_region_src_t *src, uint16_t pc) {
    uint16_t off = (uint16_t)(pc - src->base);
    return off < src->len ? off : -1;
}

static int _jr_off(const _jr_ctx_t *c, uint16_t pc) { return _jr_src_off(c->src, pc); }

/* Decodes the instruction at pc if it lies wholly in the window and is not
 * at the trap; 0 otherwise. Discovery and jit_region_from_blocks both
 * decode through here, so they see the same instructions. */
static int _jr_src_decode(const jit_region_src_t *src, uint16_t pc, z80_insn_t *in) {
    int off = _jr_src_off(src, pc);
    if (off < 0 || (int32_t)pc == src->trap_pc) return 0;
    z80_decode(src->bytes + off, src->len - off, pc, in);
    if (off + in->length > src->len) return 0;
    return in->length;
}

static int _jr_decode(const _jr_ctx_t *c, uint16_t pc, z80_insn_t *in) { return _jr_src_decode(c->src, pc, in); }

/* The instructions whose operands (n, nn) the translator can read at run
 * time instead of baking them in. */
static bool _jr_loadable_insn(const z80_insn_t *in) {
    int op = in->opcode, x = op >> 6, y = (op >> 3) & 7, z = op & 7;
    bool indexed = (in->group == Z80_GROUP_DD || in->group == Z80_GROUP_FD) && !(in->attrs & Z80_INSN_IGNORED_PREFIX);
    switch (in->group) {
    case Z80_GROUP_BASE: case Z80_GROUP_DD: case Z80_GROUP_FD:
        if (x == 0 && z == 6) return y != 6 || !indexed;      /* LD r,n; LD (HL),n (not (IX+d),n) */
        if (x == 0 && z == 1) return (y & 1) == 0;             /* LD rr,nn */
        if (x == 0 && z == 2) return y >= 4;                   /* LD (nn),HL/A, LD HL/A,(nn) */
        if (x == 3) return z == 6 || z == 2 || z == 4 ||       /* ALU A,n; JP cc,nn; CALL cc,nn */
                           (z == 3 && (y == 0 || y == 2 || y == 3)) || /* JP nn; OUT (n),A; IN A,(n) */
                           (z == 5 && y == 1);                 /* CALL nn */
        return false;
    case Z80_GROUP_ED: return x == 1 && z == 3;               /* LD (nn),rr; LD rr,(nn) */
    default: return false;
    }
}

bool jit_region_operand_loadable(const z80_insn_t *in, uint16_t addr) {
    uint16_t off = (uint16_t)(addr - in->pc);
    return off >= in->r_incr && off < in->length && _jr_loadable_insn(in);
}

/* Byte addr of the instruction is loaded at run time (the source asks for
 * it and the load form can). */
static bool _jr_loaded(const jit_region_src_t *src, const z80_insn_t *in, uint16_t addr) {
    int off = _jr_src_off(src, addr);
    return src->load && off >= 0 && jit_region_bit(src->load, off) && jit_region_operand_loadable(in, addr);
}

static bool _jr_any_loaded(const jit_region_src_t *src, const z80_insn_t *in) {
    for (int j = in->r_incr; j < in->length; j++)
        if (_jr_loaded(src, in, (uint16_t)(in->pc + j))) return true;
    return false;
}

/* covered[], loaded[], loadable[], lo and hi from the region's instructions. */
static void _jr_cover(const jit_region_src_t *src, jit_region_t *out) {
    out->lo = 0xffff;
    out->hi = 0;
    out->base = src->base;
    out->n_loaded = 0;
    for (int i = 0; i < out->n_insns; i++) {
        const z80_insn_t *in = &out->insns[i];
        int off = _jr_src_off(src, in->pc);
        for (int j = 0; j < in->length; j++) {
            uint16_t a = (uint16_t)(in->pc + j);
            uint8_t bit = (uint8_t)(1u << ((off + j) & 7));
            if (jit_region_operand_loadable(in, a)) out->loadable[(off + j) >> 3] |= bit;
            if (_jr_loaded(src, in, a)) {
                out->loaded[(off + j) >> 3] |= bit;
                out->n_loaded++;
                continue;
            }
            out->covered[(off + j) >> 3] |= bit;
            if (a < out->lo) out->lo = a;
            if (a > out->hi) out->hi = a;
        }
    }
}

/* Work items: pc | call depth << 16 (the entry's own code is depth 0). */
static void _jr_push(_jr_ctx_t *c, uint32_t item, uint32_t *work, int *nwork) {
    int t = _jr_off(c, (uint16_t)item);
    if (t < 0 || *nwork >= _JR_MAX_WORK) return;
    c->leader[t] = 1;
    work[(*nwork)++] = item;
}

/* Levels of CALL followed: one more in a profiled region, whose indirect
 * jumps' targets are usually reached through a call already (a jump table
 * in a subroutine), so their own callees would leave a level sooner than
 * in the functions of their own they replace. */
static int _jr_call_depth(const jit_region_src_t *src) { return JIT_REGION_CALL_DEPTH + (src->n_targets > 0); }

static void _jr_follow(_jr_ctx_t *c, uint32_t item, int *n, uint32_t *work, int *nwork) {
    uint16_t pc = (uint16_t)item;
    uint32_t depth = item & ~0xffffu;
    for (;;) {
        int off = _jr_off(c, pc);
        if (off < 0 || c->at[off] >= 0 || c->owner[off]) {
            if (off >= 0 && c->at[off] >= 0) c->leader[off] = 1; /* fell into known code */
            return;
        }
        if (*n >= (c->src->n_targets ? JIT_REGION_MAX_INSNS : JIT_REGION_INSNS)) return;
        z80_insn_t in;
        if (!_jr_decode(c, pc, &in)) return;
        for (int i = 0; i < in.length; i++)
            if (c->owner[off + i]) return; /* overlaps another instruction: leave it */
        for (int i = 0; i < in.length; i++) c->owner[off + i] = 1;
        c->at[off] = (int16_t)*n;
        c->tmp[(*n)++] = in;
        if (in.attrs & Z80_INSN_ENDS_BLOCK) {
            if (c->src->single_block) return;
            /* CALL nn: the code after it (where the callee's RET is
             * predicted to return: wasm-backend/z80/wb_z80.c) comes first,
             * then the callee, down to JIT_REGION_CALL_DEPTH levels (deeper
             * calls leave: following every level made functions several
             * times larger and their compiles cost more than the round
             * trips they saved); both leaders. Not RST: the ROM's
             * calculator (RST 28h) is followed by data, not by code. */
            bool call = (in.attrs & Z80_INSN_CALL) && (in.attrs & Z80_INSN_HAS_TARGET) && in.length == 3 &&
                        !_jr_any_loaded(c->src, &in);
            /* a loaded target is known only at run time: not followed */
            if (((call && depth < (uint32_t)_jr_call_depth(c->src) << 16) || (in.attrs & Z80_INSN_JUMP)) && (in.attrs & Z80_INSN_HAS_TARGET) &&
                !_jr_any_loaded(c->src, &in))
                _jr_push(c, in.target | (call ? depth + 0x10000u : depth), work, nwork);
            /* JP (HL), JP (IX), JP (IY): where they were seen to go */
            if (jit_region_indirect_jump(&in))
                for (int k = 0; k < c->src->n_targets; k++) {
                    int t = _jr_off(c, c->src->targets[k]);
                    if (t < 0) continue;
                    c->indirect[t] = 1;
                    _jr_push(c, c->src->targets[k] | depth, work, nwork);
                }
            if (call) {
                _jr_push(c, (uint16_t)(pc + in.length) | depth, work, nwork);
                return;
            }
            if (in.attrs & (Z80_INSN_CONDITIONAL | Z80_INSN_REPEAT)) {
                /* the way on when a RET cc does not return (a CALL cc
                 * whose target is loaded is left alone) */
                if (!(in.attrs & Z80_INSN_CALL)) _jr_push(c, (uint16_t)(pc + in.length) | depth, work, nwork);
                if (in.attrs & Z80_INSN_REPEAT) c->leader[off] = 1;
            }
            return;
        }
        pc = (uint16_t)(pc + in.length);
    }
}

bool jit_region_build(const jit_region_src_t *src, uint16_t entry, jit_region_t *out) {
    static _jr_ctx_t c; /* large; the program is single-threaded */
    memset(&c, 0, sizeof c);
    memset(c.at, 0xff, sizeof c.at);
    c.src = src;
    c.r = out;
    memset(out, 0, sizeof *out);
    out->entry = entry;
    int eo = _jr_off(&c, entry);
    if (eo < 0) return false;
    c.leader[eo] = 1;
    uint32_t work[_JR_MAX_WORK];
    int nwork = 0, n = 0;
    work[nwork++] = entry;
    /* Depth-first keeps the entry's own run first; the work list is
     * bounded because every push follows a newly decoded instruction. */
    while (nwork > 0) {
        uint32_t item = work[--nwork];
        _jr_follow(&c, item, &n, work, &nwork);
    }
    if (n == 0) return false;

    /* Cut into blocks in address order, the entry's block first. */
    int order[JIT_REGION_WINDOW > 0 ? JIT_REGION_MAX_INSNS : 1], no = 0;
    for (int off = 0; off < src->len; off++)
        if (c.at[off] >= 0) order[no++] = c.at[off];
    /* rotate so that the block at the entry comes first */
    int first = 0;
    for (int i = 0; i < no; i++)
        if (c.tmp[order[i]].pc == entry) first = i;
    int ni = 0, nb = 0;
    for (int k = 0; k < no; k++) {
        int idx = order[(first + k) % no];
        const z80_insn_t *in = &c.tmp[idx];
        int off = _jr_off(&c, in->pc);
        bool starts = k == 0 || c.leader[off];
        if (!starts) {
            const z80_insn_t *prev = &out->insns[ni - 1];
            if ((uint16_t)(prev->pc + prev->length) != in->pc || (prev->attrs & Z80_INSN_ENDS_BLOCK)) starts = true;
        }
        if (starts) {
            if (nb == (src->n_targets ? JIT_REGION_MAX_BLOCKS : JIT_REGION_BLOCKS)) break;
            out->blocks[nb].start = in->pc;
            out->blocks[nb].first = (uint16_t)ni;
            out->blocks[nb].flags = c.indirect[off] ? JIT_BLOCK_INDIRECT : 0;
            nb++;
        }
        out->insns[ni++] = *in;
        out->blocks[nb - 1].count++;
    }
    out->n_insns = ni;
    out->n_blocks = nb;
    _jr_cover(src, out);
    return true;
}

bool jit_region_from_blocks(const jit_region_src_t *src, const jit_block_t *blocks, int n_blocks, jit_region_t *out) {
    memset(out, 0, sizeof *out);
    if (n_blocks < 1 || n_blocks > JIT_REGION_MAX_BLOCKS) return false;
    out->entry = blocks[0].start;
    int ni = 0;
    for (int b = 0; b < n_blocks; b++) {
        if (blocks[b].count < 1 || ni + blocks[b].count > JIT_REGION_MAX_INSNS) return false;
        out->blocks[b] = (jit_block_t){blocks[b].start, (uint16_t)ni, blocks[b].count, blocks[b].flags};
        uint16_t pc = blocks[b].start;
        for (int i = 0; i < blocks[b].count; i++) {
            z80_insn_t in;
            if (!_jr_src_decode(src, pc, &in)) return false;
            out->insns[ni++] = in;
            pc = (uint16_t)(pc + in.length);
        }
    }
    out->n_insns = ni;
    out->n_blocks = n_blocks;
    _jr_cover(src, out);
    return true;
}

int jit_region_block_at(const jit_region_t *r, uint16_t pc) {
    for (int b = 0; b < r->n_blocks; b++)
        if (r->blocks[b].start == pc) return b;
    return -1;
}
