/*
 * ay.h: the General Instrument AY-3-8912 programmable sound generator (the
 * 128K Spectrum family's sound chip; the AY-3-8910 differs only in having a
 * second I/O port): three square-wave tone generators, one noise generator,
 * a mixer, fixed or envelope amplitude per channel, and 16 registers read
 * back through the chip's masks. Its output is resampled to the host's rate
 * as stereo (ABC, ACB or mono).
 *
 * Like beeper.h, the chip is event-driven: time is counted in the machine's
 * clock ticks (CPU T-states) from the start of the machine's frame. Before
 * each register write the machine produces the time up to the write's tick
 * (ay_advance), then writes. Internally the chip is computed at one eighth of
 * its own clock (every generator of the AY counts in steps of 8 input clocks:
 * see ay.c), and each host sample is the exact average of the chip's output
 * over the sample's period (a box filter, no aliasing spikes), then passed
 * through a one-pole DC blocker so that a constant level is silence.
 *
 * HOWTO
 *     ay_t ay;
 *     ay_init(&ay, &(ay_desc_t){ .tick_hz = 3546900, .chip_hz = 1773400,
 *                                .sample_hz = 48000, .stereo = AY_STEREO_ABC });
 *     // port 0xFFFD write:  ay_advance(&ay, t); ay_select(&ay, value);
 *     // port 0xBFFD write:  ay_advance(&ay, t); ay_write(&ay, value);
 *     // port 0xFFFD read:   ay_read(&ay)      (reads need no advance)
 *     // each frame:
 *     ay_begin_frame(&ay);
 *     ... ay_advance before each write ...
 *     ay_end_frame(&ay, frame_ticks);
 *     play(ay.left, ay.right, ay.sample_count);
 *
 * State is plain data (no pointers): a struct copy is a save state, and it
 * continues exactly as the original would.
 */
#ifndef AY_H
#define AY_H

#include <stdbool.h>
#include <stdint.h>

enum {
    AY_MAX_SAMPLES = 2048,        /* samples kept per frame (as BEEPER_MAX_SAMPLES); more are dropped */
    AY_DEFAULT_SAMPLE_HZ = 48000, /* when ay_desc_t.sample_hz is 0 */
    AY_REGISTERS = 16,
    AY_CHANNELS = 3,
};

/* Register numbers (AY-3-8910/8912 data manual, table 1). */
enum {
    AY_R_TONE_A_FINE = 0,
    AY_R_TONE_A_COARSE = 1,
    AY_R_TONE_B_FINE = 2,
    AY_R_TONE_B_COARSE = 3,
    AY_R_TONE_C_FINE = 4,
    AY_R_TONE_C_COARSE = 5,
    AY_R_NOISE_PERIOD = 6,
    AY_R_MIXER = 7, /* bits 0-2 tone A-C off, 3-5 noise A-C off (active low enables), 6-7 I/O A/B output */
    AY_R_AMPLITUDE_A = 8, /* bits 0-3 fixed level, bit 4 envelope mode */
    AY_R_AMPLITUDE_B = 9,
    AY_R_AMPLITUDE_C = 10,
    AY_R_ENVELOPE_FINE = 11,
    AY_R_ENVELOPE_COARSE = 12,
    AY_R_ENVELOPE_SHAPE = 13, /* bit 3 CONTINUE, 2 ATTACK, 1 ALTERNATE, 0 HOLD */
    AY_R_IO_A = 14,
    AY_R_IO_B = 15,
};

/* How the three channels are placed between the left and right outputs. */
typedef enum {
    AY_STEREO_MONO = 0, /* A, B and C in the centre (both sides alike) */
    AY_STEREO_ABC = 1,  /* A left, B centre, C right */
    AY_STEREO_ACB = 2,  /* A left, C centre, B right */
} ay_stereo_t;

/* The DC blocker applied to each side: y[n] = x[n] - x[n-1] + AY_DC_POLE * y[n-1]
 * (the beeper's: corner ~40 Hz at 48 kHz). */
#define AY_DC_POLE 0.995f

typedef struct {
    int tick_hz;        /* the machine's clock (ticks per second), > 0: 3546900 on the 128K */
    int chip_hz;        /* the AY's clock, > 0: 1773400 on the 128K/+2/+2A/+3, 1750000 on the Pentagon */
    int sample_hz;      /* host sample rate; 0 (or less): AY_DEFAULT_SAMPLE_HZ. The machine keeps
                         * it low enough for a frame to fit AY_MAX_SAMPLES. */
    ay_stereo_t stereo; /* 0: AY_STEREO_MONO */
} ay_desc_t;

typedef struct {
    /* configuration */
    int tick_hz, chip_hz, sample_hz;
    ay_stereo_t stereo;
    float pan_left[AY_CHANNELS], pan_right[AY_CHANNELS]; /* weights of A, B, C on each side */

    /* the bus side: registers as stored (already masked), the address latch */
    uint8_t regs[AY_REGISTERS];
    uint8_t latch;        /* the last value written to the address latch (all 8 bits) */
    uint8_t port_a_input; /* what the pins of I/O port A present (0xFF: nothing pulls them low);
                           * the machine may set it (ay_read explains its use) */

    /* the generators, which move in steps of 8 chip clocks */
    uint32_t tone_count[AY_CHANNELS]; /* counts up to the period, then the flip-flop turns */
    uint8_t tone_out[AY_CHANNELS];    /* each tone's flip-flop, 0 or 1 */
    uint32_t noise_count;
    uint8_t noise_prescale; /* the noise register shifts every second period */
    uint32_t noise_lfsr;    /* 17 bits; bit 0 is the noise output */
    uint32_t env_count;
    uint8_t env_step;  /* 0-15 within the present ramp */
    uint8_t env_level; /* the envelope's present amplitude, 0-15 */
    bool env_inverted; /* the present ramp runs against the ATTACK bit (ALTERNATE) */
    bool env_holding;  /* the envelope has stopped at env_level */

    /* time and resampling */
    uint32_t tick;              /* frame tick up to which the chip has run */
    uint64_t chip_phase;        /* time past the last chip step, in tick x chip_hz units */
    uint64_t sample_phase;      /* position in the current sample, in 1 / (chip_hz x sample_hz) s */
    double acc_left, acc_right; /* level integrals over the current sample */
    float dc_x[2], dc_y[2];     /* DC-blocking filter state, left and right */
    uint32_t sample_count;      /* samples produced since ay_begin_frame */
    float left[AY_MAX_SAMPLES];
    float right[AY_MAX_SAMPLES];
} ay_t;

/* Configures the chip and resets it (ay_reset); the sample buffers start empty. */
void ay_init(ay_t *ay, const ay_desc_t *desc);
/* The chip's /RESET: every register and the address latch to 0, the
 * generators to their start. The resampler (sample position, DC filter) is
 * the host's and carries on, so a reset does not click. */
void ay_reset(ay_t *ay);
/* Changes the channels' placement (takes effect from the next chip step). */
void ay_set_stereo(ay_t *ay, ay_stereo_t stereo);

/* Latches a register address (port 0xFFFD write on the Spectrum). The chip
 * answers only when the high four bits are 0 (its mask-programmed upper
 * address); otherwise reads float (0xFF) and writes are ignored until a
 * valid address is latched. */
void ay_select(ay_t *ay, uint8_t value);
/* Writes the selected register (port 0xBFFD), through the register's mask.
 * Call ay_advance first: the write takes effect from then on. */
void ay_write(ay_t *ay, uint8_t value);
/* Reads the selected register (port 0xFFFD read): the masked register; I/O
 * port A (R14) in input mode gives port_a_input, in output mode the written
 * value ANDed with port_a_input (the pins are open-drain); R15 (the 8912
 * has no port B pins) gives 0xFF in input mode, the written value in output
 * mode; 0xFF when no valid address is latched. */
uint8_t ay_read(const ay_t *ay);
/* Writes register reg (0-15) directly, leaving the address latch alone (for
 * snapshots). */
void ay_write_reg(ay_t *ay, int reg, uint8_t value);
/* The amplitude channel ch (0-2) is given now: its fixed level or the
 * envelope's (0-15), before the mixer's gating. */
int ay_channel_amplitude(const ay_t *ay, int ch);

/* Produces the samples up to frame tick t (nothing if t is not past the
 * last tick produced). */
void ay_advance(ay_t *ay, uint32_t t);
/* Moves to frame tick t without producing samples or clocking the
 * generators (a machine running faster than real time: nothing is heard, and
 * the generators' phases cannot be observed by the program); the sample in
 * progress keeps its position. */
void ay_skip_to(ay_t *ay, uint32_t t);
/* Continues from frame tick t, wherever it is (a machine state restored
 * mid-frame): nothing is produced for the ticks in between. */
void ay_restart_at(ay_t *ay, uint32_t t);
/* Empties the sample buffers for a new frame. */
void ay_begin_frame(ay_t *ay);
/* Produces the samples up to frame_ticks (unless skipped), then counts ticks
 * from the next frame's start (an event past the frame's end stays that far
 * into it). */
void ay_end_frame(ay_t *ay, uint32_t frame_ticks);

#endif
