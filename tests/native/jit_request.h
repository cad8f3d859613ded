/*
 * jit_request.h: compile requests for the native backend tests
 * (test_jit_backend.c, test_jit_golden.c): one function at 0x8000 over
 * `code`, the rest of its 64-byte window NOPs and then a JP back to 0x8000
 * (so regions stay small), encoded by the core's own encoder
 * (jit/z80/jit_z80_request.h). The machine numbers are made up: the module
 * is only built, validated or printed, never run.
 */
#ifndef TESTS_NATIVE_JIT_REQUEST_H
#define TESTS_NATIVE_JIT_REQUEST_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cpu/z80/z80.h"
#include "jit/z80/jit_z80_request.h"

/* The request for `code` (fields as jit_request() sends them); false when
 * the entry does not compile. contended: page 1 contended and hooked
 * (screen), a contention table. */
static bool jit_request_fill(jit_z80_request_t *rq, jit_region_t *region, const uint8_t *code, size_t n,
                             uint32_t flags, int contended) {
    uint8_t window[64] = {0};
    memcpy(window, code, n);
    window[60] = 0xc3; window[61] = 0x00; window[62] = 0x80; /* JP 8000 */
    rq->flags = flags;
    rq->cpu_size = (uint32_t)sizeof(z80_t);
    rq->mem_base = contended ? 0 : 0x10000;
    rq->rom_pages = 1;
    rq->contended_pages = rq->hooked_pages = contended ? 2 : 0;
    rq->contention = contended ? 0x20000 : 0;
    rq->contention_len = contended ? 69888 : 0;
    rq->max_delay = 6;
    rq->code_map = 0x30000;
    rq->tables = 0x40000;
    rq->trap_pc = -1;
    for (int k = 0; k < JIT_Z80_CALLS; k++) rq->calls[k] = (uint32_t)(1 + k);
    rq->count = 0;
    return jit_z80_request_add(rq, 0x8000, 0x8000, sizeof window, window, region);
}

/* Encodes it into req (cap bytes); returns the length, 0 when the entry
 * does not compile. */
static size_t jit_request(uint8_t *req, size_t cap, const uint8_t *code, size_t n, uint32_t flags, int contended) {
    static jit_z80_request_t rq;
    static jit_region_t region;
    if (!jit_request_fill(&rq, &region, code, n, flags, contended)) return 0;
    return jit_z80_request_encode(&rq, req, cap);
}

#endif
