/*
 * test_ay.c: the AY-3-8912 chip (core/chips/ay.h) on its own: register
 * read-back, tone frequencies, the 16 envelope shapes step by step, the
 * noise register's sequence, the mixer, the volume table, stereo placement,
 * samples per frame, silence, save states, and that computing the output in
 * batches between changes gives what stepping it one step at a time gives.
 *
 * Most cases run the chip at 1773400 Hz (the 128K's AY clock as Fuse states
 * it) from a machine clock of exactly twice that (3546800 Hz, not the 128K's
 * 3546900), so that one chip step of 8 chip clocks is exactly 16 machine
 * ticks, with the host rate set to one sample per chip step (221675 Hz).
 * Undoing the DC blocker then recovers the mixer's output step by step, so
 * expected values are the data manual's behaviour written out, not the
 * code's own tables. Host-rate cases use the 128K's 3546900 Hz.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "chips/ay.h"
#include "chips/beeper.h"

#include "check.h"

enum {
    TICK_HZ = 3546800, /* 2 x CHIP_HZ */
    CPU_HZ_128K = 3546900,
    CHIP_HZ = 1773400,
    STEP_HZ = CHIP_HZ / 8, /* one sample per chip step */
    TICKS_PER_STEP = 16,
    STEPS_PER_RUN = 1000, /* fits AY_MAX_SAMPLES */
    FRAME_128K = 70908,
};

/* Westcott's measured voltages (comp.sys.sinclair, Dec 2001; see ay.c),
 * copied here so that the test states the expected levels itself. */
static const double VOLTS[16] = {1.147, 1.162, 1.169, 1.178, 1.192, 1.213, 1.238, 1.299,
                                 1.336, 1.457, 1.573, 1.707, 1.882, 2.06,  2.32,  2.58};
static double expected_level(int amplitude) { return (VOLTS[amplitude] - VOLTS[0]) / (VOLTS[15] - VOLTS[0]); }

static ay_t g_ay, g_other;

static void fresh(int sample_hz, ay_stereo_t stereo) {
    ay_init(&g_ay,
            &(ay_desc_t){.tick_hz = TICK_HZ, .chip_hz = CHIP_HZ, .sample_hz = sample_hz, .stereo = stereo});
    ay_begin_frame(&g_ay);
}

/* At the 128K's own clocks: chip steps do not fall on whole machine ticks. */
static void fresh_128k(int sample_hz, ay_stereo_t stereo) {
    ay_init(&g_ay, &(ay_desc_t){
                       .tick_hz = CPU_HZ_128K, .chip_hz = CHIP_HZ, .sample_hz = sample_hz, .stereo = stereo});
    ay_begin_frame(&g_ay);
}

static void set(ay_t *ay, int reg, int value) {
    ay_select(ay, (uint8_t)reg);
    ay_write(ay, (uint8_t)value);
}

/* Runs n chip steps (the chip fresh at one sample per step, written to only
 * between runs) and stores each step's output before the DC blocker, undoing
 * y[n] = x[n] - x[n-1] + pole * y[n-1]. */
static double *g_left, *g_right;
static bool run_steps(int n) {
    free(g_left);
    free(g_right);
    g_left = calloc((size_t)n, sizeof *g_left);
    g_right = calloc((size_t)n, sizeof *g_right);
    for (int done = 0; done < n;) {
        int k = n - done < STEPS_PER_RUN ? n - done : STEPS_PER_RUN;
        double x[2] = {g_ay.dc_x[0], g_ay.dc_x[1]}, y[2] = {g_ay.dc_y[0], g_ay.dc_y[1]};
        ay_begin_frame(&g_ay);
        ay_end_frame(&g_ay, (uint32_t)(k * TICKS_PER_STEP));
        if ((int)g_ay.sample_count != k) return false;
        for (int i = 0; i < k; i++) {
            const float *out[2] = {g_ay.left, g_ay.right};
            double *dst[2] = {g_left, g_right};
            for (int side = 0; side < 2; side++) {
                x[side] = (double)out[side][i] - (double)AY_DC_POLE * y[side] + x[side];
                y[side] = out[side][i];
                dst[side][done + i] = x[side];
            }
        }
        done += k;
    }
    return true;
}

static bool near(double a, double b, double eps) { return fabs(a - b) < eps; }

/* The amplitude (0-15) whose mono level (a third of the table's) is nearest x. */
static int mono_amplitude(double x) {
    int best = 0;
    for (int a = 1; a < 16; a++)
        if (fabs(expected_level(a) / 3 - x) < fabs(expected_level(best) / 3 - x)) best = a;
    return best;
}

static void test_registers(void) {
    static const uint8_t masks[16] = {0xFF, 0x0F, 0xFF, 0x0F, 0xFF, 0x0F, 0x1F, 0xFF,
                                      0x1F, 0x1F, 0x1F, 0xFF, 0xFF, 0x0F, 0xFF, 0xFF};
    fresh(0, AY_STEREO_MONO);
    bool ok = true;
    int bad = -1;
    for (int r = 0; r < 16; r++) {
        set(&g_ay, r, 0xFF); /* R7 = 0xFF also makes both I/O ports outputs */
        uint8_t got = ay_read(&g_ay);
        if (got != masks[r] && bad < 0) bad = r, ok = false;
        set(&g_ay, r, 0xAA);
        if (r != 7 && ay_read(&g_ay) != (0xAA & masks[r]) && bad < 0) bad = r, ok = false;
        if (r == 7) set(&g_ay, 7, 0xFF);
    }
    CHECK("ay_register_masks", ok, "register %d reads back wrong", bad);

    /* I/O port A (R14): input mode reads the pins, output mode the register
     * ANDed with the pins; R15 has no pins on the 8912 */
    set(&g_ay, 7, 0x3F);
    set(&g_ay, 14, 0x55);
    uint8_t in_mode = ay_read(&g_ay);
    set(&g_ay, 7, 0x7F);
    ay_select(&g_ay, 14);
    uint8_t out_mode = ay_read(&g_ay);
    g_ay.port_a_input = 0xBF;
    uint8_t out_pulled = ay_read(&g_ay);
    set(&g_ay, 7, 0x3F);
    ay_select(&g_ay, 14);
    uint8_t in_pulled = ay_read(&g_ay);
    set(&g_ay, 15, 0x12);
    uint8_t r15_in = ay_read(&g_ay);
    set(&g_ay, 7, 0xBF);
    ay_select(&g_ay, 15);
    uint8_t r15_out = ay_read(&g_ay);
    CHECK("ay_io_port_readback",
          in_mode == 0xFF && out_mode == 0x55 && out_pulled == 0x15 && in_pulled == 0xBF && r15_in == 0xFF &&
              r15_out == 0x12,
          "R14 in %02X out %02X out&BF %02X in(BF) %02X; R15 in %02X out %02X", in_mode, out_mode, out_pulled,
          in_pulled, r15_in, r15_out);

    /* an address with high bits set deselects the chip */
    set(&g_ay, 0, 0x34);
    ay_select(&g_ay, 0x10);
    uint8_t floating = ay_read(&g_ay);
    ay_write(&g_ay, 0x99); /* ignored: R0 keeps 0x34 */
    ay_select(&g_ay, 0);
    uint8_t r0 = ay_read(&g_ay);
    ay_write_reg(&g_ay, 1, 0xF7);
    bool latch_kept = g_ay.latch == 0 && g_ay.regs[1] == 0x07;
    CHECK("ay_upper_address_deselects", floating == 0xFF && r0 == 0x34 && latch_kept,
          "read %02X, R0 %02X, latch %d", floating, r0, latch_kept);

    ay_reset(&g_ay);
    bool cleared = true;
    for (int r = 0; r < 16; r++)
        cleared = cleared && g_ay.regs[r] == 0;
    CHECK("ay_reset_clears_registers", cleared && g_ay.latch == 0, "registers not cleared");
}

/* Tone on channel ch only at the given period, amplitude 15: the flip-flop
 * turns every period steps (8 chip clocks each), so f = chip / (16 period). */
static void tone_only(int ch, int period) {
    set(&g_ay, 2 * ch, period & 0xFF);
    set(&g_ay, 2 * ch + 1, period >> 8);
    set(&g_ay, 7, 0x3F & ~(1 << ch));
    set(&g_ay, 8 + ch, 15);
}

static void test_tone_steps(void) {
    static const int periods[] = {0x100, 0x01C, 0x001, 0xFFF};
    for (int ch = 0; ch < 3; ch++) {
        for (size_t p = 0; p < sizeof periods / sizeof periods[0]; p++) {
            int period = periods[p];
            fresh(STEP_HZ, AY_STEREO_MONO);
            tone_only(ch, period);
            int n = 6 * period + 3;
            bool ran = run_steps(n);
            /* the flip-flop starts low: period steps low, period high, ... */
            int wrong = -1;
            for (int i = 0; i < n && ran; i++) {
                bool high = (i / period) & 1;
                double want = high ? expected_level(15) / 3 : 0.0;
                if (!near(g_left[i], want, 1e-4) || !near(g_right[i], want, 1e-4)) {
                    wrong = i;
                    break;
                }
            }
            char name[64];
            snprintf(name, sizeof name, "ay_tone_%c_period_%03X", 'A' + ch, period);
            CHECK(name, ran && wrong < 0, "step %d: %f", wrong, wrong >= 0 ? g_left[wrong] : 0.0);
        }
    }
    /* period 0 acts as 1 (data manual: the lowest period value is 1) */
    fresh(STEP_HZ, AY_STEREO_MONO);
    tone_only(0, 0);
    bool ran = run_steps(8);
    bool alternates = ran;
    for (int i = 0; i < 8 && ran; i++)
        alternates = alternates && near(g_left[i], (i & 1) ? expected_level(15) / 3 : 0, 1e-4);
    CHECK("ay_tone_period_0_as_1", alternates, "%f %f %f", g_left[0], g_left[1], g_left[2]);

    /* the counter counts up: a period lowered below the count ends the half cycle at the next step */
    fresh(STEP_HZ, AY_STEREO_MONO);
    tone_only(0, 100);
    run_steps(50);
    set(&g_ay, 0, 10);
    ran = run_steps(12);
    CHECK("ay_tone_period_lowered",
          ran && near(g_left[0], 0, 1e-4) && near(g_left[1], expected_level(15) / 3, 1e-4) &&
              near(g_left[10], expected_level(15) / 3, 1e-4) && near(g_left[11], 0, 1e-4),
          "%f %f %f %f", g_left[0], g_left[1], g_left[10], g_left[11]);
}

/* Zero crossings of the host-rate output over one second of 128K frames:
 * twice the tone's frequency. */
static void test_tone_frequency_at_host_rate(void) {
    static const int periods[] = {0x100, 0x01C};
    static const int rates[] = {44100, 48000};
    for (size_t r = 0; r < 2; r++) {
        for (size_t p = 0; p < 2; p++) {
            fresh_128k(rates[r], AY_STEREO_ABC);
            tone_only(0, periods[p]);
            int crossings = 0;
            float last = 0.0f;
            uint64_t ticks = 0;
            for (int frame = 0; frame < 50; frame++) {
                ay_begin_frame(&g_ay);
                ay_end_frame(&g_ay, FRAME_128K);
                ticks += FRAME_128K;
                for (uint32_t i = 0; i < g_ay.sample_count; i++) {
                    float s = g_ay.left[i];
                    if (frame > 0 && ((s > 0) != (last > 0))) crossings++;
                    last = s;
                }
            }
            double seconds =
                (double)(ticks - FRAME_128K) / CPU_HZ_128K; /* the first frame settles the DC blocker */
            double measured = crossings / (2 * seconds);
            double want = (double)CHIP_HZ / (16.0 * periods[p]);
            char name[64];
            snprintf(name, sizeof name, "ay_tone_%03X_at_%d_hz", periods[p], rates[r]);
            CHECK(name, fabs(measured - want) / want < 0.005, "measured %.2f Hz, want %.2f Hz", measured,
                  want);
        }
    }
}

/* Each envelope shape over three ramps, one letter per envelope step (hex
 * amplitude), as the data manual draws them: \ decays 15 -> 0 over 16 steps,
 * / attacks 0 -> 15, then the shape holds, repeats or alternates. */
/* clang-format off */
static const char *const SHAPES[16] = {
    /* 00xx: \___ */
    "FEDCBA9876543210" "0000000000000000" "0000000000000000",
    "FEDCBA9876543210" "0000000000000000" "0000000000000000",
    "FEDCBA9876543210" "0000000000000000" "0000000000000000",
    "FEDCBA9876543210" "0000000000000000" "0000000000000000",
    /* 01xx: /___ */
    "0123456789ABCDEF" "0000000000000000" "0000000000000000",
    "0123456789ABCDEF" "0000000000000000" "0000000000000000",
    "0123456789ABCDEF" "0000000000000000" "0000000000000000",
    "0123456789ABCDEF" "0000000000000000" "0000000000000000",
    /* 1000: \\\\ */
    "FEDCBA9876543210" "FEDCBA9876543210" "FEDCBA9876543210",
    /* 1001: \___ */
    "FEDCBA9876543210" "0000000000000000" "0000000000000000",
    /* 1010: \/\/ */
    "FEDCBA9876543210" "0123456789ABCDEF" "FEDCBA9876543210",
    /* 1011: \``` */
    "FEDCBA9876543210" "FFFFFFFFFFFFFFFF" "FFFFFFFFFFFFFFFF",
    /* 1100: //// */
    "0123456789ABCDEF" "0123456789ABCDEF" "0123456789ABCDEF",
    /* 1101: /``` */
    "0123456789ABCDEF" "FFFFFFFFFFFFFFFF" "FFFFFFFFFFFFFFFF",
    /* 1110: /\/\ */
    "0123456789ABCDEF" "FEDCBA9876543210" "0123456789ABCDEF",
    /* 1111: /___ */
    "0123456789ABCDEF" "0000000000000000" "0000000000000000",
};
/* clang-format on */

static int hex(char c) { return c <= '9' ? c - '0' : c - 'A' + 10; }

/* Runs the envelope on channel A (envelope mode, tone and noise off) with
 * period ep and checks each envelope step's amplitude from the output: an
 * envelope step lasts 16 ep chip clocks = 2 ep chip steps (ep = 0: 1 step). */
static bool envelope_matches(int shape, int ep, const char *want, int *bad_step, int *bad_got) {
    fresh(STEP_HZ, AY_STEREO_MONO);
    set(&g_ay, 7, 0x3F);
    set(&g_ay, 8, 0x10);
    set(&g_ay, 11, ep & 0xFF);
    set(&g_ay, 12, ep >> 8);
    set(&g_ay, 13, shape);
    int per_step = ep ? 2 * ep : 1;
    int steps = (int)strlen(want);
    if (!run_steps(steps * per_step)) return false;
    for (int s = 0; s < steps; s++) {
        for (int i = 0; i < per_step; i++) {
            int got = mono_amplitude(g_left[s * per_step + i]);
            if (got != hex(want[s])) {
                *bad_step = s;
                *bad_got = got;
                return false;
            }
        }
    }
    return true;
}

static void test_envelope_shapes(void) {
    for (int shape = 0; shape < 16; shape++) {
        int bad_step = -1, bad_got = -1;
        bool ok = envelope_matches(shape, 1, SHAPES[shape], &bad_step, &bad_got);
        char name[64];
        snprintf(name, sizeof name, "ay_envelope_shape_%X", shape);
        CHECK(name, ok, "step %d: amplitude %d, want %c", bad_step, bad_got,
              bad_step >= 0 ? SHAPES[shape][bad_step] : '?');
    }
    /* the period: a whole ramp of 16 steps lasts 256 EP chip clocks */
    int bad_step = -1, bad_got = -1;
    bool ok = envelope_matches(0x8, 3, SHAPES[0x8], &bad_step, &bad_got);
    CHECK("ay_envelope_period_3", ok, "step %d: amplitude %d", bad_step, bad_got);
    ok = envelope_matches(0xE, 0, SHAPES[0xE], &bad_step, &bad_got);
    CHECK("ay_envelope_period_0_is_half_of_1", ok, "step %d: amplitude %d", bad_step, bad_got);

    /* writing R13 restarts the shape, even with the same value */
    fresh(STEP_HZ, AY_STEREO_MONO);
    set(&g_ay, 7, 0x3F);
    set(&g_ay, 8, 0x10);
    set(&g_ay, 11, 1);
    set(&g_ay, 13, 0x0C);
    run_steps(11); /* into step 5 */
    set(&g_ay, 13, 0x0C);
    bool ran = run_steps(4);
    CHECK("ay_envelope_restarts_on_write",
          ran && mono_amplitude(g_left[0]) == 0 && mono_amplitude(g_left[1]) == 0 &&
              mono_amplitude(g_left[2]) == 1,
          "%d %d %d", mono_amplitude(g_left[0]), mono_amplitude(g_left[1]), mono_amplitude(g_left[2]));
    CHECK("ay_channel_amplitude", ay_channel_amplitude(&g_ay, 0) == 2 && ay_channel_amplitude(&g_ay, 1) == 0,
          "%d %d", ay_channel_amplitude(&g_ay, 0), ay_channel_amplitude(&g_ay, 1));
}

/* Noise alone on channel A at period 1: the 17-bit register shifts every 2
 * chip steps (16 chip clocks: f = chip / (16 NP)). A maximal-length 17-bit
 * shift register repeats after 2^17 - 1 = 131071 shifts (a prime, so no
 * shorter period but 1), holds 65536 ones and 65535 zeros per period, and
 * its longest runs are 17 ones and 16 zeros. */
static void test_noise_sequence(void) {
    enum { PERIOD = 131071 };
    fresh(STEP_HZ, AY_STEREO_MONO);
    set(&g_ay, 6, 1);
    set(&g_ay, 7, 0x37);
    set(&g_ay, 8, 15);
    int n = 2 * (PERIOD + 1000) + 2;
    bool ran = run_steps(n);
    double high = expected_level(15) / 3;
    bool two_level = ran, pairs = ran;
    static uint8_t bits[PERIOD + 1000];
    /* the register shifts after every second step, from the first: the
     * output changes at odd steps */
    for (int i = 0; i < PERIOD + 1000 && ran; i++) {
        double a = g_left[2 * i + 1], b = g_left[2 * i + 2];
        two_level = two_level && (near(a, 0, 1e-4) || near(a, high, 1e-4));
        pairs = pairs && near(a, b, 1e-4);
        bits[i] = a > high / 2;
    }
    CHECK("ay_noise_changes_every_16_clocks", two_level && pairs, "two levels %d, pairs %d", two_level,
          pairs);
    bool repeats = true;
    for (int i = 0; i < 1000; i++)
        repeats = repeats && bits[i] == bits[i + PERIOD];
    int ones = 0, run = 0, longest_ones = 0, longest_zeros = 0;
    for (int i = 0; i < PERIOD; i++) {
        ones += bits[i];
        run = (i > 0 && bits[i] == bits[i - 1]) ? run + 1 : 1;
        if (bits[i] && run > longest_ones) longest_ones = run;
        if (!bits[i] && run > longest_zeros) longest_zeros = run;
    }
    CHECK("ay_noise_lfsr_period", repeats && ones == 65536, "repeats %d, %d ones", repeats, ones);
    CHECK("ay_noise_lfsr_runs", longest_ones == 17 && longest_zeros == 16, "longest runs: %d ones, %d zeros",
          longest_ones, longest_zeros);

    /* at period 5 the output changes only every 10 steps */
    fresh(STEP_HZ, AY_STEREO_MONO);
    set(&g_ay, 6, 5);
    set(&g_ay, 7, 0x37);
    set(&g_ay, 8, 15);
    ran = run_steps(2000);
    bool on_grid = ran;
    int changes = 0, phase = -1;
    for (int i = 1; i < 2000 && ran; i++) {
        if (!near(g_left[i], g_left[i - 1], 1e-4)) {
            changes++;
            if (phase < 0) phase = i % 10;
            on_grid = on_grid && i % 10 == phase;
        }
    }
    CHECK("ay_noise_period_5", on_grid && changes > 50, "on grid %d, %d changes", on_grid, changes);
}

/* Mixer (R7, active low): channel ch gets tone at period 2 (square: 2 steps
 * low, 2 high) and noise at period 1; the output is high where the enabled
 * sources are all high. */
static double high_fraction_on(int ch, int mixer) {
    fresh(STEP_HZ, AY_STEREO_MONO);
    set(&g_ay, 2 * ch, 2);
    set(&g_ay, 6, 1);
    set(&g_ay, 7, mixer);
    set(&g_ay, 8 + ch, 15);
    enum { N = 40000 };
    if (!run_steps(N)) return -1;
    int high = 0;
    for (int i = 0; i < N; i++)
        high += g_left[i] > expected_level(15) / 6;
    return (double)high / N;
}

static double high_fraction(int mixer) { return high_fraction_on(0, mixer); }

static void test_mixer(void) {
    double tone = high_fraction(0x3E), noise = high_fraction(0x37), both = high_fraction(0x36);
    double neither = high_fraction(0x3F), other_channels = high_fraction(0x09);
    CHECK("ay_mixer_tone_only", near(tone, 0.5, 1e-9), "%f high", tone);
    CHECK("ay_mixer_noise_only", near(noise, 0.5, 0.02), "%f high", noise);
    CHECK("ay_mixer_tone_and_noise", near(both, 0.25, 0.02), "%f high", both);
    CHECK("ay_mixer_both_off_constant", near(neither, 1.0, 1e-9), "%f high", neither);
    /* B: tone off, noise on (bit 4 low), A's and C's noise off; C: tone on only */
    double noise_b = high_fraction_on(1, 0x2F), tone_c = high_fraction_on(2, 0x3B);
    CHECK("ay_mixer_bits_are_per_channel",
          near(other_channels, 1.0, 1e-9) && near(noise_b, 0.5, 0.02) && near(tone_c, 0.5, 1e-9),
          "A with B, C enabled %f, noise B %f, tone C %f", other_channels, noise_b, tone_c);
    /* everything enabled (the reset state) at amplitude 0 is silent */
    fresh(STEP_HZ, AY_STEREO_MONO);
    set(&g_ay, 0, 2);
    set(&g_ay, 6, 1);
    bool ran = run_steps(1000);
    double peak = 0;
    for (int i = 0; i < 1000 && ran; i++)
        peak = fmax(peak, fabs(g_left[i]));
    CHECK("ay_mixer_amplitude_0_silent", ran && peak == 0.0, "peak %g", peak);
}

static void test_fixed_levels(void) {
    bool ok = true;
    int bad = -1;
    double got = 0;
    for (int a = 0; a < 16; a++) {
        fresh(STEP_HZ, AY_STEREO_MONO);
        set(&g_ay, 7, 0x3F);
        set(&g_ay, 8, a | 0xE0); /* bits 5-7 are not part of the register */
        if (!run_steps(20)) ok = false;
        for (int i = 0; i < 20; i++)
            if (!near(g_left[i], expected_level(a) / 3, 1e-5) || !near(g_right[i], g_left[i], 1e-9)) {
                if (bad < 0) bad = a, got = g_left[i];
                ok = false;
            }
    }
    CHECK("ay_fixed_levels_measured_table", ok, "amplitude %d: %f, want %f", bad, got,
          bad >= 0 ? expected_level(bad) / 3 : 0);
}

/* One channel at a time at amplitude 15, constant; where it lands. */
static void placement(ay_stereo_t stereo, int ch, double *left, double *right) {
    fresh(STEP_HZ, stereo);
    set(&g_ay, 7, 0x3F);
    set(&g_ay, 8 + ch, 15);
    run_steps(10);
    *left = g_left[9];
    *right = g_right[9];
}

static void test_stereo(void) {
    /* documented panning: sides weigh 2/3, the centre 1/3 on each side */
    static const struct {
        ay_stereo_t mode;
        const char *name;
        double left[3], right[3];
    } cases[] = {
        {AY_STEREO_MONO, "ay_stereo_mono", {1 / 3.0, 1 / 3.0, 1 / 3.0}, {1 / 3.0, 1 / 3.0, 1 / 3.0}},
        {AY_STEREO_ABC, "ay_stereo_abc", {2 / 3.0, 1 / 3.0, 0}, {0, 1 / 3.0, 2 / 3.0}},
        {AY_STEREO_ACB, "ay_stereo_acb", {2 / 3.0, 0, 1 / 3.0}, {0, 2 / 3.0, 1 / 3.0}},
    };
    for (size_t c = 0; c < 3; c++) {
        bool ok = true;
        double l[3], r[3];
        for (int ch = 0; ch < 3; ch++) {
            placement(cases[c].mode, ch, &l[ch], &r[ch]);
            ok = ok && near(l[ch], cases[c].left[ch], 1e-5) && near(r[ch], cases[c].right[ch], 1e-5);
        }
        CHECK(cases[c].name, ok, "A %.3f/%.3f B %.3f/%.3f C %.3f/%.3f", l[0], r[0], l[1], r[1], l[2], r[2]);
    }
    /* switching at run time */
    fresh(STEP_HZ, AY_STEREO_MONO);
    set(&g_ay, 7, 0x3F);
    set(&g_ay, 8, 15);
    ay_set_stereo(&g_ay, AY_STEREO_ABC);
    run_steps(2);
    CHECK("ay_stereo_switch", near(g_left[1], 2 / 3.0, 1e-5) && near(g_right[1], 0, 1e-5), "%f %f", g_left[1],
          g_right[1]);
}

/* Samples per frame: the frame's length in host samples, carried over
 * from frame to frame. */
static void test_samples_per_frame(void) {
    static const struct {
        int tick_hz, chip_hz, frame, sample_hz;
    } cases[] = {
        {3546900, 1773400, 70908, 44100},
        {3546900, 1773400, 70908, 48000},
        {3500000, 1750000, 71680, 44100},
        {3500000, 1750000, 71680, 48000}, /* Pentagon */
    };
    for (size_t c = 0; c < 4; c++) {
        ay_init(&g_ay, &(ay_desc_t){.tick_hz = cases[c].tick_hz,
                                    .chip_hz = cases[c].chip_hz,
                                    .sample_hz = cases[c].sample_hz});
        uint64_t total = 0;
        uint32_t lo = UINT32_MAX, hi = 0;
        enum { FRAMES = 100 };
        for (int f = 0; f < FRAMES; f++) {
            ay_begin_frame(&g_ay);
            ay_advance(&g_ay, 1234); /* events within the frame change nothing */
            ay_end_frame(&g_ay, (uint32_t)cases[c].frame);
            total += g_ay.sample_count;
            lo = g_ay.sample_count < lo ? g_ay.sample_count : lo;
            hi = g_ay.sample_count > hi ? g_ay.sample_count : hi;
        }
        double exact = (double)FRAMES * cases[c].frame * cases[c].sample_hz / cases[c].tick_hz;
        double per_frame = exact / FRAMES;
        char name[64];
        snprintf(name, sizeof name, "ay_samples_per_frame_%d_%d", cases[c].tick_hz, cases[c].sample_hz);
        CHECK(name,
              fabs((double)total - exact) <= 1.0 && lo >= (uint32_t)floor(per_frame) &&
                  hi <= (uint32_t)ceil(per_frame),
              "%llu samples in %d frames (exact %.2f), %u-%u a frame", (unsigned long long)total, FRAMES,
              exact, lo, hi);
    }
    CHECK("ay_max_samples_as_beeper", (int)AY_MAX_SAMPLES == (int)BEEPER_MAX_SAMPLES, "%d vs %d",
          AY_MAX_SAMPLES, BEEPER_MAX_SAMPLES);
    ay_init(&g_ay, &(ay_desc_t){.tick_hz = TICK_HZ, .chip_hz = CHIP_HZ});
    CHECK("ay_default_rate", g_ay.sample_hz == AY_DEFAULT_SAMPLE_HZ && g_ay.stereo == AY_STEREO_MONO, "%d Hz",
          g_ay.sample_hz);
}

static void test_silence(void) {
    fresh_128k(48000, AY_STEREO_ABC);
    ay_end_frame(&g_ay, FRAME_128K);
    float peak = 0;
    for (uint32_t i = 0; i < g_ay.sample_count; i++)
        peak = fmaxf(peak, fmaxf(fabsf(g_ay.left[i]), fabsf(g_ay.right[i])));
    CHECK("ay_reset_state_silent", g_ay.sample_count == 959 && peak == 0.0f, "%u samples, peak %g",
          g_ay.sample_count, peak);

    /* channels off (tone and noise disabled) at fixed levels: a constant,
     * which the DC blocker takes away */
    set(&g_ay, 7, 0x3F);
    for (int ch = 0; ch < 3; ch++)
        set(&g_ay, 8 + ch, 15);
    float first = 0;
    for (int frame = 0; frame < 10; frame++) {
        ay_begin_frame(&g_ay);
        ay_end_frame(&g_ay, FRAME_128K);
        if (frame == 0) first = g_ay.left[1];
    }
    peak = 0;
    for (uint32_t i = 0; i < g_ay.sample_count; i++)
        peak = fmaxf(peak, fmaxf(fabsf(g_ay.left[i]), fabsf(g_ay.right[i])));
    CHECK("ay_constant_level_silent_after_dc_removal", first > 0.5f && peak < 1e-6f, "first %f, peak %g",
          first, peak);
}

/* Busy registers: three tones, noise, a repeating envelope. */
static void busy(ay_t *ay) {
    static const uint8_t regs[14] = {0x23, 0x01, 0x77, 0x00, 0x1C, 0x02, 0x07,
                                     0x30, 0x0F, 0x10, 0x09, 0x40, 0x00, 0x0E};
    for (int r = 0; r < 14; r++)
        set(ay, r, regs[r]);
}

static void test_save_state(void) {
    fresh_128k(48000, AY_STEREO_ABC);
    busy(&g_ay);
    ay_advance(&g_ay, 30001);
    g_other = g_ay; /* the save state, mid-frame and mid-sample */
    for (int frame = 0; frame < 3; frame++) {
        ay_t *chips[2] = {&g_ay, &g_other};
        for (int k = 0; k < 2; k++) {
            if (frame > 0) ay_begin_frame(chips[k]);
            ay_advance(chips[k], 40000);
            set(chips[k], 1, frame + 2);
            ay_end_frame(chips[k], FRAME_128K);
        }
    }
    float energy = 0;
    for (uint32_t i = 0; i < g_ay.sample_count; i++)
        energy += g_ay.left[i] * g_ay.left[i];
    CHECK("ay_save_state_continues", memcmp(&g_ay, &g_other, sizeof g_ay) == 0 && energy > 1.0f,
          "differs (energy %f)", energy);
}

/* The chip computes the output in batches between changes; stepping it one
 * tick at a time (at most one chip step per call) must give the same. */
static void test_batches_match_steps(void) {
    fresh_128k(44100, AY_STEREO_ACB);
    busy(&g_ay);
    g_other = g_ay;
    srand(11);
    bool same = true;
    float worst = 0;
    for (int frame = 0; frame < 20 && same; frame++) {
        ay_begin_frame(&g_ay);
        ay_begin_frame(&g_other);
        uint32_t t = 0, stepped = 0;
        for (int w = 0; w < 30; w++) {
            t += (uint32_t)(rand() % 4000);
            if (t >= FRAME_128K) break;
            int reg = rand() % 14, value = rand() & 0xFF;
            if (reg == 7) value &= 0x3F;
            if (reg == 6 && value % 3 == 0) value = 0; /* period 0 too */
            ay_advance(&g_ay, t);
            while (stepped < t)
                ay_advance(&g_other, ++stepped);
            set(&g_ay, reg, value);
            set(&g_other, reg, value);
        }
        ay_end_frame(&g_ay, FRAME_128K);
        while (stepped < FRAME_128K)
            ay_advance(&g_other, ++stepped);
        ay_end_frame(&g_other, FRAME_128K);
        same = g_ay.sample_count == g_other.sample_count &&
               memcmp(g_ay.tone_count, g_other.tone_count, sizeof g_ay.tone_count) == 0 &&
               memcmp(g_ay.tone_out, g_other.tone_out, sizeof g_ay.tone_out) == 0 &&
               g_ay.noise_lfsr == g_other.noise_lfsr && g_ay.noise_count == g_other.noise_count &&
               g_ay.noise_prescale == g_other.noise_prescale && g_ay.env_count == g_other.env_count &&
               g_ay.env_level == g_other.env_level && g_ay.env_holding == g_other.env_holding;
        for (uint32_t i = 0; i < g_ay.sample_count; i++) {
            worst = fmaxf(worst, fabsf(g_ay.left[i] - g_other.left[i]));
            worst = fmaxf(worst, fabsf(g_ay.right[i] - g_other.right[i]));
        }
    }
    CHECK("ay_batches_match_single_steps", same && worst < 1e-5f, "state same %d, worst sample difference %g",
          same, worst);
}

static void test_skip_restart_and_bound(void) {
    fresh_128k(48000, AY_STEREO_MONO);
    busy(&g_ay);
    ay_advance(&g_ay, 1000);
    uint32_t before = g_ay.sample_count;
    ay_t frozen = g_ay;
    ay_skip_to(&g_ay, 20000);
    ay_skip_to(&g_ay, 5000); /* never backwards */
    bool skipped = g_ay.sample_count == before && g_ay.tick == 20000 &&
                   g_ay.noise_lfsr == frozen.noise_lfsr && g_ay.env_count == frozen.env_count &&
                   g_ay.tone_count[0] == frozen.tone_count[0];
    CHECK("ay_skip", skipped, "%u samples (was %u), tick %u", g_ay.sample_count, before, g_ay.tick);
    ay_restart_at(&g_ay, 3000);
    ay_advance(&g_ay, 3000 + 3546900 / 48000 * 10);
    CHECK("ay_restart", g_ay.tick == 3000 + 3546900 / 48000 * 10 && g_ay.sample_count >= before + 9,
          "tick %u, %u samples", g_ay.tick, g_ay.sample_count);

    fresh(48000, AY_STEREO_MONO);
    ay_advance(&g_ay, 4 * FRAME_128K); /* ~3,800 samples in one frame */
    CHECK("ay_buffer_bounded", g_ay.sample_count == AY_MAX_SAMPLES, "%u samples", g_ay.sample_count);
    ay_end_frame(&g_ay, FRAME_128K);
    CHECK("ay_event_past_frame_end", g_ay.tick == 3 * FRAME_128K, "tick %u", g_ay.tick);
}

int main(void) {
    test_registers();
    test_tone_steps();
    test_tone_frequency_at_host_rate();
    test_envelope_shapes();
    test_noise_sequence();
    test_mixer();
    test_fixed_levels();
    test_stereo();
    test_samples_per_frame();
    test_silence();
    test_save_state();
    test_batches_match_steps();
    test_skip_restart_and_bound();
    free(g_left);
    free(g_right);
    return failures ? 1 : 0;
}
