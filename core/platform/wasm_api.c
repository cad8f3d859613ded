/*
 * wasm_api.c: the machine's exports to JavaScript (web/spectrum-core.mjs is
 * the one wrapper over them, shared by the browser and Node).
 *
 * Every function takes the machine as an opaque handle (a heap-allocated
 * zx_t), so several machines can share one Wasm instance: a page may embed
 * several Spectrums. 64-bit counters are returned as doubles (exact up to
 * 2^53), which keeps the ABI free of BigInt legalisation.
 *
 * Only the Emscripten build compiles this file's body; the native build,
 * which links every core source file, gets an empty unit.
 */
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <stdlib.h>
#include <string.h>

#include "jit/z80/jit_z80.h"
#include "machine/zx/zx_internal.h"
#include "platform/profile.h"
#include "platform/wasm_api.h"

#define API EMSCRIPTEN_KEEPALIVE

/* The embedded default ROM (build/gen/rom_opense.c, from Debian's opense-basic). */
extern const unsigned char zx_rom_opense[];
extern const unsigned int zx_rom_opense_size;

/* The machine's dynarec settings unless zxw_jit_configure says otherwise.
 * Threshold 200: on ROM BASIC (boot, typing, a 3,000-iteration FOR loop)
 * threshold 2 compiled 670 functions and ran 40% slower than the
 * interpreter; 200 compiles 300 and runs 98% of instructions compiled
 * (README, "Benchmarks"; CPU-bound loops reach their warm speed either way).
 * Batch 16, waiting up to 4 frames for it to fill: a module costs the engine
 * ~0.5-1 ms to compile and instantiate whatever it holds, and at a batch
 * per frame the game-like programs sent ~2 functions a module (README,
 * "What a compile costs"). */
#define ZXW_JIT_DEFAULTS ((jit_config_t){.threshold = 200, .batch = 16, .batch_wait = 4})

/* model: zx_model_t. rom = 0 selects the embedded OpenSE BASIC ROM (in
 * every ROM slot of a 128K model); otherwise rom_len is 16384 or the
 * model's ROM count x 16384 (zx_desc_t). sample_rate 0 means 48000.
 * Returns 0 on an unknown model, a bad ROM or no memory. */
API zx_t *zxw_create_model(int model, const uint8_t *rom, uint32_t rom_len, int sample_rate, uint32_t flags) {
    if (!rom) {
        rom = zx_rom_opense;
        rom_len = zx_rom_opense_size;
    }
    if (!zx_model_timing((zx_model_t)model) || sample_rate < 0 || sample_rate > ZX_AUDIO_MAX * 50) return 0;
    zx_t *zx = malloc(sizeof *zx);
    if (!zx) return 0;
    zx_desc_t desc = {
        .model = (zx_model_t)model,
        .rom = rom,
        .rom_size = rom_len,
        .audio_sample_rate = sample_rate,
        .no_tape_traps = (flags & ZXW_FLAG_NO_TAPE_TRAPS) != 0,
    };
    jit_t *jit = NULL;
    if (flags & ZXW_FLAG_JIT) {
        jit_config_t cfg = ZXW_JIT_DEFAULTS;
        cfg.lockstep = (flags & ZXW_FLAG_LOCKSTEP) != 0;
        jit = jit_create(&cfg);
        desc.run_cpu = jit ? jit_run : NULL;
        desc.run_cpu_ctx = jit;
    }
    if (!zx_init(zx, &desc)) {
        jit_destroy(jit);
        free(zx);
        return 0;
    }
    return zx;
}

/* The 48K (the API before there were models). */
API zx_t *zxw_create(const uint8_t *rom, uint32_t rom_len, int sample_rate, uint32_t flags) {
    return zxw_create_model(ZX_MODEL_48K, rom, rom_len, sample_rate, flags);
}

/* ---- the model */
API int zxw_model(zx_t *zx) { return zx->model; }
/* -1 for an unknown id ("48k", "128k", "plus2", "plus2a", "plus3", "pentagon") */
API int zxw_model_from_id(const char *id) { return zx_model_from_id(id); }
API int zxw_model_count(void) { return ZX_MODEL_COUNT; }
API const char *zxw_model_id(int model) { return zx_model_timing((zx_model_t)model) ? zx_model_timing((zx_model_t)model)->id : ""; }
API const char *zxw_model_name(int model) { return zx_model_timing((zx_model_t)model) ? zx_model_timing((zx_model_t)model)->name : ""; }
/* ROMs the model takes (1, 2 or 4 x 16 KB) */
API int zxw_model_rom_count(int model) { return zx_model_timing((zx_model_t)model) ? zx_model_timing((zx_model_t)model)->rom_count : 0; }
API double zxw_cpu_hz(zx_t *zx) { return zx->timing.cpu_hz; }
API int zxw_frame_t(zx_t *zx) { return (int)zx->timing.frame_t; }
/* One 16 KB ROM fills every slot of a 128K model: the 128K editor is missing. */
API int zxw_rom_fallback(zx_t *zx) { return zx->rom_fallback; }
API int zxw_port_7ffd(zx_t *zx) { return zx->port_7ffd; }
API int zxw_port_1ffd(zx_t *zx) { return zx->port_1ffd; }

/* The machine's dynarec, or NULL when it runs the interpreter. */
static jit_t *_zxw_jit(zx_t *zx) { return zx->run_cpu == jit_run ? zx->run_cpu_ctx : NULL; }

API void zxw_destroy(zx_t *zx) {
    if (!zx) return;
    free(zx->prof);
    jit_destroy(_zxw_jit(zx));
    zx_discard(zx);
    free(zx);
}

/* Guest memory written behind the CPU's back drops compiled code (jit.h). */
static void _zxw_jit_flush(zx_t *zx) {
    if (_zxw_jit(zx)) jit_flush(_zxw_jit(zx));
}

API void zxw_reset(zx_t *zx) {
    zx_reset(zx);
    _zxw_jit_flush(zx);
}
API void zxw_run_frame(zx_t *zx) { zx_run_frame(zx); }

/* ---- picture and sound */
API uint32_t *zxw_frame_buffer(zx_t *zx) { return zx->fb; }
API int zxw_fb_width(void) { return ZX_FB_WIDTH; }
API int zxw_fb_height(void) { return ZX_FB_HEIGHT; }
/* The last frame's samples: mono mix, left and right (same count). */
API float *zxw_audio(zx_t *zx) { return zx->audio_mono; }
API float *zxw_audio_left(zx_t *zx) { return zx->audio_left; }
API float *zxw_audio_right(zx_t *zx) { return zx->audio_right; }
API uint32_t zxw_audio_count(zx_t *zx) { return zx->audio_count; }
/* AY placement: 0 mono, 1 ABC, 2 ACB */
API void zxw_set_stereo(zx_t *zx, int mode) { zx_audio_set_stereo(zx, mode); }
API int zxw_sample_rate(zx_t *zx) { return zx->beeper.sample_hz; }
API uint8_t zxw_border(zx_t *zx) { return zx->border; }
/* While set, frames skip picture and sound work (fast tape loading). */
API void zxw_set_fast_forward(zx_t *zx, int on) {
    zx->fast_forward = on != 0;
    zx_video_set_mark(zx);
}

/* ---- input */
API void zxw_key_down(zx_t *zx, int key) { zx_key_down(zx, key); }
API void zxw_key_up(zx_t *zx, int key) { zx_key_up(zx, key); }
API void zxw_keys_clear(zx_t *zx) { zx_keys_clear(zx); }
API void zxw_joystick(zx_t *zx, int bits) { zx_joystick(zx, (uint8_t)bits); }
/* Up to two key codes (shift first) for an ASCII character into out[2]. */
API int zxw_keys_for_char(int ch, uint8_t *out) { return zx_keys_for_char(ch, out); }

/* ---- media */
API int zxw_detect_format(const uint8_t *data, uint32_t len, const char *name) {
    return (int)zx_detect_format(data, len, name);
}

/* Returns 1 on success (err then holds warnings, possibly ""), 0 on failure
 * (err names the problem; the machine is unchanged). */
API int zxw_load(zx_t *zx, const uint8_t *data, uint32_t len, const char *name, char *err, uint32_t errlen) {
    int ok = zx_load(zx, data, len, name, err, errlen) ? 1 : 0;
    if (ok) _zxw_jit_flush(zx);
    return ok;
}

/* Dynarec statistics as a JSON object ("null" without the dynarec). */
API const char *zxw_jit_stats_json(zx_t *zx) { return _zxw_jit(zx) ? jit_stats_json(_zxw_jit(zx)) : "null"; }
API void zxw_jit_lockstep(zx_t *zx, int on) {
    if (_zxw_jit(zx)) jit_set_lockstep(_zxw_jit(zx), on != 0);
}
/* Chaining compiled code into compiled code (on by default; jit_set_chaining). */
API void zxw_jit_chaining(zx_t *zx, int on) {
    if (_zxw_jit(zx)) jit_set_chaining(_zxw_jit(zx), on != 0);
}
/* Replaces the machine's dynarec with one of these settings (0 keeps a
 * default; see jit_config_t); its compiled code and statistics start over.
 * Returns 0 when the machine runs without the dynarec or on no memory. */
API int zxw_jit_configure(zx_t *zx, uint32_t threshold, uint32_t batch, uint32_t max_functions, uint32_t max_bytes,
                          uint32_t batch_wait, uint32_t profile_exits) {
    jit_t *old = _zxw_jit(zx);
    if (!old) return 0;
    jit_config_t cfg = ZXW_JIT_DEFAULTS;
    if (threshold) cfg.threshold = threshold;
    if (batch) cfg.batch = batch;
    if (batch_wait) cfg.batch_wait = batch_wait;
    cfg.profile_exits = profile_exits;
    cfg.max_slots = max_functions;
    cfg.max_bytes = max_bytes;
    cfg.lockstep = jit_get_lockstep(old);
    jit_t *jit = jit_create(&cfg);
    if (!jit) return 0;
    jit_destroy(old);
    jit_set_profile(jit, zx->prof);
    zx->run_cpu_ctx = jit;
    return 1;
}
/* The first lockstep divergences as a JSON array (core/jit/jit.h), "" if none. */
API const char *zxw_jit_lockstep_report(zx_t *zx) { return _zxw_jit(zx) ? jit_lockstep_report(_zxw_jit(zx)) : ""; }

/* ---- the frame profile (core/platform/profile.h) */
/* on: starts (or restarts) the profile from zero; off: stops it and drops
 * its figures. Returns 0 on no memory. */
API int zxw_profile_enable(zx_t *zx, int on) {
    if (!on) {
        free(zx->prof);
        zx->prof = NULL;
    } else {
        if (!zx->prof) zx->prof = malloc(sizeof *zx->prof);
        if (!zx->prof) return 0;
        prof_reset(zx->prof);
    }
    if (_zxw_jit(zx)) jit_set_profile(_zxw_jit(zx), zx->prof);
    return 1;
}
/* The profile's figures as JSON (prof_json), "null" when it is off. */
API const char *zxw_profile_json(zx_t *zx) {
    static char json[1024];
    if (!zx->prof) return "null";
    prof_json(zx->prof, json, sizeof json);
    return json;
}
/* The last frame's host time in ms (0 when the profile is off). */
API double zxw_profile_last_frame_ms(zx_t *zx) { return zx->prof ? zx->prof->last_frame_ms : 0; }

API uint32_t zxw_snapshot_max(void) { return ZX_SNAPSHOT_MAX; }
API uint32_t zxw_save_sna(zx_t *zx, uint8_t *out, uint32_t cap) { return (uint32_t)zx_save_sna(zx, out, cap); }
API uint32_t zxw_save_z80(zx_t *zx, uint8_t *out, uint32_t cap) { return (uint32_t)zx_save_z80(zx, out, cap); }
API uint32_t zxw_save_szx(zx_t *zx, uint8_t *out, uint32_t cap) { return (uint32_t)zx_save_szx(zx, out, cap); }
/* The model (zx_model_t) a snapshot needs, or -1 (not a snapshot, or unreadable). */
API int zxw_snapshot_model(const uint8_t *data, uint32_t len, const char *name) {
    return zx_snapshot_model(data, len, name);
}

/* ---- tape deck */
API void zxw_tape_play(zx_t *zx) { zx_tape_play(zx); }
API void zxw_tape_stop(zx_t *zx) { zx_tape_stop(zx); }
API void zxw_tape_rewind(zx_t *zx) { zx_tape_rewind(zx); }
API void zxw_tape_eject(zx_t *zx) { zx_tape_eject(zx); }
API int zxw_tape_playing(zx_t *zx) { return zx_tape_playing(zx); }
API int zxw_tape_wants_fast_forward(zx_t *zx) { return zx_tape_wants_fast_forward(zx); }
API uint32_t zxw_tape_block(zx_t *zx) { return zx_tape_block(zx); }
API uint32_t zxw_tape_block_count(zx_t *zx) { return zx_tape_block_count(zx); }
API uint32_t zxw_tape_loads(zx_t *zx) { return zx->tape_loads; }
/* Instant loading through the ROM trap; off means tapes only load by playing. */
API void zxw_set_tape_traps(zx_t *zx, int on) {
    zx->tape_traps = on != 0;
    zx_tape_update_trap(zx);
}
API int zxw_tape_traps(zx_t *zx) { return zx->tape_traps; }

/* ---- memory and counters (tests, debuggers, the screen reader) */
/* Through the present mapping. */
API uint8_t zxw_peek(zx_t *zx, uint32_t addr) { return z80_peek(&zx->cpu, (uint16_t)addr); }
/* Writes to ROM are ignored, as on the real machine. */
API void zxw_poke(zx_t *zx, uint32_t addr, int value) {
    zx_video_render_to(zx, zx->cpu.tstates); /* the cells latched so far show the old byte */
    z80_poke(&zx->cpu, (uint16_t)addr, (uint8_t)value);
    _zxw_jit_flush(zx);
}
/* The 48 BASIC ROM (its font draws the screen text). */
API uint8_t *zxw_rom(zx_t *zx) { return zx_rom(zx, zx->timing.rom_count - 1); }
/* RAM banks 5, 2 and 0, one after the other: the 48K's 0x4000-0xFFFF. */
API uint8_t *zxw_ram(zx_t *zx) { return zx_bank(zx, 5); }
/* RAM bank n (0-7; 48K: 5, 2, 0 are its RAM), 16 KB */
API uint8_t *zxw_bank(zx_t *zx, int n) { return zx_bank(zx, n); }
/* The bank on screen (5 or 7): its first 6912 bytes are the display file */
API uint8_t *zxw_screen(zx_t *zx) { return zx_bank(zx, zx_screen_bank(zx)); }
API double zxw_frames(zx_t *zx) { return (double)zx->frame_count; }
/* Emulated T-states since power-on (frames run plus the current frame's). */
API double zxw_tstates(zx_t *zx) { return (double)zx->frame_count * zx->timing.frame_t + zx->cpu.tstates; }
API int zxw_pc(zx_t *zx) { return zx->cpu.pc; }
#endif
