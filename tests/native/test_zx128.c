/*
 * test_zx128.c: the 128K family: models and timing tables, paging (every
 * RAM bank and ROM, a bank at two addresses, the shadow screen, the lock
 * bit, the +2A/+3's all-RAM configurations) through our own Z80 program
 * tests/z80src/paging128.asm (build/z80/paging128.bin), contention per
 * model (odd banks on the 128K, banks 4-7 and memory cycles only on the
 * +2A/+3, none on the Pentagon), the AY's ports, and tape loading on a 128K
 * through the LD-BYTES trap (only while the 48 BASIC ROM is paged) and in
 * real time.
 *
 * Timing sources: World of Spectrum FAQ "128K timings" and "+2A/+3
 * timings"; libspectrum 1.5 timings.c; FUSE 1.6 spectrum.c
 * (contend_delay_common) and machines/spec128.c, specplus3.c, pentagon.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media/tape.h"
#include "machine/zx/zx.h"

#include "check.h"
#include "tapeload.h"

static zx_t g_zx;
static uint8_t g_opense[ZX_ROM_SIZE];
static bool g_have_opense;
static uint8_t g_prog[4096];
static size_t g_prog_len;

/* ROM n of the test's ROM set: 0xFF (RST 38) everywhere, 0xE0+n at 0x3FFF. */
static uint8_t g_roms[4 * ZX_ROM_SIZE];

static bool make(zx_t *zx, zx_model_t model) {
    zx_discard(zx);
    const zx_timing_t *tm = zx_model_timing(model);
    memset(g_roms, 0xff, sizeof g_roms);
    for (int n = 0; n < 4; n++) g_roms[n * ZX_ROM_SIZE + 0x3fff] = (uint8_t)(0xe0 + n);
    return zx_init(zx, &(zx_desc_t){.model = model, .rom = g_roms, .rom_size = (size_t)tm->rom_count * ZX_ROM_SIZE,
                                    .audio_sample_rate = 48000});
}

static void test_models(void) {
    static const struct { zx_model_t m; const char *id; uint32_t frame, hz, ay, intlen; } want[] = {
        {ZX_MODEL_48K, "48k", 69888, 3500000, 0, 32},
        {ZX_MODEL_128K, "128k", 70908, 3546900, 1773400, 36},
        {ZX_MODEL_PLUS2, "plus2", 70908, 3546900, 1773400, 36},
        {ZX_MODEL_PLUS2A, "plus2a", 70908, 3546900, 1773400, 32},
        {ZX_MODEL_PLUS3, "plus3", 70908, 3546900, 1773400, 32},
        {ZX_MODEL_PENTAGON, "pentagon", 71680, 3500000, 1750000, 36},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const zx_timing_t *t = zx_model_timing(want[i].m);
        char name[64];
        snprintf(name, sizeof name, "model_table_%s", want[i].id);
        CHECK(name,
              t && !strcmp(t->id, want[i].id) && t->frame_t == want[i].frame && t->line_t * t->lines == t->frame_t &&
                  t->cpu_hz == want[i].hz && t->ay_hz == want[i].ay && t->int_len == want[i].intlen &&
                  zx_model_from_id(want[i].id) == (int)want[i].m,
              "table differs for %s", want[i].id);
        bool ok = make(&g_zx, want[i].m);
        for (int f = 0; f < 3; f++) zx_run_frame(&g_zx);
        snprintf(name, sizeof name, "model_runs_frames_%s", want[i].id);
        CHECK(name, ok && g_zx.cpu.tstates < 32 && g_zx.cpu.int_until == want[i].intlen, "init=%d t=%u", ok,
              g_zx.cpu.tstates);
    }
    CHECK("model_id_unknown", zx_model_from_id("spectrum") == -1 && zx_model_from_id("PLUS3") == ZX_MODEL_PLUS3, "lookup wrong");
    bool wrong = zx_init(&g_zx, &(zx_desc_t){.model = ZX_MODEL_128K, .rom = g_roms, .rom_size = 3 * ZX_ROM_SIZE});
    CHECK("model_rom_size_checked", !wrong, "a 48 KB ROM set was accepted for the 128K");
    if (g_have_opense) {
        bool ok = zx_init(&g_zx, &(zx_desc_t){.model = ZX_MODEL_128K, .rom = g_opense, .rom_size = ZX_ROM_SIZE});
        CHECK("model_single_rom_fallback",
              ok && g_zx.rom_fallback && !memcmp(zx_rom(&g_zx, 0), g_opense, ZX_ROM_SIZE) &&
                  !memcmp(zx_rom(&g_zx, 1), g_opense, ZX_ROM_SIZE),
              "init=%d fallback=%d", ok, g_zx.rom_fallback);
    }
}

/* Runs paging128.bin on model until it reports done; returns its results. */
static bool run_paging(zx_model_t model, int family, const uint8_t **res) {
    make(&g_zx, model);
    zx_page_write(&g_zx, 0x7ffd, 0x10);
    for (size_t i = 0; i < g_prog_len; i++) z80_poke(&g_zx.cpu, (uint16_t)(0x8000 + i), g_prog[i]);
    z80_poke(&g_zx.cpu, 0x8fff, (uint8_t)family);
    g_zx.cpu.pc = 0x8000;
    const uint8_t *r = zx_bank(&g_zx, 2) + 0x1000; /* 0x9000 */
    int done_at = family ? 39 : 15;
    for (int f = 0; f < 10 && r[done_at] != 0xaa; f++) zx_run_frame(&g_zx);
    *res = r;
    return r[done_at] == 0xaa;
}

static void test_paging(void) {
    if (!g_prog_len) {
        CHECK("paging_program_present", false, "build/z80/paging128.bin missing (make z80bin)");
        return;
    }
    static const struct { zx_model_t m; const char *id; int family; } models[] = {
        {ZX_MODEL_128K, "128k", 0}, {ZX_MODEL_PLUS2, "plus2", 0}, {ZX_MODEL_PENTAGON, "pentagon", 0},
        {ZX_MODEL_PLUS2A, "plus2a", 1}, {ZX_MODEL_PLUS3, "plus3", 1},
    };
    /* the all-RAM configurations (World of Spectrum FAQ "+3 memory") */
    static const uint8_t special[4][4] = {{0, 1, 2, 3}, {4, 5, 6, 7}, {4, 5, 6, 3}, {4, 7, 6, 3}};
    for (size_t k = 0; k < sizeof models / sizeof models[0]; k++) {
        const uint8_t *r;
        bool done = run_paging(models[k].m, models[k].family, &r);
        char name[80];
        snprintf(name, sizeof name, "paging_every_bank_%s", models[k].id);
        bool banks = done;
        for (int b = 0; b < 8; b++) banks = banks && r[b] == 0xa0 + b;
        CHECK(name, banks && r[8] == 0xa5 && r[9] == 0xa2, "done=%d r=%02X %02X %02X %02X %02X %02X %02X %02X | %02X %02X",
              done, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]);
        snprintf(name, sizeof name, "paging_bank5_at_two_addresses_%s", models[k].id);
        CHECK(name, r[10] == 0x55, "0x4100 read %02X", r[10]);
        snprintf(name, sizeof name, "paging_rom_select_%s", models[k].id);
        CHECK(name, r[11] == 0xe0 + (models[k].family ? 0 : 0) && r[12] == 0xe1, "ROM bytes %02X %02X", r[11], r[12]);
        const uint8_t *lock = r + 13;
        if (models[k].family) {
            snprintf(name, sizeof name, "paging_four_roms_%s", models[k].id);
            CHECK(name, r[13] == 0xe0 && r[14] == 0xe1 && r[15] == 0xe2 && r[16] == 0xe3, "%02X %02X %02X %02X", r[13],
                  r[14], r[15], r[16]);
            for (int c = 0; c < 4; c++) {
                const uint8_t *got = r + 17 + 5 * c;
                snprintf(name, sizeof name, "paging_all_ram_config_%d_%s", c, models[k].id);
                CHECK(name,
                      got[0] == 0xa0 + special[c][0] && got[1] == 0xa0 + special[c][1] &&
                          got[2] == 0xa0 + special[c][2] && got[3] == 0xa0 + special[c][3] &&
                          got[4] == special[c][2],
                      "saw %02X %02X %02X %02X, code after the OUT from bank %d", got[0], got[1], got[2], got[3],
                      got[4]);
            }
            lock = r + 37;
        }
        snprintf(name, sizeof name, "paging_lock_bit_%s", models[k].id);
        CHECK(name, lock[0] == 0xa3 && lock[1] == 0xe1 && g_zx.port_7ffd == 0x3b, "0xFFFF=%02X 0x3FFF=%02X 7FFD=%02X",
              lock[0], lock[1], g_zx.port_7ffd);
        snprintf(name, sizeof name, "paging_shadow_screen_%s", models[k].id);
        /* bank 7's display file is on screen: the frame buffer's top-left
         * screen pixel shows its first byte's top bit */
        zx_bank(&g_zx, 7)[0] = 0x80;
        zx_bank(&g_zx, 7)[0x1800] = 0x07; /* white ink on black */
        zx_bank(&g_zx, 5)[0] = 0x00;
        zx_run_frame(&g_zx);
        uint32_t px = g_zx.fb[ZX_BORDER_TOP * ZX_FB_WIDTH + ZX_BORDER_LEFT];
        CHECK(name, zx_screen_bank(&g_zx) == 7 && (px & 0xffffff) != 0, "bank %d, pixel %08X", zx_screen_bank(&g_zx),
              px);
        zx_reset(&g_zx);
        snprintf(name, sizeof name, "paging_reset_unlocks_%s", models[k].id);
        zx_page_write(&g_zx, 0x7ffd, 0x04);
        CHECK(name, z80_peek(&g_zx.cpu, 0xffff) == 0xa4 && zx_screen_bank(&g_zx) == 5, "0xFFFF=%02X",
              z80_peek(&g_zx.cpu, 0xffff));
    }
}

/* T-states LD A,(0xC000) takes from 0x8000 when its read falls on t. */
static uint32_t time_read(zx_model_t model, int bank, uint32_t t) {
    make(&g_zx, model);
    zx_page_write(&g_zx, 0x7ffd, (uint8_t)(0x10 | bank));
    static const uint8_t code[] = {0x3a, 0x00, 0xc0, 0x76}; /* ld a,(0xc000); halt */
    for (size_t i = 0; i < sizeof code; i++) z80_poke(&g_zx.cpu, (uint16_t)(0x8000 + i), code[i]);
    g_zx.cpu.pc = 0x8000;
    g_zx.cpu.tstates = t - 10;
    g_zx.cpu.trap_pc = 0x8003;
    z80_run(&g_zx.cpu, t + 100);
    return g_zx.cpu.tstates - (t - 10);
}

static uint32_t time_code(zx_model_t model, const uint8_t *code, size_t n, uint16_t hl, uint32_t t0) {
    make(&g_zx, model);
    zx_page_write(&g_zx, 0x7ffd, 0x14); /* bank 4 at 0xC000 */
    for (size_t i = 0; i < n; i++) z80_poke(&g_zx.cpu, (uint16_t)(0x8000 + i), code[i]);
    g_zx.cpu.pc = 0x8000;
    g_zx.cpu.hl.w = hl;
    g_zx.cpu.af.w = 0;
    g_zx.cpu.tstates = t0;
    g_zx.cpu.trap_pc = (int32_t)(0x8000 + n);
    z80_run(&g_zx.cpu, t0 + 100);
    return g_zx.cpu.tstates - t0;
}

static void test_contention(void) {
    static const uint8_t ula[8] = {6, 5, 4, 3, 2, 1, 0, 0}, gate[8] = {1, 0, 7, 6, 5, 4, 3, 2};
    char name[80];
    for (int k = 0; k < 8; k++) {
        uint32_t t = time_read(ZX_MODEL_128K, 1, 14361 + k);
        snprintf(name, sizeof name, "contention_128k_bank1_at_14361+%d", k);
        CHECK(name, t == 13u + ula[k], "took %u, want %u", t, 13u + ula[k]);
        t = time_read(ZX_MODEL_PLUS3, 4, 14361 + k);
        snprintf(name, sizeof name, "contention_plus3_bank4_at_14361+%d", k);
        CHECK(name, t == 13u + gate[k], "took %u, want %u", t, 13u + gate[k]);
    }
    uint32_t t = time_read(ZX_MODEL_128K, 1, 14361 + 228);
    CHECK("contention_128k_next_line", t == 19, "took %u, want 19 (228-T lines)", t);
    t = time_read(ZX_MODEL_128K, 1, 14361 - 1);
    CHECK("contention_128k_before_screen", t == 13, "took %u", t);
    t = time_read(ZX_MODEL_128K, 0, 14361);
    CHECK("contention_128k_even_bank_free", t == 13, "took %u", t);
    t = time_read(ZX_MODEL_128K, 7, 14361);
    CHECK("contention_128k_bank7", t == 19, "took %u", t);
    t = time_read(ZX_MODEL_PLUS2A, 3, 14361 + 2);
    CHECK("contention_plus2a_bank3_free", t == 13, "took %u", t);
    t = time_read(ZX_MODEL_PLUS2A, 7, 14361 + 2);
    CHECK("contention_plus2a_bank7", t == 20, "took %u, want 13+7", t);
    for (int k = 0; k < 8; k++) {
        t = time_read(ZX_MODEL_PENTAGON, 1, 17988 - 1 + k);
        snprintf(name, sizeof name, "contention_pentagon_none_%d", k);
        CHECK(name, t == 13, "took %u", t);
    }
    /* INC (HL) at 0x8000 from 14357, HL = 0xC000 (bank 4): fetch 4 ->
     * 14361, read waits 1 -> 14365, the internal cycle (no MREQ) is not
     * contended on the gate array -> 14366, the write waits 4 (14366 is 5
     * into the pattern) -> 14373: 16 T. Were the internal cycle contended
     * (ULA style) it would wait 5 at 14365. */
    static const uint8_t inc_hl[] = {0x34};
    t = time_code(ZX_MODEL_PLUS3, inc_hl, sizeof inc_hl, 0xc000, 14357);
    CHECK("contention_plus3_internal_cycle_free", t == 16, "took %u, want 16", t);
    /* OUT (0xFE),A from 14353: fetch, operand -> 14360, the I/O cycle's
     * first T -> 14361 where the ULA's C:3 waits 6 on the 128K (port 0xFE
     * is the ULA's): 17 T; the +3 gate array does not contend I/O: 11 T. */
    static const uint8_t out_fe[] = {0xd3, 0xfe};
    t = time_code(ZX_MODEL_128K, out_fe, sizeof out_fe, 0, 14353);
    CHECK("contention_128k_io", t == 17, "took %u, want 17", t);
    t = time_code(ZX_MODEL_PLUS3, out_fe, sizeof out_fe, 0, 14353);
    CHECK("contention_plus3_io_free", t == 11, "took %u, want 11", t);
}

/* IN A,(0FFh) from 0x8000 started at t0 on model, with the bank's display
 * file filled with distinct non-0xFF bytes; returns A. */
static uint8_t float_read(zx_model_t model, uint8_t port_7ffd, uint32_t t0) {
    make(&g_zx, model);
    zx_page_write(&g_zx, 0x7ffd, port_7ffd);
    for (int bank = 5; bank <= 7; bank += 2)
        for (int i = 0; i < 0x1b00; i++) zx_bank(&g_zx, bank)[i] = (uint8_t)((i * 7 + bank) % 250);
    static const uint8_t code[] = {0xdb, 0xff}; /* in a,(0xff) */
    for (size_t i = 0; i < sizeof code; i++) z80_poke(&g_zx.cpu, (uint16_t)(0x8000 + i), code[i]);
    g_zx.cpu.pc = 0x8000;
    g_zx.cpu.af.b.h = 0; /* port 0x00FF: uncontended */
    g_zx.cpu.tstates = t0;
    g_zx.cpu.trap_pc = 0x8002;
    z80_run(&g_zx.cpu, t0 + 100);
    return g_zx.cpu.af.b.h;
}

/* The 128K's floating bus: FUSE's first fetch at 14364 (its sample point),
 * i.e. 14366 at the latch of IN A,(n), 10 T after the instruction starts
 * (docs/MACHINE.md); the shown bank's bytes; the +2A/+3 and Pentagon
 * answer 0xFF. */
static void test_floating_bus_128k(void) {
    uint8_t first = float_read(ZX_MODEL_128K, 0x10, 14356);
    uint8_t attr = float_read(ZX_MODEL_128K, 0x10, 14357);
    uint8_t before = float_read(ZX_MODEL_128K, 0x10, 14355);
    uint8_t line1 = float_read(ZX_MODEL_128K, 0x10, 14356 + 228);
    CHECK("floating_bus_128k_fetches", first == (0 * 7 + 5) % 250 && attr == (0x1800 * 7 + 5) % 250 && before == 0xff &&
                                           line1 == (0x100 * 7 + 5) % 250,
          "first %02X attr %02X before %02X line1 %02X", first, attr, before, line1);
    uint8_t shadow = float_read(ZX_MODEL_128K, 0x18, 14356);
    CHECK("floating_bus_128k_shadow_screen", shadow == (0 * 7 + 7) % 250, "read %02X", shadow);
    CHECK("floating_bus_plus3_none", float_read(ZX_MODEL_PLUS3, 0x10, 14356 + 3) == 0xff, "read a screen byte");
    CHECK("floating_bus_pentagon_none", float_read(ZX_MODEL_PENTAGON, 0x10, 17990) == 0xff, "read a screen byte");
}

static uint8_t port_in(zx_t *zx, uint16_t port) { return zx->cpu.port_in(zx->cpu.user, port, 100); }
static void port_out(zx_t *zx, uint16_t port, uint8_t v) { zx->cpu.port_out(zx->cpu.user, port, v, 100); }

static void test_ay_ports(void) {
    make(&g_zx, ZX_MODEL_128K);
    port_out(&g_zx, 0xfffd, 7);
    port_out(&g_zx, 0xbffd, 0x3e);
    port_out(&g_zx, 0xfffd, 1);
    port_out(&g_zx, 0xbffd, 0xff);
    uint8_t r1 = port_in(&g_zx, 0xfffd);
    port_out(&g_zx, 0xfffd, 7);
    uint8_t r7 = port_in(&g_zx, 0xfffd);
    uint8_t data_port = port_in(&g_zx, 0xbffd); /* not the AY's on a 128K: floating (border: 0xFF) */
    CHECK("ay_ports_128k", r1 == 0x0f && r7 == 0x3e && data_port == 0xff && g_zx.ay.regs[7] == 0x3e,
          "R1=%02X R7=%02X BFFD=%02X", r1, r7, data_port);
    make(&g_zx, ZX_MODEL_PLUS3);
    port_out(&g_zx, 0xfffd, 8);
    port_out(&g_zx, 0xbffd, 0x1a);
    CHECK("ay_ports_plus3_data_port_reads", port_in(&g_zx, 0xbffd) == 0x1a && port_in(&g_zx, 0xfffd) == 0x1a, "%02X",
          port_in(&g_zx, 0xbffd));
    make(&g_zx, ZX_MODEL_48K);
    port_out(&g_zx, 0xfffd, 7);
    CHECK("ay_ports_absent_on_48k", port_in(&g_zx, 0xfffd) == 0xff, "%02X", port_in(&g_zx, 0xfffd));
    /* a tone on channel A is heard on the left (ABC stereo) */
    make(&g_zx, ZX_MODEL_128K);
    static const uint8_t regs[][2] = {{0, 0x40}, {1, 0}, {7, 0x3e}, {8, 15}};
    for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++) {
        port_out(&g_zx, 0xfffd, regs[i][0]);
        port_out(&g_zx, 0xbffd, regs[i][1]);
    }
    double left = 0, right = 0;
    for (int f = 0; f < 3; f++) {
        zx_run_frame(&g_zx);
        for (uint32_t i = 0; i < g_zx.audio_count; i++) {
            left += g_zx.audio_left[i] * g_zx.audio_left[i];
            right += g_zx.audio_right[i] * g_zx.audio_right[i];
        }
    }
    CHECK("ay_channel_a_left", g_zx.audio_count >= 950 && left > 1.0 && left > 4 * right, "count=%u L=%g R=%g",
          g_zx.audio_count, left, right);
}

static void test_tape_128k(bool real_time) {
    const char *name = real_time ? "tape_128k_real_time" : "tape_128k_trap";
    if (!g_have_opense) {
        CHECK(name, false, "no OpenSE ROM (make setup)");
        return;
    }
    /* ROM 0: the test's stand-in for the 128K editor; ROM 1: OpenSE */
    static uint8_t roms[2 * ZX_ROM_SIZE];
    memset(roms, 0xff, ZX_ROM_SIZE);
    memcpy(roms + ZX_ROM_SIZE, g_opense, ZX_ROM_SIZE);
    zx_discard(&g_zx);
    zx_init(&g_zx, &(zx_desc_t){.model = ZX_MODEL_128K, .rom = roms, .rom_size = sizeof roms, .audio_sample_rate = 48000});
    uint8_t payload[256], tap[400];
    size_t n = tapeload_make_tap(tap, sizeof tap, payload);
    char err[256];
    bool ok = zx_load(&g_zx, tap, n, "t.tap", err, sizeof err);
    bool unarmed_on_rom0 = g_zx.cpu.trap_pc == -1; /* the editor ROM is paged after reset */
    zx_page_write(&g_zx, 0x7ffd, 0x10);
    bool armed_on_rom1 = g_zx.cpu.trap_pc == 0x056c;
    int frames = tapeload_run(&g_zx, real_time);
    bool loaded = tapeload_loaded(&g_zx, payload);
    CHECK(name,
          ok && loaded && (z80_peek(&g_zx.cpu, 0x9100) & 1) && g_zx.tape_loads == (real_time ? 0u : 1u) &&
              (real_time || (unarmed_on_rom0 && armed_on_rom1)),
          "insert=%d loaded=%d trap loads=%u frames=%d unarmed(ROM0)=%d armed(ROM1)=%d", ok, loaded, g_zx.tape_loads,
          frames, unarmed_on_rom0, armed_on_rom1);
    if (real_time) CHECK("tape_128k_real_time_duration", frames > 150 && frames < 260, "%d frames", frames);
}

/* A 128K-family machine in a distinctive state (every bank different,
 * paging, AY registers, mid-frame) saved in each format and loaded into a
 * fresh machine of the same model: everything comes back (SNA keeps no
 * 0x1FFD, AY or T-state: those are left out of its comparison). */
static void test_snapshot_roundtrips(void) {
    static zx_t b;
    static uint8_t file[ZX_SNAPSHOT_MAX];
    static const struct { zx_model_t m; const char *id; } models[] = {
        {ZX_MODEL_128K, "128k"}, {ZX_MODEL_PLUS2A, "plus2a"}, {ZX_MODEL_PLUS3, "plus3"}, {ZX_MODEL_PENTAGON, "pentagon"},
    };
    static const struct { const char *fmt; size_t (*save)(const zx_t *, uint8_t *, size_t); bool full; } formats[] = {
        {"sna", zx_save_sna, false}, {"z80", zx_save_z80, true}, {"szx", zx_save_szx, true},
    };
    for (size_t k = 0; k < sizeof models / sizeof models[0]; k++)
        for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
            make(&g_zx, models[k].m);
            for (int bank = 0; bank < 8; bank++)
                for (int i = 0; i < 16384; i++) zx_bank(&g_zx, bank)[i] = (uint8_t)(i * (bank + 3) + bank * 41);
            bool plus3 = g_zx.timing.paging == ZX_PAGING_PLUS3;
            zx_page_write(&g_zx, 0x7ffd, 0x1b); /* bank 3, shadow screen, ROM 1 */
            if (plus3) zx_page_write(&g_zx, 0x1ffd, 0x04); /* ROM 3 */
            for (int r = 0; r < 14; r++) {
                ay_select(&g_zx.ay, (uint8_t)r);
                ay_write(&g_zx.ay, (uint8_t)(r * 17 + 3));
            }
            ay_select(&g_zx.ay, 9);
            g_zx.cpu.pc = 0xc123;
            g_zx.cpu.sp = 0x8000;
            g_zx.cpu.tstates = 23456;
            size_t n = formats[f].save(&g_zx, file, sizeof file);
            make(&b, models[k].m);
            char err[256] = "", name[80];
            char hint[8];
            snprintf(hint, sizeof hint, "x.%s", formats[f].fmt);
            bool ok = n > 0 && zx_load(&b, file, n, hint, err, sizeof err);
            bool banks = true;
            for (int bank = 0; bank < 8; bank++)
                banks = banks && !memcmp(zx_bank(&b, bank), zx_bank(&g_zx, bank), 16384);
            bool full = !formats[f].full ||
                        (b.port_1ffd == g_zx.port_1ffd && !memcmp(b.ay.regs, g_zx.ay.regs, 16) && b.ay.latch == 9 &&
                         b.cpu.tstates == 23456);
            snprintf(name, sizeof name, "snapshot_%s_roundtrip_%s", formats[f].fmt, models[k].id);
            CHECK(name,
                  ok && banks && b.port_7ffd == 0x1b && b.cpu.pc == 0xc123 && full && zx_screen_bank(&b) == 7 &&
                      z80_peek(&b.cpu, 0xc000) == zx_bank(&g_zx, 3)[0],
                  "ok=%d banks=%d 7ffd=%02X pc=%04X full=%d %s", ok, banks, b.port_7ffd, b.cpu.pc, full, err);
            snprintf(name, sizeof name, "snapshot_%s_model_%s", formats[f].fmt, models[k].id);
            int want = models[k].m;
            if (!formats[f].full) want = ZX_MODEL_128K; /* SNA does not say which 128K model */
            CHECK(name, zx_snapshot_model(file, n, hint) == want, "said %d, want %d", zx_snapshot_model(file, n, hint),
                  want);
            zx_discard(&b);
        }
    /* a 128K snapshot is refused by the 48K, which stays as it was */
    make(&g_zx, ZX_MODEL_128K);
    size_t n = zx_save_z80(&g_zx, file, sizeof file);
    make(&b, ZX_MODEL_48K);
    b.cpu.pc = 0x1234;
    char err[256] = "";
    bool ok = zx_load(&b, file, n, "x.z80", err, sizeof err);
    CHECK("snapshot_128k_refused_by_48k", !ok && b.cpu.pc == 0x1234 && strstr(err, "needs a 128K machine"), "%s", err);
    /* a 48K snapshot on a 128K: 48K mode, locked */
    make(&b, ZX_MODEL_48K);
    zx_bank(&b, 0)[5] = 0x77;
    n = zx_save_z80(&b, file, sizeof file);
    make(&g_zx, ZX_MODEL_PLUS3);
    ok = zx_load(&g_zx, file, n, "x.z80", err, sizeof err);
    zx_page_write(&g_zx, 0x7ffd, 0x01);
    CHECK("snapshot_48k_on_plus3_in_48k_mode",
          ok && z80_peek(&g_zx.cpu, 0xc005) == 0x77 && z80_peek(&g_zx.cpu, 0x3fff) == 0xe3 && (g_zx.port_7ffd & 0x20),
          "ok=%d C005=%02X 3FFF=%02X 7FFD=%02X %s", ok, z80_peek(&g_zx.cpu, 0xc005), z80_peek(&g_zx.cpu, 0x3fff),
          g_zx.port_7ffd, err);
    zx_discard(&b);
}

static size_t read_file(const char *path, uint8_t *buf, size_t cap) {
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

int main(void) {
    g_have_opense = read_file("build/deps/opense.rom", g_opense, sizeof g_opense) == ZX_ROM_SIZE ||
                    read_file("/usr/share/spectrum-roms/opense.rom", g_opense, sizeof g_opense) == ZX_ROM_SIZE;
    g_prog_len = read_file("build/z80/paging128.bin", g_prog, sizeof g_prog);
    test_models();
    test_paging();
    test_contention();
    test_ay_ports();
    test_floating_bus_128k();
    test_snapshot_roundtrips();
    test_tape_128k(false);
    test_tape_128k(true);
    zx_discard(&g_zx);
    return failures ? 1 : 0;
}
