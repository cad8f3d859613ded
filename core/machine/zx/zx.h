/*
 * zx.h: the ZX Spectrum family: 48K, 128K, +2, +2A, +3 (without its disk
 * drive) and Pentagon 128. ULA/gate array (video, contention, keyboard,
 * beeper, EAR/MIC, floating bus), ROMs and RAM banks with the models'
 * paging ports, AY-3-8912 sound on the 128K models, Kempston joystick, tape
 * player and loaders.
 *
 * HOWTO
 *     static zx_t zx;                              // ~600 KB: keep it off the stack
 *     zx_init(&zx, &(zx_desc_t){ .rom = rom, .rom_size = 16384, .audio_sample_rate = 48000 });
 *     // or .model = ZX_MODEL_128K with both ROMs (32 KB) or one 16 KB ROM
 *     // (it then fills every ROM slot: zx.rom_fallback is set)
 *     char err[256];
 *     if (!zx_load(&zx, bytes, len, "game.tzx", err, sizeof err)) show(name, err);
 *     for (;;) {                                   // zx.timing.cpu_hz / frame_t times a second
 *         zx_key_down(&zx, ZX_KEY_ENTER); ...
 *         zx_run_frame(&zx);
 *         draw(zx.fb, ZX_FB_WIDTH, ZX_FB_HEIGHT);  // RGBA bytes, row-major
 *         play(zx.audio_left, zx.audio_right, zx.audio_count); // float, -1..1
 *     }
 *
 * Timings: per model in zx_timing_t (zx.c cites the sources); the 48K's
 * (World of Spectrum FAQ "ZX Spectrum 48K timings" and
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

#include "chips/ay.h"
#include "chips/beeper.h"
#include "media/tape.h"
#include "cpu/z80/z80.h"

enum {
    /* the 48K's timings (other models: zx_timing_t) */
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
    ZX_ROM_SIZE = 16384,   /* one ROM */
    ZX_RAM_SIZE = 49152,   /* the 48K's RAM */
    ZX_PAGE_SIZE = 16384,
    ZX_ROM_SLOTS = 4,      /* ROMs a model can have (+2A/+3: 4) */
    ZX_RAM_BANKS = 8,      /* 128K models: banks 0-7; the 48K uses 5, 2, 0 */
    ZX_FRAME_T_MAX = 71680, /* the longest frame of any model (Pentagon) */
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

/* The machine's model: picks timings, memory map, paging and sound. */
typedef enum {
    ZX_MODEL_48K = 0,
    ZX_MODEL_128K,     /* Sinclair 128K (and Spanish 128) */
    ZX_MODEL_PLUS2,    /* Amstrad +2 (grey): the 128K's gate array */
    ZX_MODEL_PLUS2A,   /* +2A (black) */
    ZX_MODEL_PLUS3,    /* +3: the +2A's gate array; its disk drive is not emulated */
    ZX_MODEL_PENTAGON, /* Pentagon 128 */
    ZX_MODEL_COUNT,
} zx_model_t;

typedef enum { ZX_PAGING_NONE, ZX_PAGING_128, ZX_PAGING_PLUS3 } zx_paging_t;
/* ULA contention: none; the Ferranti ULA's 6,5,4,3,2,1,0,0 from one T
 * before the top-left pixel, also on internal cycles and I/O; the
 * Amstrad gate array's 1,0,7,6,5,4,3,2 from four T before it, on memory
 * cycles only (World of Spectrum FAQ "128K/+2A/+3 timings"; FUSE 1.6
 * spectrum.c contend_delay_common). */
typedef enum { ZX_CONTEND_NONE, ZX_CONTEND_ULA, ZX_CONTEND_GATE_ARRAY } zx_contend_t;

/* A model's fixed facts (zx_model_timing(); zx.c cites where each comes from). */
typedef struct {
    const char *id;         /* "48k", "128k", "plus2", "plus2a", "plus3", "pentagon" */
    const char *name;       /* "ZX Spectrum 48K", ... */
    uint32_t cpu_hz;
    uint32_t ay_hz;         /* 0: no AY */
    uint32_t line_t;        /* T-states per line */
    uint32_t lines;         /* lines per frame */
    uint32_t frame_t;       /* line_t * lines */
    uint32_t int_len;       /* /INT held for this many T from T=0 */
    uint32_t top_left_pixel;/* T-state the top-left screen pixel is displayed */
    uint8_t contend;        /* zx_contend_t */
    uint8_t contended_banks;/* RAM banks the ULA contends (48K: its 0x4000 bank, 5) */
    uint8_t paging;         /* zx_paging_t */
    uint8_t rom_count;      /* ROMs the model has: 1, 2 or 4 */
    bool floating_bus;      /* unattached ports read the ULA's screen fetches */
} zx_timing_t;

/* NULL for an unknown model. */
const zx_timing_t *zx_model_timing(zx_model_t model);
/* The model for an id ("48k", "128k", "plus2", "plus2a", "plus3",
 * "pentagon"; case-insensitive), or -1. */
int zx_model_from_id(const char *id);

typedef enum { ZX_FMT_UNKNOWN, ZX_FMT_SNA, ZX_FMT_Z80, ZX_FMT_SZX, ZX_FMT_TAP, ZX_FMT_TZX } zx_format_t;

/* Runs the CPU until cpu->tstates >= until, or earlier (e.g. on trap_pc);
 * the frame loop calls it again until the frame is done. */
typedef void (*zx_run_cpu_t)(void *ctx, z80_t *cpu, uint32_t until);

typedef struct {
    zx_model_t model;         /* 0: ZX_MODEL_48K */
    /* The model's ROMs in order, 16384 bytes each, copied: 48K one, 128K/+2
     * and Pentagon two (128 editor, 48 BASIC), +2A/+3 four. A single 16 KB
     * ROM is accepted on any model: it then fills every ROM slot (the 128K
     * editor is not available; rom_fallback is set). */
    const uint8_t *rom;
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
    uint32_t scale_rem;      /* remainder of the 3.5 MHz -> CPU clock scaling */
    tape_t *tape;            /* owned (heap); NULL: no tape */
} zx_tape_player_t;

/* Physical memory: the ROM slots, then the RAM banks in the order 5, 2, 0,
 * 1, 3, 4, 6, 7, so that the usual mappings (48K: its ROM, 5, 2, 0; 128K
 * games: the 48 BASIC ROM, 5, 2, 0) are one contiguous 64K that generated
 * code addresses directly. A model's ROMs sit at the end of the ROM slots
 * (its 48 BASIC ROM always in the last one). Use zx_rom()/zx_bank(). */
enum { ZX_MEM_SIZE = (ZX_ROM_SLOTS + ZX_RAM_BANKS) * ZX_PAGE_SIZE };

typedef struct {
    zx_model_t model;
    zx_timing_t timing;         /* the model's (a copy: the state stays plain data) */
    z80_t cpu;
    zx_run_cpu_t run_cpu;
    void *run_cpu_ctx;
    struct prof *prof;          /* the frame profile (core/platform/profile.h), NULL: off */

    uint8_t mem[ZX_MEM_SIZE];   /* ROM slots and RAM banks (see above) */
    bool rom_fallback;          /* one 16 KB ROM in every slot (no 128K editor) */

    /* paging (128K models) */
    uint8_t port_7ffd;          /* last value written (bit 5 locks both ports) */
    uint8_t port_1ffd;          /* +2A/+3 */

    /* ULA */
    uint8_t border;             /* 0-7 */
    uint8_t last_fe;            /* last byte written to port 0xFE */
    uint8_t keys[8];            /* half-row bits, 1 = pressed */
    uint8_t joystick;           /* ZX_JOY_* bits */
    bool kempston;
    bool issue2;
    bool flash_on;
    uint64_t frame_count;

    /* video: frame buffer and the progressive renderer's position. The
     * renderer redraws only the cells whose inputs changed since they were
     * last drawn (the render_* arrays below hold what each cell shows), so
     * fb belongs to it: pixels written there by anyone else stay until
     * their cell's inputs change. */
    uint32_t render_cell;       /* next 8-pixel cell to draw (row * 44 + column) */
    uint32_t hook_mark;         /* latch T-state of render_cell (UINT32_MAX: nothing left to draw, or
                                   fast_forward): cpu.hook_mark points here (z80.h hook_window) */
    uint32_t palette[16];
    uint32_t fb[ZX_FB_HEIGHT * ZX_FB_WIDTH];
    /* border cells: the colour shown (0xFF: not drawn); per row, a colour
     * shown by every border cell left [0] and right [1] of the screen (for
     * a row without screen, [0] is the whole row), or 0xFF */
    uint8_t render_border[ZX_FB_HEIGHT * ZX_FB_WIDTH / 8];
    uint8_t render_border_run[ZX_FB_HEIGHT][2];
    /* screen cells, per line of 32: the bitmap byte and attribute drawn,
     * the FLASH phase each was drawn in and which were drawn (bit = column) */
    uint8_t render_bitmap[192 * 32], render_attr[192 * 32];
    uint32_t render_flash[192], render_drawn[192];

    /* audio: the speaker (EAR and MIC bits of port 0xFE, the tape signal)
     * and the AY (128K models) resampled to the host rate; the last
     * frame's samples are audio_left/right/mono[0 .. audio_count) */
    beeper_t beeper;
    ay_t ay;                    /* 128K models only (timing.ay_hz != 0) */
    uint32_t audio_count;
    float audio_left[ZX_AUDIO_MAX], audio_right[ZX_AUDIO_MAX], audio_mono[ZX_AUDIO_MAX];

    /* tape */
    zx_tape_player_t tape;
    bool tape_traps;            /* instant load through the ROM's LD-BYTES */
    bool tape_rom_ok;           /* the ROM has LD-BYTES where the trap expects it */
    bool fast_forward;          /* set by the front end: skip video and audio work */
    uint32_t tape_loads;        /* blocks loaded through the trap (statistics) */

    uint8_t contention[ZX_FRAME_T_MAX + Z80_CONTENTION_PAD]; /* zero past the frame */
} zx_t;

/* ROM n of the model (0..timing.rom_count-1) and RAM bank b (0..7). */
uint8_t *zx_rom(zx_t *zx, int n);
uint8_t *zx_bank(zx_t *zx, int bank);
const uint8_t *zx_bank_const(const zx_t *zx, int bank);
/* Memory through the present mapping, without timing or hooks:
 * z80_peek(&zx->cpu, addr) and z80_poke (ROM ignored). */
/* The RAM bank shown on screen (5, or 7 when the 128K's bit 3 selects it). */
int zx_screen_bank(const zx_t *zx);
/* Writes a paging port's value as an OUT would (honouring the lock):
 * port is 0x7FFD or 0x1FFD. Snapshots and tests use it. */
void zx_page_write(zx_t *zx, uint16_t port, uint8_t value);

/* Returns false for an unknown model or ROM data of the wrong size (zx is
 * then zeroed). */
bool zx_init(zx_t *zx, const zx_desc_t *desc);
/* Frees the tape. */
void zx_discard(zx_t *zx);
/* Power-on reset of CPU and ULA; RAM is kept (the ROM clears it), the tape
 * stays inserted and is rewound. */
void zx_reset(zx_t *zx);
/* Runs one frame: the CPU to T=timing.frame_t (the overshoot carries over), the
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
/* AY stereo placement: 0 mono, 1 ABC, 2 ACB (ay_stereo_t); 128K models. */
void zx_audio_set_stereo(zx_t *zx, int mode);

/* Media. err receives a message naming the problem on failure (the caller
 * adds the file name), or warnings (possibly "") on success. On failure the
 * machine is left exactly as it was. */
zx_format_t zx_detect_format(const uint8_t *data, size_t len, const char *name_hint);
bool zx_load(zx_t *zx, const uint8_t *data, size_t len, const char *name_hint, char *err, size_t errlen);
bool zx_load_sna(zx_t *zx, const uint8_t *data, size_t len, char *err, size_t errlen);
bool zx_load_z80(zx_t *zx, const uint8_t *data, size_t len, char *err, size_t errlen);
bool zx_load_szx(zx_t *zx, const uint8_t *data, size_t len, char *err, size_t errlen);
/* Saving: returns bytes written, 0 if cap is too small (ZX_SNAPSHOT_MAX always fits). */
enum { ZX_SNAPSHOT_MAX = 147487 }; /* the long 128K SNA (media/snapshot.h SNAP_MAX_SIZE) */
size_t zx_save_sna(const zx_t *zx, uint8_t *out, size_t cap);
size_t zx_save_z80(const zx_t *zx, uint8_t *out, size_t cap);
size_t zx_save_szx(const zx_t *zx, uint8_t *out, size_t cap);
/* The model a snapshot file needs (zx_model_t), or -1 if it is not a
 * snapshot or does not load. Loading also works across the 128K family,
 * and a 48K snapshot loads on any 128K model (in 48K mode, paging locked);
 * only the 48K refuses 128K snapshots. */
int zx_snapshot_model(const uint8_t *data, size_t len, const char *name_hint);

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
