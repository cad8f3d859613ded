/*
 * ay.c: the AY-3-8912 of ay.h: registers, generators, mixer, volume table,
 * and the box-filter resampler with its DC blocker.
 *
 * Sources for the chip's behaviour:
 * - General Instrument, "AY-3-8910/8912 Programmable Sound Generator Data
 *   Manual" (1979; later editions at map.grauw.nl/resources/sound/
 *   generalinstrument_ay-3-8910.pdf): tone frequency f = fCLOCK / (16 TP)
 *   with a 12-bit TP, noise f = fCLOCK / (16 NP) with a 5-bit NP, envelope
 *   repetition f = fCLOCK / (256 EP) with a 16-bit EP over 16 amplitude
 *   steps (so one step lasts 16 EP clocks), the mixer's active-low enables,
 *   and the envelope shapes of register 13.
 * - MAME's src/devices/sound/ay8910.cpp (Couriersud's studies of real chips):
 *   every counter runs at fCLOCK / 8 and counts *up* until it reaches or
 *   passes its period (so a period lowered below the count ends the half
 *   cycle at the next step); tone and noise period 0 act as 1, envelope
 *   period 0 as half of 1; noise is a 17-bit shift register whose input is
 *   bit 0 XOR bit 3 (bit 0 is the output), verified on AY-3-8910 and YM2149
 *   chips, shifted every second noise period; the AY's envelope has 16 steps
 *   (the YM2149's 32); the read-back masks of the AY-3-8910; the upper four
 *   address bits must be 0000 for the chip to answer.
 * - Fuse 1.6 (peripherals/ay.c): R14 read-back on the 128K (input mode gives
 *   the pins; output mode the register ANDed with the pins), R15 on the 8912
 *   (0xFF in input mode).
 */
#include "chips/ay.h"

#include <string.h>

/* Bits each register keeps (data manual, register table; MAME confirms
 * that unused bits read back as 0 on the AY-3-8910). */
static const uint8_t _ay_reg_mask[AY_REGISTERS] = {
    0xFF, 0x0F, 0xFF, 0x0F, 0xFF, 0x0F, 0x1F, 0xFF, 0x1F, 0x1F, 0x1F, 0xFF, 0xFF, 0x0F, 0xFF, 0xFF,
};

/* Output voltage of one channel for each amplitude 0-15, measured by Matthew
 * Westcott on a Spectrum 128's AY-3-8912 (channel C, pin 1 to ground, tone
 * and noise disabled; posted to comp.sys.sinclair in December 2001 and
 * placed in the public domain by him; quoted in MAME's ay8910.cpp), taken
 * relative to level 0 (the channel's rest voltage, 1.147 V) and scaled so
 * that level 15 (2.58 V) is 1. Couriersud's own measurements in the same
 * MAME file (983 ohm load) give the same curve within about 0.02. */
#define _AY_VOLTS(v) (((v)-1.147) / (2.58 - 1.147))
static const double _ay_level[16] = {
    _AY_VOLTS(1.147), _AY_VOLTS(1.162), _AY_VOLTS(1.169), _AY_VOLTS(1.178),
    _AY_VOLTS(1.192), _AY_VOLTS(1.213), _AY_VOLTS(1.238), _AY_VOLTS(1.299),
    _AY_VOLTS(1.336), _AY_VOLTS(1.457), _AY_VOLTS(1.573), _AY_VOLTS(1.707),
    _AY_VOLTS(1.882), _AY_VOLTS(2.06),  _AY_VOLTS(2.32),  _AY_VOLTS(2.58),
};
#undef _AY_VOLTS

/* Envelope shape bits of register 13. */
enum { _AY_ENV_HOLD = 1, _AY_ENV_ALTERNATE = 2, _AY_ENV_ATTACK = 4, _AY_ENV_CONTINUE = 8 };

static void _ay_envelope_restart(ay_t *ay) {
    ay->env_count = 0;
    ay->env_step = 0;
    ay->env_inverted = false;
    ay->env_holding = false;
    ay->env_level = (ay->regs[AY_R_ENVELOPE_SHAPE] & _AY_ENV_ATTACK) ? 0 : 15;
}

/* One envelope step: the next level of the ramp, or at the ramp's end what
 * the shape does next (data manual, envelope shapes): without CONTINUE it
 * drops to 0 and stays; with HOLD it stays at the level the ramp ended on,
 * flipped by ALTERNATE; otherwise a new ramp starts, reversed by ALTERNATE. */
static void _ay_envelope_step(ay_t *ay) {
    uint8_t shape = ay->regs[AY_R_ENVELOPE_SHAPE];
    if (++ay->env_step == 16) {
        bool ended_high = ((shape & _AY_ENV_ATTACK) != 0) != ay->env_inverted;
        if (!(shape & _AY_ENV_CONTINUE)) {
            ay->env_holding = true;
            ay->env_level = 0;
            return;
        }
        if (shape & _AY_ENV_HOLD) {
            ay->env_holding = true;
            ay->env_level = (shape & _AY_ENV_ALTERNATE) ? (ended_high ? 0 : 15) : (ended_high ? 15 : 0);
            return;
        }
        ay->env_step = 0;
        if (shape & _AY_ENV_ALTERNATE) ay->env_inverted = !ay->env_inverted;
    }
    bool rising = ((shape & _AY_ENV_ATTACK) != 0) != ay->env_inverted;
    ay->env_level = rising ? ay->env_step : 15 - ay->env_step;
}

int ay_channel_amplitude(const ay_t *ay, int ch) {
    uint8_t a = ay->regs[AY_R_AMPLITUDE_A + ch];
    return (a & 0x10) ? ay->env_level : (a & 0x0F);
}

/* Pan positions 0 (left) to 1 (right) with linear weights, divided by 1.5 so
 * that each side's weights add to 1 in every mode (mono: 1/3 each). */
static void _ay_set_pan(ay_t *ay, const float pos[AY_CHANNELS]) {
    for (int ch = 0; ch < AY_CHANNELS; ch++) {
        ay->pan_left[ch] = (1.0f - pos[ch]) / 1.5f;
        ay->pan_right[ch] = pos[ch] / 1.5f;
    }
}

void ay_set_stereo(ay_t *ay, ay_stereo_t stereo) {
    static const float mono[AY_CHANNELS] = {0.5f, 0.5f, 0.5f};
    static const float abc[AY_CHANNELS] = {0.0f, 0.5f, 1.0f};
    static const float acb[AY_CHANNELS] = {0.0f, 1.0f, 0.5f};
    ay->stereo = stereo;
    _ay_set_pan(ay, stereo == AY_STEREO_ABC ? abc : stereo == AY_STEREO_ACB ? acb : mono);
}

void ay_reset(ay_t *ay) {
    memset(ay->regs, 0, sizeof ay->regs);
    ay->latch = 0;
    memset(ay->tone_count, 0, sizeof ay->tone_count);
    memset(ay->tone_out, 0, sizeof ay->tone_out);
    ay->noise_count = 0;
    ay->noise_prescale = 0;
    ay->noise_lfsr = 1; /* any non-zero seed; an all-zero register would never leave 0 */
    _ay_envelope_restart(ay);
}

void ay_init(ay_t *ay, const ay_desc_t *desc) {
    memset(ay, 0, sizeof *ay);
    ay->tick_hz = desc->tick_hz;
    ay->chip_hz = desc->chip_hz;
    ay->sample_hz = desc->sample_hz > 0 ? desc->sample_hz : AY_DEFAULT_SAMPLE_HZ;
    ay->port_a_input = 0xFF;
    ay_set_stereo(ay, desc->stereo);
    ay_reset(ay);
}

void ay_select(ay_t *ay, uint8_t value) { ay->latch = value; }

static bool _ay_addressed(const ay_t *ay) { return (ay->latch & 0xF0) == 0; }

void ay_write_reg(ay_t *ay, int reg, uint8_t value) {
    reg &= 0x0F;
    ay->regs[reg] = value & _ay_reg_mask[reg];
    if (reg == AY_R_ENVELOPE_SHAPE) _ay_envelope_restart(ay); /* every write, even of the same shape */
}

void ay_write(ay_t *ay, uint8_t value) {
    if (_ay_addressed(ay)) ay_write_reg(ay, ay->latch, value);
}

uint8_t ay_read(const ay_t *ay) {
    if (!_ay_addressed(ay)) return 0xFF;
    int reg = ay->latch;
    uint8_t mixer = ay->regs[AY_R_MIXER];
    if (reg == AY_R_IO_A) return (mixer & 0x40) ? (ay->regs[reg] & ay->port_a_input) : ay->port_a_input;
    if (reg == AY_R_IO_B) return (mixer & 0x80) ? ay->regs[reg] : 0xFF;
    return ay->regs[reg];
}

/* Steps until a counter that counts up from count fires: it fires on the step
 * that brings it to (or past) period, then restarts from 0. */
static uint32_t _ay_steps_to_fire(uint32_t count, uint32_t period) {
    return period > count + 1 ? period - count : 1;
}

/* Advances a counter by n steps, n no more than its steps to fire; says
 * whether it fired (on the last of them). */
static bool _ay_count(uint32_t *count, uint32_t period, uint32_t n) {
    if (n >= _ay_steps_to_fire(*count, period)) {
        *count = 0;
        return true;
    }
    *count += n;
    return false;
}

static uint32_t _ay_tone_period(const ay_t *ay, int ch) {
    return ay->regs[2 * ch] | (uint32_t)(ay->regs[2 * ch + 1] & 0x0F) << 8;
}
static uint32_t _ay_noise_period(const ay_t *ay) { return ay->regs[AY_R_NOISE_PERIOD] & 0x1F; }
/* An envelope step lasts 16 EP chip clocks, 2 EP of our steps (EP = 0: every step). */
static uint32_t _ay_envelope_threshold(const ay_t *ay) {
    return 2 * (ay->regs[AY_R_ENVELOPE_FINE] | (uint32_t)ay->regs[AY_R_ENVELOPE_COARSE] << 8);
}

/* Steps (of 8 chip clocks) before the output can next change: a tone flips,
 * the noise register shifts (every second firing of its counter), or the
 * envelope steps. */
static uint32_t _ay_steps_to_change(const ay_t *ay) {
    uint32_t k = UINT32_MAX;
    for (int ch = 0; ch < AY_CHANNELS; ch++) {
        uint32_t s = _ay_steps_to_fire(ay->tone_count[ch], _ay_tone_period(ay, ch));
        if (s < k) k = s;
    }
    uint32_t noise_period = _ay_noise_period(ay);
    uint32_t s = _ay_steps_to_fire(ay->noise_count, noise_period);
    if (ay->noise_prescale) s += _ay_steps_to_fire(0, noise_period); /* this firing does not shift */
    if (s < k) k = s;
    if (!ay->env_holding) {
        s = _ay_steps_to_fire(ay->env_count, _ay_envelope_threshold(ay));
        if (s < k) k = s;
    }
    return k;
}

/* Moves the generators n steps on, n no more than _ay_steps_to_change. */
static void _ay_clock(ay_t *ay, uint32_t n) {
    for (int ch = 0; ch < AY_CHANNELS; ch++)
        if (_ay_count(&ay->tone_count[ch], _ay_tone_period(ay, ch), n)) ay->tone_out[ch] ^= 1;
    uint32_t noise_period = _ay_noise_period(ay);
    uint32_t left = n;
    if (ay->noise_prescale) {
        uint32_t first = _ay_steps_to_fire(ay->noise_count, noise_period);
        if (left >= first) { /* the firing that clears the prescaler */
            ay->noise_count = 0;
            ay->noise_prescale = 0;
            left -= first;
        }
    }
    if (left && _ay_count(&ay->noise_count, noise_period, left)) {
        ay->noise_prescale ^= 1;
        if (ay->noise_prescale) {
            /* 17-bit register, input bit 0 XOR bit 3 (MAME, verified on chips) */
            uint32_t in = (ay->noise_lfsr ^ (ay->noise_lfsr >> 3)) & 1;
            ay->noise_lfsr = (ay->noise_lfsr >> 1) | in << 16;
        }
    }
    if (!ay->env_holding && _ay_count(&ay->env_count, _ay_envelope_threshold(ay), n)) _ay_envelope_step(ay);
}

static void _ay_emit(ay_t *ay, float left, float right) {
    float in[2] = {left, right};
    float out[2];
    for (int side = 0; side < 2; side++) {
        out[side] = in[side] - ay->dc_x[side] + AY_DC_POLE * ay->dc_y[side];
        ay->dc_x[side] = in[side];
        ay->dc_y[side] = out[side];
    }
    if (ay->sample_count < AY_MAX_SAMPLES) {
        ay->left[ay->sample_count] = out[0];
        ay->right[ay->sample_count] = out[1];
        ay->sample_count++;
    }
}

/* n chip steps at the present output level. Each step's level is the mixer's
 * output from the generators' state at its start. In units of
 * 1 / (chip_hz x sample_hz) s, a step is 8 x sample_hz units and a sample
 * chip_hz units. */
static void _ay_produce(ay_t *ay, uint32_t n) {
    double left = 0.0, right = 0.0;
    uint8_t mixer = ay->regs[AY_R_MIXER];
    unsigned noise = ay->noise_lfsr & 1;
    for (int ch = 0; ch < AY_CHANNELS; ch++) {
        /* (tone or tone disabled) and (noise or noise disabled): data manual, mixer */
        unsigned tone_gate = ay->tone_out[ch] | (mixer >> ch & 1);
        unsigned noise_gate = noise | (mixer >> (3 + ch) & 1);
        if (tone_gate & noise_gate) {
            double level = _ay_level[ay_channel_amplitude(ay, ch)];
            left += level * ay->pan_left[ch];
            right += level * ay->pan_right[ch];
        }
    }
    const uint64_t per_sample = (uint64_t)ay->chip_hz;
    uint64_t units = 8 * (uint64_t)ay->sample_hz * n;
    while (units) {
        uint64_t room = per_sample - ay->sample_phase;
        uint64_t step = units < room ? units : room;
        ay->acc_left += left * (double)step;
        ay->acc_right += right * (double)step;
        ay->sample_phase += step;
        units -= step;
        if (ay->sample_phase == per_sample) {
            _ay_emit(ay, (float)(ay->acc_left / (double)per_sample),
                     (float)(ay->acc_right / (double)per_sample));
            ay->acc_left = ay->acc_right = 0.0;
            ay->sample_phase = 0;
        }
    }
}

void ay_advance(ay_t *ay, uint32_t t) {
    if (t <= ay->tick) return;
    /* one machine tick = chip_hz units, one chip step (8 chip clocks) = 8 x tick_hz units */
    const uint64_t per_step = 8 * (uint64_t)ay->tick_hz;
    ay->chip_phase += (uint64_t)(t - ay->tick) * (uint64_t)ay->chip_hz;
    ay->tick = t;
    uint64_t steps = ay->chip_phase / per_step;
    ay->chip_phase -= steps * per_step;
    while (steps) {
        uint32_t n = _ay_steps_to_change(ay);
        if (n > steps) n = (uint32_t)steps;
        _ay_produce(ay, n);
        _ay_clock(ay, n);
        steps -= n;
    }
}

void ay_skip_to(ay_t *ay, uint32_t t) {
    if (t > ay->tick) ay->tick = t;
}

void ay_restart_at(ay_t *ay, uint32_t t) { ay->tick = t; }

void ay_begin_frame(ay_t *ay) { ay->sample_count = 0; }

void ay_end_frame(ay_t *ay, uint32_t frame_ticks) {
    ay_advance(ay, frame_ticks);
    ay->tick = ay->tick >= frame_ticks ? ay->tick - frame_ticks : 0;
}
