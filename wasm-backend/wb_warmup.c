/*
 * wb_warmup.c: compiles a built-in mix of Z80 code so that the engine
 * running the compiler program has compiled and tiered up the compiler's
 * own code before the first real request. V8 compiles a Wasm program's
 * functions lazily and optimises them only after they have run a while: a
 * cold compiler spends ~200 ms on its first request and several times its
 * warm cost on the next few dozen. The browser runs this in idle time
 * after the compiler loads (web/engine/worker.mjs); benchmarks run it
 * before they measure.
 *
 * The mix covers every decoder group (base, CB, ED, DD/FD, DD CB) with
 * loops, memory, stack, block and I/O instructions, compiled as regions in
 * the plain, contended+hooked and traced flavours in turn, and a loop
 * entered in the middle, which only the dispatch loop renders (wb_flow.c;
 * when Binaryen's Relooper rendered it, leaving it cold cost the first
 * such function of a program 30-40 ms more).
 */
#include <stdlib.h>

#include "cpu/z80/z80.h"
#include "jit/z80/jit_z80_request.h"
#include "wb_entry.h"
#include "z80/wb_z80.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#define WB_EXPORT EMSCRIPTEN_KEEPALIVE
#else
#define WB_EXPORT
#endif

/* 0x8000: a loop over memory with flags, calls and stack work; then the
 * other groups; offsets in _wb_warm_entries start instructions. */
static const uint8_t _wb_warm_code[] = {
    0x21, 0x00, 0x90, 0x11, 0x00, 0xa0, 0x06, 0x20,  /* 8000 LD HL,9000; LD DE,A000; LD B,32 */
    0x7e, 0x86, 0x23, 0x12, 0x13, 0xa8, 0xe6, 0x0f,  /* 8008 LD A,(HL); ADD A,(HL); INC HL; LD (DE),A; INC DE; XOR B; AND 0F */
    0xfe, 0x05, 0x38, 0x02, 0x3c, 0x3d, 0x10, 0xf0,  /* 8010 CP 5; JR C,+2; INC A; DEC A; DJNZ 8008 */
    0xc5, 0xd5, 0xcd, 0x40, 0x80, 0xd1, 0xc1, 0x0e,  /* 8018 PUSH BC; PUSH DE; CALL 8040; POP DE; POP BC; LD C,.. */
    0xfe, 0xed, 0x78, 0xd3, 0xfe, 0xed, 0xb0, 0x2b,  /* 8020 ..FE; IN A,(C); OUT (FE),A; LDIR; DEC HL */
    0xcb, 0x7e, 0x28, 0x04, 0xcb, 0x3f, 0xcb, 0xc6,  /* 8028 BIT 7,(HL); JR Z,+4; SRL A; SET 0,(HL) */
    0xed, 0x52, 0x19, 0x29, 0xeb, 0x08, 0xd9, 0x07,  /* 8030 SBC HL,DE; ADD HL,DE; ADD HL,HL; EX DE,HL; EX AF,AF'; EXX; RLCA */
    0x17, 0x2f, 0x37, 0x3f, 0xc3, 0x00, 0x80, 0x00,  /* 8038 RLA; CPL; SCF; CCF; JP 8000 */
    0xdd, 0x21, 0x00, 0x90, 0xfd, 0x21, 0x00, 0xa0,  /* 8040 LD IX,9000; LD IY,A000 */
    0xdd, 0x7e, 0x05, 0xfd, 0x77, 0xfe, 0xdd, 0x34,  /* 8048 LD A,(IX+5); LD (IY-2),A; INC (IX+..) */
    0x01, 0xdd, 0xcb, 0x02, 0x16, 0xfd, 0xcb, 0x03,  /* 8050 ..1); RL (IX+2); BIT ..(IY+3) */
    0x4e, 0xdd, 0x23, 0xdd, 0x09, 0xed, 0x44, 0xed,  /* 8058 ..1; INC IX; ADD IX,BC; NEG; ADC HL,.. */
    0x5a, 0xed, 0xa0, 0xed, 0xb1, 0x27, 0xed, 0x57,  /* 8060 ..DE; LDI; CPIR; DAA; LD A,I */
    0xed, 0x67, 0xed, 0xa2, 0xed, 0xb3, 0xe5, 0xe1,  /* 8068 RRD; INI; OTIR; PUSH HL; POP HL */
    0xf5, 0xf1, 0x20, 0xd2, 0xc9, 0x00, 0x00, 0x00,  /* 8070 PUSH AF; POP AF; JR NZ,8048; RET */
    0x28, 0x02, 0x3c, 0x04, 0x0d, 0x20, 0xfb, 0xc9,  /* 8078 JR Z,807C; INC A; INC B; DEC C; JR NZ,807A; RET */
};
static const uint16_t _wb_warm_entries[] = {0x8000, 0x8008, 0x8018, 0x8028, 0x8040, 0x8048, 0x8061, 0x806c, 0x8078};

WB_EXPORT uint32_t wb_warm_up(uint32_t rounds, uint32_t functions) {
    enum { N = sizeof _wb_warm_entries / sizeof _wb_warm_entries[0], LEN = sizeof _wb_warm_code };
    static jit_z80_request_t rq;
    static jit_region_t region;
    static uint8_t req[JIT_Z80_REQUEST_HEADER_BYTES + N * JIT_Z80_REQUEST_MAX_ENTRY_BYTES];
    static uint32_t next; /* successive calls go round the entries */
    if (functions < 1 || functions > N) functions = N;
    uint32_t made = 0;
    for (uint32_t r = 0; r < rounds; r++) {
        int flavour = (int)(next / N % 3); /* plain, contended + hooked (through the window), traced */
        rq.flags = flavour == 2 ? JIT_Z80_F_TRACE : flavour == 1 ? JIT_Z80_F_HOOK_WINDOW : 0;
        rq.cpu_size = (uint32_t)sizeof(z80_t);
        rq.mem_base = 0x10000;
        rq.rom_pages = 1;
        rq.contended_pages = rq.hooked_pages = flavour == 1 ? 2 : 0;
        rq.contention = flavour == 1 ? 0x20000 : 0;
        rq.contention_len = flavour == 1 ? 69888 : 0;
        rq.max_delay = 6;
        rq.code_map = 0x30000;
        rq.tables = 0x40000;
        rq.trap_pc = -1;
        for (int k = 0; k < JIT_Z80_CALLS; k++) rq.calls[k] = (uint32_t)(1 + k); /* never called */
        rq.count = 0;
        for (uint32_t f = 0; f < functions; f++)
            if (!jit_z80_request_add(&rq, _wb_warm_entries[next++ % N], 0x8000, LEN, _wb_warm_code, &region))
                return 0;
        size_t len = jit_z80_request_encode(&rq, req, sizeof req);
        char err[256];
        size_t out_len = 0;
        uint8_t *bytes = len ? wb_z80_compile(req, len, &out_len, err, sizeof err) : NULL;
        if (!bytes) return 0;
        free(bytes);
        made += (uint32_t)out_len;
    }
    return made;
}
