/*
 * jit_request.h: compile requests for the native backend tests
 * (test_jit_backend.c, test_jit_golden.c): one function at 0x8000 over
 * `code`, the rest of its 64-byte window NOPs and then a JP back to 0x8000
 * (so regions stay small). The machine numbers are made up: the module is
 * only built, validated or printed, never run.
 */
#ifndef TESTS_NATIVE_JIT_REQUEST_H
#define TESTS_NATIVE_JIT_REQUEST_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "z80/wb_z80_request.h"
#include "cpu/z80/z80.h"

static size_t jit_request_put32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
    return 4;
}

/* contended: pages 1 contended and hooked (screen), a contention table. */
static size_t jit_request(uint8_t *req, const uint8_t *code, size_t n, uint32_t flags, int contended) {
    size_t k = 0;
    uint32_t hdr[WB_Z80_HEADER_WORDS] = {
        2, WB_Z80_VERSION, flags, (uint32_t)sizeof(z80_t), contended ? 0 : 0x10000, 1, contended ? 2 : 0,
        contended ? 2 : 0, contended ? 0x20000 : 0, contended ? 69888 : 0, 6, 0x30000, 0x40000, (uint32_t)-1, 1};
    for (int i = 0; i < WB_Z80_HEADER_WORDS; i++) k += jit_request_put32(req + k, hdr[i]);
    k += jit_request_put32(req + k, 0x8000);
    k += jit_request_put32(req + k, 0);
    k += jit_request_put32(req + k, 0x8000);
    k += jit_request_put32(req + k, 64);
    memset(req + k, 0, 64);
    memcpy(req + k, code, n);
    req[k + 60] = 0xc3; req[k + 61] = 0x00; req[k + 62] = 0x80; /* JP 8000 */
    return k + 64;
}

#endif
