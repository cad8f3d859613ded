/*
 * zx_audio.c: the beeper, resampled to the host rate.
 *
 * The speaker level is a step function of time (it changes on OUTs to port
 * 0xFE, and with the tape signal). Each host sample is the average of that
 * function over the sample's period (a box filter), computed exactly in
 * integer units of T-state x sample rate, so a click lands as a fractional
 * amplitude and never aliases to a full-scale spike. A one-pole DC blocker
 * removes the level's offset so silence is 0.
 */
#include "machine/zx/zx_internal.h"

/* Relative contributions: EAR output (bit 4) dominates; MIC (bit 3) and the
 * tape input leak in more quietly, as on the real board. */
static double _zx_speaker_level(const zx_t *zx) {
    double v = 0.0;
    if (zx->last_fe & 0x10) v += 0.75;
    if (zx->last_fe & 0x08) v += 0.05;
    if (zx->tape.playing && zx->tape.level) v += 0.2;
    return v;
}

void zx_audio_init(zx_t *zx, int sample_rate) {
    zx->sample_rate = sample_rate > 0 ? sample_rate : 48000;
    if (zx->sample_rate > 96000) zx->sample_rate = 96000; /* ZX_AUDIO_MAX per frame */
    zx->audio_t = 0;
    zx->audio_phase = 0;
    zx->audio_acc = 0;
    zx->dc_x = zx->dc_y = 0;
    zx->audio_count = 0;
}

static void _zx_audio_emit(zx_t *zx, float x) {
    /* y[n] = x[n] - x[n-1] + 0.995 y[n-1]: DC blocker, corner ~40 Hz at 48 kHz */
    float y = x - zx->dc_x + 0.995f * zx->dc_y;
    zx->dc_x = x;
    zx->dc_y = y;
    if (zx->audio_count < ZX_AUDIO_MAX) zx->audio[zx->audio_count++] = y;
}

void zx_audio_advance(zx_t *zx, uint32_t t) {
    if (t <= zx->audio_t) return;
    if (zx->fast_forward) {
        zx->audio_t = t;
        return;
    }
    const uint64_t per_sample = ZX_CPU_HZ; /* one sample = ZX_CPU_HZ units; one T = sample_rate units */
    uint64_t units = (uint64_t)(t - zx->audio_t) * (uint64_t)zx->sample_rate;
    double level = _zx_speaker_level(zx);
    while (units) {
        uint64_t room = per_sample - zx->audio_phase;
        uint64_t step = units < room ? units : room;
        zx->audio_acc += level * (double)step;
        zx->audio_phase += step;
        units -= step;
        if (zx->audio_phase == per_sample) {
            _zx_audio_emit(zx, (float)(zx->audio_acc / (double)per_sample));
            zx->audio_acc = 0;
            zx->audio_phase = 0;
        }
    }
    zx->audio_t = t;
}

void zx_audio_begin_frame(zx_t *zx) {
    zx->audio_count = 0;
}

void zx_audio_end_frame(zx_t *zx) {
    zx_audio_advance(zx, ZX_FRAME_T);
    zx->audio_t = zx->audio_t >= ZX_FRAME_T ? zx->audio_t - ZX_FRAME_T : 0;
}
