/*
 * jit_z80_request.h: the Z80 compile request (kind JIT_REQUEST_Z80), the one
 * contract between the core (core/jit/jit.c sends it) and the compiler
 * program (wasm-backend/z80/wb_z80.c answers it). jit_z80_request.c is
 * linked into both programs: one encoder, one decoder.
 *
 * The core discovers each entry's region (jit_region_build: it needs to
 * know which bytes a function covers) and the request carries the region's
 * blocks, so the compiler rebuilds exactly that region from the window
 * bytes (jit_region_from_blocks) without running discovery again.
 *
 * Wire layout (jit_request.h: little-endian u32 words):
 *     kind, version, flags, cpu_size, mem_base, rom_pages, contended_pages,
 *     hooked_pages, contention, contention_len, max_delay, code_map, tables,
 *     trap_pc, calls[JIT_Z80_CALLS], count; then per entry:
 *         pc, base, len, n_blocks, n_loaded, n_blocks x (start, count | flags << 16),
 *         n_loaded x window offset, and len bytes of guest code (the
 *         window), padded to a multiple of 4.
 * An entry with loaded bytes is compiled in the load form: those operand
 * bytes (self-modifying code patches them) are read from guest memory when
 * their instruction runs instead of being baked in; the core does not
 * cover them, so stores into them leave the function valid.
 * The answer exports f0..f(count-1), each `i32 f(i32 cpu, i32 until)`
 * returning a JIT_EXIT_* code with the state written back to *cpu.
 *
 * HOWTO
 *     static jit_z80_request_t rq;            (large: keep it static)
 *     rq = (jit_z80_request_t){.flags = ..., .cpu_size = sizeof(z80_t), ...};
 *     if (jit_z80_request_add(&rq, pc, base, len, window, &region)) ...
 *     size_t n = jit_z80_request_encode(&rq, buf, sizeof buf);
 *     ...
 *     if (!jit_z80_request_decode(bytes, n, &rq, err, sizeof err)) fail(err);
 *     jit_z80_request_region(&rq, i, &region);
 */
#ifndef JIT_Z80_REQUEST_H
#define JIT_Z80_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jit/jit_request.h"
#include "jit/z80/jit_region.h"

enum {
    JIT_Z80_REQUEST_VERSION = 5, /* 2: entries carry their region's blocks; 3: and their loaded bytes;
                                    4: and the blocks' flags; 5: the core functions' table slots */
    JIT_Z80_REQUEST_MAX_ENTRIES = 64,
    JIT_Z80_REQUEST_MAX_LOADED = 32, /* loaded operand bytes per entry */
    JIT_Z80_REQUEST_HEADER_BYTES = 24 * 4,
    /* an entry at its largest: 5 words, the blocks, the loaded bytes, a whole window */
    JIT_Z80_REQUEST_MAX_ENTRY_BYTES =
        5 * 4 + JIT_REGION_MAX_BLOCKS * 2 * 4 + JIT_Z80_REQUEST_MAX_LOADED * 4 + JIT_REGION_WINDOW,
    JIT_Z80_REQUEST_MAX_BYTES = JIT_Z80_REQUEST_HEADER_BYTES + JIT_Z80_REQUEST_MAX_ENTRIES * JIT_Z80_REQUEST_MAX_ENTRY_BYTES,
};

/* flags */
enum {
    JIT_Z80_F_TRACE = 1u << 0,        /* every bus access through the core's traced slow paths
                                        (jit_mem_* exports), and a deadline check before every
                                        instruction instead of per block (the FUSE tests stop
                                        after a given T-state) */
    JIT_Z80_F_SINGLE_BLOCK = 1u << 1, /* basic blocks only (no regions) */
    JIT_Z80_F_MREQ_ONLY = 1u << 2,    /* internal cycles are never contended (z80_t.contend_mreq_only) */
    JIT_Z80_F_HOOK_WINDOW = 1u << 3,  /* the machine keeps z80_t.hook_window and hook_mark: a store
                                        into a hooked page calls the core only when they say so */
};

/* Core functions generated code calls (core/jit/z80/jit_exports.c and
 * jit_chain in jit_z80.c), by their slots in the core's function table
 * (request.calls, JIT_Z80_CALL_* order; a C function pointer in the Wasm
 * core is its table slot): `call_indirect` at a constant slot, not a
 * function import. Under V8 (Node 20) a module importing functions costs
 * ~170 µs more to compile for each distinct import signature (wrappers
 * made per module: ~400 µs for these three signatures, 80% of what a
 * small module cost), while an indirect call through the table it
 * imports anyway costs nothing at compile time and a signature check at
 * run time, on slow paths. */
enum {
    JIT_Z80_CALL_READ,    /* i32 (cpu, addr): traced/contended read */
    JIT_Z80_CALL_FETCH,   /* i32 (cpu, addr): traced M1 */
    JIT_Z80_CALL_WRITE,   /* i32 (cpu, addr, v): full write path; 1: SMC hit */
    JIT_Z80_CALL_IDLE,    /* (cpu, addr, n): traced internal cycles */
    JIT_Z80_CALL_CONTEND, /* (cpu, addr, n): read cycle without data */
    JIT_Z80_CALL_IN,      /* i32 (cpu, port) */
    JIT_Z80_CALL_OUT,     /* i32 (cpu, port, v): 1: the memory map changed, leave */
    JIT_Z80_CALL_SMC,     /* i32 (cpu, addr): store into code; 1: leave */
    JIT_Z80_CALL_CHAIN,   /* i32 (cpu, until, how): after a normal exit, the table slot of the
                             compiled function to continue in (0: return); how: JIT_Z80_CHAIN_* */
    JIT_Z80_CALLS,
};
/* The core's exports by those names, in that order (the JIT inspector names the slots). */
#define JIT_Z80_CALL_NAMES \
    "jit_mem_read", "jit_mem_fetch", "jit_mem_write", "jit_mem_idle", "jit_mem_contend", "jit_port_in", \
        "jit_port_out", "jit_smc", "jit_chain"
/* A generated module imports only the core's memory and function table,
 * env.memory and env.__indirect_function_table (written by
 * wasm-backend/wb_write.c, provided by core/jit/jit_host.js). */

/* jit_chain's `how` */
enum {
    JIT_Z80_CHAIN_INDIRECT = 1u << 10, /* the exit is an indirect jump's (JP (HL), JP (IX), JP (IY)) whose
                                         address no prediction matched: the core records where it went */
};

/* One function to compile. */
typedef struct {
    uint16_t pc;   /* entry */
    uint16_t base; /* guest address of window[0] */
    uint16_t len;  /* window bytes (<= JIT_REGION_WINDOW) */
    uint16_t n_blocks;
    jit_block_t blocks[JIT_REGION_MAX_BLOCKS]; /* the region's, blocks[0] at pc (start and count
                                                  travel; first follows from the counts) */
    uint8_t loaded[JIT_REGION_WINDOW / 8];     /* window bytes loaded at run time (the region's) */
    uint8_t window[JIT_REGION_WINDOW];                     /* snapshot of guest code */
} jit_z80_request_entry_t;

typedef struct {
    uint32_t kind;            /* JIT_REQUEST_Z80 (the encoder writes it whatever it holds) */
    uint32_t version;         /* JIT_Z80_REQUEST_VERSION (likewise) */
    uint32_t flags;           /* JIT_Z80_F_* */
    uint32_t cpu_size;        /* sizeof(z80_t): both sides use z80.h's offsets; a mismatch is refused */
    uint32_t mem_base;        /* core address of guest 0x0000 when read_page[0..3] are one contiguous
                                 64K run, else 0: reads then go through cpu->read_page at run time */
    uint32_t rom_pages;       /* bit n: write_page[n] is NULL, stores are dropped */
    uint32_t contended_pages; /* the machine's, not the dynarec's */
    uint32_t hooked_pages;    /* likewise */
    uint32_t contention;      /* core address of the contention table, 0: none; zeros for
                                 Z80_CONTENTION_PAD entries past contention_len (z80.h) */
    uint32_t contention_len;
    uint32_t max_delay;       /* largest value in the table, for worst-case timing */
    uint32_t code_map;        /* core address of a byte per 256-byte guest page: nonzero when
                                 compiled code was built from it */
    uint32_t tables;          /* core address of 3 x 256 bytes: sz53, sz53p, parity */
    int32_t trap_pc;          /* never compiled across (-1: none) */
    uint32_t calls[JIT_Z80_CALLS]; /* table slots of the core functions (JIT_Z80_CALL_*); none 0 */
    uint32_t count;           /* entries */
    jit_z80_request_entry_t entries[JIT_Z80_REQUEST_MAX_ENTRIES];
} jit_z80_request_t;

/* Appends an entry at pc over the window (len bytes of guest code from
 * base): discovers its region (flags' SINGLE_BLOCK and trap_pc apply) into
 * *region and records the region's blocks. Returns false, adding nothing,
 * when the entry cannot be compiled or the request is full. */
bool jit_z80_request_add(jit_z80_request_t *rq, uint16_t pc, uint16_t base, uint16_t len, const uint8_t *window,
                         jit_region_t *region);
/* The same in the load form: `load` (a bitmap over the window, NULL:
 * none) names bytes to read at run time; those that are loadable operands
 * of the region's instructions (at most JIT_Z80_REQUEST_MAX_LOADED) are
 * the entry's and the region's loaded bytes. */
bool jit_z80_request_add_loading(jit_z80_request_t *rq, uint16_t pc, uint16_t base, uint16_t len,
                                 const uint8_t *window, const uint8_t *load, jit_region_t *region);

/* The same with a profile: targets[0..n_targets-1] are where the entry's
 * indirect jumps were seen to go (jit_region_src_t.targets). */
bool jit_z80_request_add_profiled(jit_z80_request_t *rq, uint16_t pc, uint16_t base, uint16_t len,
                                  const uint8_t *window, const uint8_t *load, const uint16_t *targets, int n_targets,
                                  jit_region_t *region);

/* Writes the request's bytes; returns their number, 0 when cap is too small. */
size_t jit_z80_request_encode(const jit_z80_request_t *rq, uint8_t *out, size_t cap);

/* Reads and checks a request (kind, version, cpu_size, every count and
 * length). Returns false with a message in err when it is unusable. */
bool jit_z80_request_decode(const uint8_t *bytes, size_t len, jit_z80_request_t *rq, char *err, size_t errlen);

/* The region of entry i, rebuilt from its blocks (the one the core
 * discovered). Returns false with a message when they do not decode. */
bool jit_z80_request_region(const jit_z80_request_t *rq, uint32_t i, jit_region_t *region, char *err,
                            size_t errlen);

#endif
