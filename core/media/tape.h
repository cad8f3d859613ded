/*
 * tape.h: a cassette tape as a list of pulse-generating blocks.
 *
 * TAP and TZX files both parse into tape_t, so the machine has one player
 * (core/machine/zx/zx_tape.c) and one instant-load trap for every format. A block
 * describes pulses (lengths in 3.5 MHz T-states) rather than holding them,
 * so a tape costs little more memory than its file: `data` is a copy of the
 * file and blocks point into it.
 *
 * HOWTO
 *     tape_t tape;
 *     char msg[256];
 *     if (!tape_parse(&tape, bytes, len, "game.tzx", msg, sizeof msg))
 *         report(msg);                  // names the problem; nothing allocated
 *     else if (msg[0]) warn(msg);       // e.g. "skipped unknown TZX block 0x4B"
 *     ...
 *     tape_free(&tape);
 */
#ifndef MEDIA_TAPE_H
#define MEDIA_TAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Standard ROM timings (48K ROM SA-BYTES; World of Spectrum "TZX format",
 * block 0x10 defaults), in T-states. */
enum {
    TAPE_STD_PILOT = 2168,
    TAPE_STD_SYNC1 = 667,
    TAPE_STD_SYNC2 = 735,
    TAPE_STD_ZERO = 855,
    TAPE_STD_ONE = 1710,
    TAPE_STD_PILOT_HEADER = 8063, /* pulses when the flag byte is < 128 */
    TAPE_STD_PILOT_DATA = 3223,
    TAPE_T_PER_MS = 3500,
};

/* What a file can make the parsers allocate. A tape costs one copy of its
 * file plus sizeof(tape_block_t) (32 bytes) per block; pulses, tones and
 * loops are described, never expanded. Files over TAPE_MAX_FILE_BYTES or
 * with more than TAPE_MAX_BLOCKS blocks are refused with the reason before
 * anything is allocated, so the worst tape costs about 64 + 8 MB. Real
 * tapes stay far below both: the largest TZX direct recordings are a few
 * MB, and a tape converted pulse by pulse (block 0x13, 255 pulses each) has
 * a few thousand blocks for a whole side. */
enum {
    TAPE_MAX_FILE_BYTES = 64 * 1024 * 1024,
    TAPE_MAX_BLOCKS = 256 * 1024,
};

typedef enum {
    TAPE_DATA,       /* pilot, sync1, sync2, data bits, pause (TAP; TZX 0x10, 0x11, 0x14) */
    TAPE_TONE,       /* `count` pulses of `pilot` T (TZX 0x12) */
    TAPE_PULSES,     /* `count` pulses, lengths as LE words at data_off (0x13) */
    TAPE_DIRECT,     /* direct recording: one level per bit, `zero` T each (0x15) */
    TAPE_PAUSE,      /* silence for pause_ms; 0 stops the tape (0x20) */
    TAPE_STOP_48K,   /* stop the tape on a 48K machine (0x2A) */
    TAPE_LOOP_START, /* repeat up to the matching LOOP_END `count` times (0x24) */
    TAPE_LOOP_END,   /* 0x25 */
    TAPE_SET_LEVEL,  /* set the signal level to `level` (0x2B) */
    TAPE_INFO,       /* no signal: group, text, archive info, ... */
} tape_kind_t;

typedef struct {
    uint8_t kind;       /* tape_kind_t */
    uint8_t tzx_id;     /* TZX block id (0x10 for TAP blocks), for listings */
    uint8_t rom_std;    /* standard ROM timings: the load trap may load it at once */
    uint8_t used_bits;  /* bits used in the last data byte (1-8) */
    uint8_t level;      /* TAPE_SET_LEVEL */
    uint16_t pilot, sync1, sync2, zero, one; /* pulse lengths in T-states */
    uint32_t count;     /* pilot pulses (DATA), pulses (TONE, PULSES), repetitions (LOOP_START) */
    uint32_t pause_ms;  /* silence after the block */
    uint32_t data_off;  /* into tape_t.data */
    uint32_t data_len;
} tape_block_t;

typedef struct {
    tape_block_t *blocks;
    uint32_t block_count;
    uint8_t *data;      /* copy of the file */
    uint32_t data_len;
} tape_t;

/* Detects TAP or TZX from the signature and the name hint (may be NULL).
 * On failure returns false, writes why into err and leaves *out zeroed.
 * On success err holds warnings, or "" if none. */
bool tape_parse(tape_t *out, const uint8_t *bytes, size_t len, const char *name_hint, char *err, size_t errlen);
bool tape_parse_tap(tape_t *out, const uint8_t *bytes, size_t len, char *err, size_t errlen);
bool tape_parse_tzx(tape_t *out, const uint8_t *bytes, size_t len, char *err, size_t errlen);
void tape_free(tape_t *tape);

/* The TAP file of standard blocks (used by tests and tools): block i holds
 * lens[i] bytes from blocks[i] already including flag and checksum. */
size_t tape_write_tap(uint8_t *out, size_t cap, const uint8_t *const *blocks, const size_t *lens, size_t count);

#endif
