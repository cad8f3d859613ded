/*
 * zxt_diff.c: the machine of the randomized differential test
 * (tests/node/jit-random-diff.test.mjs, tests/node/z80-diff-machine.mjs).
 *
 * One call runs a generated program from a complete initial state in one
 * mode (zxt_modes.h) and leaves behind everything two modes must agree on:
 * the whole register file (incl. MEMPTR, Q, ei_delay, iff2_read), the 64K,
 * the T-state count and a log of bus events. zxt_flat.c is not enough for
 * this: it exposes no Q/ei_delay, has no ports, no write hook and no trace,
 * and those are exactly the paths a dynarec gets wrong.
 *
 * Per run, `flags` selects the wiring (so the compiled code is generated for
 * each kind of machine the emulator really builds):
 *     bits 0-3  contended_pages, with a Spectrum-like delay table (0: none)
 *     bits 4-7  hooked_pages: a write hook logs (addr, value, T) of each store
 *     bit 8     trace: every bus event is logged (FUSE-style)
 *     bit 9     /INT asserted for the first 32 T of each run call (as a
 *               Spectrum frame starts), int_data 0xFF
 *     bit 10    an NMI requested before each run call but the first
 *     bit 11    page 0 (0x0000-0x3FFF) is ROM: writes to it are dropped
 *     bit 12    128K paging: memory is a 16K page 0 and eight 16K RAM banks,
 *               mapped 0, 5, 2, 0 at first; an OUT whose port has A15 and
 *               A1 low writes "0x7FFD" (bits 0-2: the bank at 0xC000, bit
 *               5 locks); with contention on, odd banks are contended
 *     bit 13    +2A/+3 paging: 0x7FFD decoded by A15 low, A14 high, A1 low,
 *               0x1FFD by A15-A12 = 0001, A1 low (bit 0: the all-RAM
 *               configurations, bits 1-2 which); banks 4-7 contended, on
 *               memory cycles only (z80_t.contend_mreq_only)
 * With paging, the image's 0xC000-0xFFFF is copied into every bank but 5
 * and 2, each copy's last 256 bytes marked with its bank number, and the 64K
 * read back is what is mapped at the end; zxt_diff_banks() holds them all.
 * Ports always answer a value mixed from the port and the T-state of the
 * read, and OUTs are always logged with their T-state: a wrong port address
 * or access time shows up as a different register or log.
 *
 * JS usage:
 *     zxt_diff_mem()      the 64K: write the initial image, read the result
 *     zxt_diff_io()       u32[]: [0, ZXD_NREGS) registers in/out (order below),
 *                         [ZXD_UNTIL, +ZXD_MAX_CHUNKS) the `until` of each run call
 *     zxt_diff_run(mode, flags, trap_pc, nchunks)   -> chunks run, -1: no mode
 *     zxt_diff_log(), zxt_diff_log_count()          u32 quads (kind, addr, value, T)
 *     zxt_diff_disasm(pc) -> length; zxt_diff_text() the text (from the 64K)
 */
#include <emscripten.h>
#include <string.h>

#include "cpu/z80/z80.h"
#include "cpu/z80/z80_disasm.h"
#include "zxt_modes.h"

#define API EMSCRIPTEN_KEEPALIVE

/* Register order of zxt_diff_io() (mirrored in tests/node/z80-diff-machine.mjs). */
enum {
    D_AF, D_BC, D_DE, D_HL, D_AF_, D_BC_, D_DE_, D_HL_, D_IX, D_IY, D_SP, D_PC, D_WZ,
    D_I, D_R, D_IFF1, D_IFF2, D_IM, D_HALTED, D_Q, D_EI_DELAY, D_IFF2_READ, D_TSTATES,
    ZXD_NREGS
};
enum { ZXD_UNTIL = 32, ZXD_MAX_CHUNKS = 16 };
/* Log kinds besides the trace's Z80_EV_*. */
enum { LOG_HOOK_WRITE = 16, LOG_PORT_IN = 17, LOG_PORT_OUT = 18 };
enum { LOG_MAX = 1 << 15 };

static uint8_t mem[0x10000];
static uint8_t phys[9 * 0x4000]; /* with paging: page 0, then banks 0-7 */
static uint32_t run_flags;
static uint8_t port_7ffd, port_1ffd;
enum { ZXD_CONTENTION_LEN = 70000 };
static uint8_t contention[ZXD_CONTENTION_LEN + Z80_CONTENTION_PAD]; /* zero past the length (z80.h) */
static z80_t cpu;
static zxt_runner_t runner;
static uint32_t io[ZXD_UNTIL + ZXD_MAX_CHUNKS];
static uint32_t log_buf[LOG_MAX * 4];
static uint32_t log_count; /* may exceed LOG_MAX: only the first LOG_MAX are kept */
static char text[64];

static void log_event(uint32_t kind, uint32_t addr, uint32_t value, uint32_t t) {
    if (log_count < LOG_MAX) {
        uint32_t *e = log_buf + 4 * log_count;
        e[0] = kind; e[1] = addr; e[2] = value; e[3] = t;
    }
    log_count++;
}

static void on_write(void *user, uint16_t addr, uint8_t value, uint32_t t) {
    (void)user;
    log_event(LOG_HOOK_WRITE, addr, value, t);
}

static uint8_t on_in(void *user, uint16_t port, uint32_t t) {
    (void)user;
    uint32_t x = (port * 0x9E3779B1u) ^ (t * 0x85EBCA77u);
    x ^= x >> 15;
    uint8_t v = (uint8_t)(x ^ (x >> 8));
    log_event(LOG_PORT_IN, port, v, t);
    return v;
}

static uint8_t *bank_of(int b) { return phys + (1 + b) * 0x4000; }

/* The CPU's pages from the paging registers (the 128K family's rules). */
static void map_pages(void) {
    static const uint8_t special[4][4] = {{0, 1, 2, 3}, {4, 5, 6, 7}, {4, 5, 6, 3}, {4, 7, 6, 3}};
    bool plus3 = (run_flags & 0x2000) != 0;
    int banks[4] = {-1, 5, 2, port_7ffd & 7};
    if (plus3 && (port_1ffd & 1))
        for (int i = 0; i < 4; i++) banks[i] = special[(port_1ffd >> 1) & 3][i];
    cpu.contended_pages = 0;
    for (int i = 0; i < 4; i++) {
        uint8_t *p = banks[i] < 0 ? phys : bank_of(banks[i]);
        cpu.read_page[i] = p;
        cpu.write_page[i] = banks[i] < 0 && (run_flags & 0x800) ? NULL : p;
        bool contended = banks[i] >= 0 && (plus3 ? banks[i] >= 4 : (banks[i] & 1));
        if ((run_flags & 0xf) && contended) cpu.contended_pages |= (uint8_t)(1u << i);
    }
}

static void on_out(void *user, uint16_t port, uint8_t v, uint32_t t) {
    (void)user;
    log_event(LOG_PORT_OUT, port, v, t);
    if (!(run_flags & 0x3000) || (port_7ffd & 0x20)) return;
    if (run_flags & 0x1000) {
        if ((port & 0x8002) == 0) port_7ffd = v;
        else return;
    } else if ((port & 0xc002) == 0x4000) {
        port_7ffd = v;
    } else if ((port & 0xf002) == 0x1000) {
        port_1ffd = v;
    } else {
        return;
    }
    map_pages();
}

static void on_trace(void *user, int kind, uint16_t addr, uint8_t value, uint32_t t) {
    (void)user;
    log_event((uint32_t)kind, addr, value, t);
}

/* The ULA's pattern (6,5,4,3,2,1,0,0 over the 128 T of a line's display
 * part), on every line, so any T-state error in a contended access changes
 * the timing of what follows. */
static void init_contention(void) {
    for (uint32_t t = 0; t < ZXD_CONTENTION_LEN; t++) {
        static const uint8_t pat[8] = {6, 5, 4, 3, 2, 1, 0, 0};
        contention[t] = (t % 224) < 128 ? pat[t % 8] : 0;
    }
}

API uint8_t *zxt_diff_mem(void) { return mem; }
API uint8_t *zxt_diff_banks(void) { return phys; }
API uint32_t *zxt_diff_io(void) { return io; }
API uint32_t *zxt_diff_log(void) { return log_buf; }
API uint32_t zxt_diff_log_count(void) { return log_count; }
API const char *zxt_diff_text(void) { return text; }

API int zxt_diff_disasm(uint32_t pc) {
    uint8_t bytes[8];
    for (int k = 0; k < 8; k++) bytes[k] = mem[(pc + k) & 0xffff];
    return z80_disasm((uint16_t)pc, bytes, 8, text, sizeof text);
}

static void put_state(void) {
    cpu.af.w = (uint16_t)io[D_AF];   cpu.bc.w = (uint16_t)io[D_BC];
    cpu.de.w = (uint16_t)io[D_DE];   cpu.hl.w = (uint16_t)io[D_HL];
    cpu.af_.w = (uint16_t)io[D_AF_]; cpu.bc_.w = (uint16_t)io[D_BC_];
    cpu.de_.w = (uint16_t)io[D_DE_]; cpu.hl_.w = (uint16_t)io[D_HL_];
    cpu.ix.w = (uint16_t)io[D_IX];   cpu.iy.w = (uint16_t)io[D_IY];
    cpu.sp = (uint16_t)io[D_SP];     cpu.pc = (uint16_t)io[D_PC];
    cpu.wz = (uint16_t)io[D_WZ];     cpu.i = (uint8_t)io[D_I];
    cpu.r = (uint8_t)io[D_R];        cpu.iff1 = (uint8_t)io[D_IFF1];
    cpu.iff2 = (uint8_t)io[D_IFF2];  cpu.im = (uint8_t)io[D_IM];
    cpu.halted = (uint8_t)io[D_HALTED]; cpu.q = (uint8_t)io[D_Q];
    cpu.ei_delay = (uint8_t)io[D_EI_DELAY]; cpu.iff2_read = (uint8_t)io[D_IFF2_READ];
    cpu.tstates = io[D_TSTATES];
}

static void get_state(void) {
    io[D_AF] = cpu.af.w;   io[D_BC] = cpu.bc.w;   io[D_DE] = cpu.de.w;   io[D_HL] = cpu.hl.w;
    io[D_AF_] = cpu.af_.w; io[D_BC_] = cpu.bc_.w; io[D_DE_] = cpu.de_.w; io[D_HL_] = cpu.hl_.w;
    io[D_IX] = cpu.ix.w;   io[D_IY] = cpu.iy.w;   io[D_SP] = cpu.sp;     io[D_PC] = cpu.pc;
    io[D_WZ] = cpu.wz;     io[D_I] = cpu.i;       io[D_R] = cpu.r;       io[D_IFF1] = cpu.iff1;
    io[D_IFF2] = cpu.iff2; io[D_IM] = cpu.im;     io[D_HALTED] = cpu.halted; io[D_Q] = cpu.q;
    io[D_EI_DELAY] = cpu.ei_delay; io[D_IFF2_READ] = cpu.iff2_read; io[D_TSTATES] = cpu.tstates;
}

API int zxt_diff_run(int mode, uint32_t flags, int32_t trap_pc, int nchunks) {
    if (!zxt_runner_for(mode, &runner)) return -1;
    if (nchunks > ZXD_MAX_CHUNKS) nchunks = ZXD_MAX_CHUNKS;
    if (!contention[0]) init_contention();
    z80_init(&cpu);
    run_flags = flags;
    bool paging = (flags & 0x3000) != 0;
    if (paging) {
        port_7ffd = port_1ffd = 0;
        memcpy(phys, mem, 0x4000);
        for (int b = 0; b < 8; b++) {
            memcpy(bank_of(b), mem + (b == 5 ? 0x4000 : b == 2 ? 0x8000 : 0xc000), 0x4000);
            if (b != 5 && b != 2 && b != 0) memset(bank_of(b) + 0x3f00, 0xb0 + b, 0x100);
        }
        cpu.mem_phys = phys;
        cpu.mem_phys_size = sizeof phys;
        cpu.contend_mreq_only = (flags & 0x2000) != 0;
        map_pages();
    } else {
        for (int p = 0; p < 4; p++) cpu.read_page[p] = cpu.write_page[p] = mem + p * 0x4000;
        if (flags & 0x800) cpu.write_page[0] = NULL;
        cpu.contended_pages = flags & 0xf;
    }
    if (flags & 0xf) {
        cpu.contention = contention;
        cpu.contention_len = ZXD_CONTENTION_LEN;
    }
    cpu.hooked_pages = (flags >> 4) & 0xf;
    if (cpu.hooked_pages) cpu.write_hook = on_write;
    if (flags & 0x100) cpu.trace = on_trace;
    cpu.port_in = on_in;
    cpu.port_out = on_out;
    cpu.int_until = 0;
    cpu.int_data = 0xff;
    cpu.trap_pc = trap_pc;
    put_state();
    log_count = 0;
    /* The image was written behind the engine's back: drop compiled code. */
    zxt_runner_flush(&runner);
    int n = 0;
    while (n < nchunks) {
        if (flags & 0x200) cpu.int_until = cpu.tstates + 32;
        if ((flags & 0x400) && n > 0) z80_nmi(&cpu);
        runner.run(runner.ctx, &cpu, io[ZXD_UNTIL + n]);
        n++;
        if ((int32_t)cpu.pc == trap_pc) break; /* reached the sentinel */
    }
    get_state();
    if (paging) /* the 64K as mapped at the end */
        for (int p = 0; p < 4; p++) memcpy(mem + p * 0x4000, cpu.read_page[p], 0x4000);
    return n;
}
