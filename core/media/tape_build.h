/*
 * tape_build.h: helpers the TAP and TZX parsers use to build a tape_t.
 */
#ifndef MEDIA_TAPE_BUILD_H
#define MEDIA_TAPE_BUILD_H

#include "media/tape.h"

/* Copies the file into t->data and makes room for exactly `blocks` blocks
 * (the parsers count them first: no growth, no doubling); false when out
 * of memory. */
bool tape_build_begin(tape_t *t, uint32_t *cap, const uint8_t *bytes, size_t len, uint32_t blocks);
/* Appends a zeroed block (used_bits 8); NULL when out of memory. */
tape_block_t *tape_build_add(tape_t *t, uint32_t *cap, tape_kind_t kind, uint8_t tzx_id);
/* Fills a DATA block with the standard ROM timings. */
/* The limits of tape.h (TAPE_MAX_*), checked before anything is allocated:
 * false with the reason in err. `what` names the format ("TAP", "TZX"). */
bool tape_check_size(const char *what, size_t len, char *err, size_t errlen);
bool tape_check_blocks(const char *what, size_t blocks, size_t offset, char *err, size_t errlen);
void tape_std_block(tape_block_t *b, uint32_t data_off, uint32_t data_len, uint32_t pause_ms, const uint8_t *data);

#endif
