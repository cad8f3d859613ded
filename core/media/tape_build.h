/*
 * tape_build.h: helpers the TAP and TZX parsers use to build a tape_t.
 */
#ifndef MEDIA_TAPE_BUILD_H
#define MEDIA_TAPE_BUILD_H

#include "media/tape.h"

/* Copies the file into t->data; false when out of memory. */
bool tape_build_begin(tape_t *t, const uint8_t *bytes, size_t len);
/* Appends a zeroed block (used_bits 8); NULL when out of memory. */
tape_block_t *tape_build_add(tape_t *t, uint32_t *cap, tape_kind_t kind, uint8_t tzx_id);
/* Fills a DATA block with the standard ROM timings. */
void tape_std_block(tape_block_t *b, uint32_t data_off, uint32_t data_len, uint32_t pause_ms, const uint8_t *data);

#endif
