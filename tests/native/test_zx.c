/*
 * test_zx.c: the 48K machine on the Z80 core: contention and frame timing,
 * floating bus, border timing, interrupts, keyboard, Kempston, audio, the
 * OpenSE ROM booting, and tape loading both through the LD-BYTES trap and
 * in real time through the ROM's own loader fed by EAR edges.
 *
 * Guest programs: tests/z80src/zx_timing.asm and zx_tapeload.asm; the bytes
 * below are their pasmo output (pasmo --bin FILE.asm OUT.bin).
 *
 * Timing sources: World of Spectrum FAQ "Contended memory" (delays
 * 6,5,4,3,2,1,0,0 from T=14335; per-instruction breakdowns such as
 * "pc:4,pc+1:3,pc+2:3,nn:3"), "Contended I/O"; FUSE 1.6 spectrum.c
 * (floating bus: first bitmap byte at T=14338); Sean Young, "The Undocumented
 * Z80 Documented" (IM 2 acknowledge: 19 T).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/tape.h"
#include "machine/zx/zx.h"

#include "check.h"
#include "tapeload.h"

/* zx_timing.asm, org 0x8000 */
static const uint8_t k_ld_abs[] = {0x3a, 0x00, 0x40};                /* ld a,(0x4000) */
static const uint8_t k_nops[] = {0, 0, 0, 0, 0, 0, 0, 0};             /* 8 x nop */
static const uint8_t k_in_ff[] = {0xdb, 0xff};                        /* in a,(0xff) */
static const uint8_t k_out_fe[] = {0xd3, 0xfe};                       /* out (0xfe),a */
static const uint8_t k_ei_halt[] = {0xfb, 0x76};                      /* ei; halt */
static const uint8_t k_kbd[] = {0x01, 0xfe, 0xfd, 0xed, 0x78};        /* ld bc,0xfdfe; in a,(c) */
static const uint8_t k_kemp[] = {0xdb, 0x1f};                         /* in a,(0x1f) */

static uint8_t g_rom[ZX_ROM_SIZE];
static uint16_t peek16(const zx_t *zx, uint16_t a);
static bool g_have_rom;
static zx_t g_zx;

static void fresh(zx_t *zx) {
    zx_discard(zx);
    zx_init(zx, &(zx_desc_t){.rom = g_rom, .rom_size = sizeof g_rom, .audio_sample_rate = 48000});
}

/* Runs `code` placed at `addr` from T-state t0 until PC leaves it; returns
 * the T-states it took. */
static uint32_t run_snippet(zx_t *zx, uint16_t addr, const uint8_t *code, size_t n, uint32_t t0) {
    for (size_t i = 0; i < n; i++) z80_poke(&zx->cpu, (uint16_t)(addr + i), code[i]);
    zx->cpu.pc = addr;
    zx->cpu.tstates = t0;
    zx->cpu.iff1 = zx->cpu.iff2 = 0;
    zx->cpu.trap_pc = (int32_t)(addr + n);
    z80_run(&zx->cpu, t0 + 10000);
    return zx->cpu.tstates - t0;
}

static void test_contention(void) {
    /* LD A,(0x4000) from uncontended 0x8000: the read's cycle starts 10 T
     * in; started so that it falls on 14335+k it waits delay[k]. */
    static const uint8_t delay[8] = {6, 5, 4, 3, 2, 1, 0, 0};
    for (int k = 0; k < 8; k++) {
        fresh(&g_zx);
        uint32_t t = run_snippet(&g_zx, 0x8000, k_ld_abs, sizeof k_ld_abs, 14335 - 10 + k);
        char name[64];
        snprintf(name, sizeof name, "contended_read_at_14335+%d", k);
        CHECK(name, t == 13u + delay[k], "took %u T, want %u", t, 13u + delay[k]);
    }
    /* the same read one line later, and in the right border (no delay) */
    fresh(&g_zx);
    uint32_t t = run_snippet(&g_zx, 0x8000, k_ld_abs, sizeof k_ld_abs, 14335 + 224 - 10);
    CHECK("contended_read_next_line", t == 19, "took %u T, want 19", t);
    fresh(&g_zx);
    t = run_snippet(&g_zx, 0x8000, k_ld_abs, sizeof k_ld_abs, 14335 + 128 - 10);
    CHECK("uncontended_read_in_right_border", t == 13, "took %u T, want 13", t);
    fresh(&g_zx);
    t = run_snippet(&g_zx, 0x8000, k_ld_abs, sizeof k_ld_abs, 14335 + 192 * 224 - 10);
    CHECK("uncontended_read_below_screen", t == 13, "took %u T, want 13", t);

    /* 8 NOPs from 0x6000 starting at 14335: the first waits 6, then every
     * fetch lands 2 T into an 8-T group and waits 4 (4+6, then 7 x (4+4)). */
    fresh(&g_zx);
    t = run_snippet(&g_zx, 0x6000, k_nops, sizeof k_nops, 14335);
    CHECK("nops_from_contended_ram_on_screen", t == 66, "took %u T, want 66", t);
    fresh(&g_zx);
    t = run_snippet(&g_zx, 0x8000, k_nops, sizeof k_nops, 14335);
    CHECK("nops_from_uncontended_ram", t == 32, "took %u T, want 32", t);
    fresh(&g_zx);
    t = run_snippet(&g_zx, 0x6000, k_nops, sizeof k_nops, 1000);
    CHECK("nops_from_contended_ram_in_top_border", t == 32, "took %u T, want 32", t);
}

static void fill_screen(zx_t *zx) {
    for (int i = 0; i < 0x1b00; i++) zx_bank(zx, 5)[i] = (uint8_t)((i * 13 + 5) % 251); /* never 0xFF */
}

/* ---- the reference: what a real 48K (early timing) puts on the bus ----
 * Written from the documents, not from the machine's code:
 * - ULA fetches (FUSE 1.6 spectrum.c after Ramsoft's "Floating bus technical
 *   guide"; Sinclair Wiki "Floating bus"): screen line y's first bitmap byte
 *   is on the bus for a latch at T = FETCH0 + 224*y. FETCH0 is 14340: FUSE
 *   places that byte at 14338 for a read sampled one T into the I/O cycle
 *   (the placement checked against real games, its spectrum.c says), which
 *   is two T before the cycle's latch; each 8 T then fetch bitmap c, attribute
 *   c, bitmap c+1, attribute c+1 and leave the bus idle (0xFF) for 4 T; 16
 *   such groups, then 96 idle T of border and retrace.
 * - The Z80 latches input data in the last T-state of its I/O cycle
 *   (Zilog Z80 CPU User Manual, input cycle timing: data sampled in T3 of
 *   T1 T2 TW T3; Ramsoft: "the Z80 fetches the input byte from the bus in
 *   the last cycle of the I/O transaction (i.e. T4)"). An uncontended I/O
 *   cycle starting at s latches at s+3.
 * - I/O contention (WoS FAQ "Contended I/O"): a port whose high byte is
 *   0x40-0x7F and whose low bit is set waits at each of its four T-states
 *   (C:1, C:1, C:1, C:1) with the memory delays 6,5,4,3,2,1,0,0 from T=14335
 *   on each screen line's first 128 T (WoS FAQ "Contended memory"). */
enum { FETCH0 = 14340 };

static uint8_t ref_bus(const zx_t *zx, uint32_t t) {
    if (t < FETCH0) return 0xff;
    uint32_t y = (t - FETCH0) / 224, o = (t - FETCH0) % 224;
    if (y >= 192 || o >= 128) return 0xff;
    uint32_t col = (o / 8) * 2 + ((o % 8) >= 2);
    uint32_t bitmap = ((y & 0xc0) << 5) | ((y & 7) << 8) | ((y & 0x38) << 2) | col;
    uint32_t attr = 0x1800 + (y / 8) * 32 + col;
    switch (o % 8) {
    case 0: case 2: return zx_bank_const(zx, 5)[bitmap];
    case 1: case 3: return zx_bank_const(zx, 5)[attr];
    default: return 0xff;
    }
}

static uint32_t ref_delay(uint32_t t) {
    static const uint8_t pattern[8] = {6, 5, 4, 3, 2, 1, 0, 0};
    if (t < 14335) return 0;
    uint32_t y = (t - 14335) / 224, o = (t - 14335) % 224;
    return y < 192 && o < 128 ? pattern[o % 8] : 0;
}

/* The T-state at which an I/O cycle that wants to start at s latches its
 * data: s+3 if the port's high byte is not contended, else after a wait
 * at each of its four T-states (odd port). */
static uint32_t ref_io_latch(uint32_t s, bool contended) {
    if (!contended) return s + 3;
    uint32_t t = s + ref_delay(s);
    for (int i = 0; i < 3; i++) {
        t += 1;
        t += ref_delay(t);
    }
    return t;
}

static void test_floating_bus(void) {
    /* IN A,(0xFF) with A=0: port 0x00FF is not contended (N:4): opcode 4 T,
     * operand 3 T, then the I/O cycle from +7 latching at +10. */
    struct { uint32_t t; int kind; int off; } cases[] = {
        {FETCH0 - 1, 0, 0},       /* idle before the first fetch */
        {FETCH0, 1, 0x0000},      /* bitmap of column 0, line 0 */
        {FETCH0 + 1, 2, 0x1800},  /* its attribute */
        {FETCH0 + 2, 1, 0x0001},  /* bitmap column 1 */
        {FETCH0 + 3, 2, 0x1801},
        {FETCH0 + 4, 0, 0},       /* idle */
        {FETCH0 + 8, 1, 0x0002},  /* next 8-T group: column 2 */
        {FETCH0 + 224, 1, 0x0100}, /* line 1 is 256 bytes on */
        {FETCH0 + 8 * 224 + 9, 2, 0x1820 + 2}, /* line 8, 9 T in: group 1, offset 1: attr col 2 */
        {FETCH0 + 126, 0, 0},     /* offset 126: group 15's idle half */
        {FETCH0 + 128, 0, 0},     /* right border */
        {1000, 0, 0},             /* top border */
        {FETCH0 + 192 * 224, 0, 0} /* bottom border */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fresh(&g_zx);
        fill_screen(&g_zx);
        g_zx.cpu.af.b.h = 0;
        run_snippet(&g_zx, 0x8000, k_in_ff, sizeof k_in_ff, cases[i].t - 10);
        uint8_t want = cases[i].kind == 0 ? 0xff : zx_bank(&g_zx, 5)[cases[i].off];
        char name[64];
        snprintf(name, sizeof name, "floating_bus_latched_at_%u", cases[i].t);
        CHECK(name, g_zx.cpu.af.b.h == want && want == ref_bus(&g_zx, cases[i].t), "read 0x%02X, want 0x%02X",
              g_zx.cpu.af.b.h, want);
    }

    /* Every instruction form, started at each T of two 8-T groups, reads
     * what the reference puts on the bus at its latch point:
     *   IN A,(n)   4+3, I/O from +7            IN r,(C)  4+4, I/O from +8
     *   INI        4+4+1, I/O from +9          (ports 0x00FF / 0x01FF)
     *   IN A,(n) with A=0x40: port 0x40FF, contended at each I/O T-state. */
    static const struct { const char *name; uint8_t code[3]; size_t len; uint32_t io_at; uint8_t a; bool cont; } forms[] = {
        {"in_a_n", {0xdb, 0xff}, 2, 7, 0x00, false},
        {"in_e_c", {0xed, 0x58}, 2, 8, 0x00, false},
        {"ini", {0xed, 0xa2}, 2, 9, 0x00, false},
        {"in_a_n_contended_port", {0xdb, 0xff}, 2, 7, 0x40, true},
    };
    for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
        int bad = 0, screen_bytes = 0;
        uint32_t first_bad = 0;
        for (int k = 0; k < 48; k++) {
            uint32_t start = k < 24 ? 14320u + (uint32_t)k : 14320u + 224 * 5 + 100 + (uint32_t)k; /* line 0, line 5's end */
            fresh(&g_zx);
            fill_screen(&g_zx);
            g_zx.cpu.af.b.h = forms[f].a;
            g_zx.cpu.bc.w = 0x01ff;
            g_zx.cpu.hl.w = 0x9000;
            g_zx.cpu.de.b.l = 0xee;
            run_snippet(&g_zx, 0x8000, forms[f].code, forms[f].len, start);
            uint8_t got = forms[f].code[0] == 0xdb ? g_zx.cpu.af.b.h
                        : forms[f].code[1] == 0x58 ? g_zx.cpu.de.b.l : z80_peek(&g_zx.cpu, 0x9000);
            uint8_t want = ref_bus(&g_zx, ref_io_latch(start + forms[f].io_at, forms[f].cont));
            screen_bytes += want != 0xff;
            if (got != want && !bad++) first_bad = start;
        }
        char name[64];
        snprintf(name, sizeof name, "floating_bus_%s", forms[f].name);
        CHECK(name, bad == 0 && screen_bytes > 0, "%d starts read the wrong byte (first at T=%u); %d screen bytes", bad,
              first_bad, screen_bytes);
    }
}

/* ---- tests/z80src/zx_floatbus.asm: beam sync as games do it ----------
 * The program runs on the whole machine (interrupts, frames); the test logs
 * the T-state at which each IM 2 interrupt reaches its handler `isr` and
 * works out, from the program's documented instruction timings and the
 * reference above, what each phase must have read and counted. */
typedef struct {
    int n;
    uint32_t isr_t[8]; /* frame-relative T-state of each arrival at isr */
} isr_log_t;

/* zx_desc_t.run_cpu: runs like the default, but stops at the handler (its
 * address is the JP at FDFDh the program writes) to log the T-state. */
static void run_logging_isr(void *ctx, z80_t *cpu, uint32_t until) {
    isr_log_t *log = ctx;
    while (cpu->tstates < until) {
        uint16_t isr = (uint16_t)(z80_peek(cpu, 0xfdfe) | z80_peek(cpu, 0xfdff) << 8);
        cpu->trap_pc = isr ? isr : -1;
        z80_run(cpu, until);
        if (isr && cpu->pc == isr && cpu->tstates < until) {
            if (log->n < 8) log->isr_t[log->n++] = cpu->tstates;
            z80_step(cpu);
        }
    }
    cpu->trap_pc = -1;
}

/* The counter INC HL (6 T); JP (10 T) started at c0 runs until the first
 * instruction boundary at or past the frame's end, where /INT is taken.
 * Returns HL then; *isr_t is when the next arrival at isr is due (IM 2
 * acknowledge 19 T, the JP at FDFDh 10 T). */
static uint32_t ref_counter(uint32_t c0, uint32_t *isr_t) {
    uint32_t k = (ZX_FRAME_T - c0) / 16, b = c0 + 16 * k, hl = k;
    if (b < ZX_FRAME_T) b += 6, hl++;
    if (b < ZX_FRAME_T) b += 10;
    *isr_t = b - ZX_FRAME_T + 29;
    return hl;
}

static bool read_file(const char *path, uint8_t *buf, size_t cap, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    *len = fread(buf, 1, cap, f);
    fclose(f);
    return *len > 0 && *len < cap;
}

static void test_floatbus_program(void) {
    static uint8_t prog[4096];
    size_t len = 0;
    if (!read_file("build/z80/zx_floatbus.bin", prog, sizeof prog, &len)) {
        CHECK("floatbus_program", false, "build/z80/zx_floatbus.bin missing: run make z80bin");
        return;
    }
    isr_log_t log = {0};
    zx_discard(&g_zx);
    zx_init(&g_zx, &(zx_desc_t){.rom = g_rom, .rom_size = sizeof g_rom, .audio_sample_rate = 48000,
                                .run_cpu = run_logging_isr, .run_cpu_ctx = &log});
    for (size_t i = 0; i < len; i++) z80_poke(&g_zx.cpu, (uint16_t)(0x8000 + i), prog[i]);
    g_zx.cpu.pc = 0x8000;
    for (int f = 0; f < 20 && z80_peek(&g_zx.cpu, 0x8012) == 0; f++) zx_run_frame(&g_zx);
    const zx_t *zx = &g_zx;
    uint16_t (*w)(const zx_t *, uint16_t) = peek16;
    CHECK("floatbus_program_ran", z80_peek(&zx->cpu, 0x8012) == 1 && log.n == 4, "rounds=%d, %d interrupts",
          z80_peek(&zx->cpu, 0x8012), log.n);
    if (log.n != 4) return;
    uint32_t next_isr;

    /* Phase A, from isr + 46 (POP 10, LD (nn),HL 16, LD HL,(nn) 16, JP (HL) 4):
     * LD HL,nn 10 + LD (nn),HL 16 + LD HL,0 10 + XOR A 4, then polls 33 T
     * apart; each poll's IN A,(0FFh) starts 6 T in and latches 10 T later. */
    uint32_t poll = log.isr_t[0] + 46 + 40, polls = 1;
    while (ref_bus(zx, poll + 16) == 0xff && polls < 2000) poll += 33, polls++;
    uint8_t want_a = ref_bus(zx, poll + 16);
    /* IN ends at +17; INC A 4, JR 7, DEC A 4, LD (nn),A 13, LD (nn),HL 16,
     * LD BC 10, LD HL 10, LD D 7: the walk starts at +88, reads 39 T apart,
     * each IN E,(C) latching 11 T in; then LD BC 10 and INIR, 21 T a
     * repeat, latching 12 T in (ED 4, A2 4, 1 T, I/O cycle from +9). */
    uint32_t walk = poll + 88, walk_bad = 0, inir_bad = 0;
    for (uint32_t j = 0; j < 32; j++) walk_bad += z80_peek(&zx->cpu, (uint16_t)(0x8013 + j)) != ref_bus(zx, walk + 39 * j + 11);
    uint32_t inir = walk + 39 * 32 + 10;
    for (uint32_t j = 0; j < 16; j++) inir_bad += z80_peek(&zx->cpu, (uint16_t)(0x8033 + j)) != ref_bus(zx, inir + 21 * j + 12);
    /* INIR 15 x 21 + 16, EI 4, LD HL,0 10 */
    uint32_t count_a = ref_counter(inir + 15 * 21 + 16 + 14, &next_isr);
    CHECK("floatbus_in_a_n_poll", z80_peek(&zx->cpu, 0x8003) == want_a && w(zx, 0x8004) == polls,
          "read 0x%02X after %u polls, want 0x%02X after %u", z80_peek(&zx->cpu, 0x8003), w(zx, 0x8004), want_a, polls);
    CHECK("floatbus_in_r_c_walk", walk_bad == 0, "%u of 32 samples differ", walk_bad);
    CHECK("floatbus_inir_walk", inir_bad == 0, "%u of 16 samples differ", inir_bad);
    CHECK("floatbus_in_a_n_to_next_interrupt", w(zx, 0x8006) == count_a && log.isr_t[1] == next_isr,
          "counted %u, interrupt at %u; want %u, %u", w(zx, 0x8006), log.isr_t[1], count_a, next_isr);

    /* Phase B: LD HL,(nn) 16, LD (nn),HL 16, LD HL,nn 10, LD (nn),HL 16,
     * LD BC 10, LD HL,0 10; polls 34 T apart, IN E,(C) from +6 latching at
     * +17; after it INC E 4, JR 7, DEC E 4, LD A,E 4, LD (nn),A 13,
     * LD (nn),HL 16, EI 4, LD HL,0 10: the counter starts 80 T in. */
    poll = log.isr_t[1] + 46 + 78, polls = 1;
    while (ref_bus(zx, poll + 17) == 0xff && polls < 2000) poll += 34, polls++;
    uint8_t want_b = ref_bus(zx, poll + 17);
    uint32_t count_b = ref_counter(poll + 80, &next_isr);
    CHECK("floatbus_in_r_c_poll", z80_peek(&zx->cpu, 0x8008) == want_b && w(zx, 0x8009) == polls,
          "read 0x%02X after %u polls, want 0x%02X after %u", z80_peek(&zx->cpu, 0x8008), w(zx, 0x8009), want_b, polls);
    CHECK("floatbus_in_r_c_to_next_interrupt", w(zx, 0x800b) == count_b && log.isr_t[2] == next_isr,
          "counted %u, interrupt at %u; want %u, %u", w(zx, 0x800b), log.isr_t[2], count_b, next_isr);

    /* Phase C: 16+16+10+16+10 + EI 4; each poll INC HL 6, LD A,40h 7, then
     * IN A,(0FFh) on port 40FFh: I/O cycle from +20, contended at each T;
     * after the latch 1 T, CP 7, JR 12 (taken) or 7, then LD (nn),A 13,
     * LD (nn),HL 16, LD HL,0 10. The ULA releases the CPU at the same point
     * of each 8-T group, so only one of the four fetches can line up with
     * the latch; a screen byte is seen all the same (FUSE never sees one). */
    poll = log.isr_t[2] + 46 + 72, polls = 1;
    uint32_t latch = ref_io_latch(poll + 20, true);
    while (ref_bus(zx, latch) == 0xff && polls < 2000) {
        poll = latch + 1 + 19, polls++;
        latch = ref_io_latch(poll + 20, true);
    }
    uint8_t want_c = ref_bus(zx, latch);
    uint32_t count_c = ref_counter(latch + 54, &next_isr);
    CHECK("floatbus_contended_port_poll", z80_peek(&zx->cpu, 0x800d) == want_c && w(zx, 0x800e) == polls &&
          want_c != 0xff,
          "read 0x%02X after %u polls, want 0x%02X (a screen byte) after %u", z80_peek(&zx->cpu, 0x800d),
          w(zx, 0x800e), want_c, polls);
    CHECK("floatbus_contended_port_to_next_interrupt", w(zx, 0x8010) == count_c && log.isr_t[3] == next_isr,
          "counted %u, interrupt at %u; want %u, %u", w(zx, 0x8010), log.isr_t[3], count_c, next_isr);
    printf("# zx_floatbus: A read 0x%02X after %u polls, counted %u; B 0x%02X/%u/%u; C 0x%02X/%u/%u; isr at %u %u %u %u\n",
           z80_peek(&zx->cpu, 0x8003), w(zx, 0x8004), w(zx, 0x8006), z80_peek(&zx->cpu, 0x8008), w(zx, 0x8009),
           w(zx, 0x800b), z80_peek(&zx->cpu, 0x800d), w(zx, 0x800e), w(zx, 0x8010), log.isr_t[0], log.isr_t[1],
           log.isr_t[2], log.isr_t[3]);
    fresh(&g_zx);
}

static uint32_t fb_at(const zx_t *zx, int x, int y) {
    return zx->fb[y * ZX_FB_WIDTH + x];
}

static void test_border_timing(void) {
    /* OUT (0xFE),A writes 8 T into the instruction. Line 100's right border
     * cell 40 (frame-buffer row 84) is latched at 100*224 - 24 + 160 =
     * 22536: a write at 22537 misses it and colours cell 41 onwards. */
    for (int late = 0; late < 2; late++) {
        fresh(&g_zx);
        g_zx.cpu.af.b.h = 2; /* red */
        uint32_t write_t = 22536 + (uint32_t)late * 4 + 1;
        run_snippet(&g_zx, 0x8000, k_out_fe, sizeof k_out_fe, write_t - 8);
        static const uint8_t jr_self[] = {0x18, 0xfe};
        z80_poke(&g_zx.cpu, 0x8002, jr_self[0]);
        z80_poke(&g_zx.cpu, 0x8003, jr_self[1]);
        zx_run_frame(&g_zx);
        uint32_t black = g_zx.palette[0], red = g_zx.palette[2];
        int cell = 40 + late;
        bool ok = fb_at(&g_zx, cell * 8 + 7, 84) == black && fb_at(&g_zx, cell * 8 + 8, 84) == red &&
                  fb_at(&g_zx, 0, 83) == black && fb_at(&g_zx, 0, 85) == red && fb_at(&g_zx, 0, 84) == black;
        char name[64];
        snprintf(name, sizeof name, "border_change_at_T%u", write_t);
        CHECK(name, ok, "colours around cell %d of row 84 wrong", cell);
    }
}

static void test_interrupt(void) {
    /* EI; HALT at T=100 with IM 2, I=0x80, vector bytes 0x81: the HALT
     * runs until the frame ends exactly at 69888 (4-T steps from 104),
     * then /INT at T=0 is taken: 19 T to reach the handler at 0x8181. */
    fresh(&g_zx);
    for (int i = 0; i < 2; i++) z80_poke(&g_zx.cpu, (uint16_t)(0x8000 + i), k_ei_halt[i]);
    z80_poke(&g_zx.cpu, 0x80ff, 0x81);
    z80_poke(&g_zx.cpu, 0x8100, 0x81);
    z80_poke(&g_zx.cpu, 0x8181, 0x76); /* halt */
    g_zx.cpu.pc = 0x8000, g_zx.cpu.tstates = 100, g_zx.cpu.im = 2, g_zx.cpu.i = 0x80, g_zx.cpu.sp = 0xc000;
    zx_run_frame(&g_zx);
    CHECK("frame_end_carries_overshoot", g_zx.cpu.tstates == 0 && g_zx.frame_count == 1, "t=%u frames=%llu",
          g_zx.cpu.tstates, (unsigned long long)g_zx.frame_count);
    g_zx.cpu.trap_pc = 0x8181;
    z80_run(&g_zx.cpu, 1000);
    CHECK("im2_interrupt_taken_at_T19", g_zx.cpu.pc == 0x8181 && g_zx.cpu.tstates == 19, "pc=%04X t=%u", g_zx.cpu.pc,
          g_zx.cpu.tstates);

    /* /INT is held for 32 T only: a DI'd CPU that enables at T=40 misses it */
    fresh(&g_zx);
    for (int i = 0; i < 2; i++) z80_poke(&g_zx.cpu, (uint16_t)(0x8000 + i), k_ei_halt[i]);
    g_zx.cpu.pc = 0x8000, g_zx.cpu.tstates = 36, g_zx.cpu.im = 2, g_zx.cpu.i = 0x80, g_zx.cpu.sp = 0xc000;
    z80_poke(&g_zx.cpu, 0x80ff, 0x81);
    z80_poke(&g_zx.cpu, 0x8100, 0x81);
    g_zx.cpu.trap_pc = 0x8181;
    z80_run(&g_zx.cpu, 60000);
    CHECK("int_not_taken_after_32T", g_zx.cpu.pc == 0x8001 && g_zx.cpu.halted, "pc=%04X", g_zx.cpu.pc);
}

static void test_input(void) {
    fresh(&g_zx);
    zx_key_down(&g_zx, ZX_KEY_A);
    zx_key_down(&g_zx, ZX_KEY_G);
    zx_key_down(&g_zx, ZX_KEY_Q); /* another half-row: not selected */
    run_snippet(&g_zx, 0x8000, k_kbd, sizeof k_kbd, 1000);
    CHECK("keyboard_half_row", (g_zx.cpu.af.b.h & 0x1f) == 0x0e, "read 0x%02X, want xxx01110", g_zx.cpu.af.b.h);
    zx_key_up(&g_zx, ZX_KEY_A);
    zx_key_up(&g_zx, ZX_KEY_G);
    run_snippet(&g_zx, 0x8000, k_kbd, sizeof k_kbd, 1000);
    CHECK("keyboard_released", (g_zx.cpu.af.b.h & 0x1f) == 0x1f, "read 0x%02X", g_zx.cpu.af.b.h);

    zx_joystick(&g_zx, ZX_JOY_FIRE | ZX_JOY_LEFT);
    g_zx.cpu.af.b.h = 0;
    run_snippet(&g_zx, 0x8000, k_kemp, sizeof k_kemp, 1000);
    CHECK("kempston", g_zx.cpu.af.b.h == 0x12, "read 0x%02X", g_zx.cpu.af.b.h);

    uint8_t keys[2];
    CHECK("keys_for_char", zx_keys_for_char('"', keys) == 2 && keys[0] == ZX_KEY_SYMBOL && keys[1] == ZX_KEY_P &&
          zx_keys_for_char('J', keys) == 2 && keys[0] == ZX_KEY_CAPS && keys[1] == ZX_KEY_J &&
          zx_keys_for_char('\n', keys) == 1 && keys[0] == ZX_KEY_ENTER, "mapping wrong");
}

static void boot(zx_t *zx, int frames) {
    fresh(zx);
    for (int i = 0; i < frames; i++) zx_run_frame(zx);
}

static uint16_t peek16(const zx_t *zx, uint16_t a) {
    return (uint16_t)(z80_peek(&zx->cpu, a) | z80_peek(&zx->cpu, (uint16_t)(a + 1)) << 8);
}

static void test_boot_and_audio(void) {
    if (!g_have_rom) {
        CHECK("opense_rom_present", false, "build/deps/opense.rom not found (run make setup)");
        return;
    }
    boot(&g_zx, 150);
    uint16_t frames0 = peek16(&g_zx, 23672); /* FRAMES system variable */
    uint64_t samples = 0;
    bool counts_ok = true;
    for (int i = 0; i < 10; i++) {
        zx_run_frame(&g_zx);
        samples += g_zx.beeper.sample_count;
        if (g_zx.beeper.sample_count < 958 || g_zx.beeper.sample_count > 959) counts_ok = false;
    }
    uint16_t frames1 = peek16(&g_zx, 23672);
    int text = 0;
    for (int i = 0x1000; i < 0x1800; i++) text += zx_bank(&g_zx, 5)[i] != 0; /* bottom third: the copyright line */
    CHECK("opense_boots_to_prompt", frames1 - frames0 == 10 && g_zx.cpu.iff1 && text > 20,
          "FRAMES advanced %d, iff1=%d, %d non-blank bytes", frames1 - frames0, g_zx.cpu.iff1, text);
    /* 3.5 MHz / 69888 T = 50.08 frames/s: 48000 / 50.08 = 958.5 samples each */
    CHECK("audio_samples_per_frame", counts_ok && samples >= 9584 && samples <= 9586, "%llu samples in 10 frames",
          (unsigned long long)samples);
    float peak = 0;
    for (uint32_t i = 0; i < g_zx.beeper.sample_count; i++) peak = g_zx.beeper.samples[i] > peak ? g_zx.beeper.samples[i] : peak;
    CHECK("audio_silent_when_idle", peak < 0.01f, "peak %f", peak);
    uint64_t f = g_zx.frame_count;
    bool flash = g_zx.flash_on;
    int toggles = 0;
    for (int i = 0; i < 32; i++) {
        zx_run_frame(&g_zx);
        if (g_zx.flash_on != flash) toggles++, flash = g_zx.flash_on;
    }
    CHECK("flash_every_16_frames", toggles == 2 && g_zx.frame_count == f + 32, "%d toggles", toggles);
}

static void test_tape_load(bool real_time) {
    const char *name = real_time ? "tape_load_real_time_through_rom" : "tape_load_instant_trap";
    if (!g_have_rom) {
        CHECK(name, false, "no ROM");
        return;
    }
    boot(&g_zx, 120);
    uint8_t tap[400], payload[256];
    size_t n = tapeload_make_tap(tap, sizeof tap, payload);
    char err[256];
    bool ok = zx_load(&g_zx, tap, n, "t.tap", err, sizeof err);
    int frames = tapeload_run(&g_zx, real_time);
    bool loaded = tapeload_loaded(&g_zx, payload);
    uint8_t flags = z80_peek(&g_zx.cpu, TAPELOAD_FLAGS);
    CHECK(name, ok && loaded && (flags & 1) && g_zx.tape_loads == (real_time ? 0u : 1u),
          "insert=%d loaded=%d F=0x%02X frames=%d trap loads=%u pc=%04X", ok, loaded, flags, frames, g_zx.tape_loads,
          g_zx.cpu.pc);
    if (!real_time) CHECK("tape_trap_is_instant", frames <= 2, "%d frames", frames);
    else CHECK("tape_real_time_duration", frames > 150 && frames < 260, "%d frames (about 176 expected)", frames);
}

static void test_snapshot_runs(void) {
    if (!g_have_rom) return;
    boot(&g_zx, 120);
    static uint8_t sna[ZX_SNAPSHOT_MAX];
    size_t n = zx_save_sna(&g_zx, sna, sizeof sna);
    static zx_t b;
    fresh(&b);
    char err[256];
    bool ok = zx_load(&b, sna, n, "s.sna", err, sizeof err);
    for (int i = 0; i < 20; i++) zx_run_frame(&b);
    uint16_t f0 = peek16(&b, 23672);
    zx_run_frame(&b);
    CHECK("sna_snapshot_resumes", ok && peek16(&b, 23672) == (uint16_t)(f0 + 1), "ok=%d %s", ok, err);
    zx_discard(&b);
}

/* zx_desc_t.model: 0 is the 48K; a model this build does not know is refused
 * rather than run with the wrong timings and memory map. */
static void test_model(void) {
    static zx_t zx;
    bool ok48 = zx_init(&zx, &(zx_desc_t){.model = ZX_MODEL_48K, .rom = g_rom, .rom_size = sizeof g_rom});
    CHECK("model_48k_default", ok48 && zx.model == ZX_MODEL_48K && zx.cpu.pc == 0, "init=%d model=%d", ok48,
          (int)zx.model);
    zx_discard(&zx);
    memset(&zx, 0xa5, sizeof zx);
    bool unknown = zx_init(&zx, &(zx_desc_t){.model = ZX_MODEL_COUNT, .rom = g_rom,
                                              .rom_size = sizeof g_rom});
    bool zeroed = zx.model == 0 && zx.mem[0] == 0 && zx.tape.tape == NULL && zx.run_cpu == NULL;
    CHECK("model_unknown_refused", !unknown && zeroed, "init=%d zeroed=%d", unknown, zeroed);
}

static bool read_rom(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    size_t n = fread(g_rom, 1, sizeof g_rom, f);
    fclose(f);
    return n == sizeof g_rom;
}

int main(void) {
    g_have_rom = read_rom("build/deps/opense.rom") || read_rom("/usr/share/spectrum-roms/opense.rom");
    if (!g_have_rom)
        for (size_t i = 0; i < sizeof g_rom; i++) g_rom[i] = 0x00; /* NOPs: enough for the timing tests */
    test_contention();
    test_floating_bus();
    test_floatbus_program();
    test_border_timing();
    test_interrupt();
    test_input();
    test_boot_and_audio();
    test_tape_load(false);
    test_tape_load(true);
    test_snapshot_runs();
    test_model();
    zx_discard(&g_zx);
    return failures ? 1 : 0;
}
