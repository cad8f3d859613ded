/*
 * zx_audio.c: the machine's sound: the beeper (EAR/MIC and the tape signal,
 * through the generic resampler of chips/beeper.h) and, on the 128K models,
 * the AY-3-8912 (chips/ay.h), mixed into one stereo frame of samples.
 *
 * The speaker's level is recomputed from the machine's state before each
 * stretch of time is produced, rather than pushed at every change: port 0xFE
 * writes, tape edges, the deck's play/stop/eject and snapshot loads all move
 * it, and a pull cannot miss one of them. Every caller produces the time up
 * to an event before the event changes the state (the AY's register writes
 * too: zx.c advances before each).
 */
#include "machine/zx/zx_internal.h"

#include <string.h>

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
    if (sample_rate > 96000) sample_rate = 96000; /* a frame's samples must fit ZX_AUDIO_MAX */
    beeper_init(&zx->beeper, &(beeper_desc_t){.tick_hz = (int)zx->timing.cpu_hz, .sample_hz = sample_rate});
    if (zx->timing.ay_hz)
        ay_init(&zx->ay, &(ay_desc_t){.tick_hz = (int)zx->timing.cpu_hz, .chip_hz = (int)zx->timing.ay_hz,
                                      .sample_hz = zx->beeper.sample_hz, .stereo = AY_STEREO_ABC});
    zx->audio_count = 0;
}

void zx_audio_reset(zx_t *zx) {
    if (zx->timing.ay_hz) ay_reset(&zx->ay);
}

void zx_audio_set_stereo(zx_t *zx, int mode) {
    if (zx->timing.ay_hz) ay_set_stereo(&zx->ay, (ay_stereo_t)mode);
}

void zx_audio_advance(zx_t *zx, uint32_t t) {
    if (zx->fast_forward) {
        beeper_skip_to(&zx->beeper, t);
        if (zx->timing.ay_hz) ay_skip_to(&zx->ay, t);
        return;
    }
    PROF_PUSH(zx->prof, PROF_AUDIO);
    beeper_set_level(&zx->beeper, _zx_speaker_level(zx));
    beeper_advance(&zx->beeper, t);
    if (zx->timing.ay_hz) ay_advance(&zx->ay, t);
    PROF_POP(zx->prof);
}

void zx_audio_restart_at(zx_t *zx, uint32_t t) {
    beeper_restart_at(&zx->beeper, t);
    if (zx->timing.ay_hz) ay_restart_at(&zx->ay, t);
}

void zx_audio_begin_frame(zx_t *zx) {
    beeper_begin_frame(&zx->beeper);
    if (zx->timing.ay_hz) ay_begin_frame(&zx->ay);
}

/* The beeper at the middle, the AY's channels where its stereo mode puts
 * them; both resamplers run on the same clock and rate, so a frame has the
 * same number of samples in each (the shorter count is taken to be safe). */
void zx_audio_end_frame(zx_t *zx) {
    PROF_PUSH(zx->prof, PROF_AUDIO);
    uint32_t frame_t = zx->timing.frame_t;
    zx_audio_advance(zx, frame_t);
    beeper_end_frame(&zx->beeper, frame_t);
    uint32_t n = zx->beeper.sample_count;
    if (zx->timing.ay_hz) {
        ay_end_frame(&zx->ay, frame_t);
        if (zx->ay.sample_count < n) n = zx->ay.sample_count;
        for (uint32_t i = 0; i < n; i++) {
            float b = zx->beeper.samples[i] * 0.5f;
            zx->audio_left[i] = b + zx->ay.left[i] * 0.5f;
            zx->audio_right[i] = b + zx->ay.right[i] * 0.5f;
            zx->audio_mono[i] = (zx->audio_left[i] + zx->audio_right[i]) * 0.5f;
        }
    } else {
        memcpy(zx->audio_mono, zx->beeper.samples, n * sizeof(float));
        memcpy(zx->audio_left, zx->beeper.samples, n * sizeof(float));
        memcpy(zx->audio_right, zx->beeper.samples, n * sizeof(float));
    }
    zx->audio_count = n;
    PROF_POP(zx->prof);
}
