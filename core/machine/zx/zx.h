/*
 * zx.h: the ZX Spectrum 48K: ULA (video, contention, keyboard, beeper,
 * EAR/MIC), 16K ROM + 48K RAM, Kempston joystick, tape player and loaders.
 *
 * HOWTO
 *     static zx_t zx;                              // ~600 KB: keep it off the stack
 *     zx_init(&zx, &(zx_desc_t){ .rom = rom, .rom_size = 16384, .audio_sample_rate = 48000 });
 *     char err[256];
 *     if (!zx_load(&zx, bytes, len, "game.tzx", err, sizeof err)) show(name, err);
 *     for (;;) {                                   // 50.08 times a second
 *         zx_key_down(&zx, ZX_KEY_ENTER); ...
 *         zx_run_frame(&zx);
 *         draw(zx.fb, ZX_FB_WIDTH, ZX_FB_HEIGHT);  // RGBA bytes, row-major
 *         play(zx.beeper.samples, zx.beeper.sample_count); // float mono, -1..1
 *     }
 *
 * Timings (48K, World of Spectrum FAQ "ZX Spectrum 48K timings" and
 * "Contended memory"; FUSE 1.6 spectrum.c agrees): 224 T per line, 312
 * lines, 69,888 T per frame; /INT held for 32 T from T=0; the top-left
 * screen pixel is displayed at T=14336 (line 64); memory in 0x4000-0x7FFF is
 * contended from T=14335 with delays 6,5,4,3,2,1,0,0 repeating over the
 * 128 T of each of the 192 screen lines.
 *
 * Frame buffer: ZX_FB_WIDTH x ZX_FB_HEIGHT = 352 x 296 RGBA pixels: the
 * 256 x 192 screen with 48 px of border left and right, 48 lines above and
 * 56 below (lines 16-311 of the 312-line frame; the first 16 are vertical
 * retrace). Each uint32 is R,G,B,A in memory order (a JS Uint8ClampedArray
 * over zx.fb is ImageData-ready). Border changes have a 4 T (8 px)
 * resolution, as on the 48K ULA.
 *
 * State is plain data apart from `tape.tape` (heap) and the CPU's page
 * pointers and callbacks, which zx_run_frame re-derives every frame, so a
 * save state or lockstep copy is a struct copy (share or deep-copy the tape).
 */
#ifndef ZX_H
#define ZX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chips/beeper.h"
#include "media/tape.h"
#include "cpu/z80/z80.h"

enum {
    ZX_FRAME_T = 69888,
    ZX_LINE_T = 224,
    ZX_LINES = 312,
    ZX_INT_T = 32,
    ZX_CONTENTION_START = 14335,
    ZX_SCREEN_T = 14336,   /* top-left pixel of the 256x192 screen */
    ZX_CPU_HZ = 3500000,
    ZX_FB_WIDTH = 352,
    ZX_FB_HEIGHT = 296,
    ZX_BORDER_LEFT = 48,
    ZX_BORDER_TOP = 48,
    ZX_FB_FIRST_LINE = 16, /* frame line shown on frame-buffer row 0 */
    ZX_AUDIO_MAX = BEEPER_MAX_SAMPLES, /* samples per frame buffer (96 kHz fits) */
    ZX_ROM_SIZE = 16384,
    ZX_RAM_SIZE = 49152,
    ZX_DISPLAY_FILE_SIZE = 6912, /* bitmap and attributes, 0x4000-0x5AFF */
};

/* Keys: code = half-row * 8 + bit, the half-row being the index of the
 * address line A8..A15 that selects it. */
enum {
    ZX_KEY_CAPS = 0x00, ZX_KEY_Z, ZX_KEY_X, ZX_KEY_C, ZX_KEY_V,
    ZX_KEY_A = 0x08, ZX_KEY_S, ZX_KEY_D, ZX_KEY_F, ZX_KEY_G,
    ZX_KEY_Q = 0x10, ZX_KEY_W, ZX_KEY_E, ZX_KEY_R, ZX_KEY_T,
    ZX_KEY_1 = 0x18, ZX_KEY_2, ZX_KEY_3, ZX_KEY_4, ZX_KEY_5,
    ZX_KEY_0 = 0x20, ZX_KEY_9, ZX_KEY_8, ZX_KEY_7, ZX_KEY_6,
    ZX_KEY_P = 0x28, ZX_KEY_O, ZX_KEY_I, ZX_KEY_U, ZX_KEY_Y,
    ZX_KEY_ENTER = 0x30, ZX_KEY_L, ZX_KEY_K, ZX_KEY_J, ZX_KEY_H,
    ZX_KEY_SPACE = 0x38, ZX_KEY_SYMBOL, ZX_KEY_M, ZX_KEY_N, ZX_KEY_B,
    ZX_KEY_NONE = 0xff,
};

/* Kempston joystick bits (port 0x1F, active high). */
enum { ZX_JOY_RIGHT = 0x01, ZX_JOY_LEFT = 0x02, ZX_JOY_DOWN = 0x04, ZX_JOY_UP = 0x08, ZX_JOY_FIRE = 0x10 };

/* The machine's model: picks timings and memory map. Only the 48K so far;
 * the 128K family will follow. */
typedef enum { ZX_MODEL_48K = 0 } zx_model_t;

typedef enum { ZX_FMT_UNKNOWN, ZX_FMT_SNA, ZX_FMT_Z80, ZX_FMT_SZX, ZX_FMT_TAP, ZX_FMT_TZX } zx_format_t;

/* Runs the CPU until cpu->tstates >= until, or earlier (e.g. on trap_pc);
 * the frame loop calls it again until the frame is done. */
typedef void (*zx_run_cpu_t)(void *ctx, z80_t *cpu, uint32_t until);

typedef struct {
    zx_model_t model;         /* 0: ZX_MODEL_48K */
    const uint8_t *rom;       /* 16384 bytes, copied */
    size_t rom_size;
    int audio_sample_rate;    /* 0: 48000 */
    bool no_kempston;         /* leave port 0x1F floating */
    bool issue2;              /* keyboard issue 2 (EAR bit behaviour) */
    bool no_tape_traps;       /* never load instantly: always play the tape */
    zx_run_cpu_t run_cpu;     /* NULL: z80_run */
    void *run_cpu_ctx;
} zx_desc_t;

typedef struct {
    uint32_t block;          /* index into tape->blocks of the block playing */
    uint8_t playing;
    uint8_t level;           /* EAR input level */
    uint8_t stage;           /* position within the block (zx_tape.c) */
    uint8_t bit_half;        /* second pulse of a data bit */
    uint32_t count;          /* pulses left in this stage */
    uint32_t byte;           /* data byte index */
    uint8_t mask;            /* data bit mask */
    uint8_t loop_active;
    uint32_t loop_block, loop_left;
    int64_t next_edge;       /* frame-relative T-state of the next event */
    uint64_t played_t;       /* T-states played since the tape was inserted or rewound */
    tape_t *tape;            /* owned (heap); NULL: no tape */
} zx_tape_player_t;

typedef struct {
    zx_model_t model;
    z80_t cpu;
    zx_run_cpu_t run_cpu;
    void *run_cpu_ctx;

    uint8_t rom[ZX_ROM_SIZE];
    uint8_t ram[ZX_RAM_SIZE];   /* 0x4000-0xFFFF */

    /* ULA */
    uint8_t border;             /* 0-7 */
    uint8_t last_fe;            /* last byte written to port 0xFE */
    uint8_t keys[8];            /* half-row bits, 1 = pressed */
    uint8_t joystick;           /* ZX_JOY_* bits */
    bool kempston;
    bool issue2;
    bool flash_on;
    uint64_t frame_count;

    /* video: frame buffer and the progressive renderer's position */
    uint32_t render_cell;       /* next 8-pixel cell to draw (row * 44 + column) */
    uint32_t palette[16];
    uint32_t fb[ZX_FB_HEIGHT * ZX_FB_WIDTH];

    /* audio: the speaker (EAR and MIC bits of port 0xFE, the tape signal)
     * resampled to the host rate; the last frame's samples are
     * beeper.samples[0 .. beeper.sample_count) */
    beeper_t beeper;

    /* tape */
    zx_tape_player_t tape;
    bool tape_traps;            /* instant load through the ROM's LD-BYTES */
    bool tape_rom_ok;           /* the ROM has LD-BYTES where the trap expects it */
    bool fast_forward;          /* set by the front end: skip video and audio work */
    uint32_t tape_loads;        /* blocks loaded through the trap (statistics) */

    uint8_t contention[ZX_FRAME_T];
} zx_t;

/* Returns false for an unknown model or a ROM that is not 16384 bytes (zx
 * is then zeroed). */
bool zx_init(zx_t *zx, const zx_desc_t *desc);
/* Frees the tape. */
void zx_discard(zx_t *zx);
/* Power-on reset of CPU and ULA; RAM is kept (the ROM clears it), the tape
 * stays inserted and is rewound. */
void zx_reset(zx_t *zx);
/* Runs one frame: the CPU to T=69,888 (the overshoot carries over), the
 * picture finished, audio samples for the frame in zx.beeper.samples/sample_count,
 * FLASH updated. */
void zx_run_frame(zx_t *zx);

/* Input. */
void zx_key_down(zx_t *zx, int key);
void zx_key_up(zx_t *zx, int key);
void zx_keys_clear(zx_t *zx);
/* Keys for an ASCII character: up to 2 codes (shift first) into keys[];
 * returns how many (0: no key types it). Covers letters, digits, space,
 * newline and the symbol-shift punctuation. */
int zx_keys_for_char(int ch, uint8_t keys[2]);
void zx_joystick(zx_t *zx, uint8_t bits);

/* Media. err receives a message naming the problem on failure (the caller
 * adds the file name), or warnings (possibly "") on success. On failure the
 * machine is left exactly as it was. */
zx_format_t zx_detect_format(const uint8_t *data, size_t len, const char *name_hint);
bool zx_load(zx_t *zx, const uint8_t *data, size_t len, const char *name_hint, char *err, size_t errlen);
bool zx_load_sna(zx_t *zx, const uint8_t *data, size_t len, char *err, size_t errlen);
bool zx_load_z80(zx_t *zx, const uint8_t *data, size_t len, char *err, size_t errlen);
bool zx_load_szx(zx_t *zx, const uint8_t *data, size_t len, char *err, size_t errlen);
/* Saving: returns bytes written, 0 if cap is too small (ZX_SNAPSHOT_MAX always fits). */
enum { ZX_SNAPSHOT_MAX = 49664 };
size_t zx_save_sna(const zx_t *zx, uint8_t *out, size_t cap);
size_t zx_save_z80(const zx_t *zx, uint8_t *out, size_t cap);

/* Tape: insert replaces any tape (rewound, stopped). */
bool zx_tape_insert(zx_t *zx, const uint8_t *data, size_t len, const char *name_hint, char *err, size_t errlen);
void zx_tape_eject(zx_t *zx);
void zx_tape_play(zx_t *zx);
void zx_tape_stop(zx_t *zx);
void zx_tape_rewind(zx_t *zx);
bool zx_tape_playing(const zx_t *zx);
/* True while the tape plays in real time: a front end may run frames with
 * zx.fast_forward set (no picture or sound) to load faster. */
bool zx_tape_wants_fast_forward(const zx_t *zx);
uint32_t zx_tape_block(const zx_t *zx);
uint32_t zx_tape_block_count(const zx_t *zx);

#endif
