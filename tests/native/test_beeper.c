/*
 * test_beeper.c: the beeper chip (core/chips/beeper.h) on its own: the box
 * filter's exact averages, the DC blocker, frame bookkeeping, skipping, and
 * the sample buffer's bound; and the advance's whole-sample shortcut against
 * the plain step-by-step integration, bit for bit, on the Spectrum's clock.
 *
 * A 100 Hz clock sampled at 10 Hz puts 10 ticks in each sample, so every
 * expected value below is a short hand calculation.
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "chips/beeper.h"

#include "check.h"

static beeper_t g_b;

static void fresh(int sample_hz) {
    beeper_init(&g_b, &(beeper_desc_t){.tick_hz = 100, .sample_hz = sample_hz});
    beeper_begin_frame(&g_b);
}

static bool near(float a, float b) { return fabsf(a - b) < 1e-6f; }

static void test_box_filter(void) {
    fresh(10);
    beeper_set_level(&g_b, 1.0);
    beeper_advance(&g_b, 5); /* half of sample 0 high */
    beeper_set_level(&g_b, 0.0);
    beeper_advance(&g_b, 23); /* sample 1 low; sample 2 in progress */
    /* y0 = 0.5; y1 = 0 - 0.5 + 0.995 * 0.5 */
    CHECK("beeper_box_average",
          g_b.sample_count == 2 && near(g_b.samples[0], 0.5f) && near(g_b.samples[1], -0.5f + 0.995f * 0.5f),
          "%u samples: %f %f", g_b.sample_count, g_b.samples[0], g_b.samples[1]);
    /* the 3 ticks of sample 2 so far are kept across the frame boundary */
    beeper_set_level(&g_b, 1.0);
    beeper_end_frame(&g_b, 25); /* ticks 23-25 high, then the next frame */
    beeper_begin_frame(&g_b);
    beeper_advance(&g_b, 5); /* ticks 0-5 of the new frame finish sample 2 */
    float x1 = 0.0f, y1 = -0.5f + 0.995f * 0.5f;
    float x2 = 0.7f; /* 7 of its 10 ticks high */
    CHECK("beeper_sample_spans_frames",
          g_b.tick == 5 && g_b.sample_count == 1 && near(g_b.samples[0], x2 - x1 + 0.995f * y1),
          "tick %u, %u samples: %f", g_b.tick, g_b.sample_count, g_b.samples[0]);
}

static void test_dc_blocker(void) {
    fresh(10);
    beeper_set_level(&g_b, 0.8);
    beeper_advance(&g_b, 10000); /* 1,000 samples of a constant level */
    float last = g_b.samples[g_b.sample_count - 1];
    CHECK("beeper_dc_removed", g_b.sample_count == 1000 && near(g_b.samples[0], 0.8f) && fabsf(last) < 0.01f,
          "%u samples, first %f, last %f", g_b.sample_count, g_b.samples[0], last);
}

static void test_skip_and_restart(void) {
    fresh(10);
    beeper_set_level(&g_b, 1.0);
    beeper_advance(&g_b, 4);
    beeper_skip_to(&g_b, 50); /* nothing produced, sample 0 still at 4 of 10 ticks */
    beeper_skip_to(&g_b, 30); /* never backwards */
    bool skipped = g_b.sample_count == 0 && g_b.tick == 50;
    beeper_advance(&g_b, 56);
    CHECK("beeper_skip", skipped && g_b.sample_count == 1 && near(g_b.samples[0], 1.0f),
          "skipped=%d %u samples %f", skipped, g_b.sample_count, g_b.sample_count ? g_b.samples[0] : 0.0f);
    beeper_restart_at(&g_b, 20); /* a state restored earlier in the frame */
    beeper_advance(&g_b, 30);
    CHECK("beeper_restart", g_b.tick == 30 && g_b.sample_count == 2, "tick %u, %u samples", g_b.tick,
          g_b.sample_count);
}

static void test_defaults_and_bound(void) {
    fresh(0);
    CHECK("beeper_default_rate", g_b.sample_hz == BEEPER_DEFAULT_SAMPLE_HZ, "%d Hz", g_b.sample_hz);
    beeper_init(&g_b, &(beeper_desc_t){.tick_hz = 10, .sample_hz = 10});
    beeper_set_level(&g_b, 1.0);
    beeper_advance(&g_b, BEEPER_MAX_SAMPLES + 100);
    CHECK("beeper_buffer_bounded", g_b.sample_count == BEEPER_MAX_SAMPLES, "%u samples", g_b.sample_count);
}

/* The integration as the definition states it: the level added step by
 * step up to each sample boundary, a sample emitted at each (the DC blocker
 * as in beeper.c). */
static void reference_advance(beeper_t *b, uint32_t t) {
    if (t <= b->tick) return;
    const uint64_t per_sample = (uint64_t)b->tick_hz;
    uint64_t units = (uint64_t)(t - b->tick) * (uint64_t)b->sample_hz;
    while (units) {
        uint64_t room = per_sample - b->phase;
        uint64_t step = units < room ? units : room;
        b->acc += b->level * (double)step;
        b->phase += step;
        units -= step;
        if (b->phase == per_sample) {
            float x = (float)(b->acc / (double)per_sample);
            float y = x - b->dc_x + 0.995f * b->dc_y;
            b->dc_x = x;
            b->dc_y = y;
            if (b->sample_count < BEEPER_MAX_SAMPLES) b->samples[b->sample_count++] = y;
            b->acc = 0;
            b->phase = 0;
        }
    }
    b->tick = t;
}

/* Frames of a 3.5 MHz machine at 48 and 44.1 kHz with level changes at
 * random T-states, some a T apart, some a frame apart, with the levels the
 * Spectrum's speaker takes (EAR, MIC and tape sums, inexact in binary). */
static void test_shortcut_matches_steps(void) {
    static const double levels[] = {0.0, 0.75, 0.8, 0.05, 0.2, 0.95, 1.0, 0.25};
    static beeper_t fast, ref;
    for (int rate = 0; rate < 2; rate++) {
        beeper_init(&fast, &(beeper_desc_t){.tick_hz = 3500000, .sample_hz = rate ? 44100 : 48000});
        ref = fast;
        uint32_t rng = 12345, frame_t = 69888;
        bool same = true;
        int frame = 0;
        for (; frame < 200 && same; frame++) {
            beeper_begin_frame(&fast);
            beeper_begin_frame(&ref);
            int events = frame % 3 == 0 ? 0 : (int)(rng % 400);
            uint32_t t = 0;
            for (int e = 0; e < events; e++) {
                rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
                t += (rng & 1) ? 1 + rng % 8 : rng % (2 * frame_t / (events + 1) + 1);
                if (t >= frame_t) break;
                double level = levels[(rng >> 8) % 8];
                beeper_advance(&fast, t);
                reference_advance(&ref, t);
                beeper_set_level(&fast, level);
                beeper_set_level(&ref, level);
            }
            beeper_end_frame(&fast, frame_t);
            reference_advance(&ref, frame_t);
            ref.tick = ref.tick >= frame_t ? ref.tick - frame_t : 0;
            same = fast.sample_count == ref.sample_count &&
                   !memcmp(fast.samples, ref.samples, fast.sample_count * sizeof(float)) &&
                   fast.phase == ref.phase && fast.acc == ref.acc && fast.dc_y == ref.dc_y;
        }
        CHECK(rate ? "beeper_shortcut_bit_identical_44100" : "beeper_shortcut_bit_identical_48000", same,
              "frame %d differs", frame - 1);
    }
}

/* Long stretches at one level, as a silent game makes: the DC blocker's
 * output decays until float rounding holds it at one subnormal value, from
 * where the beeper fills instead of computing (beeper.c _beeper_emit_run).
 * Against the step-by-step reference, bit for bit, the filter state too:
 * 80 frames at each level, frame by frame and in one advance of a whole
 * frame's ticks, and a frame too long for the buffer (samples dropped, the
 * filter still moving). */
static bool same_state(const beeper_t *a, const beeper_t *b) {
    return a->sample_count == b->sample_count && !memcmp(a->samples, b->samples, a->sample_count * sizeof(float)) &&
           !memcmp(&a->dc_x, &b->dc_x, sizeof a->dc_x) && !memcmp(&a->dc_y, &b->dc_y, sizeof a->dc_y) &&
           a->phase == b->phase && a->acc == b->acc && a->tick == b->tick;
}

static void test_long_runs_match_steps(void) {
    static const double levels[] = {0.75, 0.0, 0.8, 0.05};
    static beeper_t fast, ref;
    beeper_init(&fast, &(beeper_desc_t){.tick_hz = 3500000, .sample_hz = 48000});
    ref = fast;
    uint32_t frame_t = 69888;
    bool same = true, held = false;
    int frame = 0;
    for (; frame < 4 * 80 && same; frame++) {
        beeper_begin_frame(&fast);
        beeper_begin_frame(&ref);
        if (frame % 80 == 0) {
            /* the level changes a little into the frame */
            beeper_advance(&fast, 1000);
            reference_advance(&ref, 1000);
            beeper_set_level(&fast, levels[frame / 80]);
            beeper_set_level(&ref, levels[frame / 80]);
        }
        beeper_end_frame(&fast, frame_t);
        reference_advance(&ref, frame_t);
        ref.tick = ref.tick >= frame_t ? ref.tick - frame_t : 0;
        same = same_state(&fast, &ref);
        /* the fill was reached: a frame of one value, not zero (a subnormal) */
        uint32_t n = fast.sample_count;
        if (n > 2 && fast.samples[0] == fast.samples[n - 1] && fast.samples[n - 1] != 0.0f &&
            fabsf(fast.samples[n - 1]) < 1e-37f)
            held = true;
    }
    CHECK("beeper_long_runs_bit_identical", same, "frame %d differs", frame - 1);
    CHECK("beeper_long_runs_reach_the_held_value", held, "no frame of one held subnormal sample");
    /* 3 frames of ticks in one advance: 2,880 samples, 832 of them dropped */
    beeper_begin_frame(&fast);
    beeper_begin_frame(&ref);
    beeper_set_level(&fast, 0.2);
    beeper_set_level(&ref, 0.2);
    beeper_advance(&fast, 3 * frame_t);
    reference_advance(&ref, 3 * frame_t);
    CHECK("beeper_long_run_past_the_buffer", same_state(&fast, &ref) && fast.sample_count == BEEPER_MAX_SAMPLES,
          "%u samples, state %s", fast.sample_count, same_state(&fast, &ref) ? "same" : "differs");
}

int main(void) {
    test_shortcut_matches_steps();
    test_long_runs_match_steps();
    test_box_filter();
    test_dc_blocker();
    test_skip_and_restart();
    test_defaults_and_bound();
    return failures ? 1 : 0;
}
