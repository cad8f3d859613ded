/*
 * tapeload.h: the tape-loading case test_zx.c and test_zx128.c share: a TAP
 * of one 256-byte data block, and tests/z80src/zx_tapeload.asm (LD-BYTES of
 * 256 bytes into 0x8000 through the ROM, the flags it returns to 0x9100,
 * then HALT at 0x9014) run on a machine until it halts.
 */
#ifndef TAPELOAD_H
#define TAPELOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine/zx/zx.h"
#include "media/tape.h"

/* zx_tapeload.asm's pasmo output, org 0x9000 */
static const uint8_t k_tapeload[] = {0xdd, 0x21, 0x00, 0x80, 0x11, 0x00, 0x01, 0x3e, 0xff, 0x37, 0xcd,
                                     0x56, 0x05, 0xf3, 0xf5, 0xc1, 0xed, 0x43, 0x00, 0x91, 0x76};
enum { TAPELOAD_CODE = 0x9000, TAPELOAD_HALT = 0x9014, TAPELOAD_FLAGS = 0x9100, TAPELOAD_DEST = 0x8000 };

/* A TAP of one data block (flag 0xFF) carrying payload[256], which it fills. */
static inline size_t tapeload_make_tap(uint8_t *out, size_t cap, uint8_t payload[256]) {
    uint8_t block[258];
    block[0] = 0xff;
    uint8_t x = 0xff;
    for (int i = 0; i < 256; i++) {
        payload[i] = (uint8_t)(i * 37 + 11);
        block[1 + i] = payload[i];
        x ^= payload[i];
    }
    block[257] = x;
    const uint8_t *blocks[1] = {block};
    size_t lens[1] = {sizeof block};
    return tape_write_tap(out, cap, blocks, lens, 1);
}

/* Puts the loader in and runs frames (the tape played in real time, traps
 * off, if real_time) until it halts, at most 400; returns the frames run. */
static inline int tapeload_run(zx_t *zx, bool real_time) {
    for (size_t i = 0; i < sizeof k_tapeload; i++) z80_poke(&zx->cpu, (uint16_t)(TAPELOAD_CODE + i), k_tapeload[i]);
    z80_poke(&zx->cpu, TAPELOAD_FLAGS, 0);
    zx->cpu.pc = TAPELOAD_CODE;
    if (real_time) {
        zx->tape_traps = false;
        zx_tape_play(zx);
    }
    int frames = 0;
    while (frames < 400 && !(zx->cpu.halted && zx->cpu.pc == TAPELOAD_HALT)) {
        zx_run_frame(zx);
        frames++;
    }
    return frames;
}

/* Whether the payload arrived at 0x8000. */
static inline bool tapeload_loaded(const zx_t *zx, const uint8_t payload[256]) {
    for (int i = 0; i < 256; i++)
        if (z80_peek(&zx->cpu, (uint16_t)(TAPELOAD_DEST + i)) != payload[i]) return false;
    return true;
}

#endif
