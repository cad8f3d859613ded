/*
 * beeper.h: a one-bit speaker (or any stepped level) resampled to the host's
 * audio rate, for machines that drive sound by writing a port bit.
 *
 * The level is a step function of the machine's clock. Each host sample is
 * the average of that function over the sample's period (a box filter),
 * computed exactly in integer units of tick x sample rate, so a click lands
 * as a fractional amplitude and never aliases to a full-scale spike. A
 * one-pole DC blocker removes the level's offset so that silence is 0.
 *
 * Time is counted in clock ticks from the start of the machine's frame: the
 * machine produces samples up to the tick of each event, then starts the next
 * frame's count with beeper_end_frame. Event-driven rather than ticked once
 * per clock cycle (as floooh/chips' beeper.h is), because the CPU steps whole
 * instructions and reports port writes at their tick.
 *
 * HOWTO
 *     beeper_t b;
 *     beeper_init(&b, &(beeper_desc_t){ .tick_hz = 3500000, .sample_hz = 48000 });
 *     // each frame:
 *     beeper_begin_frame(&b);
 *     beeper_set_level(&b, level); beeper_advance(&b, t);   // at each event, level before it
 *     beeper_end_frame(&b, frame_ticks);
 *     play(b.samples, b.sample_count);                      // float mono
 *
 * State is plain data (no pointers): a struct copy is a save state.
 */
#ifndef BEEPER_H
#define BEEPER_H

#include <stdint.h>

enum {
    BEEPER_MAX_SAMPLES = 2048,        /* samples kept per frame; more are dropped */
    BEEPER_DEFAULT_SAMPLE_HZ = 48000, /* when beeper_desc_t.sample_hz is 0 */
};

typedef struct {
    int tick_hz;   /* the machine's clock (ticks per second), > 0 */
    int sample_hz; /* host sample rate; 0 (or less): BEEPER_DEFAULT_SAMPLE_HZ. The machine
                    * keeps it low enough for a frame to fit BEEPER_MAX_SAMPLES. */
} beeper_desc_t;

typedef struct {
    int tick_hz;
    int sample_hz;
    uint32_t tick;         /* frame tick up to which the level is integrated */
    uint64_t phase;        /* position in the current sample, in tick x sample_hz units */
    double acc;            /* level integral over the current sample */
    double level;          /* the present level */
    float dc_x, dc_y;      /* DC-blocking filter state */
    uint32_t sample_count; /* samples produced since beeper_begin_frame */
    float samples[BEEPER_MAX_SAMPLES];
} beeper_t;

void beeper_init(beeper_t *b, const beeper_desc_t *desc);
/* The level from the last tick produced on (until the next change). */
void beeper_set_level(beeper_t *b, double level);
/* Produces the samples up to frame tick t at the present level (nothing if
 * t is not past the last tick produced). */
void beeper_advance(beeper_t *b, uint32_t t);
/* Moves to frame tick t without producing samples (a machine running faster
 * than real time); the sample in progress keeps its position. */
void beeper_skip_to(beeper_t *b, uint32_t t);
/* Continues from frame tick t, wherever it is (a machine state restored
 * mid-frame): nothing is produced for the ticks in between. */
void beeper_restart_at(beeper_t *b, uint32_t t);
/* Empties the sample buffer for a new frame. */
void beeper_begin_frame(beeper_t *b);
/* Produces the samples up to frame_ticks (unless skipped), then counts ticks
 * from the next frame's start (an event past the frame's end stays that far
 * into it). */
void beeper_end_frame(beeper_t *b, uint32_t frame_ticks);

#endif
