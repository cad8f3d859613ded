/*
 * z80.h: an exact, instruction-stepped Z80 interpreter.
 *
 * The interpreter is the project's reference: the dynarec must match it
 * register for register, T-state for T-state. It steps whole instructions but
 * reports every bus access (memory read/write, contention point, port I/O) at
 * the T-state it happens, so the same CPU serves a contended machine (the ZX
 * Spectrum's ULA) and an uncontended one (the FUSE tests).
 *
 * State is plain data: the register file, counters and memory map live in
 * z80_t; a save state is a struct copy of the fields up to `tstates`.
 *
 * HOWTO
 *     z80_t cpu;
 *     z80_init(&cpu);
 *     cpu.read_page[0] = rom; cpu.write_page[0] = NULL;      // 16K pages
 *     cpu.read_page[1] = cpu.write_page[1] = ram; ...
 *     cpu.contention = table; cpu.contention_len = 69888;    // or NULL
 *     cpu.contended_pages = 1u << 1;                         // 0x4000-0x7fff
 *     cpu.int_until = 32;                                    // /INT for 32 T
 *     z80_run(&cpu, 69888);                                  // one frame
 *
 * Memory map: the 64K address space is four 16K pages. Reads come from
 * read_page[addr >> 14]; writes go to write_page[addr >> 14] unless it is
 * NULL (ROM: the write is dropped, but still takes its T-states and is
 * traced). A page whose bit is set in `hooked_pages` calls write_hook BEFORE
 * the store (so a video renderer can catch up with the old contents, and a
 * code cache can invalidate), then the store happens.
 *
 * Contention: when `contention` is non-NULL, every memory access or internal
 * cycle that puts an address in a page flagged in `contended_pages` first
 * adds contention[tstates] (tstates < contention_len; beyond it: no delay).
 * The table must hold Z80_CONTENTION_PAD more entries, all zero, past
 * contention_len: compiled code (the dynarec) reads a point's delay without
 * comparing tstates with contention_len, since it never reaches a point
 * more than an instruction past it.
 * With contend_mreq_only set (the +2A/+3 gate array), internal cycles are
 * neither delayed nor reported as contention points, and port I/O is never
 * delayed.
 * Port I/O follows the ULA pattern (World of Spectrum "Contended I/O"):
 *     high byte contended, low bit reset:  C:1, C:3
 *     high byte contended, low bit set:    C:1, C:1, C:1, C:1
 *     high byte uncontended, low bit reset: N:1, C:3
 *     high byte uncontended, low bit set:   N:4
 * where "high byte contended" means the port, taken as an address, lies in a
 * contended page, and C:n is a contention check against 0x4000 followed by n
 * T-states ("contended" in the C:3 case means the ULA is addressed).
 *
 * Tracing: when `trace` is non-NULL every bus event is reported exactly as
 * FUSE's coretest.c logs them (tests.expected): each memory access is a
 * Z80_EV_MC at its first T-state (before any contention delay) followed by
 * the Z80_EV_MR/MW at its last; an internal cycle is a Z80_EV_MC per T-state;
 * a port access is Z80_EV_PR/PW one T-state in, with Z80_EV_PC at each port
 * contention point of the pattern above (whether or not `contention` is set:
 * the points follow `contended_pages`).
 *
 * Interrupts: /INT is asserted while tstates < int_until. It is sampled at
 * each instruction boundary; it is accepted when IFF1 is set and the previous
 * instruction was not EI. A chain of DD/FD prefixes runs as one instruction
 * with the opcode it precedes (as FUSE does), so no interrupt comes between
 * them. Acceptance costs 13 T in IM 0 (RST on the bus) and IM 1, 19 T in IM 2
 * (FUSE z80_interrupt: a 7 T acknowledge, then the push). An NMI (11 T, to
 * 0x0066, IFF1 cleared, IFF2 kept) is requested by z80_nmi().
 */
#ifndef Z80_H
#define Z80_H

#include <stdbool.h>
#include <stdint.h>

/* Zero entries a contention table holds past contention_len (see above). */
enum { Z80_CONTENTION_PAD = 256 };

/* Register pairs are stored as little-endian 16-bit words: the high register
 * (A, B, D, H, IXh, IYh) is the high byte. Both x86 and Wasm are
 * little-endian, so the byte views below are exact. */
typedef union {
    uint16_t w;
    struct { uint8_t l, h; } b;
} z80_pair_t;

/* Trace event kinds, as in the FUSE test suite's tests.expected. */
enum {
    Z80_EV_MC, /* memory contention point (address on the bus, no access) */
    Z80_EV_MR, /* memory read */
    Z80_EV_MW, /* memory write */
    Z80_EV_PC, /* port contention point */
    Z80_EV_PR, /* port read */
    Z80_EV_PW, /* port write */
};

typedef struct z80_t z80_t;

typedef void (*z80_write_hook_t)(void *user, uint16_t addr, uint8_t value, uint32_t tstates);
typedef uint8_t (*z80_port_in_t)(void *user, uint16_t port, uint32_t tstates);
typedef void (*z80_port_out_t)(void *user, uint16_t port, uint8_t value, uint32_t tstates);
typedef void (*z80_trace_t)(void *user, int kind, uint16_t addr, uint8_t value, uint32_t tstates);

struct z80_t {
    /* ---- architectural state (a save state is everything up to tstates) */
    z80_pair_t af, bc, de, hl;
    z80_pair_t af_, bc_, de_, hl_; /* alternate set */
    z80_pair_t ix, iy;
    uint16_t sp, pc;
    uint16_t wz;     /* MEMPTR */
    uint8_t i, r;    /* r holds all 8 bits; bit 7 only changes by LD R,A */
    uint8_t iff1, iff2, im;
    uint8_t halted;  /* executing HALT: PC stays on the HALT opcode */
    uint8_t ei_delay;/* last instruction was EI: no /INT now */
    uint8_t q;       /* Q latch: F if the last instruction changed flags, else 0 (for SCF/CCF bits 3,5) */
    uint8_t nmi_pending;
    uint8_t int_data;/* byte on the data bus during an IM 0/2 acknowledge (0xFF on a Spectrum) */
    uint8_t iff2_read;  /* last instruction was LD A,I / LD A,R: an /INT accepted now clears P/V (NMOS) */
    uint8_t reserved_[3];
    uint32_t tstates;   /* T-state counter; its origin is the machine's (frame-relative on a Spectrum) */
    uint32_t int_until; /* /INT asserted while tstates < int_until */
    int32_t trap_pc;    /* z80_run returns when PC equals this at an instruction boundary (-1: none) */

    /* ---- machine wiring (not part of a save state) */
    uint8_t *read_page[4];
    uint8_t *write_page[4];     /* NULL: writes dropped (ROM) */
    const uint8_t *contention;  /* per-T-state delay, or NULL for an uncontended machine;
                                   contention_len + Z80_CONTENTION_PAD entries */
    uint32_t contention_len;
    uint8_t contended_pages;    /* bit n: page n (addr >> 14 == n) is contended */
    uint8_t hooked_pages;       /* bit n: writes to page n call write_hook first */
    void *user;
    z80_write_hook_t write_hook;
    z80_port_in_t port_in;      /* NULL: reads 0xFF */
    z80_port_out_t port_out;    /* NULL: writes ignored */
    z80_trace_t trace;          /* NULL normally; the FUSE tests log every bus event */
    uint64_t instructions;      /* instructions executed (statistics) */
    /* Appended last: generated code bakes in the offsets of the fields above. */
    const uint8_t *mem_phys;    /* the machine's physical memory: one host block holding every ROM and RAM
                                   bank the pages point into (the dynarec keys compiled code by offsets in
                                   it); NULL: the four pages are one contiguous 64K block */
    uint32_t mem_phys_size;
    void *jit;                  /* the dynarec running this CPU (set by it; its exports find it here) */
    uint8_t contend_mreq_only;  /* 1: only memory cycles (opcode fetch, read, write) are contended;
                                   internal cycles and port I/O never are (the +2A/+3 gate array) */
    uint8_t reserved_wiring_[3];
    /* The machine's promise about its write hook (NULL: none), which lets
     * compiled code skip most calls: a store at T-state t to offset
     * o = addr & 0x3fff of a page in hooked_pages needs write_hook only when
     *     hook_window[2o] < t && hook_window[2o + 1] >= *hook_mark;
     * for the other stores calling it changes nothing (a video renderer:
     * no cell that reads the byte is latched before t and still undrawn).
     * The interpreter calls write_hook for every such store regardless. */
    const uint32_t *hook_window;
    const uint32_t *hook_mark;
};

/* Power-on state: AF=SP=0xFFFF, everything else zero, IM 0, interrupts off. */
void z80_init(z80_t *cpu);
/* /RESET: PC=0, I=R=0, IFF1=IFF2=0, IM 0; other registers kept. */
void z80_reset(z80_t *cpu);
/* Execute one instruction, or accept a pending NMI or /INT. Returns T-states used. */
uint32_t z80_step(z80_t *cpu);
/* Step while cpu->tstates < until; returns early (before executing it) when
 * PC reaches trap_pc (call z80_step to get past it). A HALT with nothing
 * able to end it before `until` is skipped arithmetically (same T-states and
 * R as stepping it). */
void z80_run(z80_t *cpu, uint32_t until);
/* Request a non-maskable interrupt, taken at the next instruction boundary. */
void z80_nmi(z80_t *cpu);

/* Memory access without timing or tracing (debuggers, loaders, the dynarec's snapshots). */
static inline uint8_t z80_peek(const z80_t *cpu, uint16_t addr) {
    return cpu->read_page[addr >> 14][addr & 0x3fff];
}
static inline void z80_poke(z80_t *cpu, uint16_t addr, uint8_t value) {
    uint8_t *page = cpu->write_page[addr >> 14];
    if (page) page[addr & 0x3fff] = value;
}

/* Flag bits. */
enum {
    Z80_CF = 0x01, Z80_NF = 0x02, Z80_PF = 0x04, Z80_VF = 0x04, Z80_XF = 0x08,
    Z80_HF = 0x10, Z80_YF = 0x20, Z80_ZF = 0x40, Z80_SF = 0x80,
};

#endif
