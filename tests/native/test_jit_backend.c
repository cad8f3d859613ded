/*
 * test_jit_backend.c: the Z80 translator built natively against Debian's
 * libbinaryen: every opcode of every group, alone and in small regions,
 * becomes a module that passes Binaryen's validation, in both the plain and
 * the TRACE flavour, with and without contention and hooked pages. (The
 * generated code only runs under Node: tests/node/jit*.test.mjs.)
 *
 * Usage: test_jit_backend [-p HEXBYTES]   (-p: print the module for the bytes)
 */
#include <binaryen-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jit/z80/jit_region.h"
#include "jit_request.h"
#include "z80/wb_z80.h"
#include "z80/wb_z80_request.h"
#include "cpu/z80/z80.h"

static int failures, checks;

static void check(const uint8_t *code, size_t n, uint32_t flags, int contended, const char *what, bool print) {
    static uint8_t req[4096];
    size_t len = jit_request(req, code, n, flags, contended);
    char err[256] = "";
    BinaryenModuleRef m = wb_z80_build(req, len, err, sizeof err);
    checks++;
    if (!m) {
        printf("FAIL %s: %s\n", what, err);
        failures++;
        return;
    }
    if (!BinaryenModuleValidate(m)) {
        printf("FAIL %s: invalid module\n", what);
        failures++;
    } else {
        printf("PASS %s\n", what);
    }
    if (print) BinaryenModulePrint(m);
    BinaryenModuleDispose(m);
}

static int hexval(int ch) { return ch <= '9' ? ch - '0' : (ch | 32) - 'a' + 10; }

int main(int argc, char **argv) {
    if (argc == 3 && !strcmp(argv[1], "-p")) {
        uint8_t code[32];
        size_t n = 0;
        for (const char *s = argv[2]; s[0] && s[1] && n < sizeof code; s += 2) code[n++] = (uint8_t)(hexval(s[0]) * 16 + hexval(s[1]));
        check(code, n, 0, 0, argv[2], true);
        return failures != 0;
    }
    static const uint8_t prefixes[][2] = {{0}, {0xcb}, {0xed}, {0xdd}, {0xfd}, {0xdd, 0xcb}, {0xfd, 0xcb}};
    static const int plen[] = {0, 1, 1, 1, 1, 2, 2};
    for (int g = 0; g < 7; g++) {
        for (int op = 0; op < 256; op++) {
            uint8_t code[8];
            size_t n = 0;
            for (int i = 0; i < plen[g]; i++) code[n++] = prefixes[g][i];
            if (g >= 5) code[n++] = 0x05; /* d */
            code[n++] = (uint8_t)op;
            code[n++] = 0x12;
            code[n++] = 0x34;
            code[n++] = 0x00;
            char what[64];
            for (int variant = 0; variant < 4; variant++) {
                snprintf(what, sizeof what, "group %d op %02x variant %d", g, op, variant);
                check(code, n, variant & 1 ? WB_Z80_F_TRACE : 0, variant >> 1, what, false);
            }
        }
    }
    /* a loop: LD B,10; l: DEC B; JR NZ,l; LDIR; RET */
    static const uint8_t loop[] = {0x06, 0x0a, 0x05, 0x20, 0xfd, 0xed, 0xb0, 0xc9};
    check(loop, sizeof loop, 0, 1, "loop", false);
    printf("%d checks, %d failures\n", checks, failures);
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures != 0;
}
