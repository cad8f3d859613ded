/*
 * beeper.c: the box-filter resampler and DC blocker of beeper.h.
 */
#include "chips/beeper.h"

#include <string.h>

void beeper_init(beeper_t *b, const beeper_desc_t *desc) {
    memset(b, 0, sizeof *b);
    b->tick_hz = desc->tick_hz;
    b->sample_hz = desc->sample_hz > 0 ? desc->sample_hz : BEEPER_DEFAULT_SAMPLE_HZ;
}

void beeper_set_level(beeper_t *b, double level) { b->level = level; }

static void _beeper_emit(beeper_t *b, float x) {
    /* y[n] = x[n] - x[n-1] + 0.995 y[n-1]: DC blocker, corner ~40 Hz at 48 kHz */
    float y = x - b->dc_x + 0.995f * b->dc_y;
    b->dc_x = x;
    b->dc_y = y;
    if (b->sample_count < BEEPER_MAX_SAMPLES) b->samples[b->sample_count++] = y;
}

static uint32_t _beeper_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

/* n samples of one input x: _beeper_emit n times, faster. Under a constant
 * input the filter's output decays by 0.995 a sample until float rounding
 * holds it still (in the subnormal range, some 20,000 samples after the
 * last change: silence is a run of one tiny value, not of zeros). A run
 * that starts there is a fill; any other is computed sample by sample,
 * without the per-sample bound check (samples past the buffer's bound are
 * dropped but still move the filter, as one by one). */
static void _beeper_emit_run(beeper_t *b, float x, uint64_t n) {
    uint32_t room = BEEPER_MAX_SAMPLES - b->sample_count;
    uint32_t kept = n < room ? (uint32_t)n : room;
    float *out = b->samples + b->sample_count;
    float dc_x = b->dc_x, dc_y = b->dc_y;
    b->sample_count += kept;
    float y = x - dc_x + 0.995f * dc_y;
    if (_beeper_bits(y) == _beeper_bits(dc_y) && _beeper_bits(x) == _beeper_bits(dc_x)) {
        for (uint32_t i = 0; i < kept; i++) out[i] = y; /* held still: the same sample again */
        return;
    }
    uint64_t i = 0;
    for (; i < kept; i++) {
        out[i] = y;
        dc_x = x;
        dc_y = y;
        y = x - dc_x + 0.995f * dc_y;
    }
    for (; i < n; i++) {
        dc_x = x;
        dc_y = y;
        y = x - dc_x + 0.995f * dc_y;
    }
    /* y is one sample ahead: the state is that of the last one emitted */
    b->dc_x = dc_x;
    b->dc_y = dc_y;
}

/* The sample in progress is completed first; whole samples after it have
 * the same value (the level's average over a whole sample is computed as
 * the step-by-step loop would: acc = 0 + level * per_sample), so it is
 * computed once for them; the rest starts the next sample. */
void beeper_advance(beeper_t *b, uint32_t t) {
    if (t <= b->tick) return;
    /* one sample = tick_hz units; one tick = sample_hz units */
    const uint64_t per_sample = (uint64_t)b->tick_hz;
    uint64_t units = (uint64_t)(t - b->tick) * (uint64_t)b->sample_hz;
    b->tick = t;
    if (b->phase) {
        uint64_t room = per_sample - b->phase;
        uint64_t step = units < room ? units : room;
        b->acc += b->level * (double)step;
        b->phase += step;
        units -= step;
        if (b->phase < per_sample) return;
        _beeper_emit(b, (float)(b->acc / (double)per_sample));
        b->acc = 0;
        b->phase = 0;
    }
    uint64_t whole = units / per_sample;
    if (whole) {
        float x = (float)((0.0 + b->level * (double)per_sample) / (double)per_sample);
        _beeper_emit_run(b, x, whole);
        units -= whole * per_sample;
    }
    if (units) {
        b->acc += b->level * (double)units;
        b->phase = units;
    }
}

void beeper_skip_to(beeper_t *b, uint32_t t) {
    if (t > b->tick) b->tick = t;
}

void beeper_restart_at(beeper_t *b, uint32_t t) { b->tick = t; }

void beeper_begin_frame(beeper_t *b) { b->sample_count = 0; }

void beeper_end_frame(beeper_t *b, uint32_t frame_ticks) {
    beeper_advance(b, frame_ticks);
    b->tick = b->tick >= frame_ticks ? b->tick - frame_ticks : 0;
}
