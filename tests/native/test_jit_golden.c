/*
 * test_jit_golden.c: what the Z80 translator makes of a few fixed blocks,
 * compared as Wasm text with tests/native/golden/NAME.wat. A difference is
 * not necessarily a bug, but it must be looked at: the golden files are
 * the reviewed record of the code we generate (liveness, inline memory,
 * calls into the core, T-state and R bookkeeping, loops). The text is
 * Binaryen's, of the module rebuilt in Binaryen (wasm-backend/wb_ir_binaryen.h),
 * and the bytes the core gets are compared with Binaryen's writer's.
 *
 * After a deliberate change to the generated code, review the new text and
 * accept it with:  ZX_UPDATE_GOLDEN=1 build/native/test_jit_golden
 * (run from the repository root; ZX_GOLDEN_DIR overrides the directory).
 */
#include <binaryen-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jit_request.h"
#include "wb_entry.h"
#include "wb_flow.h"
#include "wb_ir_binaryen.h"
#include "z80/wb_z80.h"

typedef struct {
    const char *name;
    uint8_t code[16];
    size_t n;
    uint32_t flags;
    int contended;
} golden_t;

static const golden_t cases[] = {
    /* LD B,10; l: DEC B; JR NZ,l; RET: a loop kept inside the function, a
     * deadline check on its back-edge, only the flags JR reads computed */
    {"loop", {0x06, 0x0a, 0x05, 0x20, 0xfd, 0xc9}, 6, 0, 0},
    /* LD A,(HL); ADD A,(IX+5); LD (DE),A; INC DE; RET: inline reads, a
     * store checked against the code map, flags of ADD dead (INC DE keeps
     * them, RET leaves: live at the end) */
    {"memory", {0x7e, 0xdd, 0x86, 0x05, 0x12, 0x13, 0xc9}, 7, 0, 0},
    /* LD A,(HL); OUT (0xFE),A; RET with contention and hooked pages: the
     * core's own slow paths for contended reads and port I/O */
    {"contended_io", {0x7e, 0xd3, 0xfe, 0xc9}, 4, 0, 1},
};

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)len + 1);
    if (s && fread(s, 1, (size_t)len, f) != (size_t)len) { free(s); s = NULL; }
    if (s) s[len] = 0;
    fclose(f);
    return s;
}

/* The first line where a and b differ (1-based), for the failure message. */
static int first_difference(const char *a, const char *b, char *got, size_t glen) {
    int line = 1;
    const char *la = a;
    while (*a && *a == *b) {
        if (*a == '\n') { line++; la = a + 1; }
        a++, b++;
    }
    const char *end = strchr(la, '\n');
    size_t n = end ? (size_t)(end - la) : strlen(la);
    snprintf(got, glen, "%.*s", (int)(n < glen - 1 ? n : glen - 1), la);
    return line;
}

int main(void) {
    const char *dir = getenv("ZX_GOLDEN_DIR") ? getenv("ZX_GOLDEN_DIR") : "tests/native/golden";
    bool update = getenv("ZX_UPDATE_GOLDEN") != NULL;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const golden_t *g = &cases[i];
        static uint8_t req[4096];
        size_t len = jit_request(req, sizeof req, g->code, g->n, g->flags, g->contended);
        char err[256] = "", path[512], name[64];
        snprintf(name, sizeof name, "golden %s", g->name);
        snprintf(path, sizeof path, "%s/%s.wat", dir, g->name);
        wb_mod_t *ir = wb_z80_build(req, len, err, sizeof err);
        if (!ir) {
            CHECK(name, false, "not compiled: %s", err);
            continue;
        }
        /* the bytes the core gets (wb_write.h) are Binaryen's writer's */
        char bytes_name[80];
        snprintf(bytes_name, sizeof bytes_name, "%s: bytes", name);
        BinaryenModuleRef m = wb_ir_binaryen(ir);
        CHECK(bytes_name, wb_ir_binaryen_same_bytes(ir, m, err, sizeof err), "%s", err);
        char *text = BinaryenModuleAllocateAndWriteText(m);
        BinaryenModuleDispose(m);
        wb_mod_dispose(ir);
        if (update) {
            FILE *f = fopen(path, "wb");
            bool ok = f && fputs(text, f) >= 0;
            if (f) ok = fclose(f) == 0 && ok;
            CHECK(name, ok, "could not write %s", path);
        } else {
            char *want = read_file(path);
            char got[160] = "";
            int line = want ? first_difference(text, want, got, sizeof got) : 0;
            CHECK(name, want && strcmp(text, want) == 0,
                  want ? "%s differs from line %d, which now reads '%s' (review; ZX_UPDATE_GOLDEN=1 accepts)"
                       : "%s missing (ZX_UPDATE_GOLDEN=1 writes it)",
                  path, line, got);
            free(want);
        }
        free(text);
    }
    /* The compiler's warm-up mix (wb_warmup.c) compiles in all three flavours. */
    uint32_t made = wb_warm_up(3, 8);
    CHECK("warm-up mix compiles", made > 3000, "%u module bytes", made);
    CHECK("warm-up mix: the dispatch loop's case too (a loop entered in the middle)", wb_flow_dispatched > 0, "%u",
          wb_flow_dispatched);
    return failures != 0;
}
