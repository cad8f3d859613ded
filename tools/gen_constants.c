/*
 * gen_constants.c: writes the C constants JavaScript needs as an ES module
 * (build/gen/zx-constants.mjs, re-exported by web/zx-constants.mjs), so JS
 * never copies a key code, a format number or a flag by hand.
 *
 * A host program built and run by the build (emcc.mk), before any Wasm: it
 * includes the real headers, so the values are the compiler's own. The
 * names are listed here once; the program checks that the lists are whole
 * (every key of the matrix named once, every zx_format_t value named) and
 * fails the build otherwise.
 *
 *     cc -std=c11 -Icore tools/gen_constants.c -o gen_constants && ./gen_constants > zx-constants.mjs
 */
#include <stdio.h>
#include <stdlib.h>

#include "jit/z80/jit_z80_request.h"
#include "machine/zx/zx.h"
#include "platform/wasm_api.h"

typedef struct {
    const char *name;
    long value;
} named_t;

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

// clang-format off
/* ZX_KEY_*, named as web/ and the headless runner spell them. */
#define KEY(name) {#name, ZX_KEY_##name}
static const named_t k_keys[] = {
    KEY(CAPS), KEY(Z), KEY(X), KEY(C), KEY(V), KEY(A), KEY(S), KEY(D), KEY(F), KEY(G),
    KEY(Q), KEY(W), KEY(E), KEY(R), KEY(T), KEY(1), KEY(2), KEY(3), KEY(4), KEY(5),
    KEY(0), KEY(9), KEY(8), KEY(7), KEY(6), KEY(P), KEY(O), KEY(I), KEY(U), KEY(Y),
    KEY(ENTER), KEY(L), KEY(K), KEY(J), KEY(H), KEY(SPACE), KEY(SYMBOL), KEY(M), KEY(N), KEY(B),
};

static const named_t k_joy[] = {
    {"RIGHT", ZX_JOY_RIGHT}, {"LEFT", ZX_JOY_LEFT}, {"DOWN", ZX_JOY_DOWN}, {"UP", ZX_JOY_UP}, {"FIRE", ZX_JOY_FIRE},
};

/* zx_format_t, by the names SpectrumCore.load() reports. */
static const named_t k_formats[] = {
    {"unknown", ZX_FMT_UNKNOWN}, {"sna", ZX_FMT_SNA}, {"z80", ZX_FMT_Z80},
    {"szx", ZX_FMT_SZX},         {"tap", ZX_FMT_TAP}, {"tzx", ZX_FMT_TZX},
};

static const named_t k_create_flags[] = {
    {"JIT", ZXW_FLAG_JIT},
    {"NO_TAPE_TRAPS", ZXW_FLAG_NO_TAPE_TRAPS},
    {"LOCKSTEP", ZXW_FLAG_LOCKSTEP},
};

/* The machine's figures (zx.h), without the ZX_ prefix. */
#define FIGURE(name) {#name, ZX_##name}
static const named_t k_machine[] = {
    FIGURE(CPU_HZ),        FIGURE(FRAME_T),   FIGURE(LINE_T),    FIGURE(LINES),
    FIGURE(FB_WIDTH),      FIGURE(FB_HEIGHT), FIGURE(ROM_SIZE),  FIGURE(RAM_SIZE),
    FIGURE(DISPLAY_FILE_SIZE), FIGURE(AUDIO_MAX), FIGURE(SNAPSHOT_MAX),
    /* the largest media file the core takes (a tape: core/media/tape.h) */
    {"MEDIA_MAX_FILE", TAPE_MAX_FILE_BYTES},
};

/* JIT_EXIT_*: why a compiled function returned (jit/jit_request.h). */
static const named_t k_jit_exits[] = {
    {"NORMAL", JIT_EXIT_NORMAL}, {"DEADLINE", JIT_EXIT_DEADLINE}, {"SMC", JIT_EXIT_SMC}, {"PAGED", JIT_EXIT_PAGED},
};
// clang-format on

static void _fail(const char *what) {
    fprintf(stderr, "gen_constants: %s\n", what);
    exit(1);
}

/* Object.freeze({ NAME: value, ... }); names that are not identifiers are quoted. */
static void _object(const char *comment, const char *js_name, const named_t *items, size_t n) {
    printf("\n// %s\nexport const %s = Object.freeze({\n", comment, js_name);
    for (size_t i = 0; i < n; i++) {
        const char *q = items[i].name[0] >= '0' && items[i].name[0] <= '9' ? "'" : "";
        printf("  %s%s%s: %ld,\n", q, items[i].name, q, items[i].value);
    }
    printf("});\n");
}

/* Every key of the 8 half-rows x 5 bits named exactly once. */
static void _check_keys(void) {
    int seen[64] = {0};
    for (size_t i = 0; i < N_OF(k_keys); i++) {
        long k = k_keys[i].value;
        if (k < 0 || k >= 64 || (k & 7) > 4 || seen[k]++)
            _fail("a key code is out of the matrix or named twice");
    }
    if (N_OF(k_keys) != 40) _fail("the key list does not cover the 40 keys");
}

/* The formats as an array indexed by zx_format_t: every value up to the
 * largest must have a name. */
static void _formats(void) {
    const char *by_value[16] = {0};
    long max = -1;
    for (size_t i = 0; i < N_OF(k_formats); i++) {
        long v = k_formats[i].value;
        if (v < 0 || v >= 16 || by_value[v]) _fail("zx_format_t values are not small and distinct");
        by_value[v] = k_formats[i].name;
        if (v > max) max = v;
    }
    printf("\n// zx_format_t names, indexed by value (zxw_detect_format)\nexport const FORMATS = "
           "Object.freeze([");
    for (long v = 0; v <= max; v++) {
        if (!by_value[v]) _fail("a zx_format_t value has no name");
        printf("%s'%s'", v ? ", " : "", by_value[v]);
    }
    printf("]);\n");
}

/* The core functions compiled code calls through the table, in
 * JIT_Z80_CALL_* order (the JIT inspector names their slots). */
static void _jit_calls(void) {
    static const char *const names[] = {JIT_Z80_CALL_NAMES};
    if (N_OF(names) != JIT_Z80_CALLS) _fail("JIT_Z80_CALL_NAMES does not name every JIT_Z80_CALL_*");
    printf("\n// the core's exports compiled code calls through the table (JIT_Z80_CALL_* order)\n"
           "export const JIT_CORE_CALLS = Object.freeze([");
    for (size_t i = 0; i < N_OF(names); i++) printf("%s'%s'", i ? ", " : "", names[i]);
    printf("]);\n");
}

int main(void) {
    _check_keys();
    printf("// zx-constants.mjs: the C core's constants for JavaScript, generated by\n"
           "// tools/gen_constants.c from core/machine/zx/zx.h, core/platform/wasm_api.h\n"
           "// and core/jit/z80/jit_z80_request.h (with core/jit/jit_request.h).\n"
           "// Do not edit: the build rewrites it (make wasm-web, wasm-node).\n");
    _object("ZX_KEY_* key codes: half-row * 8 + bit", "KEYS", k_keys, N_OF(k_keys));
    _object("ZX_JOY_* Kempston joystick bits (port 0x1F, active high)", "JOY", k_joy, N_OF(k_joy));
    _formats();
    _object("ZXW_FLAG_* flags of zxw_create", "CREATE_FLAGS", k_create_flags, N_OF(k_create_flags));
    _object("ZX_* figures of the 48K machine", "MACHINE", k_machine, N_OF(k_machine));
    _jit_calls();
    if (N_OF(k_jit_exits) != JIT_EXIT_COUNT) _fail("k_jit_exits does not name every JIT_EXIT_*");
    _object("JIT_EXIT_* codes: why a compiled function returned", "JIT_EXITS", k_jit_exits, N_OF(k_jit_exits));
    return ferror(stdout) ? 1 : 0;
}
