/*
 * zx_audio.c: the 48K's beeper: what drives the speaker, wired to the
 * generic resampler of chips/beeper.h.
 *
 * The speaker's level is recomputed from the machine's state before each
 * stretch of time is produced, rather than pushed at every change: port 0xFE
 * writes, tape edges, the deck's play/stop/eject and snapshot loads all move
 * it, and a pull cannot miss one of them. Every caller produces the time up
 * to an event before the event changes the state.
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
    if (sample_rate > 96000) sample_rate = 96000; /* a frame's samples must fit ZX_AUDIO_MAX */
    beeper_init(&zx->beeper, &(beeper_desc_t){.tick_hz = ZX_CPU_HZ, .sample_hz = sample_rate});
}

void zx_audio_advance(zx_t *zx, uint32_t t) {
    if (zx->fast_forward) {
        beeper_skip_to(&zx->beeper, t);
        return;
    }
    beeper_set_level(&zx->beeper, _zx_speaker_level(zx));
    beeper_advance(&zx->beeper, t);
}

void zx_audio_restart_at(zx_t *zx, uint32_t t) {
    beeper_restart_at(&zx->beeper, t);
}

void zx_audio_begin_frame(zx_t *zx) {
    beeper_begin_frame(&zx->beeper);
}

void zx_audio_end_frame(zx_t *zx) {
    zx_audio_advance(zx, ZX_FRAME_T);
    beeper_end_frame(&zx->beeper, ZX_FRAME_T);
}
