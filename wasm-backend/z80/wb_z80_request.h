/*
 * wb_z80_request.h: the Z80 compile request (kind WB_REQUEST_Z80), shared by
 * the core (core/jit/jit.c writes it) and the compiler (wb_z80.c reads it).
 *
 * Layout, all fields little-endian u32 unless noted:
 *     kind = 2, version = WB_Z80_VERSION, flags (WB_Z80_F_*),
 *     cpu_size (sizeof(z80_t): both sides use z80.h's offsets; a mismatch
 *               is refused),
 *     mem_base    (core address of guest 0x0000 when read_page[0..3] are one
 *                  contiguous 64K run, else 0: reads then go through
 *                  cpu->read_page at run time),
 *     rom_pages   (bit n: write_page[n] is NULL, stores are dropped),
 *     contended_pages, hooked_pages (the machine's, not the dynarec's),
 *     contention (core address of the table, 0: none), contention_len,
 *     max_delay   (largest value in the table, for worst-case timing),
 *     code_map    (core address of a byte per 256-byte guest page: nonzero
 *                  when compiled code was built from it),
 *     tables      (core address of 3 x 256 bytes: sz53, sz53p, parity),
 *     trap_pc     (i32, -1: none),
 *     count       (functions), then per function:
 *         entry, bank, base (window's first guest address), len, and len
 *         bytes of guest code (the window), padded to a multiple of 4.
 * The answer exports f0..f(count-1), each `i32 f(i32 cpu, i32 until)`
 * returning a WB_Z80_EXIT_* code with the state written back to *cpu.
 */
#ifndef WB_Z80_REQUEST_H
#define WB_Z80_REQUEST_H

#include <stdint.h>

enum {
    WB_Z80_VERSION = 1,
    WB_Z80_HEADER_WORDS = 15,
    WB_Z80_ENTRY_WORDS = 4,
    WB_Z80_MAX_FUNCS = 64,
};

enum {
    WB_Z80_F_TRACE = 1u << 0,        /* every bus access through the core's traced slow paths
                                        (jit_mem_* exports), and a deadline check before every
                                        instruction instead of per block (the FUSE tests stop
                                        after a given T-state) */
    WB_Z80_F_SINGLE_BLOCK = 1u << 1, /* basic blocks only (no regions) */
};

/* Why a compiled function returned. */
enum {
    WB_Z80_EXIT_NORMAL = 0,   /* left the region; cpu->pc is where to go on */
    WB_Z80_EXIT_DEADLINE = 1, /* the next block might not finish before `until` */
    WB_Z80_EXIT_SMC = 2,      /* a store hit code of the running function */
    WB_Z80_EXIT_COUNT = 3,
};

/* Exports of the core that generated code imports (env.<name>). */
#define WB_Z80_IMPORT_READ "jit_mem_read"       /* i32 (cpu, addr): traced/contended read */
#define WB_Z80_IMPORT_FETCH "jit_mem_fetch"     /* i32 (cpu, addr): traced M1 */
#define WB_Z80_IMPORT_WRITE "jit_mem_write"     /* i32 (cpu, addr, v): full write path; 1: SMC hit */
#define WB_Z80_IMPORT_IDLE "jit_mem_idle"       /* (cpu, addr, n): traced internal cycles */
#define WB_Z80_IMPORT_CONTEND "jit_mem_contend" /* (cpu, addr, n): read cycle without data */
#define WB_Z80_IMPORT_IN "jit_port_in"          /* i32 (cpu, port) */
#define WB_Z80_IMPORT_OUT "jit_port_out"        /* (cpu, port, v) */
#define WB_Z80_IMPORT_SMC "jit_smc"             /* i32 (cpu, addr): store into code; 1: leave */

#endif
